import ArgumentParser
import Foundation
import GamedayModel
import GamedayRecords

/// `--record RECORD [--action A]`: append a command's result to a postmortem record as evidence.
struct RecordOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Append the result as evidence to this postmortem record (atomically; the rest of the file stays byte for byte).", valueName: "record"))
    var record: String?

    @Option(help: ArgumentHelp("With --record: the record's action the evidence is about (default: each variant goes to the action whose control it measures).", valueName: "id"))
    var action: String?

    func validate() throws {
        if action != nil && record == nil { throw ValidationError("--action goes with --record RECORD") }
    }

    /// The provenance every entry carries: the engine, the exact seed and the command that reproduces it.
    func provenance(seed: UInt64?) -> EvidenceBuilder.Provenance {
        EvidenceBuilder.Provenance(engine: "gameday \(GamedayVersion.current)", command: Self.commandLine, action: action, seed: seed)
    }

    /// The command line as typed, quoted where needed, without `--record`/`--action` and `--out`.
    static var commandLine: String {
        var words: [String] = ["gameday"]
        var skip = false
        for argument in CommandLine.arguments.dropFirst() {
            if skip { skip = false; continue }
            if ["--record", "--action", "--out"].contains(argument) { skip = true; continue }
            if ["--record=", "--action=", "--out="].contains(where: { argument.hasPrefix($0) }) { continue }
            let safe = argument.allSatisfy { $0.isLetter || $0.isNumber || "-_./,:=%@+".contains($0) }
            words.append(safe && !argument.isEmpty ? argument : "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'")
        }
        return words.joined(separator: " ")
    }

    /// Loads the record, builds its entries and appends them; prints what was appended on stderr.
    func append(_ build: (Record, RecordCheck) throws -> [EvidenceEntry]) throws {
        guard let record else { return }
        let loaded = RecordLoader.check(path: record)
        guard let parsed = loaded.record else {
            for d in loaded.diagnostics where d.severity == .error { Terminal.printDiagnostic(d) }
            throw CommandFailure.failed("\(record): cannot append evidence to a record with errors (fix them, or see `gameday postmortem validate`)")
        }
        let entries: [EvidenceEntry]
        do {
            entries = try build(parsed, loaded)
        } catch let failure as EvidenceBuilder.Failure {
            throw CommandFailure.failed("\(record): \(failure)")
        }
        for entry in entries {
            do {
                let appended = try EvidenceLog.append(entry, toRecordAt: record)
                let about = [appended.action.map { "action \($0)" }, appended.controls.map { $0.isEmpty ? nil : $0.joined(separator: "+") } ?? nil]
                    .compactMap { $0 }.joined(separator: ", ")
                Terminal.writeErr("appended evidence \(appended.id ?? "") (\(appended.kind.rawValue)\(about.isEmpty ? "" : ", " + about)) to \(record)")
            } catch {
                for d in error.diagnostics { Terminal.printDiagnostic(d) }
                throw ExitCode(1)
            }
        }
    }
}

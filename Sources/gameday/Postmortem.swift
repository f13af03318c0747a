import ArgumentParser
import Foundation
import GamedayModel
import GamedayRecords

/// `gameday postmortem new|validate|render|attach`: postmortem records (docs/postmortems.md).
struct Postmortem: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write, validate and render postmortem records, and attach evidence to them.",
        discussion: """
        A record is a YAML file kept next to the scenarios, one per incident, drill or near miss \
        (docs/postmortems.md). gameday never rewrites what a person wrote: evidence is appended as text.
        """,
        subcommands: [New.self, ValidateRecords.self, Render.self, Attach.self]
    )

    /// The engine string written into evidence.
    static var engine: String { "gameday \(GamedayVersion.current)" }

    /// Parses `--as-of` (default: today, UTC).
    static func asOf(_ text: String?) throws -> Double {
        guard let text else { return (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400 }
        guard let seconds = ISO8601.parseDate(text) else { throw CommandFailure.usage("--as-of '\(text)' is not a date (write YYYY-MM-DD)") }
        return seconds
    }

    /// Prints `text`, or writes it to `out` atomically.
    static func emit(_ text: String, to out: String?) throws {
        if let out, out != "-" {
            try AtomicFile.write(text, to: out, createFolders: true)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    // MARK: new

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new minimal record (who, what, when, where, why, how), pre-filled from a scenario's observed section.",
            discussion: """
            The record has TODO placeholders; `gameday postmortem validate` warns about each until it is replaced. \
            With --scenario, the title, category, services, times, timeline and barrier analysis come from the scenario \
            and its observed section, and the record links the scenario by its path from the repository root (the \
            first folder up from the record with .git) when the scenario is inside that repository, else by its path \
            from the record's folder: the path validate looks it up by.
            """
        )

        @Option(help: "The record's id (also its file name), like PM-2025-014.")
        var id: String

        @Option(help: "A scenario file to pre-fill from and link to.", completion: .file(extensions: ["yaml", "yml"]))
        var scenario: String?

        @Option(help: "incident, drill or near-miss.")
        var kind: RecordKindArgument = .incident

        @Option(help: "The accountable author.")
        var owner: String?

        @Option(help: "Where to write it (default postmortems/ID.yaml; '-' prints it).")
        var out: String?

        @Flag(help: "Replace an existing file.")
        var force = false

        func run() throws {
            guard id.range(of: "^[A-Za-z0-9][A-Za-z0-9._-]*$", options: .regularExpression) != nil else {
                throw CommandFailure.usage("--id '\(id)' is not a valid id (letters, digits, '.', '_' and '-', like PM-2025-014)")
            }
            let target = out ?? "postmortems/\(id).yaml"
            var source: (Scenario, String)?
            if let scenario {
                // The link is written so the record finds the scenario from where the record is.
                let link = target == "-" ? scenario : ScenarioCache.link(forScenarioAt: scenario, fromRecordAt: target)
                source = (try ScenarioLoader.load(path: scenario), link)
            }
            let text = RecordTemplate.text(id: id, kind: kind.value, scenario: source.map { (scenario: $0.0, link: $0.1) }, owner: owner,
                                           now: Date().timeIntervalSince1970)
            if target == "-" {
                print(text, terminator: "")
                return
            }
            do {
                try OutputFile.write(text, to: target, overwrite: force)
            } catch {
                if FileManager.default.fileExists(atPath: target), !force {
                    throw CommandFailure.failed("\(target) already exists (use --force to replace it, or --out to choose another file)")
                }
                throw CommandFailure.failed(OutputFile.message(error))
            }
            let check = RecordLoader.check(path: target)
            let placeholders = check.placeholders.count
            print("wrote \(target): fill in the \(placeholders) TODO placeholder\(placeholders == 1 ? "" : "s") (gameday postmortem validate \(target) lists them)")
            for d in check.diagnostics where d.severity == .error { Terminal.printDiagnostic(d) }
        }
    }

    // MARK: validate

    struct ValidateRecords: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check records: structure, traceability, and links to scenarios; errors as file:line:column.",
            discussion: """
            Traceability: every finding has an action or a no_action reason; every action has an owner, a due date, \
            a finding and a metric; a control names a control of the linked scenario; times are in order. \
            Folders are searched for .yaml and .yml files that are records (other YAML files are skipped); \
            a file named explicitly must be a record.

            Exit status: 0 when every record is valid (warnings allowed), 1 when any is invalid, 2 on usage errors.
            """
        )

        @Argument(help: "Record files or folders.", completion: .file(extensions: ["yaml", "yml"]))
        var paths: [String]

        @Option(help: "Output format: text or json.")
        var format: ValidateFormat = .text

        @Flag(help: "Treat warnings as errors.")
        var strict = false

        func run() throws {
            var files: [String] = []
            for path in paths {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    throw CommandFailure.usage("\(path): no such file or directory")
                }
                if isDirectory.boolValue {
                    files += try FileCollector.yamlFiles(in: [path]).filter { file in
                        if case .postmortem = GamedayFileKind.detect(path: file) { return true }
                        return (try? YAMLParser.parse(fileAt: file)) == nil  // unreadable files are reported, not skipped
                    }
                } else {
                    files.append(path)
                }
            }
            let scenarios = ScenarioCache()
            let reports = files.map { file -> FileValidation.Report in
                switch GamedayFileKind.detect(path: file) {
                case .postmortem, .unknown(nil):
                    return FileValidation.Report(path: file, kind: "postmortem", diagnostics: RecordLoader.check(path: file, scenarios: scenarios).diagnostics)
                default:
                    if (try? YAMLParser.parse(fileAt: file)) == nil {
                        return FileValidation.Report(path: file, kind: "postmortem", diagnostics: RecordLoader.check(path: file, scenarios: scenarios).diagnostics)
                    }
                    return FileValidation.Report(path: file, kind: "unknown", diagnostics: [
                        Diagnostic(at: SourceLocation(file: file, line: 1, column: 1), "not a postmortem record: no 'postmortem' key at the top level",
                                   help: "a record starts with 'postmortem: ID'; use gameday validate for scenarios"),
                    ])
                }
            }
            try FileValidation.emit(reports, format: format, strict: strict, noun: "record")
        }
    }

    // MARK: render

    struct Render: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render a record for an audience: exec, engineering or frontline; as Markdown or self-contained HTML.",
            discussion: """
            exec: impact, risk posture, recommended changes and what the simulations say each would buy. \
            engineering: times, timeline, Mermaid event map, five whys, barrier analysis, findings, and each action \
            with the evidence behind it. frontline: what to look for, what to do, which runbook changed.

            A record with errors is still rendered (the errors are printed on stderr) unless its structure is broken.
            """
        )

        @Argument(help: "The record.", completion: .file(extensions: ["yaml", "yml"]))
        var record: String

        @Option(help: "exec, engineering or frontline.")
        var audience: AudienceArgument

        @Option(help: "markdown or html.")
        var format: ReportFormatArgument = .markdown

        @Option(help: "Count overdue actions on this day (YYYY-MM-DD; default today).")
        var asOf: String?

        @Option(help: "Write to this file instead of printing.")
        var out: String?

        func run() throws {
            let check = RecordLoader.check(path: record)
            for d in check.diagnostics where d.severity == .error { Terminal.printDiagnostic(d) }
            guard let loaded = check.record else { throw ExitCode(1) }
            let text = RecordReport.render(loaded, audience: audience.value, format: format.value, scenario: check.scenario, asOf: try Postmortem.asOf(asOf))
            try Postmortem.emit(text, to: out)
        }
    }

    // MARK: attach

    struct Attach: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Append an evidence entry to a record, keeping every other byte of the file.",
            discussion: """
            FILE is an evidence entry (JSON or YAML with the keys of a record's evidence entry; id and at may be left out), \
            or the JSON output of gameday whatif, replay or drill (--format json), from which the entry is built: \
            --control chooses the variant of a whatif or the counterfactual of a replay. '-' reads standard input.

            The append takes a lock on the record (two writers at once both land), writes a temporary file, \
            syncs it and renames it over the record. Evidence ids continue from the highest in the record.
            """
        )

        @Argument(help: "The record.", completion: .file(extensions: ["yaml", "yml"]))
        var record: String

        @Option(help: "The evidence file (JSON or YAML), or '-' for standard input.", completion: .file(extensions: ["json", "yaml", "yml"]))
        var evidence: String

        @Option(help: "The action the evidence is about.")
        var action: String?

        @Option(help: "The controls of the variant to take, comma-separated (whatif and replay output).")
        var control: String?

        @Option(help: "The command line that reproduced it, recorded with the entry.")
        var command: String?

        @Option(help: "Output: text (the new entry's id) or json (the entry).")
        var format: ValidateFormat = .text

        func run() throws {
            let input: String
            let name = evidence == "-" ? "<stdin>" : evidence
            if evidence == "-" {
                input = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                input = try FileText.read(evidence)
            }
            let controls = control.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            var entry = try EvidenceInput.entry(from: input, file: name, controls: controls,
                                                provenance: EvidenceBuilder.Provenance(engine: Postmortem.engine, command: command, action: action))
            if let action { entry.action = action }
            if let command { entry.command = command }
            var options = EvidenceLog.Options()
            // Fault injection for the interrupted-write test: die between the synced write and the rename.
            if ProcessInfo.processInfo.environment["GAMEDAY_TEST_KILL_BEFORE_RENAME"] == "1" {
                options.beforeRename = { _ in kill(getpid(), SIGKILL) }
            }
            let appended = try EvidenceLog.append(entry, toRecordAt: record, options: options)
            switch format {
            case .text: print("appended \(appended.id ?? "evidence") (\(appended.kind.rawValue)) to \(record)")
            case .json: print(appended.json.pretty)
            }
        }
    }
}

/// `--kind` values.
enum RecordKindArgument: String, ExpressibleByArgument, CaseIterable {
    case incident, drill
    case nearMiss = "near-miss"
    var value: RecordKind { RecordKind(rawValue: rawValue)! }
}

/// `--audience` values.
enum AudienceArgument: String, ExpressibleByArgument, CaseIterable {
    case exec, engineering, frontline
    var value: Audience { Audience(rawValue: rawValue)! }
}

/// `--format` values of render.
enum ReportFormatArgument: String, ExpressibleByArgument, CaseIterable {
    case markdown, html
    var value: ReportFormat { ReportFormat(rawValue: rawValue)! }
}

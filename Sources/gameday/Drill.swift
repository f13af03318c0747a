import ArgumentParser
import Foundation
import GamedayDrill
import GamedayModel
import GamedayRecords
import GamedaySimulation
import GamedayStore
import Rainbow

/// `gameday drill SCENARIO`: a tabletop drill in the terminal, from a script, or replayed from a log.
struct DrillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Run a tabletop drill on a scenario: live in the terminal, from a --script, or replayed from a log.",
        discussion: """
        Live: the facilitator types commands at the prompt (status, actions, do ACTION [as NAME], as NAME, \
        advance DURATION, next, log, undo, end, help); the simulated clock moves only with advance and next. \
        At the end the debrief questions are asked and the drill is scored against the rubric and against \
        the modelled responders on the same trial.

        Every drill is saved in the store (--store, GAMEDAY_STORE, default .gameday/gameday.sqlite) and can be \
        exported (--export FILE) as JSON that --replay reads back: the replay reproduces the drill exactly. \
        --fork-at T replays up to T and continues live (or with --script); --model-from T hands over to the \
        modelled responders at T. See docs/drills.md.
        """
    )

    @Argument(help: "The scenario file (optional with --script, which names its scenario, and with --replay).",
              completion: .file(extensions: ["yaml", "yml"]))
    var scenario: String?

    @Option(help: "Seed of the trial's draws (default: the drill's seed).")
    var seed: UInt64?

    @Option(help: "Trial index to play (default 0).")
    var trial: UInt64?

    @Option(help: ArgumentHelp("The team as NAME:ROLE,... (default: one person per role, named after it).", valueName: "team"))
    var team: String?

    @Option(help: ArgumentHelp("Run a scripted drill (a drill_run file) without input.", valueName: "file"),
            completion: .file(extensions: ["yaml", "yml"]))
    var script: String?

    @Option(help: ArgumentHelp("Replay a drill from its JSON log (a file, or a drill id in the store).", valueName: "log"))
    var replay: String?

    @Option(name: .customLong("fork-at"), help: ArgumentHelp("With --replay: replay up to this time, then continue live (or with --script).", valueName: "time"))
    var forkAt: String?

    @Option(name: .customLong("model-from"), help: ArgumentHelp("With --replay: replay up to this time, then let the modelled responders take over.", valueName: "time"))
    var modelFrom: String?

    @Option(help: "Output format of the result: text, json or markdown.")
    var format: ResultFormat = .text

    @Option(help: "Write the result to this file (atomically) instead of stdout.")
    var out: String?

    @Option(help: ArgumentHelp("Also write the drill's JSON (its replayable log) to this file.", valueName: "file"))
    var export: String?

    @Option(help: ArgumentHelp("The store (default: $GAMEDAY_STORE or .gameday/gameday.sqlite).", valueName: "path"))
    var store: String?

    @Flag(name: .customLong("no-store"), help: "Do not save the drill in the store.")
    var noStore = false

    @Flag(help: "Save a --model-from hand-over in the store too (live, scripted and forked drills are saved by default; a replay never is: it is the drill it replays).")
    var save = false

    @Option(name: .customLong("model-trials"), help: "Monte Carlo trials of the modelled responders for the comparison.")
    var modelTrials: Int = ModelComparison.defaultTrials

    @Option(help: "Concurrent workers for the comparison; results do not depend on it.")
    var threads: Int?

    @Option(help: ArgumentHelp("Folder where a script's scenario id is looked up.", valueName: "dir"))
    var scenarios: String = "scenarios"

    @OptionGroup var recording: RecordOptions

    func validate() throws {
        if format == .html { throw ValidationError("drill prints text, json or markdown") }
        if scenario == nil && script == nil && replay == nil {
            throw ValidationError("give a SCENARIO file, a --script or a --replay log")
        }
        if replay != nil {
            if seed != nil || trial != nil || team != nil { throw ValidationError("--replay takes seed, trial and team from the log; drop --seed, --trial and --team") }
            if script != nil && forkAt == nil { throw ValidationError("--script with --replay needs --fork-at T: the script continues the drill from T") }
        } else if forkAt != nil || modelFrom != nil {
            throw ValidationError("--fork-at and --model-from need --replay LOG")
        }
        if forkAt != nil && modelFrom != nil { throw ValidationError("give --fork-at or --model-from, not both") }
        if script != nil && team != nil { throw ValidationError("a script names its team; drop --team") }
        if modelTrials < 0 { throw ValidationError("--model-trials must be 0 or more") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        for (name, value) in [("--fork-at", forkAt), ("--model-from", modelFrom)] {
            if let value, case .failure(let f) = Scalars.duration(value) { throw ValidationError("\(name): \(f.message) (\(f.help))") }
        }
    }

    func time(_ text: String?) -> Double? {
        guard let text, case .success(let t) = Scalars.duration(text) else { return nil }
        return t
    }

    func run() async throws {
        let startedAt = ISO8601.format(Date().timeIntervalSince1970)
        let storePath = GamedayStore.path(option: store)
        var mode: DrillMode
        var session: DrillSession
        var id: String
        var debrief: [DebriefAnswer] = []
        var derived: (drill: String, at: Double?)?
        var record: DrillRecord?
        var continuation: DrillScript?
        var interactive = false
        var modelTrialCount = modelTrials

        if let replay {
            let loaded = try loadRecord(replay, storePath: storePath)
            record = loaded
            let scenarioPath = scenario ?? loaded.scenario.path
            let scenario = try loadScenario(scenarioPath)
            if !loaded.scenario.sha256.isEmpty, scenario.source.sha256 != loaded.scenario.sha256 {
                Terminal.writeErr(Terminal.paint("warning:", { $0.yellow.bold }, forStdout: false)
                    + " \(scenarioPath) has changed since drill \(loaded.id) (sha256 differs); the replay may not match")
            }
            let cut = time(forkAt) ?? time(modelFrom)
            session = try drillCall { () throws(DrillError) in try DrillRunner.replay(loaded, scenario: scenario, cut: cut) }
            modelTrialCount = loaded.modelTrials ?? modelTrials
            if let forkAt = time(forkAt) {
                mode = .fork
                id = "\(loaded.id)-fork-\(Scalars.formatDuration(forkAt))"
                derived = (loaded.id, forkAt)
                if let script {
                    continuation = try loadScript(script, scenarioFolders: [(scenarioPath as NSString).deletingLastPathComponent, scenarios]).script
                    debrief = answers(continuation!.debrief, questions: session.drill.debrief)
                } else {
                    interactive = true
                }
            } else if let modelFrom = time(modelFrom) {
                mode = .model
                id = "\(loaded.id)-model-\(Scalars.formatDuration(modelFrom))"
                derived = (loaded.id, modelFrom)
                session.handOver()
                debrief = loaded.debrief
            } else {
                mode = .replay
                id = loaded.id
                derived = (loaded.id, nil)
                debrief = loaded.debrief
            }
        } else if let script {
            var folders = [scenarios]
            if let scenario { folders.insert((scenario as NSString).deletingLastPathComponent, at: 0) }
            let loaded = try loadScript(script, scenarioFolders: folders)
            var played = loaded.scenario!
            if let scenario {
                played = try loadScenario(scenario)
                guard played.id == loaded.scenario!.id else {
                    throw CommandFailure.usage("\(script) plays scenario '\(loaded.scenario!.id)', but \(scenario) is '\(played.id)'")
                }
            }
            mode = .scripted
            session = try drillCall { () throws(DrillError) in try DrillRunner.session(for: loaded.script!, scenario: played) }
            try drillCall { () throws(DrillError) in try DrillRunner.play(loaded.script!, on: session) }
            id = DrillRunner.id(for: loaded.script!, scenario: played)
            debrief = answers(loaded.script!.debrief, questions: session.drill.debrief)
        } else {
            let played = try loadScenario(scenario!)
            var members: [GamedayDrill.Participant]?
            if let team {
                switch GamedayDrill.Participant.parseTeam(team) {
                case .success(let parsed): members = parsed
                case .failure(let error): throw CommandFailure.usage("--team: \(error)")
                }
            }
            mode = .live
            session = try drillCall { () throws(DrillError) in try DrillSession(scenario: played, seed: seed, trial: trial ?? 0, team: members) }
            warnIfQuiet(session)
            id = "D-\(startedAt.prefix(10))-\(played.id)"
            if !noStore, let opened = try? GamedayStore(path: storePath), let unused = try? opened.unusedDrillID(id) { id = unused }
            interactive = true
        }

        var provenance = DrillProvenance()
        if interactive {
            provenance.startedAt = startedAt
            var wall: [Int: String] = [:]
            session.onInput = { index in wall[index] = ISO8601.format(Date().timeIntervalSince1970) }
            try await runConsole(session)
            debrief = askDebrief(session.drill.debrief)
            session.onInput = nil
            provenance.wall = wall
            provenance.finishedAt = ISO8601.format(Date().timeIntervalSince1970)
        } else if let continuation {
            try drillCall { () throws(DrillError) in try DrillRunner.play(continuation, on: session) }
        }

        session.finish()
        let comparison: ModelComparison? = modelTrialCount > 0
            ? await ModelComparison.compute(compiled: session.compiled, seed: session.seed, trial: session.trial, team: session.finish(),
                                            trials: modelTrialCount, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
            : nil
        if let record, mode == .model || mode == .replay {
            provenance.startedAt = record.startedAt
        }
        let result = DrillResult(session: session, id: id, mode: mode, comparison: comparison, debrief: debrief,
                                 provenance: mode == .replay ? DrillProvenance() : provenance, derivedFrom: mode == .replay ? nil : derived)
        var verification: String?
        if mode == .replay, let record {
            var replayed = result
            replayed.mode = record.mode
            let mine = DrillRunner.reproducedParts(replayed.json())
            let theirs = DrillRunner.reproducedParts(record.json)
            if mine != theirs {
                let detail = DrillRunner.difference(result.log, record.log) ?? DrillRunner.resultDifference(mine, theirs) ?? "the score or outcome differs"
                throw CommandFailure.failed("the replay of \(record.id) does not reproduce it: \(detail)")
            }
            verification = "replay of \(record.id): log, score and outcome identical to the recorded drill"
        }
        try emit(result)
        if let verification { Terminal.writeErr(verification) }
        if let export { try writeJSON(result, to: export) }
        try recording.append { _, _ in
            [try EvidenceBuilder.drill(fromDrill: result.json(), provenance: recording.provenance(seed: session.seed))]
        }
        let saveByDefault = mode == .live || mode == .scripted || mode == .fork
        if !noStore && (saveByDefault || (save && mode == .model)) {
            do {
                let opened = try GamedayStore(path: storePath)
                let now = ISO8601.format(Date().timeIntervalSince1970)
                try opened.save(result, heldAt: provenance.startedAt ?? now, recordedAt: now)
                Terminal.writeErr("saved drill \(result.id) in \(storePath)")
            } catch {
                throw CommandFailure.failed("\(error)")
            }
        }
    }

    // MARK: Pieces

    func drillCall<T>(_ body: () throws(DrillError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw CommandFailure.failed(error.description)
        }
    }

    func loadScript(_ path: String, scenarioFolders: [String]) throws -> DrillScriptLoader.Result {
        let result = DrillScriptLoader.check(path: path, scenarioFolders: scenarioFolders)
        for d in result.diagnostics { Terminal.printDiagnostic(d) }
        guard result.script != nil, result.scenario != nil else { throw ExitCode(1) }
        return result
    }

    func loadRecord(_ reference: String, storePath: String) throws -> DrillRecord {
        let json: JSONValue
        if FileManager.default.fileExists(atPath: reference) {
            guard let data = FileManager.default.contents(atPath: reference), let text = String(data: data, encoding: .utf8) else {
                throw CommandFailure.usage("\(reference): cannot read the file")
            }
            do {
                json = try JSONParser.parse(text)
            } catch {
                throw CommandFailure.failed("\(reference):\(error.line):\(error.column): error: not a drill log: \(error.message)")
            }
        } else {
            guard FileManager.default.fileExists(atPath: storePath) else {
                throw CommandFailure.usage("\(reference): no such file, and there is no store at \(storePath) to look the drill up in")
            }
            let opened: GamedayStore
            do { opened = try GamedayStore(path: storePath) } catch { throw CommandFailure.failed("\(error)") }
            guard let stored = try? opened.drillJSON(id: reference) else {
                throw CommandFailure.usage("\(reference): no such file, and no drill with that id in \(storePath)")
            }
            json = stored
        }
        do {
            return try DrillRecord.parse(json)
        } catch {
            throw CommandFailure.failed("\(reference): \(error)")
        }
    }

    func answers(_ given: [String], questions: [String]) -> [DebriefAnswer] {
        questions.enumerated().map { i, q in DebriefAnswer(question: q, answer: i < given.count ? given[i] : "") }
    }

    /// Warns when the drill's trial gives the team nothing to do.
    func warnIfQuiet(_ session: DrillSession) {
        let preview = DrillTrials.preview(session.compiled, seed: session.seed, trial: session.trial)
        guard preview.firstImpactAt == nil else { return }
        var message = "on trial \(session.trial) of seed \(session.seed) nothing reaches customers (\(preview.outcome.name)): the drill will be quiet"
        if let k = DrillTrials.firstWithImpact(session.compiled, seed: session.seed, from: session.trial + 1) {
            message += "; trial \(k) has an incident (--trial \(k))"
        }
        Terminal.writeErr(Terminal.paint("warning:", { $0.yellow.bold }, forStdout: false) + " " + message)
    }

    static var style: DrillStyle {
        guard Terminal.useColor(forStdout: true) else { return .plain }
        return DrillStyle(bold: { $0.bold }, dim: { $0.dim }, good: { $0.green }, bad: { $0.red }, warn: { $0.yellow }, accent: { $0.cyan })
    }

    /// The facilitator's prompt loop: one command per line until `end`, the horizon, or end of input.
    func runConsole(_ session: DrillSession) async throws {
        let console = DrillConsole(session: session, style: Self.style)
        let echo = isatty(STDIN_FILENO) != 1
        write(console.opening() + "\n\n")
        while !session.isEnded {
            write(console.prompt())
            guard let line = readLine(strippingNewline: true) else {
                write("\n")
                let reply = console.handle("end")
                write(reply.text + "\n")
                break
            }
            if echo { write(line + "\n") }
            let reply = console.handle(line)
            if !reply.text.isEmpty { write(reply.text + "\n") }
            if reply.ended { break }
        }
    }

    /// Asks the debrief questions; an empty line or end of input skips one.
    func askDebrief(_ questions: [String]) -> [DebriefAnswer] {
        guard !questions.isEmpty else { return [] }
        let style = Self.style
        write("\n" + style.bold("Debrief") + style.dim(" (an empty line skips a question)") + "\n")
        let echo = isatty(STDIN_FILENO) != 1
        return questions.map { question in
            write("  " + question + "\n  > ")
            let answer = readLine(strippingNewline: true) ?? ""
            if echo { write(answer + "\n") }
            return DebriefAnswer(question: question, answer: answer.trimmingCharacters(in: .whitespaces))
        }
    }

    func write(_ text: String) {
        // Nested styles can leave an attribute on at the end of a line: reset at every line end.
        let out = Terminal.useColor(forStdout: true) ? text.replacingOccurrences(of: "\n", with: "\u{1B}[0m\n") : text
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    func emit(_ result: DrillResult) throws {
        let text: String
        switch format {
        case .json: text = result.json().pretty
        case .markdown: text = DrillReport.markdown(result)
        case .text, .html: text = DrillReport.text(result, style: out == nil ? Self.style : .plain)
        }
        if out == nil, format == .text {
            write("\n" + text + "\n")
            return
        }
        try Output.emit(text, to: out)
    }

    func writeJSON(_ result: DrillResult, to path: String) throws {
        try AtomicFile.write(result.json().pretty + "\n", to: path)
        Terminal.writeErr("wrote \(path)")
    }
}

import ArgumentParser
import Foundation
import GamedayDrill
import GamedayModel
import GamedayStore

/// `gameday history`: each trainee's drills per role, what they miss most, and what to play next.
struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Drill results by trainee and role: progress over time, the objectives missed most, and suggested next drills.",
        discussion: """
        Reads the store (--store, GAMEDAY_STORE, default .gameday/gameday.sqlite). An objective counts for a \
        person when its action is open to anyone or reserved for their role, and outcome objectives count for \
        everyone. Suggested next drills are scenarios in --scenarios DIR (default scenarios/) whose rubrics \
        exercise the objectives missed most (same objective id, same action, or shared keywords; docs/drills.md). \
        A drill run without --team has anonymous participants named after their roles; they are not trainees \
        and are left out unless --include-anonymous is given.
        """
    )

    @Option(help: "Only this trainee.")
    var trainee: String?

    @Option(help: "Only this role.")
    var role: String?

    @Flag(name: .customLong("include-anonymous"),
          help: "Also show the participants of drills run without --team (named after their roles, such as ops), left out by default.")
    var includeAnonymous = false

    @Option(help: "Output format: text, json or markdown.")
    var format: ResultFormat = .text

    @Option(help: ArgumentHelp("The store (default: $GAMEDAY_STORE or .gameday/gameday.sqlite).", valueName: "path"))
    var store: String?

    @Option(help: ArgumentHelp("Scenario library to suggest next drills from.", valueName: "dir"))
    var scenarios: String = "scenarios"

    @Option(help: "Write the output to this file (atomically) instead of stdout.")
    var out: String?

    func validate() throws {
        if format == .html { throw ValidationError("history prints text, json or markdown") }
    }

    func run() throws {
        let path = GamedayStore.path(option: store)
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure.failed("no store at \(path): run a drill first (gameday drill SCENARIO), or give --store PATH")
        }
        let summaries: [DrillSummary]
        do {
            summaries = try GamedayStore(path: path).summaries(trainee: trainee, role: role)
        } catch {
            throw CommandFailure.failed("\(error)")
        }
        let progress = TrainingProgress(drills: summaries, trainee: trainee, role: role, includeAnonymous: includeAnonymous, library: library())
        let text: String
        switch format {
        case .json: text = progress.json().pretty
        case .markdown: text = progress.markdown()
        case .text, .html:
            let style = out == nil ? DrillCommand.style : .plain
            text = progress.text(style: style)
        }
        try Output.emit(text, to: out)
    }

    /// The valid scenarios with a drill under the library folder (silently skipping others).
    func library() -> [(scenario: Scenario, path: String)] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: scenarios, isDirectory: &isDirectory), isDirectory.boolValue,
              let files = try? FileCollector.yamlFiles(in: [scenarios]) else { return [] }
        return files.compactMap { file in
            guard case .scenario = GamedayFileKind.detect(path: file),
                  let s = ScenarioLoader.check(path: file).scenario, s.drill != nil else { return nil }
            return (s, file)
        }
    }
}

import ArgumentParser
import Foundation
import GamedayDrill
import GamedayModel
import GamedayStore

/// `--save` and `--store` for commands whose JSON result can be kept in the store
/// (`run` today; `whatif` and `check` can add the same option group).
struct SaveOptions: ParsableArguments {
    @Flag(help: "Also save the JSON result in the store.")
    var save = false

    @Option(help: ArgumentHelp("The store (default: $GAMEDAY_STORE or .gameday/gameday.sqlite).", valueName: "path"))
    var store: String?

    /// Saves a command's JSON result when `--save` was given.
    func saveIfAsked(command: String, scenario: Scenario, seed: UInt64, trials: Int?, controls: [String], json: JSONValue) throws {
        guard save else { return }
        let path = GamedayStore.path(option: store)
        do {
            let opened = try GamedayStore(path: path)
            let id = try opened.saveRun(command: command, scenario: ScenarioReference(scenario), seed: seed, trials: trials, controls: controls,
                                        json: json, recordedAt: ISO8601.format(Date().timeIntervalSince1970))
            Terminal.writeErr("saved \(command) #\(id) in \(path)")
        } catch {
            throw CommandFailure.failed("\(error)")
        }
    }
}

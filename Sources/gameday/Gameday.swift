import ArgumentParser
import Foundation
import GamedayModel

/// The `gameday` command: parses arguments, calls the library, maps results to output and exit codes.
@main
struct Gameday: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gameday",
        abstract: "Incident game days: simulate scenarios, weigh proposed controls, run tabletop drills, and feed the results into postmortems.",
        discussion: """
        Scenarios are YAML files (see docs/scenario-format.md). Every random draw has an address, so the same \
        seed gives the same result on any machine, thread count or shard split. Postmortem records and the \
        knowledge base across them: docs/postmortems.md.

        Exit status: 0 success, 1 a file is invalid or a check failed, 2 usage error.
        """,
        version: GamedayVersion.current,
        subcommands: [Validate.self, Run.self, WhatifCommand.self, ReplayCommand.self, CheckCommand.self, Merge.self, Analyze.self, DrillCommand.self, History.self, Postmortem.self, KB.self, Schema.self]
    )

    /// Runs the command and maps errors to the documented exit codes.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let failure as CommandFailure {
            Terminal.error(failure.message)
            Foundation.exit(failure.exitCode)
        } catch let error as DiagnosticError {
            for diagnostic in error.diagnostics { Terminal.printDiagnostic(diagnostic) }
            Foundation.exit(1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            Terminal.errorRaw(fullMessage(for: error))
            // Every argument error is a usage error: exit 2, as the README documents.
            Foundation.exit(2)
        }
    }
}

/// The engine version recorded in outputs and evidence.
enum GamedayVersion {
    static let current = "0.1.0"
}

/// An error the command reports in one line with a chosen exit code.
struct CommandFailure: Error {
    var message: String
    var exitCode: Int32 = 2

    static func usage(_ message: String) -> CommandFailure { CommandFailure(message: message, exitCode: 2) }
    static func failed(_ message: String) -> CommandFailure { CommandFailure(message: message, exitCode: 1) }
}

import Foundation
import GamedayModel
import GamedayReports
import Rainbow

/// Writing to the terminal: color only on an interactive terminal (and never with NO_COLOR).
enum Terminal {
    static let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
    static let stderrIsTerminal = isatty(STDERR_FILENO) == 1
    static let colorAllowed = ProcessInfo.processInfo.environment["NO_COLOR"] == nil && ProcessInfo.processInfo.environment["TERM"] != "dumb"

    static func useColor(forStdout: Bool) -> Bool {
        colorAllowed && (forStdout ? stdoutIsTerminal : stderrIsTerminal)
    }

    static func writeErr(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// `gameday: error: message` on stderr.
    static func error(_ message: String) {
        let color = useColor(forStdout: false)
        writeErr((color ? "error:".red.bold : "error:") + " " + message)
    }

    static func errorRaw(_ message: String) {
        writeErr(message)
    }

    /// A diagnostic as `path:line:column: error: message (help)` on stderr, colored on a terminal.
    static func printDiagnostic(_ d: Diagnostic, toStdout: Bool = false) {
        let color = useColor(forStdout: toStdout)
        var line = "\(d.location): "
        if color {
            line = line.bold + (d.severity == .error ? "error:".red.bold : "warning:".yellow.bold) + " " + d.message.bold
            if let help = d.help, !help.isEmpty { line += " (" + help + ")" }
        } else {
            line = d.description
        }
        if toStdout { print(line) } else { writeErr(line) }
    }

    /// The report style for stdout or stderr: bold, dim and colors only on a color terminal.
    static func reportStyle(forStdout: Bool = true) -> ReportStyle {
        guard useColor(forStdout: forStdout) else { return .plain }
        return ReportStyle(bold: { $0.bold }, dim: { $0.dim }, good: { $0.green }, bad: { $0.red })
    }

    /// Paints text when color is on.
    static func paint(_ text: String, _ style: (String) -> String, forStdout: Bool = true) -> String {
        useColor(forStdout: forStdout) ? style(text) : text
    }
}

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

    /// `error: message` on stderr; a message that is already a located diagnostic
    /// (`path:line:column: error: ...`) is written as it is, so the prefix never doubles.
    static func error(_ message: String) {
        if isLocatedDiagnostic(message) {
            writeErr(message)
            return
        }
        let color = useColor(forStdout: false)
        writeErr((color ? "error:".red.bold : "error:") + " " + message)
    }

    /// Whether text starts like `path:12:3: error: ` (or `warning: `).
    static func isLocatedDiagnostic(_ text: String) -> Bool {
        guard let line = text.split(separator: "\n", maxSplits: 1).first else { return false }
        for marker in [": error: ", ": warning: "] {
            guard let range = line.range(of: marker) else { continue }
            let parts = line[..<range.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
            if parts.count >= 3, parts.suffix(2).allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }), !parts.dropLast(2).joined(separator: ":").isEmpty {
                return true
            }
        }
        return false
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

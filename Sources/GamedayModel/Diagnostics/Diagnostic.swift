/// A position in a source file, as a person reads it: 1-based line and column.
///
/// Columns count Unicode scalars, as libyaml does.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The path of the file as the user named it (kept relative when it was given relative).
    public var file: String
    /// Line number, starting from 1.
    public var line: Int
    /// Column number, starting from 1.
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form editors and terminals turn into links.
    public var description: String { "\(file):\(line):\(column)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}

/// One problem found in a user's file.
///
/// Rendered as `path:line:column: error: what is wrong (what is allowed)`.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    /// How serious a diagnostic is. Only errors make a file invalid.
    public enum Severity: String, Sendable, Hashable, Codable {
        case error
        case warning
    }

    /// How serious it is.
    public var severity: Severity
    /// Where it is.
    public var location: SourceLocation
    /// What is wrong, in plain words.
    public var message: String
    /// What is allowed instead, or a hint; shown in parentheses after the message.
    public var help: String?

    /// Creates a diagnostic.
    public init(_ severity: Severity = .error, at location: SourceLocation, _ message: String, help: String? = nil) {
        self.severity = severity
        self.location = location
        self.message = message
        self.help = help
    }

    /// The message and its help, without the location: `what is wrong (what is allowed)`.
    public var text: String {
        if let help, !help.isEmpty { return "\(message) (\(help))" }
        return message
    }

    /// `path:line:column: error: what is wrong (what is allowed)`.
    public var description: String { "\(location): \(severity.rawValue): \(text)" }
}

/// The error thrown when a file cannot be loaded: every problem found, in file order.
public struct DiagnosticError: Error, Sendable, CustomStringConvertible {
    /// The problems, sorted by position.
    public var diagnostics: [Diagnostic]

    /// Creates the error from its diagnostics (sorted by position, duplicates removed).
    public init(_ diagnostics: [Diagnostic]) {
        var seen = Set<Diagnostic>()
        self.diagnostics = diagnostics
            .filter { seen.insert($0).inserted }
            .sorted { ($0.location, $0.message) < ($1.location, $1.message) }
    }

    /// Creates the error from one diagnostic.
    public init(_ diagnostic: Diagnostic) { self.init([diagnostic]) }

    /// One diagnostic per line.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Collects diagnostics while a file is decoded, so that every problem is reported at once.
///
/// A hostile or badly broken file could produce hundreds of thousands of problems; after
/// ``limit`` the collector keeps one note saying so and ignores the rest, which also lets readers
/// skip work such as "did you mean" searches (``isFull``).
public final class DiagnosticCollector {
    /// Everything reported so far.
    public private(set) var diagnostics: [Diagnostic] = []
    /// The most diagnostics kept.
    public let limit: Int

    /// Creates an empty collector that keeps at most `limit` diagnostics.
    public init(limit: Int = 200) {
        self.limit = limit
    }

    /// Whether any error was reported.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The number of errors reported so far (used to tell whether a part of a file added any).
    public var errorCount: Int { diagnostics.count { $0.severity == .error } }

    /// Whether the collector has stopped keeping diagnostics.
    public var isFull: Bool { diagnostics.count >= limit }

    /// Reports an error.
    public func error(_ location: SourceLocation, _ message: String, help: String? = nil) {
        add(Diagnostic(.error, at: location, message, help: help))
    }

    /// Reports a warning.
    public func warning(_ location: SourceLocation, _ message: String, help: String? = nil) {
        add(Diagnostic(.warning, at: location, message, help: help))
    }

    /// Adds diagnostics found elsewhere.
    public func append(contentsOf other: [Diagnostic]) {
        for diagnostic in other { add(diagnostic) }
    }

    private func add(_ diagnostic: Diagnostic) {
        guard diagnostics.count < limit else { return }
        if diagnostics.count == limit - 1 {
            diagnostics.append(Diagnostic(.error, at: diagnostic.location, "too many problems; stopped after \(limit - 1)",
                                          help: "fix the problems above and run again"))
            return
        }
        diagnostics.append(diagnostic)
    }
}

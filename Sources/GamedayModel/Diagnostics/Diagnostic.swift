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
public final class DiagnosticCollector {
    /// Everything reported so far.
    public private(set) var diagnostics: [Diagnostic] = []

    /// Creates an empty collector.
    public init() {}

    /// Whether any error was reported.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Reports an error.
    public func error(_ location: SourceLocation, _ message: String, help: String? = nil) {
        diagnostics.append(Diagnostic(.error, at: location, message, help: help))
    }

    /// Reports a warning.
    public func warning(_ location: SourceLocation, _ message: String, help: String? = nil) {
        diagnostics.append(Diagnostic(.warning, at: location, message, help: help))
    }

    /// Adds diagnostics found elsewhere.
    public func append(contentsOf other: [Diagnostic]) { diagnostics.append(contentsOf: other) }
}

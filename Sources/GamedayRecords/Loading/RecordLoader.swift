import GamedayModel

/// The outcome of checking a record file.
public struct RecordCheck: Sendable {
    /// The record, when its structure is sound. Traceability problems (a finding without an
    /// action, a missing control) do not remove it, so the knowledge base can still count it
    /// and list what is missing; ``isValid`` tells whether the file passes validation.
    public var record: Record?
    /// Every error and warning, sorted by position.
    public var diagnostics: [Diagnostic]
    /// The linked scenario, when the record links one and it loaded.
    public var scenario: Scenario?

    /// Whether the file is valid (warnings allowed).
    public var isValid: Bool { record != nil && !diagnostics.contains { $0.severity == .error } }

    /// The warnings about `TODO` placeholders still in the record, one per line that has one.
    public var placeholders: [Diagnostic] {
        diagnostics.filter { $0.severity == .warning && $0.message.contains("placeholder") }
    }
}

/// Loads and validates postmortem records (spec: postmortem.md).
public enum RecordLoader {
    /// Checks the record file at `path`: YAML, structure, traceability and the linked scenario.
    public static func check(path: String, scenarios: ScenarioCache = ScenarioCache()) -> RecordCheck {
        do {
            let text = try FileText.read(path)
            return check(text: text, path: path, scenarios: scenarios)
        } catch {
            return RecordCheck(record: nil, diagnostics: error.diagnostics, scenario: nil)
        }
    }

    /// Checks record text (`path` is used in diagnostics and to find the linked scenario and related records).
    public static func check(text: String, path: String, scenarios: ScenarioCache = ScenarioCache()) -> RecordCheck {
        let root: YAMLNode?
        do {
            root = try YAMLParser.parse(text, file: path)
        } catch {
            return RecordCheck(record: nil, diagnostics: error.diagnostics, scenario: nil)
        }
        guard let root else {
            return RecordCheck(record: nil, diagnostics: [Diagnostic(at: SourceLocation(file: path, line: 1, column: 1), "the file is empty",
                                                                    help: "a record starts with 'postmortem: ID'; gameday postmortem new writes one")], scenario: nil)
        }
        var result = check(root: root, path: path, scenarios: scenarios)
        result.diagnostics = DiagnosticError(result.diagnostics + todoWarnings(text: text, path: path, known: result.diagnostics)).diagnostics
        return result
    }

    /// A warning for each line with a `TODO` (as a word, in a value or a comment) that no
    /// placeholder warning covers yet, so nothing `postmortem new` left behind goes unnoticed.
    static func todoWarnings(text: String, path: String, known: [Diagnostic]) -> [Diagnostic] {
        let warnedLines = Set(known.filter { $0.severity == .warning && $0.message.contains("placeholder") }.map(\.location.line))
        var out: [Diagnostic] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            guard rawLine.contains("TODO"), !warnedLines.contains(lineNumber) else { continue }
            let line = Array(rawLine.unicodeScalars)
            let word: [Unicode.Scalar] = ["T", "O", "D", "O"]
            func isWordScalar(_ c: Unicode.Scalar) -> Bool { c.isASCIIAlphanumeric || c == "_" }
            var index = 0
            while index + 4 <= line.count {
                if Array(line[index..<index + 4]) == word,
                   index == 0 || !isWordScalar(line[index - 1]),
                   index + 4 == line.count || !isWordScalar(line[index + 4]) {
                    let content = String(String.UnicodeScalarView(line)).trimmingCharacters
                    let inComment = line[..<index].contains("#")
                    out.append(Diagnostic(.warning, at: SourceLocation(file: path, line: lineNumber, column: index + 1),
                                          "a TODO placeholder is still in the record\(inComment ? " (in a comment)" : ""): '\(content.prefix(60))'",
                                          help: "replace the TODO with what is known, or delete the line, before the record is reviewed"))
                    break
                }
                index += 1
            }
        }
        return out
    }

    /// Checks a parsed record document.
    public static func check(root: YAMLNode, path: String, scenarios: ScenarioCache = ScenarioCache()) -> RecordCheck {
        let structure = DiagnosticCollector()
        let decoded = RecordDecoder(diagnostics: structure, path: path).decode(root)
        guard let record = decoded, !structure.hasErrors else {
            // Traceability is still checked when the structure is broken, so one run shows everything.
            var all = structure.diagnostics
            if let decoded {
                let links = DiagnosticCollector()
                _ = RecordValidator(record: decoded, diagnostics: links, scenarios: scenarios).validate()
                all += links.diagnostics
            }
            return RecordCheck(record: nil, diagnostics: DiagnosticError(all).diagnostics, scenario: nil)
        }
        let links = DiagnosticCollector()
        let outcome = RecordValidator(record: record, diagnostics: links, scenarios: scenarios).validate()
        var checked = record
        for (index, sha) in outcome.currentScenarioSHA256 { checked.evidence[index].currentScenarioSHA256 = sha }
        return RecordCheck(record: checked, diagnostics: DiagnosticError(structure.diagnostics + links.diagnostics).diagnostics, scenario: outcome.scenario)
    }

    /// Loads a record that must be valid.
    ///
    /// - Throws: ``DiagnosticError`` with every error.
    public static func load(path: String, scenarios: ScenarioCache = ScenarioCache()) throws(DiagnosticError) -> Record {
        let result = check(path: path, scenarios: scenarios)
        guard let record = result.record, result.isValid else {
            throw DiagnosticError(result.diagnostics.filter { $0.severity == .error })
        }
        return record
    }

    /// Whether a parsed document is a record (its top level has `postmortem:`).
    public static func isRecord(_ root: YAMLNode) -> Bool {
        root.mapping?.contains { $0.key.scalar?.text == "postmortem" } ?? false
    }
}

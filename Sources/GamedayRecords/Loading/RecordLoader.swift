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
        return check(root: root, path: path, scenarios: scenarios)
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
        let scenario = RecordValidator(record: record, diagnostics: links, scenarios: scenarios).validate()
        return RecordCheck(record: record, diagnostics: DiagnosticError(structure.diagnostics + links.diagnostics).diagnostics, scenario: scenario)
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

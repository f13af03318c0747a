/// Loads scenario files: YAML with limits, decoding, validation, and every control checked.
public enum ScenarioLoader {
    /// The outcome of loading a file: the scenario when it is valid, and every diagnostic.
    public struct Result: Sendable {
        /// The scenario, when no error was found.
        public var scenario: Scenario?
        /// Errors and warnings, sorted by position.
        public var diagnostics: [Diagnostic]

        /// Whether the file is valid (warnings allowed).
        public var isValid: Bool { scenario != nil }
    }

    /// Loads and validates a scenario file, reporting every problem.
    public static func check(path: String, limits: YAMLLimits = .default) -> Result {
        do {
            let (text, sha) = try FileText.readWithHash(path, limits: limits)
            return check(text: text, path: path, sha256: sha, limits: limits)
        } catch {
            return Result(scenario: nil, diagnostics: error.diagnostics)
        }
    }

    /// Loads and validates scenario text (the path is used in diagnostics).
    public static func check(text: String, path: String, sha256: String? = nil, limits: YAMLLimits = .default) -> Result {
        let root: YAMLNode?
        do {
            root = try YAMLParser.parse(text, file: path, limits: limits)
        } catch {
            return Result(scenario: nil, diagnostics: error.diagnostics)
        }
        guard let root else {
            return Result(scenario: nil, diagnostics: [Diagnostic(at: SourceLocation(file: path, line: 1, column: 1), "the file is empty",
                                                                  help: "a scenario has the sections scenario, services, injections, barriers, responders")])
        }
        let source = ScenarioSource(path: path, sha256: sha256 ?? FileText.sha256(Array(text.utf8)), document: root)
        let diagnostics = DiagnosticCollector()
        guard let scenario = decode(root, source: source, diagnostics: diagnostics, lenient: false) else {
            return Result(scenario: nil, diagnostics: DiagnosticError(diagnostics.diagnostics).diagnostics)
        }
        if !diagnostics.hasErrors {
            validateControls(of: scenario, diagnostics: diagnostics)
        }
        let sorted = DiagnosticError(diagnostics.diagnostics).diagnostics
        return Result(scenario: diagnostics.hasErrors ? nil : scenario, diagnostics: sorted)
    }

    /// Loads a scenario file, throwing its errors.
    public static func load(path: String, limits: YAMLLimits = .default) throws(DiagnosticError) -> Scenario {
        let result = check(path: path, limits: limits)
        guard let scenario = result.scenario else {
            throw DiagnosticError(result.diagnostics.filter { $0.severity == .error })
        }
        return scenario
    }

    /// Loads scenario text, throwing its errors.
    public static func load(text: String, path: String = "<text>") throws(DiagnosticError) -> Scenario {
        let result = check(text: text, path: path)
        guard let scenario = result.scenario else {
            throw DiagnosticError(result.diagnostics.filter { $0.severity == .error })
        }
        return scenario
    }

    static func decode(_ root: YAMLNode, source: ScenarioSource, diagnostics: DiagnosticCollector, lenient: Bool) -> Scenario? {
        let decoder = ScenarioDecoder(diagnostics: diagnostics, file: source.path, lenient: lenient)
        guard let scenario = decoder.decode(root, source: source) else { return nil }
        ScenarioValidator(diagnostics: diagnostics, scenario: scenario, checkPins: !lenient).validate()
        return scenario
    }

    /// Checks each control alone and, when they do not overlap, all controls together.
    private static func validateControls(of scenario: Scenario, diagnostics: DiagnosticCollector) {
        for control in scenario.controls {
            do {
                _ = try scenario.variant(with: [control.id])
            } catch {
                diagnostics.append(contentsOf: error.diagnostics)
            }
        }
        let conflicts = overlaps(scenario.controls)
        for (a, b, path) in conflicts {
            diagnostics.warning(path.location, "controls '\(a)' and '\(b)' both change '\(path)'",
                                help: "they cannot be applied together; whatif and checks must choose between them")
        }
        if conflicts.isEmpty, scenario.controls.count > 1 {
            do {
                _ = try scenario.variant(with: scenario.controls.map(\.id))
            } catch {
                diagnostics.append(contentsOf: error.diagnostics)
            }
        }
        for check in scenario.checks where check.with.count > 1 {
            let controls = check.with.compactMap { scenario.control($0.id) }
            for (a, b, path) in overlaps(controls) {
                diagnostics.error(check.location, "check '\(check.name)' applies controls '\(a)' and '\(b)', which both change '\(path)'",
                                  help: "a variant's controls must touch different paths")
            }
        }
    }

    /// Pairs of controls that touch overlapping paths.
    static func overlaps(_ controls: [Control]) -> [(String, String, ElementPath)] {
        var result: [(String, String, ElementPath)] = []
        for (i, a) in controls.enumerated() {
            for b in controls[(i + 1)...] {
                if let path = b.touchedPaths.first(where: { p in a.touchedPaths.contains { $0.overlaps(p) } }) {
                    result.append((a.id, b.id, path))
                }
            }
        }
        return result
    }
}

extension Scenario {
    /// This scenario with controls applied in order (spec section 7): the document is patched and
    /// decoded again, so a control's values are checked as strictly as the file's own.
    ///
    /// - Throws: ``DiagnosticError`` when a control does not exist, names a path that does not
    ///   exist, overlaps another control, or makes the scenario invalid. Messages start with the
    ///   control's name.
    public func variant(with controlIDs: [String]) throws(DiagnosticError) -> Scenario {
        if controlIDs.isEmpty { return self }
        let diagnostics = DiagnosticCollector()
        var controls: [Control] = []
        let known = self.controls.map(\.id)
        let here = SourceLocation(file: source.path, line: 1, column: 1)
        for id in controlIDs {
            if let control = control(id) {
                if controls.contains(where: { $0.id == id }) {
                    diagnostics.error(control.location, "control '\(id)' is applied twice", help: "list each control once")
                }
                controls.append(control)
            } else {
                var help = "controls: " + Suggestions.list(known)
                if let suggestion = Suggestions.closest(to: id, in: known) { help = "did you mean '\(suggestion)'? " + help }
                diagnostics.error(here, "no control '\(id)' in scenario '\(self.id)'", help: help)
            }
        }
        for (a, b, path) in ScenarioLoader.overlaps(controls) {
            diagnostics.error(path.location, "controls '\(a)' and '\(b)' both change '\(path)'", help: "a variant's controls must touch different paths; apply one of them")
        }
        if diagnostics.hasErrors { throw DiagnosticError(diagnostics.diagnostics) }

        var document = source.document
        for control in controls {
            let before = diagnostics.diagnostics.count
            DocumentPatcher(diagnostics: diagnostics, control: control).apply(to: &document)
            if diagnostics.diagnostics.count > before { break }
        }
        if diagnostics.hasErrors { throw DiagnosticError(diagnostics.diagnostics) }

        let variantDiagnostics = DiagnosticCollector()
        var patchedSource = source
        patchedSource.document = document
        guard var variant = ScenarioLoader.decode(document, source: patchedSource, diagnostics: variantDiagnostics, lenient: true),
              !variantDiagnostics.hasErrors else {
            let label = controlIDs.count == 1 ? "with control '\(controlIDs[0])'" : "with controls " + controlIDs.map { "'\($0)'" }.joined(separator: ", ")
            throw DiagnosticError(variantDiagnostics.diagnostics.filter { $0.severity == .error }.map {
                var d = $0
                d.message = "\(label): " + d.message
                return d
            })
        }
        variant.source = source
        variant.controls = self.controls
        variant.controlsApplied = controlIDs
        return variant
    }
}

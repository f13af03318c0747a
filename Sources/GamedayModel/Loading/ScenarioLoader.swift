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
        // A record or a drill script where a scenario is expected: say what the file is, instead
        // of listing every key the scenario format does not know.
        switch GamedayFileKind.detect(root: root) {
        case .postmortem:
            return Result(scenario: nil, diagnostics: [Diagnostic(at: root.location, "this is a postmortem record, not a scenario",
                                                                  help: "its `scenario:` key names the scenario it links; use gameday postmortem for records")])
        case .drillScript:
            return Result(scenario: nil, diagnostics: [Diagnostic(at: root.location, "this is a drill script, not a scenario",
                                                                  help: "run it with gameday drill SCENARIO --script \(path)")])
        case .scenario, .unknown:
            break
        }
        let source = ScenarioSource(path: path, sha256: sha256 ?? FileText.sha256(Array(text.utf8)), document: root)
        let diagnostics = DiagnosticCollector()
        guard let scenario = decode(root, source: source, diagnostics: diagnostics, lenient: false) else {
            return Result(scenario: nil, diagnostics: DiagnosticError(diagnostics.diagnostics).diagnostics)
        }
        validateControls(of: scenario, diagnostics: diagnostics)
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

    /// The most (controls × document values) the loader checks; see ``validateControls``.
    static let controlCheckBudget = 2_000_000

    /// Checks each control alone and, when none fails and none overlaps another, all controls
    /// together; then the controls each check combines.
    ///
    /// Runs even when the file has other errors, so that a control's own problems (a path that
    /// does not exist, a value that does not decode) are reported with them; a variant's
    /// diagnostics that repeat a problem of the file itself are left out.
    private static func validateControls(of scenario: Scenario, diagnostics: DiagnosticCollector) {
        guard !scenario.controls.isEmpty else { return }
        // Each control is checked by decoding a patched copy of the whole document. A hostile
        // file with thousands of controls in a large document would take hours; no real scenario
        // comes near this budget.
        let nodes = scenario.source.document.nodeCount
        if scenario.controls.count * nodes > controlCheckBudget {
            let location = scenario.source.document.mapping?.first { $0.key.scalar?.text == "controls" }?.key.location ?? scenario.controls[0].location
            diagnostics.error(location, "too many controls to check: \(scenario.controls.count) controls in a file of \(nodes) values",
                              help: "each control is checked on a copy of the scenario; keep (controls × values) under \(controlCheckBudget), e.g. by splitting the file")
            return
        }
        let baseline = diagnostics.diagnostics
        var failed = Set<String>()
        for control in scenario.controls where !failed.contains(control.id) {
            let problems = scenario.buildVariant([control.id], baseline: baseline).problems
            if !problems.isEmpty {
                failed.insert(control.id)
                diagnostics.append(contentsOf: problems)
            }
        }
        let working = scenario.controls.filter { !failed.contains($0.id) }
        let conflicts = overlaps(working)
        for (a, b, path) in conflicts {
            diagnostics.warning(path.location, "controls '\(a)' and '\(b)' both change '\(path)'",
                                help: "they cannot be applied together; whatif and checks must choose between them")
        }
        var ids: [String] = []
        for control in scenario.controls where !ids.contains(control.id) { ids.append(control.id) }
        if conflicts.isEmpty, failed.isEmpty, ids.count > 1 {
            diagnostics.append(contentsOf: scenario.buildVariant(ids, baseline: baseline).problems)
        }
        let byID = Dictionary(scenario.controls.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for check in scenario.checks where check.with.count > 1 {
            var seen = Set<String>()
            let controls = check.with.compactMap { ref in seen.insert(ref.id).inserted ? byID[ref.id] : nil }.filter { !failed.contains($0.id) }
            for (a, b, path) in overlaps(controls) {
                let location = check.with.last { $0.id == b }?.location ?? check.location
                diagnostics.error(location, "check '\(check.name)' applies controls '\(a)' and '\(b)', which both change '\(path)'",
                                  help: "a variant's controls must touch different paths; split the check in two")
            }
        }
    }

    /// Pairs of controls that touch overlapping paths.
    ///
    /// Two paths overlap when one is a prefix of the other. Every path and every prefix of it is
    /// indexed by the controls that wrote it, so the search stays linear in the number of paths
    /// (a hostile file may give a control thousands of them). For each pair the first path of the
    /// later control that overlaps is reported, pairs in control order.
    static func overlaps(_ controls: [Control]) -> [(String, String, ElementPath)] {
        var exact: [[String]: Set<Int>] = [:]     // a path -> the controls that touch exactly it
        var longer: [[String]: Set<Int>] = [:]    // a path -> the controls that touch something inside it
        var found: [Int: [Int: ElementPath]] = [:]  // later control -> earlier control -> path
        for (j, b) in controls.enumerated() {
            let paths = b.touchedPaths
            for path in paths {
                let c = path.components
                var earlier = exact[c] ?? []
                earlier.formUnion(longer[c] ?? [])
                for k in 1..<max(1, c.count) { earlier.formUnion(exact[Array(c.prefix(k))] ?? []) }
                for i in earlier where i != j && controls[i].id != b.id && found[j]?[i] == nil {
                    found[j, default: [:]][i] = path
                }
            }
            for path in paths {
                let c = path.components
                exact[c, default: []].insert(j)
                for k in 1..<max(1, c.count) { longer[Array(c.prefix(k)), default: []].insert(j) }
            }
        }
        var result: [(Int, Int, ElementPath)] = []
        for (j, earlier) in found { for (i, path) in earlier { result.append((i, j, path)) } }
        result.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        return result.map { (controls[$0.0].id, controls[$0.1].id, $0.2) }
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
        let (variant, problems) = buildVariant(controlIDs, baseline: [])
        guard let variant, problems.isEmpty else { throw DiagnosticError(problems) }
        return variant
    }

    /// Applies controls and decodes the result.
    ///
    /// - Parameter baseline: diagnostics of the file itself; a variant's diagnostic at the same
    ///   place with the same message is the file's problem, not the controls', and is left out.
    /// - Returns: the variant when it decoded without errors, and the problems found (errors only).
    func buildVariant(_ controlIDs: [String], baseline: [Diagnostic]) -> (variant: Scenario?, problems: [Diagnostic]) {
        if controlIDs.isEmpty { return (self, []) }
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
        if diagnostics.hasErrors { return (nil, DiagnosticError(diagnostics.diagnostics).diagnostics) }

        var document = source.document
        for control in controls {
            let before = diagnostics.diagnostics.count
            DocumentPatcher(diagnostics: diagnostics, control: control).apply(to: &document)
            if diagnostics.diagnostics.count > before { break }
        }
        if diagnostics.hasErrors { return (nil, DiagnosticError(diagnostics.diagnostics).diagnostics) }

        let variantDiagnostics = DiagnosticCollector()
        var patchedSource = source
        patchedSource.document = document
        let decoded = ScenarioLoader.decode(document, source: patchedSource, diagnostics: variantDiagnostics, lenient: true)
        let label = controlIDs.count == 1 ? "with control '\(controlIDs[0])'" : "with controls " + controlIDs.map { "'\($0)'" }.joined(separator: ", ")
        struct Place: Hashable { var location: SourceLocation; var message: String }
        let fileProblems = Set(baseline.map { Place(location: $0.location, message: $0.message) })
        let problems = variantDiagnostics.diagnostics
            .filter { $0.severity == .error && !fileProblems.contains(Place(location: $0.location, message: $0.message)) }
            .map { d -> Diagnostic in
                var d = d
                d.message = "\(label): " + d.message
                return d
            }
        guard var variant = decoded, !variantDiagnostics.hasErrors else {
            return (nil, DiagnosticError(problems).diagnostics)
        }
        variant.source = source
        variant.controls = self.controls
        variant.controlsApplied = controlIDs
        return (variant, [])
    }
}

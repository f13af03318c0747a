import GamedayModel

/// Reads what `postmortem attach` is given: an evidence entry (JSON or YAML with the keys of a
/// record's evidence entry; `id` and `at` may be left out), or the JSON output of
/// `gameday whatif`, `replay` or a drill, from which ``EvidenceBuilder`` makes the entry.
public enum EvidenceInput {
    /// The entry described by `text`.
    ///
    /// - Parameters:
    ///   - controls: the variant to take from whatif or replay output (and the controls of an
    ///     entry that does not name its own).
    ///   - provenance: engine, command and action for entries built from outputs.
    /// - Throws: ``DiagnosticError`` located in `file`.
    public static func entry(from text: String, file: String, controls: [String]? = nil,
                             provenance: EvidenceBuilder.Provenance = EvidenceBuilder.Provenance()) throws(DiagnosticError) -> EvidenceEntry {
        let start = SourceLocation(file: file, line: 1, column: 1)
        if let json = try? JSONParser.parse(text), let kind = EvidenceBuilder.kind(of: json), kind != .evidence {
            do {
                switch kind {
                case .whatif: return try EvidenceBuilder.counterfactual(fromWhatif: json, controls: controls, provenance: provenance)
                case .replay: return try EvidenceBuilder.replay(fromReplay: json, controls: controls, provenance: provenance)
                case .drill: return try EvidenceBuilder.drill(fromDrill: json, provenance: provenance)
                case .evidence: break
                }
            } catch {
                throw DiagnosticError(Diagnostic(at: start, error.message, help: error.help))
            }
        }
        guard let root = try YAMLParser.parse(text, file: file) else {
            throw DiagnosticError(Diagnostic(at: start, "the evidence file is empty", help: "give an evidence entry, or the JSON output of whatif, replay or drill"))
        }
        guard root.mapping != nil, root["kind"] != nil else {
            throw DiagnosticError(Diagnostic(at: root.location, "not an evidence entry nor whatif, replay or drill output",
                                             help: "an entry has kind: counterfactual|replay|drill|check; outputs are what those commands print with --format json"))
        }
        let collector = DiagnosticCollector()
        guard var entry = EvidenceDecoder(reader: RecordReader(diagnostics: collector)).decode(root, requireID: false), !collector.hasErrors else {
            throw DiagnosticError(collector.diagnostics.filter { $0.severity == .error })
        }
        if entry.controls == nil, let controls { entry.controls = controls }
        if entry.engine == nil { entry.engine = provenance.engine }
        return entry
    }
}

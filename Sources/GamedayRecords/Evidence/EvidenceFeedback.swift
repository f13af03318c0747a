import GamedayModel

/// Turns a command's output into the evidence entries `--record` appends to a postmortem record
/// (spec: postmortem.md, "Evidence: feeding results back").
///
/// An entry is linked to the record's action whose `control` it measures: with `--action A` only
/// the variant that models A's control is recorded; otherwise every single-control variant (or
/// check) is recorded, each linked to the action that names its control when there is one.
public enum EvidenceFeedback {
    /// Entries for `gameday whatif` JSON.
    public static func whatif(_ json: JSONValue, record: Record, action: String?,
                              provenance: EvidenceBuilder.Provenance) throws(EvidenceBuilder.Failure) -> [EvidenceEntry] {
        let sets = (json["variants"]?.array ?? []).map { ($0["controls"]?.array ?? []).compactMap(\.string) }
        return try entries(sets: sets, record: record, action: action, provenance: provenance) { controls, provenance throws(EvidenceBuilder.Failure) in
            try EvidenceBuilder.counterfactual(fromWhatif: json, controls: controls, provenance: provenance)
        }
    }

    /// Entries for `gameday replay` JSON (one per counterfactual set of controls).
    public static func replay(_ json: JSONValue, record: Record, action: String?,
                              provenance: EvidenceBuilder.Provenance) throws(EvidenceBuilder.Failure) -> [EvidenceEntry] {
        let sets = (json["counterfactuals"]?.array ?? []).map { ($0["controls"]?.array ?? []).compactMap(\.string) }
        if sets.isEmpty {
            // The factual replay alone is evidence about the model's calibration.
            return [try EvidenceBuilder.replay(fromReplay: json, controls: nil, provenance: provenance)]
        }
        return try entries(sets: sets, record: record, action: action, provenance: provenance) { controls, provenance throws(EvidenceBuilder.Failure) in
            try EvidenceBuilder.replay(fromReplay: json, controls: controls, provenance: provenance)
        }
    }

    /// Entries for `gameday check --format json`: one per check whose controls an action of the
    /// record models (or every check of the record's scenario when none does), with the check's
    /// verdict and each expectation's estimate and 95% interval.
    ///
    /// - Parameter scenarioSHA256: when the record links a scenario, only that scenario's checks.
    public static func check(_ json: JSONValue, record: Record, action: String?, scenarioSHA256: String? = nil,
                             provenance: EvidenceBuilder.Provenance) throws(EvidenceBuilder.Failure) -> [EvidenceEntry] {
        var entries: [EvidenceEntry] = []
        let wanted = try wantedControl(record: record, action: action)
        for file in json["files"]?.array ?? [] {
            if let scenarioSHA256, file["sha256"]?.string != scenarioSHA256 { continue }
            let stamp = file["sha256"]?.string.map { ScenarioStamp(path: file["path"]?.string ?? "", sha256: $0) }
            for check in file["checks"]?.array ?? [] {
                let controls = (check["with"]?.array ?? []).compactMap(\.string)
                let linked = linkedAction(record: record, controls: controls)
                if let wanted, controls != [wanted] { continue }
                var result = JSONObject()
                result["status"] = check["status"] ?? .null
                for expectation in check["expectations"]?.array ?? [] {
                    guard let key = expectation["key"]?.string else { continue }
                    // Keyed by the quantity (`incident_probability`), as counterfactual entries are,
                    // so an action's metric on that quantity reads the check's estimate and interval.
                    var quantity = key
                    var comparison = ""
                    for suffix in ["_at_least", "_at_most", "_below", "_above"] where key.hasSuffix(suffix) {
                        quantity = String(key.dropLast(suffix.count))
                        comparison = String(suffix.dropFirst()).replacingOccurrences(of: "_", with: " ")
                        break
                    }
                    var o = JSONObject()
                    o["estimate"] = expectation["estimate"] ?? .null
                    o["ci95"] = expectation["ci95"] ?? .null
                    o["expected"] = .string(comparison)
                    o["threshold"] = expectation["threshold"] ?? .null
                    o["status"] = expectation["status"] ?? .null
                    if let n = expectation["n"] { o["n"] = n }
                    result[quantity] = .object(o)
                }
                entries.append(EvidenceEntry(
                    kind: .check, at: provenance.at, engine: provenance.engine, scenario: stamp,
                    seed: provenance.seed ?? file["seed"]?.uint64, trials: file["trials"]?.int,
                    controls: controls, action: action ?? linked, check: check["name"]?.string,
                    command: provenance.command, result: result))
            }
        }
        if entries.isEmpty {
            throw EvidenceBuilder.Failure(message: wanted.map { "no check applies control '\($0)' alone" } ?? "the check output has no checks",
                                          help: "evidence of a check names the check's controls; add a check `with: [CONTROL]` to the scenario")
        }
        return entries
    }

    /// The control an explicit `--action` is about (nil without one).
    static func wantedControl(record: Record, action: String?) throws(EvidenceBuilder.Failure) -> String? {
        guard let action else { return nil }
        guard let found = record.actions.first(where: { $0.id == action }) else {
            throw EvidenceBuilder.Failure(message: "record \(record.id) has no action '\(action)'",
                                          help: "actions: " + record.actions.map(\.id).joined(separator: ", "))
        }
        guard let control = found.control?.id else {
            throw EvidenceBuilder.Failure(message: "action \(action) of \(record.id) names no scenario control",
                                          help: "add `control: CONTROL` to the action so evidence can measure it")
        }
        return control
    }

    /// The action of the record that models exactly these controls, if any.
    static func linkedAction(record: Record, controls: [String]) -> String? {
        guard controls.count == 1 else { return nil }
        return record.actions.first { $0.control?.id == controls[0] }?.id
    }

    private static func entries(sets: [[String]], record: Record, action: String?, provenance: EvidenceBuilder.Provenance,
                                build: ([String], EvidenceBuilder.Provenance) throws(EvidenceBuilder.Failure) -> EvidenceEntry) throws(EvidenceBuilder.Failure) -> [EvidenceEntry] {
        if let wanted = try wantedControl(record: record, action: action) {
            guard sets.contains([wanted]) else {
                throw EvidenceBuilder.Failure(message: "the output has no variant with control '\(wanted)' alone (action \(action!))",
                                              help: "run it with that control, e.g. --controls \(wanted) or --with \(wanted)")
            }
            var p = provenance
            p.action = action
            return [try build([wanted], p)]
        }
        var entries: [EvidenceEntry] = []
        let singles = sets.filter { $0.count == 1 }
        for controls in singles.isEmpty ? sets : singles {
            var p = provenance
            p.action = linkedAction(record: record, controls: controls)
            entries.append(try build(controls, p))
        }
        return entries
    }
}

import GamedayModel

/// Builds evidence entries from the JSON that `gameday whatif`, `replay` and `drill` print
/// (spec: output.md), so `--record` and `postmortem attach` write the same entries.
///
/// Times are written as durations (`16m`), as in the spec's example; probabilities and shares
/// as fractions; counts as numbers. Only headline quantities are copied: enough to verify the
/// usual action metrics and to read the evidence; the entry's scenario hash, seed, trials and
/// controls reproduce everything else.
public enum EvidenceBuilder {
    /// Why an output could not be turned into evidence.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What is wrong.
        public var message: String
        /// What to do.
        public var help: String?
        public var description: String { help.map { "\(message) (\($0))" } ?? message }
    }

    /// Provenance an output does not carry itself.
    public struct Provenance: Sendable {
        /// The engine (`gameday 0.1.0`).
        public var engine: String?
        /// When (ISO-8601); `nil` lets the appender stamp the time.
        public var at: String?
        /// The command line that reproduces it.
        public var command: String?
        /// The action it is about.
        public var action: String?
        /// The exact seed, when the caller has it: JSON numbers cannot carry seeds above 2^53 exactly.
        public var seed: UInt64?

        /// Creates provenance.
        public init(engine: String? = nil, at: String? = nil, command: String? = nil, action: String? = nil, seed: UInt64? = nil) {
            self.engine = engine
            self.at = at
            self.command = command
            self.action = action
            self.seed = seed
        }
    }

    /// What kind of output some JSON is, by its keys.
    public enum OutputKind: String, Sendable {
        case whatif, replay, drill, evidence
    }

    /// Recognizes an output: an evidence entry has `kind`; whatif has `baseline` and `variants`;
    /// replay has `factual`; a drill result has `drill` and `score`.
    public static func kind(of json: JSONValue) -> OutputKind? {
        guard let object = json.object else { return nil }
        if object["kind"] != nil { return .evidence }
        if object["baseline"] != nil, object["variants"] != nil { return .whatif }
        if object["factual"] != nil { return .replay }
        if object["drill"] != nil, object["score"] != nil { return .drill }
        return nil
    }

    static let timeMetrics = ["time_to_detect", "time_to_acknowledge", "time_to_mitigate", "time_to_recover"]
    static let impactMetrics = ["failed_requests", "slo_budget_consumed", "impact_duration", "peak_error_rate"]

    static func isTime(_ metric: String) -> Bool { metric.hasPrefix("time_to_") || metric == "impact_duration" }

    /// A metric value as evidence writes it: a duration for times, else the number.
    static func value(_ metric: String, _ json: JSONValue?) -> ResultValue {
        guard let number = json?.double else { return .null }
        if isTime(metric) { return .string(Scalars.formatDuration(number.rounded())) }
        return .number(number)
    }

    /// A counterfactual entry from `gameday whatif --format json`, for the variant with `controls`
    /// (the only variant when `controls` is `nil` and there is one).
    public static func counterfactual(fromWhatif json: JSONValue, controls: [String]?, provenance: Provenance = Provenance()) throws(Failure) -> EvidenceEntry {
        guard let variants = json["variants"]?.array, let baseline = json["baseline"] else {
            throw Failure(message: "not gameday whatif output (no 'baseline' and 'variants')")
        }
        let available = variants.map { ($0["controls"]?.array ?? []).compactMap(\.string) }
        let index: Int
        if let controls {
            guard let i = available.firstIndex(where: { Set($0) == Set(controls) && $0.count == controls.count }) else {
                throw Failure(message: "the whatif output has no variant with controls \(controls.joined(separator: ","))",
                              help: "variants: " + available.map { $0.joined(separator: "+") }.joined(separator: "; "))
            }
            index = i
        } else {
            guard variants.count == 1 else {
                throw Failure(message: "the whatif output has \(variants.count) variants; say which one is the evidence",
                              help: "pass --control with one of: " + available.map { $0.joined(separator: ",") }.joined(separator: "; "))
            }
            index = 0
        }
        let variant = variants[index]
        let run = variant["result"]
        var result = JSONObject()
        result["incident_probability"] = probabilityPair(baseline: baseline["incident_probability"], variant: run?["incident_probability"])
        if let paired = variant["paired"] {
            if let change = paired["incident_probability_change"] {
                result["incident_probability_change"] = compact(["value": change["mean"] ?? .null, "ci95": change["ci95"] ?? .null])
            }
            for key in ["averted", "new_harm"] {
                if let share = paired[key] {
                    result[key] = compact(["share": share["share"] ?? .null, "ci95": share["ci95"] ?? .null, "of": share["of"] ?? .null])
                }
            }
        }
        addMetrics(to: &result, baseline: baseline["metrics"], variant: run?["metrics"], baselineLabel: "baseline")
        if let differences = variant["paired"]?["difference"]?.object {
            for (metric, difference) in differences.pairs {
                var object = JSONObject()
                if isTime(metric) {
                    object["value"] = difference["mean"]?.double.map { .string(signedDuration($0)) } ?? .null
                    if let ci = difference["ci95"]?.array, ci.count == 2, let a = ci[0].double, let b = ci[1].double {
                        object["ci95"] = [.string(signedDuration(a)), .string(signedDuration(b))]
                    }
                } else {
                    object["value"] = difference["mean"] ?? .null
                    if let ci = difference["ci95"] { object["ci95"] = ci }
                }
                if let n = difference["n"] { object["n"] = n }
                result[metric + "_mean_change"] = .object(object)
            }
        }
        return EvidenceEntry(kind: .counterfactual, at: provenance.at, engine: provenance.engine, scenario: stamp(json["scenario"]),
                             seed: provenance.seed ?? seed(json["seed"]), trials: json["trials"]?.int, controls: available[index], action: provenance.action,
                             command: provenance.command, result: result)
    }

    /// A replay entry from `gameday replay --format json`: the factual milestones and metrics and,
    /// for the counterfactual with `controls` (if any), the variant's numbers.
    public static func replay(fromReplay json: JSONValue, controls: [String]?, provenance: Provenance = Provenance()) throws(Failure) -> EvidenceEntry {
        guard let factual = json["factual"] else { throw Failure(message: "not gameday replay output (no 'factual')") }
        let counterfactuals = json["counterfactuals"]?.array ?? []
        let available = counterfactuals.map { ($0["controls"]?.array ?? []).compactMap(\.string) }
        var chosen: JSONValue?
        var chosenControls: [String] = []
        if let controls, !controls.isEmpty {
            guard let i = available.firstIndex(where: { Set($0) == Set(controls) }) else {
                throw Failure(message: "the replay output has no counterfactual with controls \(controls.joined(separator: ","))",
                              help: "counterfactuals: " + (available.isEmpty ? "none (run replay --with CONTROL)" : available.map { $0.joined(separator: "+") }.joined(separator: "; ")))
            }
            chosen = counterfactuals[i]
            chosenControls = available[i]
        } else if counterfactuals.count == 1 {
            chosen = counterfactuals[0]
            chosenControls = available[0]
        } else if counterfactuals.count > 1 {
            throw Failure(message: "the replay output has \(counterfactuals.count) counterfactuals; say which one is the evidence",
                          help: "pass --control with one of: " + available.map { $0.joined(separator: ",") }.joined(separator: "; "))
        }
        var result = JSONObject()
        if let milestones = factual["milestones"]?.object {
            var object = JSONObject()
            for (name, pair) in milestones.pairs {
                object[name] = compact(["model": pair["model"]?.double.map { .string(Scalars.formatDuration($0.rounded())) } ?? .null,
                                        "observed": pair["observed"]?.double.map { .string(Scalars.formatDuration($0.rounded())) } ?? .null])
            }
            result["milestones"] = .object(object)
        }
        let factualMetrics = factual["metrics"]?.object ?? JSONObject()
        if let chosen {
            let run = chosen["result"]
            result["incident_probability"] = compact(["factual": 1, "variant": run?["incident_probability"]?["estimate"] ?? .null,
                                                      "variant_ci95": run?["incident_probability"]?["ci95"] ?? .null])
            for (metric, factualValue) in factualMetrics.pairs {
                let stats = run?["metrics"]?[metric]
                var object = JSONObject()
                object["factual"] = value(metric, factualValue).json
                object["variant"] = value(metric, stats?["p50"]).json
                if let p90 = stats?["p90"] { object["variant_p90"] = value(metric, p90).json }
                result[metric] = .object(object)
            }
        } else {
            for (metric, factualValue) in factualMetrics.pairs { result[metric] = value(metric, factualValue).json }
        }
        return EvidenceEntry(kind: .replay, at: provenance.at, engine: provenance.engine, scenario: stamp(json["scenario"]),
                             seed: provenance.seed ?? seed(json["seed"]), trials: chosen?["trials"]?.int ?? json["trials"]?.int, controls: chosenControls,
                             action: provenance.action, command: provenance.command, result: result)
    }

    /// A drill entry from a finished drill's JSON: its score, team, missed objectives and outcome.
    public static func drill(fromDrill json: JSONValue, provenance: Provenance = Provenance()) throws(Failure) -> EvidenceEntry {
        guard let id = json["drill"]?.string, let score = json["score"] else { throw Failure(message: "not a drill result (no 'drill' and 'score')") }
        let team = (json["team"]?.array ?? []).compactMap { member -> Participant? in
            member["name"]?.string.map { Participant(name: $0, role: member["role"]?.string) }
        }
        let missed = (json["objectives"]?.array ?? []).compactMap { objective -> String? in
            guard let status = objective["status"]?.string, status != "met" else { return nil }
            return objective["id"]?.string
        }
        var result = JSONObject()
        if let outcome = json["outcome"]?.object {
            for (key, v) in outcome.pairs where v.double != nil { result[key] = value(key, v).json }
            if let percentile = outcome["model_percentile"] { result["model_percentile"] = percentile }
        }
        // A record's score is points from 0 to max (docs/postmortems.md): penalties can take a
        // drill's total below zero, which the entry records as 0 with a note; a drill without
        // scored objectives (max 0) has no score.
        let points = score["points"]?.double ?? 0, maximum = score["max"]?.double ?? 0
        var note: String?
        if maximum > 0, points < 0 {
            note = "penalties took the drill's total to \(Scalars.formatSignificant(points, digits: 6)) points; the score records 0"
        }
        return EvidenceEntry(kind: .drill, at: provenance.at, engine: provenance.engine, scenario: stamp(json["scenario"]), seed: provenance.seed ?? seed(json["seed"]),
                             action: provenance.action, drill: id,
                             score: maximum > 0 ? DrillScore(points: min(max(points, 0), maximum), max: maximum) : nil,
                             team: team, missed: missed, command: provenance.command, note: note, result: result.isEmpty ? nil : result)
    }

    // MARK: Helpers

    static func stamp(_ json: JSONValue?) -> ScenarioStamp? {
        guard let path = json?["path"]?.string, let sha = json?["sha256"]?.string else { return nil }
        return ScenarioStamp(path: path, sha256: sha)
    }

    static func seed(_ json: JSONValue?) -> UInt64? {
        if let s = json?.string { return UInt64(s) }
        guard let d = json?.double, d >= 0, d < 18_446_744_073_709_551_616.0, d == d.rounded() else { return nil }
        return UInt64(d)
    }

    static func probabilityPair(baseline: JSONValue?, variant: JSONValue?) -> JSONValue {
        compact(["baseline": baseline?["estimate"] ?? .null, "variant": variant?["estimate"] ?? .null, "variant_ci95": variant?["ci95"] ?? .null])
    }

    static func addMetrics(to result: inout JSONObject, baseline: JSONValue?, variant: JSONValue?, baselineLabel: String) {
        for metric in timeMetrics {
            guard let b = baseline?[metric], let v = variant?[metric] else { continue }
            for stat in ["p50", "p90"] {
                result["\(metric)_\(stat)"] = compact([baselineLabel: value(metric, b[stat]).json, "variant": value(metric, v[stat]).json])
            }
        }
        for metric in ["failed_requests", "slo_budget_consumed"] {
            guard let b = baseline?[metric], let v = variant?[metric] else { continue }
            result["\(metric)_mean"] = compact([baselineLabel: b["mean"] ?? .null, "variant": v["mean"] ?? .null, "variant_ci95": v["ci95_mean"] ?? .null])
        }
    }

    /// An object without its null values.
    static func compact(_ object: JSONObject) -> JSONValue {
        .object(JSONObject(object.pairs.filter { $0.1 != .null }))
    }

    static func signedDuration(_ seconds: Double) -> String {
        let rounded = seconds.rounded()
        return rounded < 0 ? "-" + Scalars.formatDuration(-rounded) : Scalars.formatDuration(rounded)
    }
}

/// A result value before it becomes JSON: a duration as text, or a number.
enum ResultValue {
    case string(String)
    case number(Double)
    case null

    var json: JSONValue {
        switch self {
        case .string(let s): return .string(s)
        case .number(let n): return .number(n)
        case .null: return .null
        }
    }
}

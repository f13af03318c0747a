import GamedayModel

/// Evidence results in words: "P(incident) 93% → 18% (95% CI 17.8–18.2%)".
public enum EvidenceSummary {
    /// One phrase per quantity in an entry's result, in the entry's order.
    public static func phrases(_ entry: EvidenceEntry) -> [String] {
        var out: [String] = []
        if let score = entry.score {
            var phrase = "drill score \(Scalars.formatSignificant(score.points, digits: 4))/\(Scalars.formatSignificant(score.max, digits: 4))"
            if !entry.missed.isEmpty { phrase += "; missed: " + entry.missed.joined(separator: ", ") }
            out.append(phrase)
        }
        for (key, value) in entry.result?.pairs ?? [] {
            out.append(phrase(key: key, value: value))
        }
        return out
    }

    /// The one phrase an executive reads: what the change buys. `focus` (the result key an
    /// action's metric reads) comes first; quantities the change does not move are left out.
    public static func headline(_ entry: EvidenceEntry, focus: String? = nil) -> String? {
        let result = entry.result
        var parts: [String] = []
        if let focus, let value = result?[focus] { parts.append(phrase(key: focus, value: value)) }
        if focus != "averted", let averted = result?["averted"], let share = averted["share"]?.double {
            parts.append("averts \(percent(share)) of incidents" + interval(averted["ci95"], percent: true))
        }
        if focus != "incident_probability", let p = result?["incident_probability"], let variant = p["variant"]?.double {
            if let baseline = p["baseline"]?.double {
                if percent(baseline) != percent(variant) { parts.append("P(incident) \(percent(baseline)) → \(percent(variant))") }
            } else {
                parts.append("P(incident) \(percent(variant)) with the change")
            }
        }
        if focus != "failed_requests_mean_change", let change = result?["failed_requests_mean_change"], let value = change["value"]?.double {
            parts.append("\(signedCount(value)) failed requests on average")
        }
        if focus != "time_to_mitigate_p50", let ttm = result?["time_to_mitigate_p50"],
           let b = ttm["baseline"]?.string ?? ttm["factual"]?.string, let v = ttm["variant"]?.string, b != v {
            parts.append("time to mitigate (median) \(b) → \(v)")
        }
        if parts.isEmpty, entry.kind == .drill, let score = entry.score {
            parts.append("drill scored \(Scalars.formatSignificant(score.points, digits: 4)) of \(Scalars.formatSignificant(score.max, digits: 4))")
        }
        if parts.isEmpty, let first = phrases(entry).first { parts.append(first) }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    /// How the entry can be reproduced: "scenarios/x.yaml@9f2c1a3b4c5d, seed 42, 100,000 trials, gameday 0.1.0".
    public static func provenance(_ entry: EvidenceEntry) -> String {
        var parts: [String] = []
        if let s = entry.scenario { parts.append("\(s.path)@\(s.sha256.prefix(12))") }
        if let controls = entry.controls { parts.append(controls.isEmpty ? "baseline" : "with " + controls.joined(separator: " + ")) }
        if let seed = entry.seed { parts.append("seed \(seed)") }
        if let trials = entry.trials { parts.append("\(Scalars.formatCount(Double(trials))) trials") }
        if let engine = entry.engine { parts.append(engine) }
        if let at = entry.at { parts.append(at) }
        return parts.joined(separator: ", ")
    }

    /// A phrase for one result key.
    static func phrase(key: String, value: JSONValue) -> String {
        let label = label(for: key)
        let asPercent = isFraction(key)
        let asTime = isTime(key)
        func show(_ v: JSONValue?) -> String? {
            guard let v else { return nil }
            if asTime, let seconds = v.double { return Scalars.formatDuration(seconds.rounded()) }
            return format(v, percent: asPercent)
        }
        guard let object = value.object else { return "\(label): \(format(value, percent: asPercent) ?? value.compact)" }
        if key == "milestones" {
            return "milestones: " + object.pairs.map { name, pair in
                "\(name) model \(show(pair["model"]) ?? "–"), observed \(show(pair["observed"]) ?? "not observed")"
            }.joined(separator: "; ")
        }
        if let estimate = object["estimate"] {
            // A check's reading: the estimate, its interval, and the verdict against the threshold.
            var text = "\(label) \(show(estimate) ?? "?")"
            if let pair = object["ci95"]?.array, pair.count == 2 {
                text += " (95% CI \(show(pair[0]) ?? "?") to \(show(pair[1]) ?? "?"))"
            }
            if let threshold = object["threshold"] {
                text += "; expected \(object["expected"]?.string.map { $0 + " " } ?? "")\(show(threshold) ?? "?")"
            }
            if let status = object["status"]?.string { text += ": \(status)" }
            if let n = object["n"]?.double { text += " (n = \(Scalars.formatCount(n)))" }
            return text
        }
        if let share = object["share"] {
            var text = "\(label) \(show(share) ?? "?")" + interval(object["ci95"], percent: true)
            if let of = object["of"]?.double { text += " of \(Scalars.formatCount(of))" }
            return text
        }
        if let change = object["value"] {
            return "\(label) \(signed(change, percent: asPercent))" + interval(object["ci95"], percent: asPercent, signed: true)
        }
        let start = object["baseline"] ?? object["factual"] ?? object["observed"]
        if let variant = object["variant"] {
            var text = label + " "
            if let start { text += "\(show(start) ?? "?") → " }
            text += show(variant) ?? "?"
            text += interval(object["variant_ci95"] ?? object["ci95"], percent: asPercent)
            if let p90 = object["variant_p90"] { text += " (p90 \(show(p90) ?? "?"))" }
            return text
        }
        return "\(label): " + object.pairs.map { "\($0.0) \(show($0.1) ?? $0.1.compact)" }.joined(separator: ", ")
    }

    /// `time_to_mitigate_p50` reads "time to mitigate p50"; `incident_probability` reads "P(incident)".
    static func label(for key: String) -> String {
        switch key {
        case "incident_probability": return "P(incident)"
        case "incident_probability_change": return "change in P(incident)"
        case "averted": return "averted"
        case "new_harm": return "new harm"
        default:
            var name = key
            if name.hasSuffix("_mean_change") { name = String(name.dropLast("_mean_change".count)) + " mean change" }
            return name.replacingOccurrences(of: "_", with: " ")
        }
    }

    static func isTime(_ key: String) -> Bool {
        key.hasPrefix("time_to") || key.hasPrefix("impact_duration")
    }

    static func isFraction(_ key: String) -> Bool {
        key.contains("probability") || key == "averted" || key == "new_harm" || key.hasPrefix("slo_budget") || key.hasPrefix("peak_error_rate")
    }

    static func format(_ value: JSONValue, percent asPercent: Bool) -> String? {
        switch value {
        case .number(let n): return asPercent ? percent(n) : count(n)
        case .string(let s): return s
        case .bool(let b): return b ? "yes" : "no"
        default: return nil
        }
    }

    static func percent(_ value: Double) -> String { Scalars.formatPercent(value, digits: 3) }

    static func count(_ value: Double) -> String {
        if abs(value) >= 1000 { return Scalars.formatCount(value) }
        return Scalars.formatSignificant(value, digits: 4)
    }

    static func signedCount(_ value: Double) -> String { (value > 0 ? "+" : value < 0 ? "−" : "") + count(abs(value)) }

    static func signed(_ value: JSONValue, percent asPercent: Bool) -> String {
        switch value {
        case .number(let n):
            if asPercent { return (n > 0 ? "+" : n < 0 ? "−" : "") + Scalars.formatSignificant(abs(n) * 100, digits: 3) + " points" }
            return signedCount(n)
        case .string(let s): return s.hasPrefix("-") ? "−" + s.dropFirst() : (s == "0m" ? s : "+" + s)
        default: return value.compact
        }
    }

    /// ` (95% CI 17.8–18.2%)`, or nothing without an interval.
    static func interval(_ value: JSONValue?, percent asPercent: Bool, signed isSigned: Bool = false) -> String {
        guard let pair = value?.array, pair.count == 2 else { return "" }
        func show(_ v: JSONValue) -> String {
            if isSigned { return signed(v, percent: asPercent) }
            return format(v, percent: asPercent) ?? v.compact
        }
        return " (95% CI \(show(pair[0])) to \(show(pair[1])))"
    }
}

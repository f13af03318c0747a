/// Reads typed values out of located YAML nodes, reporting every problem to a collector.
///
/// Every read returns `nil` after reporting when the value is wrong, so decoding goes on and the
/// user sees all problems of a file at once.
final class NodeReader {
    let diagnostics: DiagnosticCollector

    init(diagnostics: DiagnosticCollector) {
        self.diagnostics = diagnostics
    }

    func error(_ at: SourceLocation, _ message: String, help: String? = nil) {
        diagnostics.error(at, message, help: help)
    }

    // MARK: Structure

    /// A mapping's keys, checked against the format table of `object`.
    struct Fields {
        let node: YAMLNode
        let what: String
        var values: [String: YAMLNode]
        var keyLocations: [String: SourceLocation]
        /// Known keys that an unknown key was taken for ("did you mean"): checks that depend on
        /// them stay quiet, since the user has already been told.
        var misspelt: Set<String> = []

        /// Whether the key is given, or an unknown key was reported as a likely misspelling of it.
        func mentions(_ key: String) -> Bool { has(key) || misspelt.contains(key) }

        subscript(key: String) -> YAMLNode? {
            guard let value = values[key], !value.isNull else { return nil }
            return value
        }

        func has(_ key: String) -> Bool { self[key] != nil }

        func keyLocation(_ key: String) -> SourceLocation { keyLocations[key] ?? node.location }
    }

    /// Reads a mapping: reports wrong type, unknown keys (with a did-you-mean hint) and missing
    /// required keys. `extraAllowed` are keys checked elsewhere (such as a barrier's `type`).
    func fields(_ node: YAMLNode, _ object: ScenarioFormat.Object, what: String,
                alsoKnown: [String: String] = [:]) -> Fields? {
        guard let pairs = node.mapping else {
            error(node.location, "\(what) must be a mapping, not \(node.kindDescription)",
                  help: "keys: " + ScenarioFormat.keys(object).joined(separator: ", "))
            return nil
        }
        let allowed = ScenarioFormat.keys(object)
        var fields = Fields(node: node, what: what, values: [:], keyLocations: [:])
        var hasMergeKey = false
        for pair in pairs {
            guard let key = pair.key.scalar?.text else {
                error(pair.key.location, "a key in \(what) must be a name, not \(pair.key.kindDescription)",
                      help: "write keys as names, like 'id:'")
                continue
            }
            if allowed.contains(key) {
                fields.values[key] = pair.value
                fields.keyLocations[key] = pair.key.location
            } else if let elsewhere = alsoKnown[key] {
                error(pair.key.location, "key '\(key)' does not apply to \(what)", help: elsewhere)
            } else if key == "<<", pair.key.scalar?.style == .plain {
                // YAML 1.1 merge keys are not part of YAML 1.2, and Yams keeps them as a plain key.
                hasMergeKey = true
                error(pair.key.location, "merge keys '<<' are not supported",
                      help: "write the keys out; an alias like *name may stand for a whole value")
            } else if diagnostics.isFull {
                continue
            } else {
                var help = "allowed: " + allowed.joined(separator: ", ")
                if let suggestion = Suggestions.closest(to: key, in: allowed) {
                    help = "did you mean '\(suggestion)'? " + help
                    fields.misspelt.insert(suggestion)
                }
                error(pair.key.location, "unknown key '\(key)' in \(what)", help: help)
            }
        }
        if hasMergeKey { return fields }
        for key in ScenarioFormat.requiredKeys(object) where (fields.values[key] == nil || fields.values[key]!.isNull) && !fields.misspelt.contains(key) {
            let summary = ScenarioFormat.fields(object).first { $0.name == key }?.summary ?? ""
            error(node.location, "\(what) is missing '\(key)'", help: "'\(key)': \(summary)")
        }
        return fields
    }

    /// Reads a list; a missing or null value is an empty list.
    func list(_ node: YAMLNode?, what: String) -> [YAMLNode] {
        guard let node, !node.isNull else { return [] }
        guard let items = node.sequence else {
            error(node.location, "\(what) must be a list, not \(node.kindDescription)",
                  help: "write a list, with '- ' items or [a, b]")
            return []
        }
        return items
    }

    /// Reads a non-null scalar's text.
    func scalarText(_ node: YAMLNode, what: String, help: String = "write a single value: a word, a number or text in quotes") -> String? {
        guard let scalar = node.scalar, !scalar.isNull else {
            error(node.location, "\(what) must be a single value, not \(node.kindDescription)", help: help)
            return nil
        }
        return scalar.text
    }

    // MARK: Scalars

    func string(_ node: YAMLNode?, what: String) -> String? {
        guard let node else { return nil }
        return scalarText(node, what: what)
    }

    func id(_ node: YAMLNode?, what: String) -> String? {
        guard let node, let text = scalarText(node, what: what) else { return nil }
        guard Scalars.isValidID(text) else {
            error(node.location, "\(what) '\(text)' is not a valid id", help: "ids use lowercase letters, digits and '-', like checkout-5xx-alert")
            return nil
        }
        return text
    }

    func reference(_ node: YAMLNode?, what: String) -> Reference? {
        guard let node, let text = scalarText(node, what: what) else { return nil }
        return Reference(text, at: node.location)
    }

    /// A list of references; a single id is accepted as a list of one.
    func references(_ node: YAMLNode?, what: String) -> [Reference] {
        guard let node, !node.isNull else { return [] }
        if let scalar = node.scalar {
            return [Reference(scalar.text, at: node.location)]
        }
        return list(node, what: what).compactMap { reference($0, what: "an entry of \(what)") }
    }

    private func parsed<T>(_ node: YAMLNode?, what: String, kind: String, _ parse: (String) -> Scalars.Parsed<T>) -> T? {
        guard let node else { return nil }
        if node.scalar == nil || node.isNull {
            let probe = parse("")
            let help: String? = if case .failure(let failure) = probe { failure.help } else { nil }
            error(node.location, "\(what) must be \(kind), not \(node.kindDescription)", help: help)
            return nil
        }
        switch parse(node.scalar!.text) {
        case .success(let value): return value
        case .failure(let failure):
            error(node.location, "\(what): \(failure.message)", help: failure.help)
            return nil
        }
    }

    func duration(_ node: YAMLNode?, what: String) -> Double? { parsed(node, what: what, kind: "a duration", Scalars.duration) }

    func signedDuration(_ node: YAMLNode?, what: String) -> Double? {
        parsed(node, what: what, kind: "a duration") { text in
            let trimmed = text.trimmingSpaces
            if trimmed.hasPrefix("-") {
                return Scalars.duration(String(trimmed.dropFirst())).map { -$0 }
            }
            return Scalars.duration(trimmed)
        }
    }

    func probability(_ node: YAMLNode?, what: String) -> Double? {
        parsed(node, what: what, kind: "a probability") { Scalars.probability($0) }
    }

    func share(_ node: YAMLNode?, what: String) -> Double? {
        parsed(node, what: what, kind: "a share") { Scalars.share($0) }
    }

    func traffic(_ node: YAMLNode?, what: String) -> Double? { parsed(node, what: what, kind: "a traffic rate", Scalars.traffic) }

    func number(_ node: YAMLNode?, what: String) -> Double? {
        parsed(node, what: what, kind: "a number") { Scalars.number($0) }
    }

    func positiveNumber(_ node: YAMLNode?, what: String) -> Double? {
        guard let node, let value = number(node, what: what) else { return nil }
        guard value > 0 else {
            error(node.location, "\(what) must be above zero, not \(node.scalar?.text ?? "")", help: "write a positive number, like 1.5")
            return nil
        }
        return value
    }

    func integer(_ node: YAMLNode?, what: String, minimum: Int? = nil) -> Int? {
        let help = minimum.map { "write a whole number of at least \($0)" } ?? "write a whole number, like 3"
        guard let node, let text = scalarText(node, what: what, help: help) else { return nil }
        guard let value = Int(text.trimmingSpaces) else {
            error(node.location, "\(what) must be a whole number, not '\(text)'", help: help)
            return nil
        }
        if let minimum, value < minimum {
            error(node.location, "\(what) must be at least \(minimum), not \(value)", help: "write a whole number of at least \(minimum)")
            return nil
        }
        return value
    }

    func unsignedInteger(_ node: YAMLNode?, what: String) -> UInt64? {
        let help = "a seed is a whole number from 0 to 18446744073709551615, like 42"
        guard let node, let text = scalarText(node, what: what, help: help) else { return nil }
        guard let value = UInt64(text.trimmingSpaces) else {
            error(node.location, "\(what) must be a whole number from 0 to 2^64 - 1, not '\(text)'", help: help)
            return nil
        }
        return value
    }

    func bool(_ node: YAMLNode?, what: String) -> Bool? { parsed(node, what: what, kind: "true or false", Scalars.bool) }

    // MARK: Distributions

    static let distributionHelp = "a duration like 5m, or one of {uniform: [2m, 10m]}, {triangular: [2m, 5m, 30m]}, {exponential: {mean: 10m}}, {lognormal: {median: 5m, p90: 20m}}, {empirical: [3m, 5m, 7m]}"

    /// A time distribution: a duration or a one-key mapping naming the family.
    func timeDistribution(_ node: YAMLNode?, what: String) -> TimeDistribution? {
        guard let node, !node.isNull else { return nil }
        if node.scalar != nil {
            return duration(node, what: what).map(TimeDistribution.constant)
        }
        guard let pairs = node.mapping, pairs.count == 1, let family = pairs[0].key.scalar?.text else {
            error(node.location, "\(what) must be a duration or a distribution, not \(node.kindDescription)", help: Self.distributionHelp)
            return nil
        }
        let body = pairs[0].value
        let families = ["uniform", "triangular", "exponential", "lognormal", "empirical"]
        func times(_ count: Int?) -> [Double]? {
            guard let items = body.sequence else {
                error(body.location, "\(what): \(family) takes a list of durations", help: Self.distributionHelp)
                return nil
            }
            if let count, items.count != count {
                error(body.location, "\(what): \(family) takes \(count) durations, not \(items.count)", help: Self.distributionHelp)
                return nil
            }
            let values = items.map { duration($0, what: "\(what) (\(family))") }
            if values.contains(where: { $0 == nil }) { return nil }
            return values.map { $0! }
        }
        switch family {
        case "uniform":
            guard let v = times(2) else { return nil }
            guard v[0] <= v[1] else {
                error(body.location, "\(what): uniform minimum \(Scalars.formatDuration(v[0])) is above its maximum \(Scalars.formatDuration(v[1]))", help: "write [minimum, maximum]")
                return nil
            }
            return .uniform(v[0], v[1])
        case "triangular":
            guard let v = times(3) else { return nil }
            guard v[0] <= v[1], v[1] <= v[2] else {
                error(body.location, "\(what): triangular values \(v.map(Scalars.formatDuration).joined(separator: ", ")) are out of order", help: "write [minimum, mode, maximum] with minimum <= mode <= maximum")
                return nil
            }
            return .triangular(min: v[0], mode: v[1], max: v[2])
        case "exponential":
            guard let f = fields(body, .exponentialBody, what: "\(what) (exponential)"), let mean = duration(f["mean"], what: "\(what) mean") else { return nil }
            guard mean > 0 else {
                error(body.location, "\(what): exponential mean must be above zero", help: "write {exponential: {mean: 10m}}")
                return nil
            }
            return .exponential(mean: mean)
        case "lognormal":
            guard let f = fields(body, .lognormalBody, what: "\(what) (lognormal)") else { return nil }
            guard let median = duration(f["median"], what: "\(what) median"), let p90 = duration(f["p90"], what: "\(what) p90") else { return nil }
            guard median > 0 else {
                error(f["median"]!.location, "\(what): lognormal median must be above zero", help: "write {lognormal: {median: 5m, p90: 20m}}")
                return nil
            }
            guard p90 > median else {
                error(f["p90"]!.location, "\(what): lognormal p90 (\(Scalars.formatDuration(p90))) is not above its median (\(Scalars.formatDuration(median)))",
                      help: "p90 must exceed the median; for a fixed time write a plain duration")
                return nil
            }
            return .lognormal(median: median, p90: p90)
        case "empirical":
            guard let v = times(nil) else { return nil }
            guard !v.isEmpty else {
                error(body.location, "\(what): empirical needs at least one observed value", help: "write {empirical: [3m, 5m, 7m]}")
                return nil
            }
            return .empirical(v.sorted())
        default:
            var help = Self.distributionHelp
            if let suggestion = Suggestions.closest(to: family, in: families) { help = "did you mean '\(suggestion)'? " + help }
            error(pairs[0].key.location, "\(what): unknown distribution '\(family)'", help: help)
            return nil
        }
    }

    static let uncertainHelp = "a probability like 0.95 or 95%, or a belief {uniform: [60%, 90%]} or {triangular: [50%, 80%, 95%]}"

    /// A probability that may be a distribution over probabilities.
    func probabilityValue(_ node: YAMLNode?, what: String) -> ProbabilityValue? {
        guard let node, !node.isNull else { return nil }
        if node.scalar != nil {
            return probability(node, what: what).map(ProbabilityValue.fixed)
        }
        guard let pairs = node.mapping, pairs.count == 1, let family = pairs[0].key.scalar?.text else {
            error(node.location, "\(what) must be a probability, not \(node.kindDescription)", help: Self.uncertainHelp)
            return nil
        }
        let body = pairs[0].value
        let count: Int
        switch family {
        case "uniform": count = 2
        case "triangular": count = 3
        default:
            var help = Self.uncertainHelp
            if let suggestion = Suggestions.closest(to: family, in: ["uniform", "triangular"]) { help = "did you mean '\(suggestion)'? " + help }
            error(pairs[0].key.location, "\(what): unknown distribution '\(family)' for a probability", help: help)
            return nil
        }
        guard let items = body.sequence, items.count == count else {
            error(body.location, "\(what): \(family) takes \(count) probabilities", help: Self.uncertainHelp)
            return nil
        }
        let values = items.map { probability($0, what: "\(what) (\(family))") }
        if values.contains(where: { $0 == nil }) { return nil }
        let v = values.map { $0! }
        guard zip(v, v.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            error(body.location, "\(what): \(family) values \(v.map { Scalars.formatPercent($0) }.joined(separator: ", ")) are out of order", help: count == 2 ? "write [minimum, maximum]" : "write [minimum, mode, maximum] with minimum <= mode <= maximum")
            return nil
        }
        return count == 2 ? .uniform(v[0], v[1]) : .triangular(min: v[0], mode: v[1], max: v[2])
    }
}

extension ScenarioFormat.Object {
    /// Pseudo-objects for the bodies of distributions, so their keys are checked like any other.
    static let exponentialBody = ScenarioFormat.Object.distributionExponential
    static let lognormalBody = ScenarioFormat.Object.distributionLognormal
}

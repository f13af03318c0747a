import GamedayModel

/// Range checks on the numbers of an evidence entry, so a record never claims an action averts
/// 150% of incidents or that an interval runs from 90% down to 10%.
///
/// The rules (docs/postmortems.md, "Evidence values"):
/// - probabilities and shares lie in [0, 1]: result keys `incident_probability`, `averted`,
///   `new_harm`, every `*_probability`, and a `share` anywhere, written as a number or a
///   percentage, or as an object whose `baseline`, `variant`, `factual`, `observed`, `estimate`,
///   `value`, `share`, `mean`, `threshold` and `variant_p90` are;
/// - changes of probabilities (`incident_probability_change`, `*_probability_change`) lie in [-1, 1];
/// - every `ci95`, `variant_ci95` and `ci95_mean` is a list of two values (low, high), each a
///   number, a duration or a percentage (or null for an unbounded end), with low ≤ high; the point
///   estimate it belongs to (`variant` for `variant_ci95`, `mean` for `ci95_mean`, else the
///   object's `share`, `value`, `estimate`, `mean` or `variant`) lies within it, give or take a
///   rounding slack (evidence keeps six significant digits);
/// - a drill score has `max` above 0 and `0 ≤ points ≤ max`;
/// - the scenario's `sha256` is 64 lowercase hex digits.
///
/// Seeds (unsigned 64-bit integers) and trials (whole numbers of at least 1) are checked where
/// they are read.
struct EvidenceValueRules {
    let reader: RecordReader

    /// The range a value must lie in.
    enum Range: Equatable {
        /// A probability or a share: [0, 1].
        case unit
        /// A change of a probability: [-1, 1].
        case change

        var bounds: (low: Double, high: Double) { self == .unit ? (0, 1) : (-1, 1) }
        var allowed: String { self == .unit ? "a probability or share from 0 to 1, or 0% to 100%" : "a change of a probability from -1 to 1, or -100% to +100%" }
    }

    /// Keys whose value is an interval.
    static let intervalKeys = ["ci95", "variant_ci95", "ci95_mean"]
    /// Keys of an object that hold a point value in the object's unit.
    static let pointKeys: Set<String> = ["baseline", "variant", "factual", "observed", "estimate", "value", "share", "mean", "threshold", "variant_p90", "model"]
    /// Tolerance for values that were rounded to six significant digits.
    static let slack = 1e-9

    /// The range a result key's values must lie in, or `nil` when it is not a probability.
    static func range(forKey key: String) -> Range? {
        if key.hasSuffix("_change") {
            var base = String(key.dropLast("_change".count))
            if base.hasSuffix("_mean") { base = String(base.dropLast("_mean".count)) }
            return range(forKey: base) == nil ? nil : .change
        }
        if key == "averted" || key == "new_harm" || key == "share" || key == "incident_probability" || key.hasSuffix("_probability") { return .unit }
        return nil
    }

    /// Checks a `result:` mapping.
    func check(result node: YAMLNode) {
        visit(node, path: "result", range: nil)
    }

    /// Checks a mapping of results, whose values inherit `range` unless their key has its own.
    private func visit(_ node: YAMLNode, path: String, range: Range?) {
        guard let pairs = node.mapping else { return }
        for pair in pairs {
            guard let key = pair.key.scalar?.text else { continue }
            let keyPath = path + "." + key
            if Self.intervalKeys.contains(key) {
                interval(pair.value, path: keyPath, range: range, point: Self.point(for: key, in: node))
                continue
            }
            let own = Self.range(forKey: key) ?? (Self.pointKeys.contains(key) ? range : nil)
            if pair.value.mapping != nil {
                visit(pair.value, path: keyPath, range: own)
            } else if let items = pair.value.sequence {
                for (index, item) in items.enumerated() {
                    if item.mapping != nil {
                        visit(item, path: "\(keyPath)[\(index)]", range: own)
                    } else if let own {
                        _ = bounded(item, path: "\(keyPath)[\(index)]", range: own)
                    }
                }
            } else if let own {
                _ = bounded(pair.value, path: keyPath, range: own)
            }
        }
    }

    /// The point value an interval key belongs to, in the mapping that holds both.
    static func point(for intervalKey: String, in object: YAMLNode) -> (key: String, node: YAMLNode)? {
        let candidates: [String]
        switch intervalKey {
        case "variant_ci95": candidates = ["variant"]
        case "ci95_mean": candidates = ["mean"]
        default: candidates = ["share", "value", "estimate", "mean", "variant"]
        }
        for key in candidates {
            if let node = object[key], !node.isNull { return (key, node) }
        }
        return nil
    }

    /// A value that must lie in `range`; returns it when it is a number in range.
    @discardableResult
    private func bounded(_ node: YAMLNode, path: String, range: Range) -> Double? {
        guard let scalar = node.scalar, !scalar.isNull else {
            if !node.isNull { reader.error(node.location, "\(path) must be a number, not \(node.kindDescription)", help: "write \(range.allowed), like 0.18 or 18%") }
            return nil
        }
        guard let value = Self.number(scalar.text), Self.isNumeric(scalar.text) || scalar.text.hasSuffix("%") else {
            reader.error(node.location, "\(path) '\(scalar.text)' is not a number", help: "write \(range.allowed), like 0.18 or 18%")
            return nil
        }
        let (low, high) = range.bounds
        guard value >= low - Self.slack, value <= high + Self.slack else {
            var help = "allowed: \(range.allowed)"
            if value >= 5, value <= 100, !scalar.text.hasSuffix("%") { help += "; did you mean \(scalar.text)%?" }
            reader.error(node.location, "\(path) is \(scalar.text), outside [\(Int(low)), \(Int(high))]", help: help)
            return nil
        }
        return value
    }

    /// An interval: two values, low ≤ high, containing its point estimate.
    private func interval(_ node: YAMLNode, path: String, range: Range?, point: (key: String, node: YAMLNode)?) {
        let help = "write a 95% interval as [low, high], like [0.178, 0.182], [6m50s, 7m12s] or [-32100, -31500]"
        guard let items = node.sequence else {
            if !node.isNull { reader.error(node.location, "\(path) must be a list of two values [low, high], not \(node.kindDescription)", help: help) }
            return
        }
        guard items.count == 2 else {
            reader.error(node.location, "\(path) has \(items.count) value\(items.count == 1 ? "" : "s"); an interval has two, [low, high]", help: help)
            return
        }
        var ends: [Double?] = []
        for (index, item) in items.enumerated() {
            let name = "\(path)[\(index)]"
            if item.isNull {
                ends.append(nil)  // an unbounded end (a quantile interval can be)
                continue
            }
            if let range {
                ends.append(bounded(item, path: name, range: range))
                continue
            }
            guard let scalar = item.scalar, let value = Self.number(scalar.text) else {
                reader.error(item.location, "\(name) \(item.scalar.map { "'\($0.text)'" } ?? item.kindDescription) is not a number, a duration or a percentage", help: help)
                ends.append(nil)
                continue
            }
            ends.append(value)
        }
        let low = ends[0], high = ends[1]
        if let low, let high, low > high + Self.slack * max(1, abs(low), abs(high)) {
            reader.error(node.location, "\(path) runs from \(items[0].scalar?.text ?? "") down to \(items[1].scalar?.text ?? ""): low is above high",
                         help: "an interval is [low, high] with low ≤ high")
            return
        }
        guard let point, let text = point.node.scalar?.text, let value = Self.number(text) else { return }
        let tolerance = 5e-6 * max(abs(value), abs(low ?? 0), abs(high ?? 0)) + 1e-12
        if let low, value < low - tolerance || (high.map { value > $0 + tolerance } ?? false) {
            reportOutside(point: point, text: text, path: path, items: items)
        } else if low == nil, let high, value > high + tolerance {
            reportOutside(point: point, text: text, path: path, items: items)
        }
    }

    private func reportOutside(point: (key: String, node: YAMLNode), text: String, path: String, items: [YAMLNode]) {
        let shown = items.map { $0.isNull ? "unbounded" : ($0.scalar?.text ?? "?") }.joined(separator: ", ")
        reader.error(point.node.location, "\(point.key) \(text) is outside its interval \(path.split(separator: ".").last ?? "") [\(shown)]",
                     help: "a 95% interval contains its point estimate; check that both come from the same run")
    }

    /// Whether text is a plain number (not a duration).
    static func isNumeric(_ text: String) -> Bool {
        if case .success = Scalars.number(text.replacingOccurrences(of: ",", with: "")) { return true }
        return false
    }

    /// A number, a signed duration (in seconds) or a signed percentage (as a fraction).
    static func number(_ text: String) -> Double? {
        var body = text.trimmingCharacters
        if case .success(let n) = Scalars.number(body.replacingOccurrences(of: ",", with: "")) { return n }
        var sign = 1.0
        if body.hasPrefix("-") || body.hasPrefix("+") || body.hasPrefix("−") {
            if !body.hasPrefix("+") { sign = -1 }
            body = String(body.dropFirst())
        }
        if body.hasSuffix("%") {
            if case .success(let n) = Scalars.number(String(body.dropLast())) { return sign * n / 100 }
            return nil
        }
        if case .success(let d) = Scalars.duration(body) { return sign * d }
        return nil
    }

    /// A drill score: max above 0, points from 0 to max.
    func score(points: (Double, YAMLNode)?, max: (Double, YAMLNode)?) -> Bool {
        guard let (points, pointsNode) = points, let (max, maxNode) = max else { return false }
        if max <= 0 {
            reader.error(maxNode.location, "score max must be above 0, not \(maxNode.scalar?.text ?? "")", help: "max is the points possible; a drill without points has no score")
            return false
        }
        if points < 0 || points > max {
            reader.error(pointsNode.location, "score points \(pointsNode.scalar?.text ?? "") is outside 0 to \(maxNode.scalar?.text ?? "") (the score's max)",
                         help: "points are from 0 to max")
            return false
        }
        return true
    }

    /// Whether text is a SHA-256 as gameday writes it: 64 lowercase hex digits.
    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

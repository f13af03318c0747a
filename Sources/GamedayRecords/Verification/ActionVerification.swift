import GamedayModel

/// A number read from an evidence entry's result, with its 95% interval when the entry has one.
public struct EvidenceReading: Hashable, Sendable {
    /// The entry read.
    public var entry: EvidenceEntry
    /// The result key the value came from (`incident_probability`).
    public var key: String
    /// The point value, in the quantity's unit (a fraction, seconds or a count).
    public var value: Double
    /// The 95% interval, when the entry reports one.
    public var low: Double?
    /// The 95% interval's upper end.
    public var high: Double?
    /// What the reading says about the expectation.
    public var verdict: Verdict

    /// How a reading compares with an action's metric.
    public enum Verdict: String, Hashable, Sendable {
        /// The whole interval (or the value, without one) is on the right side.
        case met
        /// The whole interval (or the value) is on the wrong side.
        case notMet = "not-met"
        /// The interval straddles the threshold.
        case inconclusive
    }
}

/// Whether an action's evidence meets its metric: the derived `verified` state.
///
/// The rule (docs/postmortems.md, "Verification"):
/// - the evidence linked to an action is every entry with `action: ID`, and every entry without
///   an `action` whose controls are exactly the action's `control`;
/// - the action's metric must be machine-checkable (`metric: {QUANTITY_COMPARISON: VALUE}` or a
///   prose metric with `verify:`);
/// - the latest linked entry that reports the quantity decides: with a 95% interval, the whole
///   interval must be on the right side of the threshold (as `gameday check` decides); without
///   one, the value must be; when that entry is stale (it ran an earlier version of the
///   scenario file), the state is ``State/stale`` whatever it reads;
/// - an action is **verified** when that reading meets the metric and the person wrote
///   `status: done`. gameday never edits the status: `verified` is shown in reports and the
///   knowledge base, derived each time from the record.
public struct ActionVerification: Hashable, Sendable {
    /// The derived state.
    public enum State: String, Hashable, Sendable {
        /// Done, and the evidence meets the metric.
        case verified
        /// The evidence meets the metric, but the action is not done yet.
        case supported
        /// The latest evidence does not meet the metric.
        case notMet = "not-met"
        /// The latest evidence's interval straddles the threshold.
        case inconclusive
        /// The latest evidence that reports the metric ran an earlier version of the scenario
        /// (see ``EvidenceEntry/isStale``): it must be re-run before it can verify anything.
        case stale
        /// The metric is machine-checkable but no linked evidence reports its quantity.
        case noEvidence = "no-evidence"
        /// The metric is prose only (add `verify:` to make it checkable).
        case proseMetric = "prose-metric"
        /// The action has no metric.
        case noMetric = "no-metric"
    }

    /// The action.
    public var action: Action
    /// Every evidence entry linked to it, in record order.
    public var linked: [EvidenceEntry]
    /// The reading that decides, when there is one.
    public var reading: EvidenceReading?
    /// The derived state.
    public var state: State

    /// Whether the action counts as verified.
    public var isVerified: Bool { state == .verified }

    /// Evaluates one action of a record.
    public static func evaluate(_ action: Action, in record: Record) -> ActionVerification {
        let linked = record.evidence.filter { isLinked($0, to: action) }
        guard let metric = action.metric else { return ActionVerification(action: action, linked: linked, reading: nil, state: .noMetric) }
        guard let expectation = metric.expectation else { return ActionVerification(action: action, linked: linked, reading: nil, state: .proseMetric) }
        for entry in linked.reversed() {
            if let reading = read(expectation, from: entry) {
                if entry.isStale { return ActionVerification(action: action, linked: linked, reading: reading, state: .stale) }
                let state: State
                switch reading.verdict {
                case .met: state = action.status == .done ? .verified : .supported
                case .notMet: state = .notMet
                case .inconclusive: state = .inconclusive
                }
                return ActionVerification(action: action, linked: linked, reading: reading, state: state)
            }
        }
        return ActionVerification(action: action, linked: linked, reading: nil, state: .noEvidence)
    }

    /// Evaluates every action of a record, in order.
    public static func evaluate(_ record: Record) -> [ActionVerification] {
        record.actions.map { evaluate($0, in: record) }
    }

    /// Whether an entry is evidence about an action.
    public static func isLinked(_ entry: EvidenceEntry, to action: Action) -> Bool {
        if let named = entry.action { return named == action.id }
        guard let control = action.control?.id else { return false }
        return entry.controls == [control]
    }

    /// Reads an expectation's quantity from an entry, when the entry reports it.
    public static func read(_ expectation: MetricExpectation, from entry: EvidenceEntry) -> EvidenceReading? {
        let q = expectation.quantity
        var found: (key: String, value: Double, low: Double?, high: Double?)?
        if q == "score" {
            if let score = entry.score, score.max > 0 { found = ("score", score.share, nil, nil) }
        } else if let result = entry.result {
            var keys = [q]
            if q.hasSuffix("_change") { keys.append(String(q.dropLast("_change".count)) + "_mean_change") }
            if q.hasSuffix("_mean") { keys.append(String(q.dropLast("_mean".count))) }
            for key in keys {
                if let value = result[key], let parsed = interpret(value, unit: expectation.unit) {
                    found = (key, parsed.value, parsed.low, parsed.high)
                    break
                }
            }
        }
        guard let found else { return nil }
        let verdict: EvidenceReading.Verdict
        if let low = found.low, let high = found.high {
            let (worst, best) = expectation.comparison.wantsSmall ? (high, low) : (low, high)
            if expectation.holds(for: worst) {
                verdict = .met
            } else if !expectation.holds(for: best) {
                verdict = .notMet
            } else {
                verdict = .inconclusive
            }
        } else {
            verdict = expectation.holds(for: found.value) ? .met : .notMet
        }
        return EvidenceReading(entry: entry, key: found.key, value: found.value, low: found.low, high: found.high, verdict: verdict)
    }

    /// The keys a result object's value is read from, first present wins.
    static let valueKeys = ["variant", "share", "value", "estimate", "mean", "observed", "factual"]
    /// The keys its interval is read from.
    static let intervalKeys = ["variant_ci95", "ci95", "ci95_mean"]

    /// A number (or a duration or percentage written as text), or an object holding one.
    static func interpret(_ value: JSONValue, unit: ExpectationGrammar.ThresholdUnit) -> (value: Double, low: Double?, high: Double?)? {
        switch value {
        case .number(let n): return (n, nil, nil)
        case .string(let s): return scalar(s, unit: unit).map { ($0, nil, nil) }
        case .object(let object):
            guard let key = valueKeys.first(where: { object[$0] != nil }), let point = object[key].flatMap({ number($0, unit: unit) }) else { return nil }
            for intervalKey in intervalKeys {
                if let pair = object[intervalKey]?.array, pair.count == 2, let low = number(pair[0], unit: unit), let high = number(pair[1], unit: unit) {
                    return (point, min(low, high), max(low, high))
                }
            }
            return (point, nil, nil)
        default: return nil
        }
    }

    private static func number(_ value: JSONValue, unit: ExpectationGrammar.ThresholdUnit) -> Double? {
        switch value {
        case .number(let n): return n
        case .string(let s): return scalar(s, unit: unit)
        default: return nil
        }
    }

    /// Text such as `16m`, `-5m`, `18%` or `0.18`, read in the expectation's unit.
    private static func scalar(_ text: String, unit: ExpectationGrammar.ThresholdUnit) -> Double? {
        let trimmed = text.trimmingCharacters
        switch unit {
        case .duration, .signedDuration:
            let negative = trimmed.hasPrefix("-")
            if case .success(let d) = Scalars.duration(negative ? String(trimmed.dropFirst()) : trimmed) { return negative ? -d : d }
        case .probability, .share:
            if case .success(let p) = Scalars.share(trimmed) { return p }
        case .number:
            break
        }
        if case .success(let n) = Scalars.number(trimmed.replacingOccurrences(of: ",", with: "")) { return n }
        return nil
    }
}

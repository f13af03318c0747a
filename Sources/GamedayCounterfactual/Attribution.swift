import GamedayModel
import GamedaySimulation
import GamedayStatistics

/// The quantity an attribution splits between controls: P(incident) or a metric's mean.
public enum AttributionMetric: Hashable, Sendable, CustomStringConvertible {
    /// The probability of an incident (its paired change).
    case incidentProbability
    /// The mean of a metric (its paired mean change).
    case metric(Metric)

    /// Parses `incident_probability` or a metric name such as `failed_requests`.
    public init?(name: String) {
        if name == "incident_probability" {
            self = .incidentProbability
        } else if let metric = Metric(rawValue: name) {
            self = .metric(metric)
        } else {
            return nil
        }
    }

    /// Every accepted name.
    public static var names: [String] { ["incident_probability"] + Metric.allCases.map(\.rawValue) }

    /// The name as written in output.
    public var name: String {
        switch self {
        case .incidentProbability: return "incident_probability"
        case .metric(let m): return m.rawValue
        }
    }

    public var description: String { name }

    /// Whether every trial has a value (P(incident) and impact metrics), so that per-trial values
    /// average exactly to the attribution and give it an interval. Time metrics are defined only
    /// where the milestone happened, so each subset is compared over its own trials.
    public var isDefinedOnEveryTrial: Bool {
        switch self {
        case .incidentProbability: return true
        case .metric(let m): return !m.isMilestone
        }
    }

    /// Its value in one trial: 1 or 0 for an incident, the metric's value otherwise.
    public func value(_ m: TrialMetrics) -> Double? {
        switch self {
        case .incidentProbability: return m.outcome == .incident ? 1 : 0
        case .metric(let metric): return m.value(metric)
        }
    }
}

/// How the combined effect of several controls is split between them.
public enum AttributionMethod: String, Sendable, CaseIterable, Hashable {
    /// Exact Shapley values over every subset of the controls (up to ``Attribution/maximumShapleyControls``).
    case shapley
    /// Each control's marginal effect when it is removed from all of them.
    case leaveOneOut = "leave-one-out"
    /// No attribution.
    case none
}

/// Each control's share of a metric's change: Shapley values or leave-one-out effects.
public struct Attribution: Sendable {
    /// The largest number of controls for exact Shapley values (2^10 = 1024 runs per trial).
    public static let maximumShapleyControls = 10

    /// The method.
    public var method: AttributionMethod
    /// The metric split.
    public var metric: AttributionMetric
    /// The controls, in the order given.
    public var controls: [String]
    /// Each control's value (`variant - baseline` units of the metric).
    public var values: [Double]
    /// Each value's 95% interval from its per-trial values (`nil` for time metrics).
    public var intervals: [ConfidenceInterval?]
    /// The effect of all controls together, v(all) (Shapley values sum to it).
    public var allControls: Double
    /// Why there is no attribution, when a needed combination of controls could not be made.
    public var refused: String?

    /// Whether a control's value is distinguishable from zero: its interval excludes 0.
    /// `nil` when there is no interval.
    public func distinguishable(_ i: Int) -> Bool? {
        guard let interval = intervals[i] else { return nil }
        return !(interval.lower <= 0 && interval.upper >= 0)
    }

    /// The Shapley weight of a coalition of `size` others among `k` players: `s!(k-s-1)!/k!`,
    /// computed as `1 / (k × C(k-1, s))` (exact for k ≤ 10).
    public static func shapleyWeight(size s: Int, players k: Int) -> Double {
        var binomial = 1.0
        if s > 0 {
            for j in 1...s { binomial = binomial * Double(k - 1 - s + j) / Double(j) }
        }
        return 1 / (Double(k) * binomial.rounded())
    }

    /// Exact Shapley values of a game on `k` players given by `v(mask)` (with `v(0) = 0`):
    /// `φ_i = Σ over S ∌ i of |S|!(k-|S|-1)!/k! × (v(S ∪ {i}) - v(S))`.
    public static func shapley(players k: Int, value v: (Int) -> Double) -> [Double] {
        precondition(k >= 1 && k <= 20, "Shapley values need 1 to 20 players")
        let weights = (0..<k).map { shapleyWeight(size: $0, players: k) }
        var phi = [Double](repeating: 0, count: k)
        for i in 0..<k {
            let bit = 1 << i
            var sum = 0.0
            for mask in 0..<(1 << k) where mask & bit == 0 {
                sum += weights[mask.nonzeroBitCount] * (v(mask | bit) - v(mask))
            }
            phi[i] = sum
        }
        return phi
    }

    /// Leave-one-out effects: `v(all) - v(all without i)`.
    public static func leaveOneOut(players k: Int, value v: (Int) -> Double) -> [Double] {
        let full = (1 << k) - 1
        return (0..<k).map { v(full) - v(full & ~(1 << $0)) }
    }

    /// The JSON of spec/output.md: `{"method", "metric", "values": {control: value}}`, plus
    /// intervals and the all-controls effect.
    public func json() -> JSONValue {
        var object = JSONObject()
        object["method"] = .string(method.rawValue)
        object["metric"] = .string(metric.name)
        if let refused {
            object["values"] = .null
            object["refused"] = .string(refused)
            return .object(object)
        }
        object["values"] = .object(JSONObject(zip(controls, values).map { ($0, .number($1)) }))
        object["ci95"] = .object(JSONObject(zip(controls, intervals).map { ($0, intervalJSON($1)) }))
        object["all_controls"] = .number(allControls)
        object["distinguishable_from_zero"] = .object(JSONObject(controls.indices.map { i in
            (controls[i], distinguishable(i).map { .bool($0) } ?? .null)
        }))
        return .object(object)
    }
}

import Foundation
import GamedayModel

/// How and how likely an injection occurs in one trial.
public struct Occurrence: Hashable, Sendable {
    /// How the injection is started.
    public enum Kind: String, Hashable, Sendable {
        /// Scheduled by `at`.
        case scheduled
        /// A cascade started by `triggered_by`.
        case triggered
        /// Occurs only when a drill action adds it.
        case dormant
    }

    /// How it starts.
    public var kind: Kind
    /// The exact chance it occurs in a trial: for a scheduled injection, its probability (mean of
    /// a belief) × P(`at` < horizon); for a triggered one, the trigger's probability, conditional
    /// on the trigger condition holding; 0 for a dormant one (only drills add it).
    public var probability: Double
    /// For a scheduled injection, P(at < horizon) (1 when `at` is always before the horizon).
    public var beforeHorizon: Double
    /// Whether the probability is the mean of a belief rather than a fixed value.
    public var probabilityIsUncertain: Bool
    /// For a triggered injection, the condition the probability is conditional on.
    public var condition: ServiceCondition?
    /// For a triggered injection, the injections that on their own, at full effect, push the
    /// condition's service above its threshold (file order).
    public var reachableBy: [String]
    /// A sentence that says what the probability means.
    public var note: String
}

/// Cumulative distribution functions of time distributions, for P(at < horizon).
public enum TimeCDF {
    /// P(X < t) for a draw X of the distribution (strictly below, which matters for point masses).
    public static func probabilityBelow(_ t: Double, in distribution: TimeDistribution) -> Double {
        switch distribution {
        case .constant(let c):
            return c < t ? 1 : 0
        case .uniform(let a, let b):
            if b <= a { return a < t ? 1 : 0 }
            return min(1, max(0, (t - a) / (b - a)))
        case .triangular(let a, let c, let b):
            if b <= a { return a < t ? 1 : 0 }
            if t <= a { return 0 }
            if t >= b { return 1 }
            if t <= c { return (t - a) * (t - a) / ((b - a) * (c - a)) }
            return 1 - (b - t) * (b - t) / ((b - a) * (b - c))
        case .exponential(let mean):
            if mean <= 0 { return 0 < t ? 1 : 0 }
            return t <= 0 ? 0 : 1 - exp(-t / mean)
        case .lognormal(let median, let p90):
            let sigma = TimeDistribution.lognormalSigma(median: median, p90: p90)
            if !(sigma > 0) { return median < t ? 1 : 0 }
            if t <= 0 { return 0 }
            let z = (log(t) - log(median)) / sigma
            return 0.5 * erfc(-z / 2.0.squareRoot())
        case .empirical(let values):
            guard !values.isEmpty else { return 0 }
            return Double(values.filter { $0 < t }.count) / Double(values.count)
        }
    }
}

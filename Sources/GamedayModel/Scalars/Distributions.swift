/// A distribution of times (spec section 1), in seconds.
///
/// Anywhere a duration is allowed, a distribution is allowed too. The engine samples each by
/// inverse CDF from exactly one uniform draw.
public enum TimeDistribution: Hashable, Sendable {
    /// Always this many seconds.
    case constant(Double)
    /// Uniform between two times.
    case uniform(Double, Double)
    /// Triangular with a minimum, a mode and a maximum.
    case triangular(min: Double, mode: Double, max: Double)
    /// Exponential with this mean.
    case exponential(mean: Double)
    /// Log-normal given by its median and 90th percentile.
    case lognormal(median: Double, p90: Double)
    /// Resamples observed values with equal weight (kept sorted ascending).
    case empirical([Double])

    /// The exact standard normal 0.9 quantile that links a log-normal's p90 to its sigma.
    public static let z90 = 1.2815515655446004

    /// The smallest and largest values the distribution can take (the maximum may be infinite).
    public var support: ClosedRange<Double> {
        switch self {
        case .constant(let c): return c...c
        case .uniform(let a, let b): return a...b
        case .triangular(let a, _, let b): return a...b
        case .exponential: return 0...Double.infinity
        case .lognormal(let median, let p90): return p90 == median ? median...median : 0...Double.infinity
        case .empirical(let values): return values.first!...values.last!
        }
    }

    /// The mean, for reports and static analysis.
    public var mean: Double {
        switch self {
        case .constant(let c): return c
        case .uniform(let a, let b): return (a + b) / 2
        case .triangular(let a, let c, let b): return (a + c + b) / 3
        case .exponential(let mean): return mean
        case .lognormal(let median, let p90):
            let sigma = Self.lognormalSigma(median: median, p90: p90)
            return median * _exp(sigma * sigma / 2)
        case .empirical(let values): return values.reduce(0, +) / Double(values.count)
        }
    }

    /// Whether every draw gives the same value.
    public var isConstant: Bool { support.lowerBound == support.upperBound }

    /// The log-normal's sigma: ln(p90 / median) / z90.
    public static func lognormalSigma(median: Double, p90: Double) -> Double {
        _log(p90 / median) / z90
    }

    /// The distribution with every time multiplied by `factor` (modifiers such as a night shift).
    public func scaled(by factor: Double) -> TimeDistribution {
        switch self {
        case .constant(let c): return .constant(c * factor)
        case .uniform(let a, let b): return .uniform(a * factor, b * factor)
        case .triangular(let a, let c, let b): return .triangular(min: a * factor, mode: c * factor, max: b * factor)
        case .exponential(let mean): return .exponential(mean: mean * factor)
        case .lognormal(let median, let p90): return .lognormal(median: median * factor, p90: p90 * factor)
        case .empirical(let values): return .empirical(values.map { $0 * factor })
        }
    }

    /// The distribution as a person writes it in a scenario file.
    public var yamlText: String {
        let d = Scalars.formatDuration
        switch self {
        case .constant(let c): return d(c)
        case .uniform(let a, let b): return "{uniform: [\(d(a)), \(d(b))]}"
        case .triangular(let a, let c, let b): return "{triangular: [\(d(a)), \(d(c)), \(d(b))]}"
        case .exponential(let mean): return "{exponential: {mean: \(d(mean))}}"
        case .lognormal(let median, let p90): return "{lognormal: {median: \(d(median)), p90: \(d(p90))}}"
        case .empirical(let values): return "{empirical: [\(values.map(d).joined(separator: ", "))]}"
        }
    }
}

/// A probability that may be a belief rather than a fact (spec section 1): a fixed value or a
/// distribution over probabilities, drawn once per trial.
public enum ProbabilityValue: Hashable, Sendable {
    /// A known probability.
    case fixed(Double)
    /// Uniform between two probabilities.
    case uniform(Double, Double)
    /// Triangular over probabilities: minimum, mode, maximum.
    case triangular(min: Double, mode: Double, max: Double)

    /// Certain: 100%.
    public static let one = ProbabilityValue.fixed(1)
    /// Never: 0%.
    public static let zero = ProbabilityValue.fixed(0)

    /// The mean probability, which is also the exact marginal chance of an event decided by one
    /// draw against a value drawn from this distribution.
    public var mean: Double {
        switch self {
        case .fixed(let p): return p
        case .uniform(let a, let b): return (a + b) / 2
        case .triangular(let a, let c, let b): return (a + c + b) / 3
        }
    }

    /// Whether the value is the same in every trial.
    public var isFixed: Bool {
        switch self {
        case .fixed: return true
        case .uniform(let a, let b): return a == b
        case .triangular(let a, _, let b): return a == b
        }
    }

    /// The smallest and largest probability it can take.
    public var range: ClosedRange<Double> {
        switch self {
        case .fixed(let p): return p...p
        case .uniform(let a, let b): return a...b
        case .triangular(let a, _, let b): return a...b
        }
    }

    /// As a person writes it in a scenario file.
    public var yamlText: String {
        let p = { Scalars.formatPercent($0, digits: 6) }
        switch self {
        case .fixed(let v): return p(v)
        case .uniform(let a, let b): return "{uniform: [\(p(a)), \(p(b))]}"
        case .triangular(let a, let c, let b): return "{triangular: [\(p(a)), \(p(c)), \(p(b))]}"
        }
    }
}

// The model module avoids importing libm names into users' namespaces; these two wrappers are all it needs.
@inline(__always) func _log(_ x: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.log(x)
    #elseif canImport(Musl)
    return Musl.log(x)
    #else
    return Darwin.log(x)
    #endif
}

@inline(__always) func _exp(_ x: Double) -> Double {
    #if canImport(Glibc)
    return Glibc.exp(x)
    #elseif canImport(Musl)
    return Musl.exp(x)
    #else
    return Darwin.exp(x)
    #endif
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

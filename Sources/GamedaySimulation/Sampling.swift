import GamedayModel
import GamedayRandom

/// A time distribution ready for the hot loop: one switch, no existentials, no allocation.
///
/// Built once per compiled scenario from the model's ``TimeDistribution``; sampled by inverse CDF
/// from exactly one uniform (spec section 1).
public enum TimeSampler: Sendable, Hashable {
    case constant(Double)
    case uniform(UniformDistribution)
    case triangular(TriangularDistribution)
    case exponential(ExponentialDistribution)
    case lognormal(LognormalDistribution)
    case empirical(EmpiricalDistribution)

    /// Builds the sampler of a validated distribution.
    public init(_ distribution: TimeDistribution) {
        // The loader has checked every parameter, so the samplers' own checks cannot fail here.
        switch distribution {
        case .constant(let c):
            self = .constant(c)
        case .uniform(let a, let b):
            self = a == b ? .constant(a) : .uniform(try! UniformDistribution(lower: a, upper: b))
        case .triangular(let a, let c, let b):
            self = a == b ? .constant(a) : .triangular(try! TriangularDistribution(minimum: a, mode: c, maximum: b))
        case .exponential(let mean):
            self = .exponential(try! ExponentialDistribution(mean: mean))
        case .lognormal(let median, let p90):
            self = .lognormal(try! LognormalDistribution(median: median, p90: p90))
        case .empirical(let values):
            self = values.count == 1 ? .constant(values[0]) : .empirical(try! EmpiricalDistribution(values))
        }
    }

    /// The value at uniform `u` (the inverse CDF).
    @inlinable
    public func quantile(_ u: Double) -> Double {
        switch self {
        case .constant(let c): return c
        case .uniform(let d): return d.quantile(u)
        case .triangular(let d): return d.quantile(u)
        case .exponential(let d): return d.quantile(u)
        case .lognormal(let d): return d.quantile(u)
        case .empirical(let d): return d.quantile(u)
        }
    }

    /// How an observed value fixes this draw's uniform (abduction, spec section 8).
    public func pin(_ value: Double) -> PinnedUniform? {
        switch self {
        case .constant(let c): return value == c ? .value(c) : nil
        case .uniform(let d): return d.pin(value)
        case .triangular(let d): return d.pin(value)
        case .exponential(let d): return d.pin(value)
        case .lognormal(let d): return d.pin(value)
        case .empirical(let d): return d.pin(value)
        }
    }

    /// Whether every draw gives the same value (no draw is needed).
    public var isConstant: Bool {
        if case .constant = self { return true }
        return false
    }

    /// The constant value, when the sampler is one.
    public var constantValue: Double? {
        if case .constant(let c) = self { return c }
        return nil
    }
}

/// A probability ready for the hot loop: fixed, or a belief drawn once per trial.
public enum ProbabilitySampler: Sendable, Hashable {
    case fixed(Double)
    case uniform(UniformDistribution)
    case triangular(TriangularDistribution)

    /// Builds the sampler of a validated probability.
    public init(_ value: ProbabilityValue) {
        switch value {
        case .fixed(let p): self = .fixed(p)
        case .uniform(let a, let b): self = a == b ? .fixed(a) : .uniform(try! UniformDistribution(lower: a, upper: b))
        case .triangular(let a, let c, let b): self = a == b ? .fixed(a) : .triangular(try! TriangularDistribution(minimum: a, mode: c, maximum: b))
        }
    }

    /// The probability at uniform `u`.
    @inlinable
    public func quantile(_ u: Double) -> Double {
        switch self {
        case .fixed(let p): return p
        case .uniform(let d): return d.quantile(u)
        case .triangular(let d): return d.quantile(u)
        }
    }

    /// The share of the belief at or below `p` (its CDF), to pin a belief by its quantile.
    public func cdf(_ p: Double) -> Double {
        switch self {
        case .fixed(let value): return p < value ? 0 : 1
        case .uniform(let d): return d.cdf(p)
        case .triangular(let d): return d.cdf(p)
        }
    }

    /// The fixed value, or nil for a belief.
    public var fixedValue: Double? {
        if case .fixed(let p) = self { return p }
        return nil
    }
}

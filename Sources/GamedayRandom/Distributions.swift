import RealModule

// Inverse-CDF samplers (spec sections 1 and 9).
//
// Every distribution is sampled from exactly one uniform `u` by its quantile
// function, which is pure and monotone non-decreasing in `u`. Counterfactual
// replay relies on that: a pinned draw keeps its quantile `u` and maps it
// through a variant's (possibly different) distribution, so a draw that was
// unlucky in the baseline stays unlucky in the variant.
//
// Uncertain probabilities (`{uniform: [60%, 90%]}`, `{triangular: [50%, 80%,
// 95%]}`) use the same ``UniformDistribution`` and
// ``TriangularDistribution`` over [0, 1].

/// Why a distribution's parameters were rejected.
public enum DistributionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A parameter is NaN or infinite.
    case notFinite(parameter: String)
    /// The bounds are out of order (`uniform` needs `lower <= upper`,
    /// `triangular` needs `min <= mode <= max`).
    case outOfOrder(String)
    /// A parameter that must be positive (a lognormal median) is not.
    case notPositive(parameter: String)
    /// A parameter that must not be negative (an exponential mean) is.
    case negative(parameter: String)
    /// A lognormal's p90 is below its median.
    case p90BelowMedian
    /// An empirical distribution has no values.
    case noValues

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .notFinite(let parameter): "\(parameter) must be a finite number"
        case .outOfOrder(let what): "\(what) must be in ascending order"
        case .notPositive(let parameter): "\(parameter) must be greater than zero"
        case .negative(let parameter): "\(parameter) must not be negative"
        case .p90BelowMedian: "p90 must not be below the median"
        case .noValues: "an empirical distribution needs at least one value"
        }
    }
}

/// The closed range `[lower, upper]` of values a distribution can produce.
///
/// `upper` is `+infinity` for the exponential and the lognormal. A loader
/// rejects a pinned value outside the support (spec section 8).
public struct Support: Sendable, Hashable {
    /// The smallest value the distribution can produce.
    public let lower: Double
    /// The largest value the distribution can produce (possibly `+infinity`).
    public let upper: Double

    /// Creates a support.
    ///
    /// - Parameters:
    ///   - lower: The smallest possible value.
    ///   - upper: The largest possible value (possibly `+infinity`).
    @inlinable
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// Whether `x` lies in `[lower, upper]` (false for NaN and for infinities).
    ///
    /// - Parameter x: A value.
    /// - Returns: `true` if the distribution can produce `x`.
    @inlinable
    public func contains(_ x: Double) -> Bool {
        x.isFinite && lower <= x && x <= upper
    }

    /// Whether the support is a single point.
    @inlinable
    public var isPoint: Bool {
        lower == upper
    }
}

/// A half-open interval `[lower, upper)` of uniforms, each of which yields the
/// same outcome: the answer of a yes/no draw, or one value of an empirical
/// distribution.
///
/// A counterfactual replay samples the pinned draw's uniform inside this
/// interval (``map(_:)``), so an event that failed in the baseline with
/// reliability 95% (`u` in [0.95, 1)) works under 99% reliability in
/// (0.99 - 0.95) / (1 - 0.95) = 80% of counterfactual trials.
public struct UniformInterval: Sendable, Hashable {
    /// The smallest uniform in the interval.
    public let lower: Double
    /// The first uniform past the interval.
    public let upper: Double

    /// Creates an interval; requires `0 <= lower < upper <= 1`.
    ///
    /// - Parameters:
    ///   - lower: The smallest uniform in the interval.
    ///   - upper: The first uniform past the interval.
    @inlinable
    public init(lower: Double, upper: Double) {
        precondition(0 <= lower && lower < upper && upper <= 1, "a uniform interval needs 0 <= lower < upper <= 1")
        self.lower = lower
        self.upper = upper
    }

    /// The uniforms for which an event of probability `p` did or did not
    /// happen (it happens when `u < p`): `[0, p)` or `[p, 1)`.
    ///
    /// - Parameters:
    ///   - probability: The event's probability `p` in [0, 1].
    ///   - happened: The observed answer.
    /// - Returns: The interval, or `nil` when the observed answer has
    ///   probability 0 (`happened` with `p == 0`, or not with `p == 1`).
    @inlinable
    public static func event(probability: Double, happened: Bool) -> UniformInterval? {
        precondition(probability >= 0 && probability <= 1, "a probability must lie in [0, 1]")
        if happened {
            return probability > 0 ? UniformInterval(lower: 0, upper: probability) : nil
        } else {
            return probability < 1 ? UniformInterval(lower: probability, upper: 1) : nil
        }
    }

    /// The interval's length: the probability of the outcome it stands for.
    @inlinable
    public var width: Double {
        upper - lower
    }

    /// Whether `u` lies in `[lower, upper)`.
    ///
    /// - Parameter u: A uniform.
    /// - Returns: `true` if `u` yields this interval's outcome.
    @inlinable
    public func contains(_ u: Double) -> Bool {
        lower <= u && u < upper
    }

    /// Maps a fresh uniform `v` in (0, 1) into the interval, monotonically:
    /// `lower + v * (upper - lower)`, kept inside `[lower, upper)`.
    ///
    /// - Parameter v: A fresh uniform (for example the draw's own `u`).
    /// - Returns: A uniform in `[lower, upper)`.
    @inlinable
    public func map(_ v: Double) -> Double {
        let u = lower + v * (upper - lower)
        return Swift.min(Swift.max(u, lower), upper.nextDown)
    }
}

/// How a pinned draw fixes its uniform (spec section 8, abduction).
public enum PinnedUniform: Sendable, Hashable {
    /// A continuous distribution: the value's quantile `u = F(x)`. Replaying
    /// `u` through the same distribution gives back `x` (to rounding); through
    /// a variant's distribution, the variant's value at the same quantile.
    case quantile(Double)
    /// A discrete outcome (an empirical value): any uniform in the interval
    /// yields the value; sample one with ``UniformInterval/map(_:)``.
    case interval(UniformInterval)
    /// A constant (or a distribution whose support is one point): no quantile
    /// carries information, so the pinned value is used as is (spec section 8).
    case value(Double)
}

/// A distribution sampled by inverse CDF from a single uniform.
public protocol InverseCDFDistribution: Sendable {
    /// The quantile function `F⁻¹(u)`: the draw for uniform `u`.
    ///
    /// Pure and monotone non-decreasing in `u`. Defined on [0, 1] (the
    /// endpoints give the support's bounds), though draws are in (0, 1).
    ///
    /// - Parameter u: A uniform in [0, 1].
    /// - Returns: The sampled value, inside ``support``.
    func quantile(_ u: Double) -> Double

    /// The cumulative distribution function `F(x) = P(X <= x)`.
    ///
    /// - Parameter x: A value.
    /// - Returns: A probability in [0, 1].
    func cdf(_ x: Double) -> Double

    /// The values the distribution can produce.
    var support: Support { get }

    /// The uniform that reproduces an observed value (spec section 8).
    ///
    /// - Parameter value: The observed value.
    /// - Returns: How to fix the draw's uniform, or `nil` when the value is
    ///   outside the support or has probability 0 (a load error).
    func pin(_ value: Double) -> PinnedUniform?
}

extension InverseCDFDistribution {
    /// Samples the distribution for one draw address in one trial:
    /// `quantile(uniform(key: key, trial: trial))`.
    ///
    /// - Parameters:
    ///   - key: The draw address's key.
    ///   - trial: The trial index.
    /// - Returns: The sampled value.
    @inlinable
    public func sample(key: DrawKey, trial: UInt64) -> Double {
        quantile(uniform(key: key, trial: trial))
    }
}

/// A constant: every draw gives the same value.
public struct ConstantDistribution: InverseCDFDistribution, Hashable {
    /// The value.
    public let value: Double

    /// Creates a constant.
    ///
    /// - Parameter value: The value (finite).
    /// - Throws: ``DistributionError/notFinite(parameter:)``.
    @inlinable
    public init(_ value: Double) throws(DistributionError) {
        guard value.isFinite else { throw .notFinite(parameter: "value") }
        self.value = value
    }

    /// Returns ``value`` for every `u`.
    @inlinable
    public func quantile(_ u: Double) -> Double {
        value
    }

    /// 0 below ``value``, 1 from ``value`` on.
    @inlinable
    public func cdf(_ x: Double) -> Double {
        x >= value ? 1 : 0
    }

    /// `[value, value]`.
    @inlinable
    public var support: Support {
        Support(lower: value, upper: value)
    }

    /// ``PinnedUniform/value(_:)`` when `value` equals the constant, else `nil`.
    @inlinable
    public func pin(_ value: Double) -> PinnedUniform? {
        value == self.value ? .value(value) : nil
    }
}

/// The continuous uniform distribution on `[lower, upper]`:
/// `F⁻¹(u) = lower + u (upper - lower)`.
///
/// Also an uncertain probability `{uniform: [lo, hi]}` with bounds in [0, 1].
public struct UniformDistribution: InverseCDFDistribution, Hashable {
    /// The lower bound.
    public let lower: Double
    /// The upper bound.
    public let upper: Double

    /// Creates a uniform distribution; `lower == upper` is a constant.
    ///
    /// - Parameters:
    ///   - lower: The lower bound (finite).
    ///   - upper: The upper bound (finite, `>= lower`).
    /// - Throws: ``DistributionError/notFinite(parameter:)``,
    ///   ``DistributionError/outOfOrder(_:)``.
    @inlinable
    public init(lower: Double, upper: Double) throws(DistributionError) {
        guard lower.isFinite else { throw .notFinite(parameter: "lower") }
        guard upper.isFinite else { throw .notFinite(parameter: "upper") }
        guard lower <= upper else { throw .outOfOrder("uniform bounds") }
        self.lower = lower
        self.upper = upper
    }

    /// `lower + u (upper - lower)`, kept inside the bounds.
    @inlinable
    public func quantile(_ u: Double) -> Double {
        Swift.min(Swift.max(lower + u * (upper - lower), lower), upper)
    }

    /// `(x - lower) / (upper - lower)` inside the bounds.
    @inlinable
    public func cdf(_ x: Double) -> Double {
        if x < lower { return 0 }
        if x >= upper { return 1 }
        return Swift.min(1, (x - lower) / (upper - lower))
    }

    /// `[lower, upper]`.
    @inlinable
    public var support: Support {
        Support(lower: lower, upper: upper)
    }

    /// The value's quantile, or ``PinnedUniform/value(_:)`` when the bounds are equal.
    @inlinable
    public func pin(_ value: Double) -> PinnedUniform? {
        guard support.contains(value) else { return nil }
        return lower == upper ? .value(value) : .quantile(cdf(value))
    }
}

/// The triangular distribution with minimum `a`, mode `b` and maximum `c`.
///
/// `F(x) = (x - a)² / ((b - a)(c - a))` up to the mode and
/// `1 - (c - x)² / ((c - a)(c - b))` after it; the quantile inverts each
/// branch. A mode equal to the minimum or the maximum is allowed (a right or
/// left triangle), and `a == c` is a constant. Also an uncertain probability
/// `{triangular: [a, b, c]}` with values in [0, 1].
public struct TriangularDistribution: InverseCDFDistribution, Hashable {
    /// The minimum `a`.
    public let minimum: Double
    /// The mode `b`.
    public let mode: Double
    /// The maximum `c`.
    public let maximum: Double

    /// Creates a triangular distribution.
    ///
    /// - Parameters:
    ///   - minimum: The minimum `a` (finite).
    ///   - mode: The mode `b` (finite, `a <= b`).
    ///   - maximum: The maximum `c` (finite, `b <= c`).
    /// - Throws: ``DistributionError/notFinite(parameter:)``,
    ///   ``DistributionError/outOfOrder(_:)``.
    @inlinable
    public init(minimum: Double, mode: Double, maximum: Double) throws(DistributionError) {
        guard minimum.isFinite else { throw .notFinite(parameter: "min") }
        guard mode.isFinite else { throw .notFinite(parameter: "mode") }
        guard maximum.isFinite else { throw .notFinite(parameter: "max") }
        guard minimum <= mode && mode <= maximum else { throw .outOfOrder("triangular min, mode and max") }
        self.minimum = minimum
        self.mode = mode
        self.maximum = maximum
    }

    /// The quantile, by branch: `a + √(u (c - a)(b - a))` below `F(b)`,
    /// `c - √((1 - u)(c - a)(c - b))` from `F(b)` on. Each branch is clamped
    /// to its side of the mode so rounding cannot break monotonicity.
    @inlinable
    public func quantile(_ u: Double) -> Double {
        let a = minimum, b = mode, c = maximum
        if a == c { return a }
        let modeProbability = (b - a) / (c - a)
        if u < modeProbability {
            let x = a + (u * ((c - a) * (b - a))).squareRoot()
            return Swift.min(Swift.max(x, a), b)
        } else {
            let x = c - ((1 - u) * ((c - a) * (c - b))).squareRoot()
            return Swift.min(Swift.max(x, b), c)
        }
    }

    /// The CDF (see the type's documentation).
    @inlinable
    public func cdf(_ x: Double) -> Double {
        let a = minimum, b = mode, c = maximum
        if x < a { return 0 }
        if x >= c { return 1 }
        if x <= b {
            return Swift.min(1, (x - a) * (x - a) / ((b - a) * (c - a)))
        }
        return Swift.max(0, 1 - (c - x) * (c - x) / ((c - a) * (c - b)))
    }

    /// `[minimum, maximum]`.
    @inlinable
    public var support: Support {
        Support(lower: minimum, upper: maximum)
    }

    /// The value's quantile, or ``PinnedUniform/value(_:)`` when `a == c`.
    @inlinable
    public func pin(_ value: Double) -> PinnedUniform? {
        guard support.contains(value) else { return nil }
        return minimum == maximum ? .value(value) : .quantile(cdf(value))
    }
}

/// The exponential distribution with a given mean:
/// `F⁻¹(u) = -mean · log1p(-u)`, `F(x) = -expm1(-x / mean)`.
///
/// A mean of 0 is a constant 0.
public struct ExponentialDistribution: InverseCDFDistribution, Hashable {
    /// The mean.
    public let mean: Double

    /// Creates an exponential distribution.
    ///
    /// - Parameter mean: The mean (finite, not negative).
    /// - Throws: ``DistributionError/notFinite(parameter:)``,
    ///   ``DistributionError/negative(parameter:)``.
    @inlinable
    public init(mean: Double) throws(DistributionError) {
        guard mean.isFinite else { throw .notFinite(parameter: "mean") }
        guard mean >= 0 else { throw .negative(parameter: "mean") }
        self.mean = mean
    }

    /// `-mean · log1p(-u)`; `+infinity` for `u == 1`.
    @inlinable
    public func quantile(_ u: Double) -> Double {
        if mean == 0 { return 0 }
        return Swift.max(0, -mean * Double.log(onePlus: -u))
    }

    /// `1 - exp(-x / mean)`, via `expm1` for accuracy at small `x`.
    @inlinable
    public func cdf(_ x: Double) -> Double {
        if x < 0 { return 0 }
        if mean == 0 { return 1 }
        return -Double.expMinusOne(-x / mean)
    }

    /// `[0, +infinity]` (or `[0, 0]` for a zero mean).
    @inlinable
    public var support: Support {
        Support(lower: 0, upper: mean == 0 ? 0 : .infinity)
    }

    /// The value's quantile, or ``PinnedUniform/value(_:)`` for a zero mean.
    @inlinable
    public func pin(_ value: Double) -> PinnedUniform? {
        guard support.contains(value) else { return nil }
        return mean == 0 ? .value(value) : .quantile(cdf(value))
    }
}

/// The lognormal distribution given by its median and 90th percentile:
/// `sigma = ln(p90 / median) / z90` with `z90 = Φ⁻¹(0.9)`
/// (``StandardNormal/z90``), and `F⁻¹(u) = median · exp(sigma · Φ⁻¹(u))`.
///
/// `quantile(0.5)` is exactly the median. `p90 == median` gives `sigma = 0`,
/// a constant.
public struct LognormalDistribution: InverseCDFDistribution, Hashable {
    /// The median, `exp(mu)`.
    public let median: Double
    /// The standard deviation of `ln X`.
    public let sigma: Double

    /// Creates a lognormal distribution from its median and 90th percentile.
    ///
    /// - Parameters:
    ///   - median: The median (finite, positive).
    ///   - p90: The 90th percentile (finite, `>= median`).
    /// - Throws: ``DistributionError/notFinite(parameter:)``,
    ///   ``DistributionError/notPositive(parameter:)``,
    ///   ``DistributionError/p90BelowMedian``.
    @inlinable
    public init(median: Double, p90: Double) throws(DistributionError) {
        guard median.isFinite else { throw .notFinite(parameter: "median") }
        guard p90.isFinite else { throw .notFinite(parameter: "p90") }
        guard median > 0 else { throw .notPositive(parameter: "median") }
        guard p90 >= median else { throw .p90BelowMedian }
        try self.init(median: median, sigma: Double.log(p90 / median) / StandardNormal.z90)
    }

    /// Creates a lognormal distribution from its median and `sigma`.
    ///
    /// - Parameters:
    ///   - median: The median (finite, positive).
    ///   - sigma: The standard deviation of `ln X` (finite, not negative).
    /// - Throws: ``DistributionError/notFinite(parameter:)``,
    ///   ``DistributionError/notPositive(parameter:)``,
    ///   ``DistributionError/negative(parameter:)``.
    @inlinable
    public init(median: Double, sigma: Double) throws(DistributionError) {
        guard median.isFinite else { throw .notFinite(parameter: "median") }
        guard sigma.isFinite else { throw .notFinite(parameter: "sigma") }
        guard median > 0 else { throw .notPositive(parameter: "median") }
        guard sigma >= 0 else { throw .negative(parameter: "sigma") }
        self.median = median
        self.sigma = sigma
    }

    /// The 90th percentile, `median · exp(sigma · z90)`.
    @inlinable
    public var p90: Double {
        median * Double.exp(sigma * StandardNormal.z90)
    }

    /// `median · exp(sigma · Φ⁻¹(u))`; 0 for `u == 0`, `+infinity` for `u == 1`.
    ///
    /// Non-decreasing in `u` up to rounding: ``StandardNormal/quantile(_:)``
    /// is a rational approximation evaluated in double precision, so between
    /// neighbouring uniforms it can step back by a few ulps (a relative
    /// 1e-15); on any coarser scale it is increasing.
    @inlinable
    public func quantile(_ u: Double) -> Double {
        if sigma == 0 { return median }
        return median * Double.exp(sigma * StandardNormal.quantile(u))
    }

    /// `Φ(ln(x / median) / sigma)`.
    @inlinable
    public func cdf(_ x: Double) -> Double {
        if sigma == 0 { return x >= median ? 1 : 0 }
        if x <= 0 { return 0 }
        return StandardNormal.cdf(Double.log(x / median) / sigma)
    }

    /// `[0, +infinity]` (or `[median, median]` when `sigma == 0`).
    @inlinable
    public var support: Support {
        sigma == 0 ? Support(lower: median, upper: median) : Support(lower: 0, upper: .infinity)
    }

    /// The value's quantile, or ``PinnedUniform/value(_:)`` when `sigma == 0`.
    @inlinable
    public func pin(_ value: Double) -> PinnedUniform? {
        guard support.contains(value) else { return nil }
        return sigma == 0 ? .value(value) : .quantile(cdf(value))
    }
}

/// Resampling of observed values with equal weight (`{empirical: [...]}`).
///
/// The values are sorted ascending; the draw for `u` is
/// `values[min(n - 1, floor(u · n))]`.
public struct EmpiricalDistribution: InverseCDFDistribution, Hashable {
    /// The observed values, sorted ascending.
    public let values: [Double]

    /// Creates an empirical distribution (the values are sorted here).
    ///
    /// - Parameter values: The observed values (finite, at least one).
    /// - Throws: ``DistributionError/noValues``,
    ///   ``DistributionError/notFinite(parameter:)``.
    @inlinable
    public init(_ values: [Double]) throws(DistributionError) {
        guard !values.isEmpty else { throw .noValues }
        for value in values where !value.isFinite {
            throw .notFinite(parameter: "an empirical value")
        }
        self.values = values.sorted()
    }

    /// The index drawn for `u`: `min(n - 1, floor(u · n))`.
    ///
    /// - Parameter u: A uniform in [0, 1].
    /// - Returns: An index into ``values``.
    @inlinable
    public func index(_ u: Double) -> Int {
        let n = values.count
        let scaled = u * Double(n)
        return scaled >= Double(n - 1) ? n - 1 : Swift.max(0, Int(scaled))
    }

    /// `values[index(u)]`.
    @inlinable
    public func quantile(_ u: Double) -> Double {
        values[index(u)]
    }

    /// The share of values `<= x`.
    @inlinable
    public func cdf(_ x: Double) -> Double {
        var low = 0, high = values.count  // first index with values[i] > x
        while low < high {
            let middle = (low + high) / 2
            if values[middle] <= x { low = middle + 1 } else { high = middle }
        }
        return Double(low) / Double(values.count)
    }

    /// `[smallest value, largest value]`.
    @inlinable
    public var support: Support {
        Support(lower: values[0], upper: values[values.count - 1])
    }

    /// The interval of uniforms that yields `value`, or `nil` if it is not
    /// one of the observed values.
    ///
    /// The bounds are `first / n` and `(last + 1) / n` for the first and last
    /// index holding the value, nudged by an ulp where floating-point
    /// rounding of `u · n` moves the boundary, so that the interval is exactly
    /// the set of uniforms that yield `value`.
    ///
    /// - Parameter value: An observed value.
    /// - Returns: The interval, or `nil`.
    @inlinable
    public func uniformInterval(for value: Double) -> UniformInterval? {
        guard let first = values.firstIndex(of: value), let last = values.lastIndex(of: value) else {
            return nil
        }
        let n = Double(values.count)
        // `index` is non-decreasing in u, so checking an endpoint and its
        // neighbour makes the interval exact: [lower, upper) is precisely the
        // set of doubles whose index lies in first...last.
        var lower = Double(first) / n
        while index(lower) < first {
            lower = lower.nextUp
        }
        while lower > 0 && index(lower.nextDown) >= first {
            lower = lower.nextDown
        }
        var upper = last == values.count - 1 ? 1.0 : Double(last + 1) / n
        while index(upper.nextDown) > last {
            upper = upper.nextDown
        }
        while upper < 1 && index(upper) <= last {
            upper = upper.nextUp
        }
        return UniformInterval(lower: lower, upper: upper)
    }

    /// ``PinnedUniform/interval(_:)`` from ``uniformInterval(for:)``.
    @inlinable
    public func pin(_ value: Double) -> PinnedUniform? {
        uniformInterval(for: value).map { .interval($0) }
    }
}

/// Any of the scenario format's time distributions (spec section 1).
public enum Distribution: InverseCDFDistribution, Hashable {
    /// `delay: 5m`.
    case constant(ConstantDistribution)
    /// `{uniform: [2m, 10m]}`.
    case uniform(UniformDistribution)
    /// `{triangular: [2m, 5m, 30m]}`.
    case triangular(TriangularDistribution)
    /// `{exponential: {mean: 10m}}`.
    case exponential(ExponentialDistribution)
    /// `{lognormal: {median: 5m, p90: 20m}}`.
    case lognormal(LognormalDistribution)
    /// `{empirical: [3m, 5m, 7m, 31m]}`.
    case empirical(EmpiricalDistribution)

    /// The wrapped distribution's quantile.
    @inlinable
    public func quantile(_ u: Double) -> Double {
        switch self {
        case .constant(let d): d.quantile(u)
        case .uniform(let d): d.quantile(u)
        case .triangular(let d): d.quantile(u)
        case .exponential(let d): d.quantile(u)
        case .lognormal(let d): d.quantile(u)
        case .empirical(let d): d.quantile(u)
        }
    }

    /// The wrapped distribution's CDF.
    @inlinable
    public func cdf(_ x: Double) -> Double {
        switch self {
        case .constant(let d): d.cdf(x)
        case .uniform(let d): d.cdf(x)
        case .triangular(let d): d.cdf(x)
        case .exponential(let d): d.cdf(x)
        case .lognormal(let d): d.cdf(x)
        case .empirical(let d): d.cdf(x)
        }
    }

    /// The wrapped distribution's support.
    @inlinable
    public var support: Support {
        switch self {
        case .constant(let d): d.support
        case .uniform(let d): d.support
        case .triangular(let d): d.support
        case .exponential(let d): d.support
        case .lognormal(let d): d.support
        case .empirical(let d): d.support
        }
    }

    /// The wrapped distribution's pin.
    @inlinable
    public func pin(_ value: Double) -> PinnedUniform? {
        switch self {
        case .constant(let d): d.pin(value)
        case .uniform(let d): d.pin(value)
        case .triangular(let d): d.pin(value)
        case .exponential(let d): d.pin(value)
        case .lognormal(let d): d.pin(value)
        case .empirical(let d): d.pin(value)
        }
    }
}

import GamedayRandom

/// A two-sided confidence interval `[lower, upper]` with finite bounds.
///
/// Every interval in this module measures Monte Carlo error: what running
/// more trials would change, not the model's own uncertainty.
public struct ConfidenceInterval: Sendable, Hashable, Codable {
    /// The lower bound.
    public var lower: Double
    /// The upper bound.
    public var upper: Double

    /// Creates an interval.
    ///
    /// - Parameters:
    ///   - lower: The lower bound.
    ///   - upper: The upper bound (`>= lower`).
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }

    /// Half the interval's width.
    public var halfWidth: Double {
        (upper - lower) / 2
    }

    /// Whether `x` lies in `[lower, upper]`.
    ///
    /// - Parameter x: A value.
    /// - Returns: `true` if `lower <= x <= upper`.
    public func contains(_ x: Double) -> Bool {
        lower <= x && x <= upper
    }
}

/// Two-sided standard normal critical values.
public enum Confidence {
    /// `Φ⁻¹(0.975)`: the z of a two-sided 95% interval.
    public static let z95: Double = 1.959963984540054
    /// `Φ⁻¹(0.9995)`: the z of a two-sided 99.9% interval.
    public static let z999: Double = 3.2905267314919255

    /// The z of a two-sided interval of the given confidence level,
    /// `Φ⁻¹((1 + level) / 2)`; exactly ``z95`` for 0.95 and ``z999`` for 0.999.
    ///
    /// - Parameter level: The confidence level, in (0, 1).
    /// - Returns: The critical value.
    public static func z(confidence level: Double) -> Double {
        precondition(level > 0 && level < 1, "a confidence level lies in (0, 1)")
        if level == 0.95 { return z95 }
        if level == 0.999 { return z999 }
        return StandardNormal.quantile((1 + level) / 2)
    }
}

/// The Wilson score interval for a binomial proportion.
public enum Wilson {
    /// The Wilson score interval for `successes` out of `trials`.
    ///
    /// With `p = k / n`:
    ///
    /// ```
    /// center = (p + z² / 2n) / (1 + z² / n)
    /// half   = z / (1 + z² / n) · sqrt(p (1 - p) / n + z² / 4n²)
    /// ```
    ///
    /// The bounds are clamped to [0, 1], and are exactly 0 for `k == 0` and
    /// exactly 1 for `k == n`. No trials (`n == 0`) gives [0, 1].
    ///
    /// - Parameters:
    ///   - successes: The number of successes `k` (`0 <= k <= n`).
    ///   - trials: The number of trials `n`.
    ///   - z: The critical value (default ``Confidence/z95``).
    /// - Returns: The interval.
    public static func interval<Count: BinaryInteger>(
        successes: Count, trials: Count, z: Double = Confidence.z95
    ) -> ConfidenceInterval {
        precondition(successes >= 0 && successes <= trials, "Wilson needs 0 <= successes <= trials")
        if trials == 0 { return ConfidenceInterval(lower: 0, upper: 1) }
        let n = Double(trials), k = Double(successes)
        let p = k / n
        let z2 = z * z
        let denominator = 1 + z2 / n
        let center = (p + z2 / (2 * n)) / denominator
        let half = z / denominator * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()
        let lower = successes == 0 ? 0 : max(0, center - half)
        let upper = successes == trials ? 1 : min(1, center + half)
        return ConfidenceInterval(lower: lower, upper: upper)
    }
}

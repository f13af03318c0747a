import RealModule

/// Distribution-free confidence intervals for quantiles from order statistics.
public enum OrderStatistics {
    /// Sample sizes up to this use the exact binomial distribution; larger
    /// ones its normal approximation with continuity correction.
    public static let exactBinomialMaximumCount: UInt64 = 1000

    /// The ranks `l <= u` of the order statistics that bound the p-quantile
    /// `ξ` with the given confidence: `P(X_(l) <= ξ <= X_(u)) >= confidence`.
    ///
    /// The number `B` of sample values below `ξ` is Binomial(n, p), and
    /// `X_(l) > ξ` exactly when `B < l`. With `α = 1 - confidence`, `l` is
    /// the largest rank with `P(B <= l - 1) <= α/2` and `u` the smallest with
    /// `P(B <= u - 1) >= 1 - α/2`, so each side misses with probability at
    /// most `α/2`. For `n <= 1000` the binomial CDF is computed exactly; above
    /// that, with the normal approximation and continuity correction:
    /// `l = floor(np - zσ + 1/2)`, `u = ceil(np + zσ + 1/2)`,
    /// `σ = sqrt(np(1 - p))`.
    ///
    /// - Parameters:
    ///   - p: The quantile's probability, in (0, 1).
    ///   - count: The sample size `n >= 1`.
    ///   - confidence: The two-sided confidence level (default 0.95).
    /// - Returns: The ranks, `nil` where the bound falls outside `1...n` (the
    ///   interval is unbounded on that side).
    public static func confidenceRanks(
        _ p: Double, count: UInt64, confidence: Double = 0.95
    ) -> (lower: UInt64?, upper: UInt64?) {
        precondition(p > 0 && p < 1, "a quantile interval needs p in (0, 1)")
        precondition(confidence > 0 && confidence < 1, "a confidence level lies in (0, 1)")
        precondition(count >= 1, "a quantile interval needs at least one value")
        let alpha = 1 - confidence
        if count > exactBinomialMaximumCount {
            let n = Double(count)
            let z = Confidence.z(confidence: confidence)
            let sigma = (n * p * (1 - p)).squareRoot()
            let lower = (n * p - z * sigma + 0.5).rounded(.down)
            let upper = (n * p + z * sigma + 0.5).rounded(.up)
            return (lower >= 1 ? UInt64(lower) : nil, upper <= n ? UInt64(upper) : nil)
        }
        let cdf = binomialCDF(count: Int(count), p: p)  // cdf[k] = P(B <= k)
        var lower: UInt64?
        for l in stride(from: Int(count), through: 1, by: -1) where cdf[l - 1] <= alpha / 2 {
            lower = UInt64(l)
            break
        }
        var upper: UInt64?
        for u in 1...Int(count) where cdf[u - 1] >= 1 - alpha / 2 {
            upper = UInt64(u)
            break
        }
        return (lower, upper)
    }

    /// `P(B <= k)` for `k` in `0...n`, `B ~ Binomial(n, p)`, from the
    /// probability mass function computed in log space.
    ///
    /// - Parameters:
    ///   - count: `n >= 0`.
    ///   - p: The success probability, in (0, 1).
    /// - Returns: `n + 1` cumulative probabilities (the last is 1).
    public static func binomialCDF(count n: Int, p: Double) -> [Double] {
        precondition(n >= 0 && p > 0 && p < 1, "binomialCDF needs n >= 0 and p in (0, 1)")
        let logOdds = Double.log(p) - Double.log(onePlus: -p)
        var logMass = Double(n) * Double.log(onePlus: -p)  // log P(B = 0)
        var cumulative = 0.0
        var result = [Double](repeating: 0, count: n + 1)
        for k in 0...n {
            cumulative += Double.exp(logMass)
            result[k] = min(1, cumulative)
            if k < n {
                logMass += Double.log(Double(n - k) / Double(k + 1)) + logOdds
            }
        }
        result[n] = 1
        return result
    }
}

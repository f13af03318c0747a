/// Count, mean and sum of squared deviations of a sample, updated one value
/// at a time (Welford) and merged pairwise (Chan, Golub and LeVeque).
///
/// ## Reproducibility
///
/// Every operation is a fixed sequence of IEEE-754 additions,
/// multiplications, divisions and square roots (Swift does not contract
/// them into fused multiply-adds), so adding the same values in the same
/// order, and merging the same accumulators in the same order, gives
/// bit-identical results on every machine and thread count.
///
/// The merge is *not* associative in floating point: `(a + b) + c` and
/// `a + (b + c)` can differ in the last bits. Results are therefore defined
/// by a fixed reduction shape: trials are added in index order within fixed
/// blocks (``BlockReduction/blockSize``) and the blocks are folded in block
/// order (``BlockReduction/fold(_:)``). A shard that covers part of a run
/// keeps its per-block accumulators (``BlockStates``) so that the merged run
/// refolds every block in order and matches a single run bit for bit.
public struct MomentAccumulator: BlockAccumulator, Hashable, Codable {
    /// The number of values added.
    public private(set) var count: Int
    /// The running mean (0 when empty).
    public private(set) var mean: Double
    /// The sum of squared deviations from the mean, `Σ (x - mean)²`.
    public private(set) var m2: Double

    /// Creates an empty accumulator.
    public init() {
        count = 0
        mean = 0
        m2 = 0
    }

    /// Restores an accumulator from its state (for example one read from a
    /// shard's file).
    ///
    /// - Parameters:
    ///   - count: The number of values (`>= 0`).
    ///   - mean: Their mean (0 when `count == 0`).
    ///   - m2: Their sum of squared deviations (`>= 0`).
    public init(count: Int, mean: Double, m2: Double) {
        precondition(count >= 0 && mean.isFinite && m2.isFinite && m2 >= 0, "invalid moment state")
        self.count = count
        self.mean = mean
        self.m2 = m2
    }

    /// Adds one value (Welford's update).
    ///
    /// ```
    /// n += 1; delta = x - mean; mean += delta / n; m2 += delta * (x - mean)
    /// ```
    ///
    /// - Parameter x: A finite value.
    public mutating func add(_ x: Double) {
        precondition(x.isFinite, "MomentAccumulator.add needs a finite value")
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
    }

    /// Merges another accumulator into this one (Chan et al.'s formula).
    ///
    /// ```
    /// n = nA + nB; delta = meanB - meanA
    /// mean = meanA + delta * (nB / n)
    /// m2 = m2A + m2B + delta * delta * (nA * nB / n)
    /// ```
    ///
    /// An empty side is an exact identity. See the type's documentation on
    /// merge order.
    ///
    /// - Parameter other: The accumulator of the values that come after this
    ///   one's in the reduction order.
    public mutating func merge(_ other: MomentAccumulator) {
        if other.count == 0 { return }
        if count == 0 {
            self = other
            return
        }
        let na = Double(count), nb = Double(other.count)
        let total = count + other.count
        let n = Double(total)
        let delta = other.mean - mean
        mean += delta * (nb / n)
        m2 += other.m2 + delta * delta * (na * nb / n)
        count = total
    }

    /// The sample variance `m2 / (n - 1)`, or `nil` below two values.
    public var variance: Double? {
        count >= 2 ? m2 / Double(count - 1) : nil
    }

    /// The sample standard deviation, or `nil` below two values.
    public var standardDeviation: Double? {
        variance.map { $0.squareRoot() }
    }

    /// The standard error of the mean, `sqrt(variance / n)`, or `nil` below two values.
    public var standardError: Double? {
        variance.map { ($0 / Double(count)).squareRoot() }
    }

    /// The half-width of the interval for the mean at a confidence level:
    /// `q · standardError`, with `q` Student's t quantile with `n - 1`
    /// degrees of freedom below 30 values and the normal quantile from 30 on.
    ///
    /// - Parameter confidence: The two-sided confidence level (default 0.95).
    /// - Returns: The half-width, or `nil` below two values.
    public func meanHalfWidth(confidence: Double = 0.95) -> Double? {
        guard let standardError else { return nil }
        return MomentAccumulator.criticalValue(confidence: confidence, count: count) * standardError
    }

    /// The interval for the mean at a confidence level (see ``meanHalfWidth(confidence:)``).
    ///
    /// - Parameter confidence: The two-sided confidence level (default 0.95).
    /// - Returns: `mean ± halfWidth`, or `nil` below two values.
    public func meanInterval(confidence: Double = 0.95) -> ConfidenceInterval? {
        guard let half = meanHalfWidth(confidence: confidence) else { return nil }
        return ConfidenceInterval(lower: mean - half, upper: mean + half)
    }

    /// The normal-approximation interval for the mean, `mean ± z · standardError`.
    ///
    /// - Parameter z: The critical value (for example ``Confidence/z95``).
    /// - Returns: The interval, or `nil` below two values.
    public func meanInterval(z: Double) -> ConfidenceInterval? {
        guard let standardError else { return nil }
        return ConfidenceInterval(lower: mean - z * standardError, upper: mean + z * standardError)
    }

    /// The sample size from which intervals use the normal quantile instead of Student's t.
    public static let normalApproximationMinimumCount = 30

    /// The critical value used for `count` values: Student's t with
    /// `count - 1` degrees of freedom below
    /// ``normalApproximationMinimumCount``, the normal quantile from there on.
    ///
    /// - Parameters:
    ///   - confidence: The two-sided confidence level.
    ///   - count: The sample size (`>= 2`).
    /// - Returns: The critical value.
    public static func criticalValue(confidence: Double, count: Int) -> Double {
        precondition(count >= 2, "an interval needs at least two values")
        if count < normalApproximationMinimumCount {
            return StudentT.quantile((1 + confidence) / 2, degreesOfFreedom: count - 1)
        }
        return Confidence.z(confidence: confidence)
    }
}

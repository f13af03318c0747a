/// A histogram of non-negative values with fixed log-linear bins, integer
/// counts and exact merging (spec section 11).
///
/// ## Bins
///
/// A positive finite double `x = 2^e · (1 + f)` falls in the bin given by its
/// binary exponent `e` and the top 10 bits of its fraction `f`: the bin key is
/// `x.bitPattern >> 42` (the 11 exponent bits and 10 fraction bits), which
/// increases with `x`. A bin `[2^e (1 + m/1024), 2^e (1 + (m+1)/1024))` is at
/// most `2^-10 ≈ 0.098%` wide relative to its lower bound (subnormal values,
/// below 2.2e-308, get coarser bins). Zero has a bin of its own and is exact.
/// Bins depend on nothing but the value, so histograms of the same metric
/// always share bins and merge by adding counts.
///
/// Negative values, NaN and infinities are rejected by a precondition: run
/// metrics (times, failed requests, shares) are never negative, and signed
/// paired differences go to a ``MomentAccumulator`` instead.
///
/// ## Storage
///
/// Counts are `UInt64` in a dense array over the range of bin keys seen so far
/// (8 KiB per octave of values spanned, 2^21 bins at most), so ``add(_:)``
/// is an index computation and an increment; it allocates only when a value
/// falls outside every octave seen so far (warm-up). Keep one histogram per
/// metric and worker and ``merge(_:)`` them: merging is exact and its order
/// does not matter. ``State`` is the sparse, serializable form.
///
/// ## Quantiles
///
/// ``quantile(_:)`` uses the nearest-rank definition: the value of rank
/// `ceil(p · n)` in sorted order, reported as the midpoint of its bin clamped
/// to the exact `[minimum, maximum]` (so a constant sample reports the
/// constant exactly, and the error is at most half a bin, 0.05%); the first
/// and last ranks report the exact minimum and maximum.
public struct LogLinearHistogram: BlockAccumulator, Hashable, Codable {
    /// The number of fraction bits that select a bin within an octave.
    public static let subBucketBits = 10
    /// The largest relative width of a bin (of normal doubles): `2^-10`.
    public static let maximumRelativeBinWidth: Double = 0x1p-10

    /// The number of bins per octave.
    static let binsPerOctave = 1 << 10
    /// One past the largest key of a finite positive double.
    static let keyLimit = 0x7FF << 10

    /// Dense counts for keys `firstKey ..< firstKey + counts.count`.
    var counts: [UInt64]
    /// The key of `counts[0]`.
    var firstKey: Int
    /// The number of zeros added.
    public private(set) var zeroCount: UInt64
    /// The number of values added (zeros included).
    public private(set) var count: UInt64
    /// The smallest value added (`+infinity` while empty).
    var minimumValue: Double
    /// The largest value added (`-infinity` while empty).
    var maximumValue: Double

    /// Creates an empty histogram.
    public init() {
        counts = []
        firstKey = 0
        zeroCount = 0
        count = 0
        minimumValue = .infinity
        maximumValue = -.infinity
    }

    /// The smallest value added, exactly, or `nil` when empty.
    public var minimum: Double? {
        count > 0 ? minimumValue : nil
    }

    /// The largest value added, exactly, or `nil` when empty.
    public var maximum: Double? {
        count > 0 ? maximumValue : nil
    }

    /// Whether no value has been added.
    public var isEmpty: Bool {
        count == 0
    }

    /// The bin key of a positive finite value: `x.bitPattern >> 42`.
    ///
    /// - Parameter x: A positive finite value.
    /// - Returns: The key, in `0 ..< 0x7FF << 10`.
    public static func binKey(_ x: Double) -> Int {
        Int(truncatingIfNeeded: x.bitPattern >> 42)
    }

    /// The half-open range of values `[lower, upper)` in a bin.
    ///
    /// - Parameter key: A bin key from ``binKey(_:)``.
    /// - Returns: The bin's bounds (the last bin's upper bound is `+infinity`).
    public static func binBounds(key: Int) -> (lower: Double, upper: Double) {
        (Double(bitPattern: UInt64(key) << 42), Double(bitPattern: UInt64(key + 1) << 42))
    }

    /// Adds one value.
    ///
    /// - Parameter x: A finite value `>= 0` (`-0.0` counts as zero).
    public mutating func add(_ x: Double) {
        precondition(x >= 0 && x < .infinity, "LogLinearHistogram.add needs a finite value >= 0")
        let value = x + 0  // turns -0.0 into +0.0
        count += 1
        if value < minimumValue { minimumValue = value }
        if value > maximumValue { maximumValue = value }
        if value == 0 {
            zeroCount += 1
            return
        }
        let key = LogLinearHistogram.binKey(value)
        let index = key &- firstKey
        if index >= 0 && index < counts.count {
            counts[index] += 1
        } else {
            include(keys: key...key)
            counts[key - firstKey] += 1
        }
    }

    /// Widens the dense range to cover `keys`, in whole octaves, with slack
    /// of half the current span on the side that grows.
    mutating func include(keys: ClosedRange<Int>) {
        let octave = LogLinearHistogram.binsPerOctave
        if counts.isEmpty {
            firstKey = keys.lowerBound / octave * octave
            let end = (keys.upperBound / octave + 1) * octave
            counts = [UInt64](repeating: 0, count: end - firstKey)
            return
        }
        let end = firstKey + counts.count
        let slack = counts.count / 2
        var newFirst = firstKey, newEnd = end
        if keys.lowerBound < firstKey {
            newFirst = max(0, min(keys.lowerBound, firstKey - slack)) / octave * octave
        }
        if keys.upperBound >= end {
            newEnd = min(LogLinearHistogram.keyLimit, (max(keys.upperBound, end + slack) / octave + 1) * octave)
        }
        if newFirst == firstKey && newEnd == end { return }
        var widened = [UInt64](repeating: 0, count: newEnd - newFirst)
        let offset = firstKey - newFirst
        for i in counts.indices where counts[i] != 0 {
            widened[offset + i] = counts[i]
        }
        counts = widened
        firstKey = newFirst
    }

    /// Adds another histogram's counts: exact, commutative and associative.
    ///
    /// - Parameter other: Another histogram.
    public mutating func merge(_ other: LogLinearHistogram) {
        if other.count == 0 { return }
        if let range = other.occupiedKeys {
            include(keys: range)
            let offset = other.firstKey - firstKey
            for i in other.counts.indices where other.counts[i] != 0 {
                counts[offset + i] += other.counts[i]
            }
        }
        zeroCount += other.zeroCount
        count += other.count
        minimumValue = min(minimumValue, other.minimumValue)
        maximumValue = max(maximumValue, other.maximumValue)
    }

    /// The smallest and largest keys with a non-zero count, if any.
    var occupiedKeys: ClosedRange<Int>? {
        guard let first = counts.firstIndex(where: { $0 != 0 }),
              let last = counts.lastIndex(where: { $0 != 0 })
        else { return nil }
        return (firstKey + first)...(firstKey + last)
    }

    /// The non-empty bins in ascending order, the zero bin (key `nil`) first.
    public var bins: [(key: Int?, count: UInt64)] {
        var result: [(key: Int?, count: UInt64)] = zeroCount > 0 ? [(nil, zeroCount)] : []
        for i in counts.indices where counts[i] != 0 {
            result.append((firstKey + i, counts[i]))
        }
        return result
    }

    // MARK: Quantiles

    /// The nearest rank of the p-quantile among `count` values: `ceil(p · n)`,
    /// at least 1.
    ///
    /// `p · n` is computed in floating point, where a decimal `p` such as 0.07
    /// is not exact (`0.07 · 100 = 7.000000000000001`); a product within
    /// 1e-9 (relative) of an integer is taken as that integer, so the rank is
    /// the one an exact decimal `p` gives.
    ///
    /// - Parameters:
    ///   - p: The probability, in [0, 1].
    ///   - count: The number of values `n >= 1`.
    /// - Returns: A rank in `1...n`.
    public static func nearestRank(_ p: Double, count: UInt64) -> UInt64 {
        precondition(p >= 0 && p <= 1, "a quantile's probability lies in [0, 1]")
        precondition(count >= 1, "a rank needs at least one value")
        let product = p * Double(count)
        let nearest = product.rounded()
        let rank = abs(product - nearest) <= 1e-9 * max(1, product) ? nearest : product.rounded(.up)
        return min(count, max(1, UInt64(rank)))
    }

    /// The bin holding the value of a rank: `nil` for the zero bin, else its key.
    func binKey(atRank rank: UInt64) -> Int? {
        precondition(rank >= 1 && rank <= count, "a rank lies in 1...count")
        if rank <= zeroCount { return nil }
        var cumulative = zeroCount
        for i in counts.indices {
            cumulative += counts[i]
            if cumulative >= rank { return firstKey + i }
        }
        preconditionFailure("histogram counts do not add up to its count")
    }

    /// Bounds on the value of a rank: the bounds of the bin holding it,
    /// narrowed to the exact `[minimum, maximum]`.
    ///
    /// - Parameter rank: A rank in `1...count` (1 is the smallest value).
    /// - Returns: `lower <= x_(rank) <= upper`; `(0, 0)` in the zero bin.
    public func bounds(atRank rank: UInt64) -> (lower: Double, upper: Double) {
        guard let key = binKey(atRank: rank) else { return (0, 0) }
        let bin = LogLinearHistogram.binBounds(key: key)
        return (max(bin.lower, minimumValue), min(bin.upper, maximumValue))
    }

    /// The reported value of a rank: its bin's midpoint, clamped to the exact
    /// `[minimum, maximum]`; exactly 0 in the zero bin, and exactly the
    /// minimum for rank 1 and the maximum for rank `count`.
    ///
    /// - Parameter rank: A rank in `1...count`.
    /// - Returns: The value, within 0.05% of the true order statistic.
    public func value(atRank rank: UInt64) -> Double {
        if rank == 1 && count >= 1 { return minimumValue }
        if rank == count && count >= 1 { return maximumValue }
        guard let key = binKey(atRank: rank) else { return 0 }
        let bin = LogLinearHistogram.binBounds(key: key)
        let middle = bin.upper.isFinite ? bin.lower + (bin.upper - bin.lower) / 2 : bin.lower
        return min(max(middle, minimumValue), maximumValue)
    }

    /// The p-quantile by nearest rank (see the type's documentation).
    ///
    /// - Parameter p: The probability, in [0, 1] (0 gives the minimum's bin).
    /// - Returns: The quantile, or `nil` when empty.
    public func quantile(_ p: Double) -> Double? {
        guard count > 0 else { return nil }
        return value(atRank: LogLinearHistogram.nearestRank(p, count: count))
    }

    /// A distribution-free confidence interval for the p-quantile from
    /// order-statistic ranks (see ``OrderStatistics/confidenceRanks(_:count:confidence:)``).
    ///
    /// The value bounds are the lower bound of the lower rank's bin and the
    /// upper bound of the upper rank's bin (narrowed to `[minimum, maximum]`),
    /// so bin resolution only widens the interval.
    ///
    /// - Parameters:
    ///   - p: The probability, in (0, 1).
    ///   - confidence: The two-sided confidence level (default 0.95).
    /// - Returns: The interval, or `nil` when empty.
    public func quantileInterval(_ p: Double, confidence: Double = 0.95) -> QuantileInterval? {
        guard count > 0 else { return nil }
        let ranks = OrderStatistics.confidenceRanks(p, count: count, confidence: confidence)
        return QuantileInterval(
            lowerRank: ranks.lower, upperRank: ranks.upper,
            lower: ranks.lower.map { bounds(atRank: $0).lower },
            upper: ranks.upper.map { bounds(atRank: $0).upper })
    }

    // MARK: State

    /// The serializable state of a histogram: plain counts and doubles, with
    /// only the non-empty bins.
    public struct State: Sendable, Hashable, Codable {
        /// The number of values (zeros included).
        public var count: UInt64
        /// The number of zeros.
        public var zeroCount: UInt64
        /// The smallest value, `nil` when empty.
        public var minimum: Double?
        /// The largest value, `nil` when empty.
        public var maximum: Double?
        /// The keys of the non-empty bins, ascending.
        public var binKeys: [Int]
        /// The counts of those bins.
        public var binCounts: [UInt64]

        /// Creates a state.
        ///
        /// - Parameters:
        ///   - count: The number of values.
        ///   - zeroCount: The number of zeros.
        ///   - minimum: The smallest value (`nil` when empty).
        ///   - maximum: The largest value (`nil` when empty).
        ///   - binKeys: The keys of the non-empty bins, ascending.
        ///   - binCounts: Their counts.
        public init(
            count: UInt64, zeroCount: UInt64, minimum: Double?, maximum: Double?, binKeys: [Int], binCounts: [UInt64]
        ) {
            self.count = count
            self.zeroCount = zeroCount
            self.minimum = minimum
            self.maximum = maximum
            self.binKeys = binKeys
            self.binCounts = binCounts
        }
    }

    /// Why a ``State`` does not describe a histogram.
    public enum StateError: Error, Sendable, Hashable {
        /// The key and count lists differ in length.
        case mismatchedBins
        /// A key is out of range or the keys are not strictly ascending.
        case invalidKeys
        /// A bin's count is zero.
        case emptyBin
        /// The counts do not add up to `count`.
        case countMismatch
        /// `minimum`/`maximum` are missing, present while empty, or
        /// inconsistent with the bins.
        case invalidExtremes
    }

    /// The histogram's state (sparse: non-empty bins only).
    public var state: State {
        var keys: [Int] = [], values: [UInt64] = []
        for i in counts.indices where counts[i] != 0 {
            keys.append(firstKey + i)
            values.append(counts[i])
        }
        return State(
            count: count, zeroCount: zeroCount, minimum: minimum, maximum: maximum, binKeys: keys, binCounts: values)
    }

    /// Restores a histogram from its state, checking that it is consistent.
    ///
    /// - Parameter state: A state, as returned by ``state``.
    /// - Throws: ``StateError``.
    public init(state: State) throws(StateError) {
        self.init()
        guard state.binKeys.count == state.binCounts.count else { throw .mismatchedBins }
        var previous = -1
        var total = state.zeroCount
        for (key, binCount) in zip(state.binKeys, state.binCounts) {
            guard key > previous && key < LogLinearHistogram.keyLimit else { throw .invalidKeys }
            guard binCount > 0 else { throw .emptyBin }
            let (sum, overflow) = total.addingReportingOverflow(binCount)
            guard !overflow else { throw .countMismatch }
            total = sum
            previous = key
        }
        guard total == state.count else { throw .countMismatch }
        if state.count == 0 {
            guard state.minimum == nil && state.maximum == nil else { throw .invalidExtremes }
            return
        }
        guard let minimum = state.minimum, let maximum = state.maximum,
              minimum >= 0, minimum <= maximum, maximum.isFinite
        else { throw .invalidExtremes }
        if state.zeroCount > 0 {
            guard minimum == 0 else { throw .invalidExtremes }
        }
        if let firstKey = state.binKeys.first, let lastKey = state.binKeys.last {
            if state.zeroCount == 0 {
                guard minimum > 0 && LogLinearHistogram.binKey(minimum) == firstKey else { throw .invalidExtremes }
            }
            guard maximum > 0 && LogLinearHistogram.binKey(maximum) == lastKey else { throw .invalidExtremes }
            include(keys: firstKey...lastKey)
            for (key, binCount) in zip(state.binKeys, state.binCounts) {
                counts[key - self.firstKey] = binCount
            }
        } else {
            guard maximum == 0 else { throw .invalidExtremes }
        }
        zeroCount = state.zeroCount
        count = state.count
        minimumValue = minimum
        maximumValue = maximum
    }

    /// Decodes a histogram from its ``State``.
    ///
    /// - Parameter decoder: The decoder.
    public init(from decoder: any Decoder) throws {
        let state = try decoder.singleValueContainer().decode(State.self)
        try self.init(state: state)
    }

    /// Encodes the histogram as its ``State``.
    ///
    /// - Parameter encoder: The encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(state)
    }

    /// Histograms are equal when they hold the same values, whatever their
    /// storage.
    public static func == (lhs: LogLinearHistogram, rhs: LogLinearHistogram) -> Bool {
        lhs.state == rhs.state
    }

    /// Hashes the histogram's ``state``.
    ///
    /// - Parameter hasher: The hasher.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(state)
    }
}

/// A distribution-free confidence interval for a quantile.
///
/// A `nil` rank or bound means the interval is unbounded on that side: there
/// are too few values for the order statistics to bound the quantile there
/// (for example a p99 from 100 values has no upper bound).
public struct QuantileInterval: Sendable, Hashable, Codable {
    /// The rank of the lower order statistic, or `nil` when unbounded below.
    public var lowerRank: UInt64?
    /// The rank of the upper order statistic, or `nil` when unbounded above.
    public var upperRank: UInt64?
    /// The lower bound (`nil`: minus infinity).
    public var lower: Double?
    /// The upper bound (`nil`: plus infinity).
    public var upper: Double?

    /// Creates an interval.
    ///
    /// - Parameters:
    ///   - lowerRank: The lower rank, or `nil`.
    ///   - upperRank: The upper rank, or `nil`.
    ///   - lower: The lower bound, or `nil` for minus infinity.
    ///   - upper: The upper bound, or `nil` for plus infinity.
    public init(lowerRank: UInt64?, upperRank: UInt64?, lower: Double?, upper: Double?) {
        self.lowerRank = lowerRank
        self.upperRank = upperRank
        self.lower = lower
        self.upper = upper
    }

    /// The lower bound, `-infinity` when unbounded.
    public var lowerOrInfinity: Double {
        lower ?? -.infinity
    }

    /// The upper bound, `+infinity` when unbounded.
    public var upperOrInfinity: Double {
        upper ?? .infinity
    }
}

import GamedayModel

/// n, median, p90 and mean of a set of values (never a mean alone).
///
/// Percentiles use the nearest-rank method: the p-th percentile of n sorted values is the value
/// at rank ⌈p × n⌉ (1-based). It is always one of the observed values, so with few records the
/// numbers can be checked by hand: the median of 10, 20, 30, 40 is 20 and their p90 is 40.
public struct TimeSummary: Hashable, Sendable {
    /// How many values.
    public var n: Int
    /// Nearest-rank median; `nil` when n is 0.
    public var median: Double?
    /// Nearest-rank 90th percentile.
    public var p90: Double?
    /// Arithmetic mean.
    public var mean: Double?

    /// Summarizes values.
    public init(_ values: [Double]) {
        let sorted = values.sorted()
        n = sorted.count
        median = Self.nearestRank(sorted, 0.5)
        p90 = Self.nearestRank(sorted, 0.9)
        mean = sorted.isEmpty ? nil : sorted.reduce(0, +) / Double(sorted.count)
    }

    /// The nearest-rank p-quantile of sorted values.
    public static func nearestRank(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }

    /// `{"n": 3, "median": 1860, "p90": 2400, "mean": 1700}` (nulls when n is 0).
    public var json: JSONValue {
        ["n": .int(n), "median": .number(median), "p90": .number(p90), "mean": .number(mean)]
    }
}

import Testing

@testable import GamedayStatistics

@Suite("Log-linear histogram")
struct HistogramTests {
    @Test("bins are at most 0.1% wide and contain their values",
          arguments: [1e-9, 0.001, 0.5, 1, 1.5, 1.9999, 2, 3.7, 60, 1234.5, 86_400, 1e9, 1.7e308])
    func binWidths(x: Double) {
        let key = LogLinearHistogram.binKey(x)
        let bin = LogLinearHistogram.binBounds(key: key)
        #expect(bin.lower <= x && x < bin.upper)
        #expect((bin.upper - bin.lower) / bin.lower <= LogLinearHistogram.maximumRelativeBinWidth)
        #expect(LogLinearHistogram.maximumRelativeBinWidth < 0.001)
        // Keys increase with the value.
        #expect(LogLinearHistogram.binKey(bin.upper) == key + 1 || !bin.upper.isFinite)
        #expect(LogLinearHistogram.binKey(bin.lower.nextDown) == key - 1)
    }

    @Test("quantiles of 1...1000 match exact nearest ranks within 0.1%",
          arguments: [0.001, 0.01, 0.07, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1])
    func ranks(p: Double) throws {
        var h = LogLinearHistogram()
        for x in (1...1000).reversed() { h.add(Double(x)) }
        // Nearest rank of the exact decimal p: ceil(p · 1000); value = rank.
        let exact = (p * 1000).rounded()
        let q = try #require(h.quantile(p))
        #expect(abs(q - exact) <= 0.001 * exact)
        let bounds = h.bounds(atRank: UInt64(exact))
        #expect(bounds.lower <= exact && exact <= bounds.upper)
    }

    @Test("nearest rank takes decimal p at face value")
    func nearestRank() {
        #expect(LogLinearHistogram.nearestRank(0.07, count: 100) == 7)  // 0.07 · 100 = 7.000000000000001
        #expect(LogLinearHistogram.nearestRank(0.5, count: 5) == 3)
        #expect(LogLinearHistogram.nearestRank(0.9, count: 1000) == 900)
        #expect(LogLinearHistogram.nearestRank(0.99, count: 99_999) == 99_000)  // ceil(98_999.01)
        #expect(LogLinearHistogram.nearestRank(0, count: 10) == 1)
        #expect(LogLinearHistogram.nearestRank(1, count: 10) == 10)
    }

    @Test("a constant sample reports the exact constant; min and max are exact")
    func constant() throws {
        var h = LogLinearHistogram()
        for _ in 0..<1000 { h.add(1860.25) }
        for p in [0.0, 0.5, 0.9, 0.99, 1] { #expect(h.quantile(p) == 1860.25) }
        #expect(h.minimum == 1860.25 && h.maximum == 1860.25)
        h.add(0.125)
        h.add(9999.75)
        #expect(h.minimum == 0.125 && h.maximum == 9999.75)
        #expect(h.quantile(0) == 0.125 && h.quantile(1) == 9999.75)
    }

    @Test("zeros have an exact bin of their own")
    func zeros() throws {
        var h = LogLinearHistogram()
        for _ in 0..<60 { h.add(0) }
        h.add(-0.0)
        for x in 1...39 { h.add(Double(x)) }
        #expect(h.count == 100 && h.zeroCount == 61)
        #expect(h.quantile(0.5) == 0 && h.quantile(0.61) == 0)
        #expect(abs(try #require(h.quantile(0.62)) - 1) <= 0.0005)
        #expect(h.minimum == 0 && h.minimum?.sign == .plus)
        #expect(h.bounds(atRank: 10) == (0, 0))
        #expect(h.bins.first?.key == nil && h.bins.first?.count == 61)
    }

    @Test("the empty histogram")
    func empty() {
        let h = LogLinearHistogram()
        #expect(h.isEmpty && h.count == 0 && h.quantile(0.5) == nil && h.minimum == nil && h.maximum == nil)
        #expect(h.quantileInterval(0.5) == nil)
        #expect(h == LogLinearHistogram())
    }

    /// Values spanning many octaves, in an order that forces the dense range to grow both ways.
    static func sample(_ seed: Int, count: Int) -> [Double] {
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let exponent = Double(Int(state >> 59)) - 12  // 2^-12 ... 2^19
            let fraction = Double(state >> 11 & 0xFFFF) / 65536
            return (state >> 40) & 15 == 0 ? 0 : (1 + fraction) * (exponent < 0 ? 1 / Double(1 << Int(-exponent)) : Double(1 << Int(exponent)))
        }
    }

    @Test("merge is exact and independent of order and grouping")
    func mergeOrder() {
        let parts = (0..<6).map { i in
            var h = LogLinearHistogram()
            for x in Self.sample(i, count: 2000) { h.add(x) }
            return h
        }
        var all = LogLinearHistogram()
        for i in 0..<6 { for x in Self.sample(i, count: 2000) { all.add(x) } }
        let forward = BlockReduction.fold(parts)
        let backward = BlockReduction.fold(parts.reversed())
        var grouped = BlockReduction.fold(parts[3...])
        grouped.merge(BlockReduction.fold(parts[..<3]))
        #expect(forward == all && backward == all && grouped == all)
        #expect(forward.state == all.state)
        for p in [0.01, 0.5, 0.9, 0.99] { #expect(forward.quantile(p) == all.quantile(p)) }
        #expect(all.count == 12_000)
    }

    @Test("the sparse state round-trips and is validated")
    func stateRoundTrip() throws {
        var h = LogLinearHistogram()
        for x in Self.sample(7, count: 5000) { h.add(x) }
        let state = h.state
        #expect(state.binKeys.count == state.binCounts.count)
        #expect(state.binCounts.allSatisfy { $0 > 0 })
        let restored = try LogLinearHistogram(state: state)
        #expect(restored == h && restored.state == state)
        #expect(restored.quantile(0.9) == h.quantile(0.9))
        #expect(try LogLinearHistogram(state: LogLinearHistogram().state) == LogLinearHistogram())

        var bad = state
        bad.count += 1
        #expect(throws: LogLinearHistogram.StateError.countMismatch) { try LogLinearHistogram(state: bad) }
        bad = state
        bad.binKeys.swapAt(0, 1)
        #expect(throws: LogLinearHistogram.StateError.invalidKeys) { try LogLinearHistogram(state: bad) }
        bad = state
        bad.maximum = 1e300
        #expect(throws: LogLinearHistogram.StateError.invalidExtremes) { try LogLinearHistogram(state: bad) }
        bad = state
        bad.binCounts.removeLast()
        #expect(throws: LogLinearHistogram.StateError.mismatchedBins) { try LogLinearHistogram(state: bad) }
    }

    @Test("a negative value is rejected")
    func negative() async {
        await #expect(processExitsWith: .failure) {
            var h = LogLinearHistogram()
            h.add(-1)
        }
    }
}

@Suite("Order-statistic intervals for quantiles")
struct QuantileIntervalTests {
    /// Ranks from scipy's binomial CDF with the same definition.
    @Test(
        "exact binomial ranks",
        arguments: [
            (0.5, 100 as UInt64, 40 as UInt64?, 61 as UInt64?), (0.5, 10, 2, 9), (0.9, 100, 84, 96),
            (0.99, 100, 97, nil), (0.99, 1000, 983, 997), (0.5, 1000, 469, 532), (0.9, 1000, 881, 919),
            (0.5, 5, nil, nil), (0.9, 20, 15, nil), (0.99, 300, 293, nil),
        ])
    func exactRanks(p: Double, n: UInt64, lower: UInt64?, upper: UInt64?) {
        let ranks = OrderStatistics.confidenceRanks(p, count: n)
        #expect(ranks.lower == lower && ranks.upper == upper)
    }

    @Test("normal-approximation ranks", arguments: [
        (0.5, 100_000 as UInt64, 49_690 as UInt64, 50_311 as UInt64), (0.99, 100_000, 98_938, 99_063),
        (0.9, 1001, 882, 921),
    ])
    func approximateRanks(p: Double, n: UInt64, lower: UInt64, upper: UInt64) {
        let ranks = OrderStatistics.confidenceRanks(p, count: n)
        #expect(ranks.lower == lower && ranks.upper == upper)
    }

    @Test("the exact ranks cover with at least the nominal probability",
          arguments: [(0.5, 7), (0.5, 31), (0.9, 60), (0.9, 500), (0.99, 1000), (0.1, 45), (0.75, 200)])
    func coverage(p: Double, n: Int) throws {
        let cdf = OrderStatistics.binomialCDF(count: n, p: p)
        let ranks = OrderStatistics.confidenceRanks(p, count: UInt64(n))
        // P(X_(l) <= ξ <= X_(u)) = P(l <= B <= u - 1) = F(u - 1) - F(l - 1).
        let below = ranks.lower.map { cdf[Int($0) - 1] } ?? 0
        let above = ranks.upper.map { cdf[Int($0) - 1] } ?? 1
        #expect(above - below >= 0.95 - 1e-12)
        // And it is the narrowest such choice: one rank in on either side misses more than 2.5%.
        if let l = ranks.lower, Int(l) < n { #expect(cdf[Int(l)] > 0.025) }
        if let u = ranks.upper, u > 1 { #expect(cdf[Int(u) - 2] < 0.975) }
    }

    @Test("binomial CDF matches a direct sum")
    func binomialCDF() {
        // Binomial(4, 0.3): P(B <= k) = 0.2401, 0.6517, 0.9163, 0.9919, 1.
        let cdf = OrderStatistics.binomialCDF(count: 4, p: 0.3)
        for (value, expected) in zip(cdf, [0.2401, 0.6517, 0.9163, 0.9919, 1.0]) {
            #expect(abs(value - expected) < 1e-12)
        }
    }

    @Test("histogram quantile intervals bracket the quantile, unbounded where ranks run out")
    func histogramIntervals() throws {
        var h = LogLinearHistogram()
        for x in 1...1000 { h.add(Double(x)) }
        let median = try #require(h.quantileInterval(0.5))
        #expect(median.lowerRank == 469 && median.upperRank == 532)
        let lower = try #require(median.lower), upper = try #require(median.upper)
        #expect(lower <= 469 && lower > 469 * 0.999 && upper >= 532 && upper < 532 * 1.001)

        var small = LogLinearHistogram()
        for x in 1...100 { small.add(Double(x)) }
        let p99 = try #require(small.quantileInterval(0.99))
        #expect(p99.upperRank == nil && p99.upper == nil && p99.upperOrInfinity == .infinity)
        #expect(p99.lowerRank == 97 && p99.lower != nil)
        var tiny = LogLinearHistogram()
        for x in 1...5 { tiny.add(Double(x)) }
        let p50 = try #require(tiny.quantileInterval(0.5))
        #expect(p50.lowerOrInfinity == -.infinity && p50.upperOrInfinity == .infinity)
    }
}

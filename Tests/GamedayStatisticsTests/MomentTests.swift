import Testing

@testable import GamedayStatistics

@Suite("Moment accumulator")
struct MomentTests {
    @Test("mean, variance and a t interval for 1...10")
    func smallSample() throws {
        var m = MomentAccumulator()
        for x in 1...10 { m.add(Double(x)) }
        #expect(m.count == 10)
        #expect(m.mean == 5.5)
        #expect(m.m2 == 82.5)
        // Sample variance 82.5 / 9; sd 3.0276503540974917; se 0.9574271077563381 (Python statistics).
        #expect(abs(try #require(m.variance) - 82.5 / 9) < 1e-12)
        #expect(abs(try #require(m.standardError) - 0.9574271077563381) < 1e-12)
        // n < 30: t(0.975, 9) = 2.262157162798205, so [3.334149410331831, 7.665850589668169] (scipy).
        let interval = try #require(m.meanInterval())
        #expect(abs(interval.lower - 3.334149410331831) < 1e-9)
        #expect(abs(interval.upper - 7.665850589668169) < 1e-9)
        // The normal approximation is narrower.
        let normal = try #require(m.meanInterval(z: Confidence.z95))
        #expect(normal.halfWidth < interval.halfWidth)
    }

    @Test("from 30 values on, the interval uses the normal quantile")
    func normalFrom30() throws {
        var m = MomentAccumulator()
        for x in 0..<30 { m.add(Double(x % 7)) }
        #expect(m.meanInterval() != nil)
        #expect(m.meanInterval() == m.meanInterval(z: Confidence.z95))
        #expect(MomentAccumulator.criticalValue(confidence: 0.95, count: 29) == StudentT.quantile(0.975, degreesOfFreedom: 28))
    }

    @Test("empty and single-value accumulators")
    func degenerate() {
        var m = MomentAccumulator()
        #expect(m.variance == nil && m.meanInterval() == nil && m.mean == 0)
        m.add(42)
        #expect(m.mean == 42 && m.variance == nil && m.meanHalfWidth() == nil)
        var same = MomentAccumulator()
        for _ in 0..<100 { same.add(7.25) }
        #expect(same.mean == 7.25 && same.m2 == 0)
        #expect(same.meanInterval() == ConfidenceInterval(lower: 7.25, upper: 7.25))
    }

    @Test("merging with an empty accumulator is an exact identity")
    func emptyMerge() {
        var m = MomentAccumulator()
        for x in [0.1, 0.7, 3.3] { m.add(x) }
        var left = MomentAccumulator()
        left.merge(m)
        var right = m
        right.merge(MomentAccumulator())
        #expect(left == m && right == m)
    }

    @Test("Chan's merge agrees with sequential Welford to rounding")
    func mergeAgrees() {
        let values = (0..<5000).map { Double(($0 * 7919) % 1013) * 0.37 + 1e6 }
        var whole = MomentAccumulator()
        for x in values { whole.add(x) }
        var a = MomentAccumulator(), b = MomentAccumulator()
        for x in values[..<1234] { a.add(x) }
        for x in values[1234...] { b.add(x) }
        a.merge(b)
        #expect(a.count == whole.count)
        #expect(abs(a.mean - whole.mean) <= 1e-12 * abs(whole.mean))
        #expect(abs(a.m2 - whole.m2) <= 1e-9 * whole.m2)
    }

    /// Floating-point merging is not associative, which is why shards keep
    /// per-block states (see BlockReductionTests).
    @Test("Chan's merge is not associative in floating point")
    func notAssociative() {
        func moments(_ values: [Double]) -> MomentAccumulator {
            var m = MomentAccumulator()
            for x in values { m.add(x) }
            return m
        }
        let a = moments([0.1, 0.25]), b = moments([0.7, 1e3, 3]), c = moments([1.0 / 3, 17.5, 0.01])
        var left = a
        left.merge(b)
        left.merge(c)
        var bc = b
        bc.merge(c)
        var right = a
        right.merge(bc)
        #expect(left.count == right.count)
        #expect(left != right)
        #expect(abs(left.mean - right.mean) < 1e-12 && abs(left.m2 - right.m2) < 1e-9)
    }
}

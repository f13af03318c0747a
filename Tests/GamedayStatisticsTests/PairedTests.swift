import Testing

@testable import GamedayStatistics

@Suite("Paired comparisons")
struct PairedTests {
    @Test("differences are taken only where both values are defined")
    func differences() throws {
        var d = PairedDifference()
        d.add(variant: 10, baseline: 30)
        d.add(variant: nil, baseline: 50)
        d.add(variant: 20, baseline: nil)
        d.add(variant: 5.0, baseline: 15.0)
        #expect(d.count == 2)
        #expect(d.mean == -15)
        #expect(d.meanInterval() != nil)
    }

    @Test("averted and new-harm shares are Wilson intervals over the right denominators")
    func shares() throws {
        var c = PairedEventCounts()
        // 10 baseline incidents, 7 averted; 5 faults without incident, 1 becomes an incident;
        // 3 no-fault trials, 1 of which becomes an incident (gained but not at risk).
        for i in 0..<10 { c.add(baseline: true, variant: i >= 7) }
        for i in 0..<5 { c.add(baseline: false, variant: i == 0, atRisk: true) }
        for i in 0..<3 { c.add(baseline: false, variant: i == 0, atRisk: false) }
        #expect(c.trials == 18 && c.baselineEvents == 10 && c.averted == 7)
        #expect(c.atRiskWithoutEvent == 5 && c.newHarm == 1 && c.gained == 2)
        let averted = c.avertedShare()
        #expect(averted.share == 0.7)
        #expect(averted.interval == Wilson.interval(successes: 7, trials: 10))
        let harm = c.newHarmShare()
        #expect(harm.share == 0.2)
        #expect(harm.interval == Wilson.interval(successes: 1, trials: 5))
        // Change in probability: (variant incidents 3 + 2) - 10 baseline = -5 of 18.
        #expect(abs(c.change - (-5.0 / 18)) < 1e-15)
    }

    @Test("the change in probability equals the paired mean of indicator differences")
    func changeMatchesMoments() throws {
        var counts = PairedEventCounts()
        var explicit = MomentAccumulator()
        var state: UInt64 = 12345
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let baseline = state >> 60 < 9, variant = (state >> 50) & 15 < 4
            counts.add(baseline: baseline, variant: variant, atRisk: (state >> 40) & 1 == 0)
            explicit.add((variant ? 1 : 0) - (baseline ? 1 : 0))
        }
        let exact = counts.changeMoments
        #expect(exact.count == explicit.count)
        #expect(abs(exact.mean - explicit.mean) < 1e-14)
        #expect(abs(exact.m2 - explicit.m2) < 1e-9 * explicit.m2)
        let a = try #require(counts.changeInterval()), b = try #require(explicit.meanInterval())
        #expect(abs(a.lower - b.lower) < 1e-12 && abs(a.upper - b.upper) < 1e-12)
    }

    @Test("paired counts merge exactly in any order")
    func mergeCounts() {
        var first = PairedEventCounts(), second = PairedEventCounts()
        first.add(baseline: true, variant: false)
        first.add(baseline: false, variant: true)
        second.add(baseline: true, variant: true)
        second.add(baseline: false, variant: false, atRisk: false)
        var ab = first
        ab.merge(second)
        var ba = second
        ba.merge(first)
        #expect(ab == ba)
        #expect(ab.trials == 4 && ab.changeMoments.mean == 0)
        #expect(PairedEventCounts().changeInterval() == nil)
        let restored = PairedEventCounts(
            trials: ab.trials, baselineEvents: ab.baselineEvents, variantEvents: ab.variantEvents,
            averted: ab.averted, gained: ab.gained, atRiskWithoutEvent: ab.atRiskWithoutEvent, newHarm: ab.newHarm)
        #expect(restored == ab)
    }

    @Test("no change at all gives a zero-width interval at zero")
    func noChange() {
        var c = PairedEventCounts()
        for i in 0..<100 { c.add(baseline: i % 3 == 0, variant: i % 3 == 0) }
        #expect(c.changeInterval() == ConfidenceInterval(lower: 0, upper: 0))
        #expect(c.avertedShare().share == 0)
    }

    @Test("a proportion counter")
    func proportion() {
        var p = ProportionCounter()
        #expect(p.estimate == nil && p.interval() == ConfidenceInterval(lower: 0, upper: 1))
        for i in 0..<10 { p.add(i < 5) }
        #expect(p.estimate == 0.5)
        #expect(abs(p.interval().lower - 0.236593090512564) < 1e-9)
    }
}

import Testing

@testable import GamedayStatistics

@Suite("Sequential stopping")
struct StoppingTests {
    let rule = StoppingRule(
        relativePrecision: 0.01, minimumTrials: 8192, minimumIncidents: 100, maximumTrials: 1_000_000)

    func moments(mean: Double, spread: Double, count: Int) -> MomentAccumulator {
        var m = MomentAccumulator()
        for i in 0..<count { m.add(mean + (i % 2 == 0 ? spread : -spread)) }
        return m
    }

    @Test("below the minimum trials or incidents the run continues")
    func minimums() {
        let precise = MetricPrecision(name: "failed_requests", estimate: 100, halfWidth: 0.1)
        #expect(rule.decide(trials: 4096, incidents: 1000, metrics: [precise]).reason == .belowMinimumTrials)
        #expect(rule.decide(trials: 8192, incidents: 99, metrics: [precise]).reason == .belowMinimumIncidents)
        let done = rule.decide(trials: 8192, incidents: 100, metrics: [precise])
        #expect(done.reason == .precisionReached && done.shouldStop && done.unmet.isEmpty)
    }

    @Test("every metric must meet its own or the rule's target")
    func targets() {
        let tight = MetricPrecision(name: "mean_ttd", moments: moments(mean: 1000, spread: 100, count: 20_000))
        // Half-width ≈ 1.96 · 100 / sqrt(20000) ≈ 1.39, relative 0.14% ≤ 1%.
        #expect(tight.relativeHalfWidth < 0.002)
        let loose = MetricPrecision(name: "failed_requests", estimate: 50, halfWidth: 1)  // 2%
        let decision = rule.decide(trials: 20_000, incidents: 5000, metrics: [tight, loose])
        #expect(decision.reason == .precisionNotReached && !decision.shouldStop && decision.unmet == ["failed_requests"])
        let relaxed = MetricPrecision(name: "failed_requests", estimate: 50, halfWidth: 1, target: 0.05)
        #expect(rule.decide(trials: 20_000, incidents: 5000, metrics: [tight, relaxed]).reason == .precisionReached)
    }

    @Test("the trial cap always stops")
    func cap() {
        let never = MetricPrecision(name: "x", estimate: 1, halfWidth: nil)
        #expect(never.relativeHalfWidth == .infinity)
        let decision = rule.decide(trials: 1_000_000, incidents: 0, metrics: [never])
        #expect(decision.reason == .trialCap && decision.shouldStop)
        #expect(rule.decide(trials: 999_424, incidents: 10_000, metrics: [never]).reason == .precisionNotReached)
    }

    @Test("zero estimates: exact zeros are precise, noisy zeros never are")
    func zeros() {
        #expect(MetricPrecision(name: "z", estimate: 0, halfWidth: 0).relativeHalfWidth == 0)
        #expect(MetricPrecision(name: "z", estimate: 0, halfWidth: 0.1).relativeHalfWidth == .infinity)
        #expect(MetricPrecision(name: "z", estimate: -4, halfWidth: 0.1).relativeHalfWidth == 0.025)
    }

    @Test("proportions use half the Wilson width")
    func proportions() {
        var p = ProportionCounter()
        for i in 0..<10_000 { p.add(i % 4 == 0) }
        let precision = MetricPrecision(name: "incident_probability", proportion: p)
        #expect(precision.estimate == 0.25)
        #expect(abs(precision.halfWidth! - p.interval().halfWidth) == 0)
        #expect(abs(precision.relativeHalfWidth - 0.0339) < 0.001)  // 1.96 · sqrt(.25 · .75 / 1e4) / .25
    }

    @Test("checkpoints fall on batch boundaries and never pass the cap")
    func checkpoints() {
        let batched = StoppingRule(
            relativePrecision: 0.05, minimumTrials: 0, minimumIncidents: 0, maximumTrials: 50_000,
            batchTrials: 4 * BlockReduction.blockSize)
        #expect(batched.nextCheckpoint(after: 0) == 16_384)
        #expect(batched.nextCheckpoint(after: 16_384) == 32_768)
        #expect(batched.nextCheckpoint(after: 40_000) == 49_152)
        #expect(batched.nextCheckpoint(after: 49_152) == 50_000)
        #expect(rule.nextCheckpoint(after: 4096) == 8192)
    }
}

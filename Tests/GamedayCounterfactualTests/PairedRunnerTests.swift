import GamedayModel
import GamedayRandom
import GamedaySimulation
import GamedayStatistics
import Testing
@testable import GamedayCounterfactual

/// The paired runner against hand-computed values: the same trials, the same draws.
@Suite struct PairedRunnerTests {
    /// 1 request/s, half of them failing for 10 minutes: 300 failed requests in every trial.
    static let deterministic = """
    scenario: {id: fixed, title: Fixed, horizon: 2h}
    services:
      - {id: web, traffic: 60/min, slo: 99.9%}
    injections:
      - {id: outage, target: web, effect: {error_rate: 50%}, lasts: 10m}
    controls:
      - id: shorter
        set:
          injections.outage.lasts: 4m
    """

    @Test func deterministicDifferenceHasAZeroWidthInterval() async throws {
        let s = try scenario(Self.deterministic)
        let run = try await PairedRunner.run(baseline: CompiledScenario(s), variants: [CompiledScenario(try s.variant(with: ["shorter"]))],
                                             configuration: PairedConfiguration(seed: 7, trials: 40, threads: 2))
        let paired = run.comparisons[0]
        // 0.5/s for 600 s against 0.5/s for 240 s: -180 in every trial.
        let failed = try #require(paired.differences[.failedRequests])
        #expect(failed.count == 40)
        #expect(abs(failed.mean + 180) < 1e-9)
        let interval = try #require(failed.meanInterval())
        #expect(abs(interval.lower + 180) < 1e-9 && abs(interval.upper + 180) < 1e-9)
        // Healed after 10m and 4m.
        let mitigate = try #require(paired.differences[.timeToMitigate])
        #expect(mitigate.count == 40 && abs(mitigate.mean + 360) < 1e-9)
        // Every trial is an incident in both: nothing averted, nothing at risk of new harm.
        #expect(paired.incident.baselineEvents == 40 && paired.incident.averted == 0)
        #expect(paired.incident.atRiskWithoutEvent == 0)
        #expect(paired.incident.avertedShare().share == 0)
        #expect(paired.incident.newHarmShare().share == nil)
        #expect(paired.incident.changeInterval() == ConfidenceInterval(lower: 0, upper: 0))
    }

    /// An injection with probability 30%, and a control that adds a prevent barrier stopping half.
    static let probabilistic = """
    scenario: {id: coin, title: Coin, horizon: 2h}
    services:
      - {id: web, traffic: 60/min}
    injections:
      - {id: outage, target: web, probability: 30%, effect: {error_rate: 50%}, lasts: 10m}
    controls:
      - id: guard
        add:
          barriers:
            - {id: guard, type: prevent, against: [outage], effectiveness: 50%}
    """

    @Test func averteAndChangeMatchCountsFromTheDrawsThemselves() async throws {
        let s = try scenario(Self.probabilistic)
        let trials = 500, seed: UInt64 = 11
        let run = try await PairedRunner.run(baseline: CompiledScenario(s), variants: [CompiledScenario(try s.variant(with: ["guard"]))],
                                             configuration: PairedConfiguration(seed: seed, trials: trials, threads: 3))
        // By hand, from the addressed draws of spec section 9.
        let occurs = DrawKey(seed: seed, address: "injections.outage.occurs")
        let stops = DrawKey(seed: seed, address: "barriers.guard.works.outage")
        var incidents = 0, averted = 0
        for t in 0..<trials where occurs.uniform(trial: UInt64(t)) < 0.3 {
            incidents += 1
            if stops.uniform(trial: UInt64(t)) < 0.5 { averted += 1 }
        }
        let paired = run.comparisons[0].incident
        #expect(paired.trials == trials)
        #expect(paired.baselineEvents == incidents)
        #expect(paired.averted == averted)
        #expect(paired.gained == 0 && paired.newHarm == 0)
        #expect(paired.avertedShare().interval == Wilson.interval(successes: averted, trials: incidents))
        // Prevented trials are at risk (a fault) but never become incidents.
        #expect(paired.atRiskWithoutEvent == 0)
        // The change in P(incident): d = -1 in `averted` trials, 0 elsewhere.
        let n = Double(trials), a = Double(averted)
        #expect(abs(paired.change + a / n) < 1e-15)
        let variance = (a - a * a / n) / (n - 1)
        let half = Confidence.z95 * (variance / n).squareRoot()
        let interval = try #require(paired.changeInterval())
        #expect(abs(interval.lower - (-a / n - half)) < 1e-12 && abs(interval.upper - (-a / n + half)) < 1e-12)
        // Failed requests: 300 less in every averted trial (0.5/s for 600 s).
        let failed = try #require(run.comparisons[0].differences[.failedRequests])
        #expect(abs(failed.mean + 300 * a / n) < 1e-9)
        // Each run's own counts.
        #expect(run.baseline.count(.incident) == incidents)
        #expect(run.variants[0].count(.incident) == incidents - averted)
        #expect(run.variants[0].count(.prevented) == averted)
    }

    /// A control that touches nothing a trial uses: an alert on a service that never fails.
    static let untouched = """
    scenario: {id: quiet, title: Quiet, horizon: 4h}
    services:
      - {id: web, traffic: 600/min, slo: 99.9%, depends_on: [api]}
      - {id: api}
      - {id: batch}
    injections:
      - {id: bad-deploy, target: api, probability: 60%, effect: {error_rate: 30%}, ramp: {over: 4m, steps: 4}}
    barriers:
      - {id: api-alert, type: detect, watches: api, when: {error_rate_above: 5%, for: 2m}, reliability: 90%,
         delay: {lognormal: {median: 1m, p90: 4m}}, notifies: oncall}
      - {id: batch-alert, type: detect, watches: batch, when: {error_rate_above: 5%, for: 5m}, notifies: oncall}
      - {id: rollback, type: mitigate, removes: [bad-deploy], takes: {triangular: [2m, 5m, 15m]}, reliability: 80%}
    responders:
      - {id: oncall, acknowledge: {lognormal: {median: 3m, p90: 15m}}, diagnose: {lognormal: {median: 10m, p90: 40m}}, accuracy: 70%}
    controls:
      - id: batch-tuning
        set:
          barriers.batch-alert.when: {error_rate_above: 1%, for: 1m}
      - id: faster-rollback
        set:
          barriers.rollback.takes: {triangular: [1m, 2m, 5m]}
    """

    @Test func aControlThatChangesNothingGivesZeroAndIdenticalTrajectories() async throws {
        let s = try scenario(Self.untouched)
        let baseline = CompiledScenario(s)
        let variant = CompiledScenario(try s.variant(with: ["batch-tuning"]))
        let configuration = PairedConfiguration(seed: 3, trials: 300, threads: 2)
        let run = try await PairedRunner.run(baseline: baseline, variants: [variant], configuration: configuration)
        let paired = run.comparisons[0]
        for metric in Metric.allCases {
            let d = try #require(paired.differences[metric])
            #expect(d.mean == 0, "\(metric)")
            if let interval = d.meanInterval() {
                #expect(interval.lower == 0 && interval.upper == 0, "\(metric): \(interval)")
            }
        }
        #expect(paired.incident.averted == 0 && paired.incident.gained == 0)
        #expect(paired.incident.changeInterval() == ConfidenceInterval(lower: 0, upper: 0))
        for trial in [0, 1, 2, 17, 123, 299] {
            let a = PairedRunner.trace(baseline: baseline, variants: [variant], run: 0, trial: trial, configuration: configuration)
            let b = PairedRunner.trace(baseline: baseline, variants: [variant], run: 1, trial: trial, configuration: configuration)
            #expect(a.events == b.events, "trial \(trial)")
            #expect(a.metrics == b.metrics, "trial \(trial)")
        }
        // A control that does change something is not zero.
        let faster = try await PairedRunner.run(baseline: baseline, variants: [CompiledScenario(try s.variant(with: ["faster-rollback"]))], configuration: configuration)
        #expect(try #require(faster.comparisons[0].differences[.timeToMitigate]).mean < 0)
    }

    @Test func resultsDoNotDependOnThreads() async throws {
        let s = try load(Fixtures.bundled("checkout-config-push"))
        let variants = try ["canary-deploys", "fix-retries"].map { CompiledScenario(try s.variant(with: [$0])) }
        var one = PairedConfiguration(seed: 5, trials: 4096 + 300, threads: 1)
        one.keep = .all
        var three = one
        three.threads = 3
        let a = try await PairedRunner.run(baseline: CompiledScenario(s), variants: variants, configuration: one)
        let b = try await PairedRunner.run(baseline: CompiledScenario(s), variants: variants, configuration: three)
        for i in 0..<2 {
            #expect(a.variants[i].json(engineVersion: "t") == b.variants[i].json(engineVersion: "t"))
            #expect(a.comparisons[i].json() == b.comparisons[i].json())
        }
        #expect(a.kept == b.kept)
    }

    @Test func eachVariantsRunObjectIsByteIdenticalToAPlainRun() async throws {
        let s = try load(Fixtures.bundled("checkout-config-push"))
        let trials = 4096 + 500
        let result = try await Whatif.run(s, request: WhatifRequest(controls: ["canary-deploys", "tighter-alert"], seed: 9, trials: trials, threads: 2))
        let plain = try await MonteCarlo.run(s, configuration: RunConfiguration(seed: 9, trials: trials, threads: 1))
        #expect(result.run.baseline.json(engineVersion: "x").pretty == plain.json(engineVersion: "x").pretty)
        for (i, plan) in result.plan.enumerated() {
            let variant = try await MonteCarlo.run(try s.variant(with: plan.controls), configuration: RunConfiguration(seed: 9, trials: trials, threads: 1))
            #expect(result.run.variants[i].json(engineVersion: "x").pretty == variant.json(engineVersion: "x").pretty, "\(plan.controls)")
        }
    }
}

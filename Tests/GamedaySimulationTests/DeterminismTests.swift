import GamedayModel
import GamedayStatistics
import Testing
@testable import GamedaySimulation

@Suite("Determinism and common random numbers")
struct DeterminismTests {
    let example = try! ScenarioLoader.load(path: Fixtures.path("checkout-config-push.yaml"))

    func json(_ configuration: RunConfiguration, scenario: Scenario? = nil, mergeable: Bool = false) async throws -> String {
        try await MonteCarlo.run(scenario ?? example, configuration: configuration).json(mergeable: mergeable, engineVersion: "test").pretty
    }

    @Test("Byte-identical JSON on 1 and 2 threads")
    func threads() async throws {
        var one = RunConfiguration(seed: 7, trials: 9_000, threads: 1)
        one.traceTrial = 3
        var two = one
        two.threads = 2
        let a = try await json(one)
        let b = try await json(two)
        #expect(a == b)
    }

    @Test("Merged shards 0/3, 1/3, 2/3 give the single run's bytes")
    func shards() async throws {
        var single = RunConfiguration(seed: 11, trials: 13_000, threads: 2)
        single.traceTrial = 9_000
        let expected = try await json(single)
        var parsed: [ShardMerge.Shard] = []
        for k in [2, 0, 1] {
            var configuration = single
            configuration.shard = (k, 3)
            let text = try await json(configuration, mergeable: true)
            parsed.append(try ShardMerge.parse(try JSONParser.parse(text), source: "shard \(k)"))
        }
        let merged = try ShardMerge.merge(parsed, engineVersion: "test").pretty
        #expect(merged == expected)
    }

    @Test("Blocks reach the in-order fold in block order on any number of threads", arguments: [1, 2, 3, 8])
    func inOrderBlocks(threads: Int) async {
        var seen: [Int] = []
        let workers = await ParallelBlocks.runInOrder(
            blocks: 5..<40, threads: threads,
            makeWorker: { 0 },
            runBlock: { (count: inout Int, b: Int) -> Int in
                count += 1
                return b * b
            },
            consume: { b, square in
                #expect(square == b * b)
                seen.append(b)
            })
        #expect(seen == Array(5..<40))
        #expect(workers.count == min(threads, 35))
        #expect(workers.reduce(0, +) == 35)
    }

    @Test("A whole run keeps no per-block states; its fold equals the blocks' fold")
    func foldedRun() async throws {
        let compiled = CompiledScenario(example)
        let whole = try await MonteCarlo.run(compiled, configuration: RunConfiguration(seed: 5, trials: 3 * 4096 + 17, threads: 2))
        #expect(whole.blocks.blocks.isEmpty)
        var shardConfiguration = RunConfiguration(seed: 5, trials: 3 * 4096 + 17, threads: 2)
        shardConfiguration.shard = (0, 1)
        let shard = try await MonteCarlo.run(compiled, configuration: shardConfiguration)
        #expect(shard.blocks.blocks.count == 4)
        #expect(whole.totals == shard.blocks.folded())
    }

    @Test("A different seed gives a different result")
    func seeds() async throws {
        let a = try await json(RunConfiguration(seed: 1, trials: 2_000, threads: 1))
        let b = try await json(RunConfiguration(seed: 2, trials: 2_000, threads: 1))
        #expect(a != b)
    }

    @Test("A control that touches nothing a trial uses leaves every trajectory identical")
    func unusedControlKeepsTrajectories() throws {
        // The dormant cold-cache injection never occurs outside drills: a barrier against it is never demanded.
        let original = try String(contentsOfFile: Fixtures.path("checkout-config-push.yaml"), encoding: .utf8)
        let patched = try scenario(original.replacingOccurrences(of: "\ncontrols:\n", with: """

        controls:
          - id: cache-guard
            add:
              barriers:
                - {id: cache-warmer, type: prevent, against: [cold-cache], effectiveness: 90%}

        """))
        let variant = try patched.variant(with: ["cache-guard"])
        for trial in 0..<200 as Range<UInt64> {
            let (m1, e1, _) = traced(patched, trial: trial)
            let (m2, e2, _) = traced(variant, trial: trial)
            #expect(m1 == m2)
            #expect(e1 == e2)
        }
    }

    @Test("Adding an unrelated barrier leaves every other element's draws unchanged")
    func unrelatedBarrierKeepsDraws() throws {
        let base = example
        let compiledBase = CompiledScenario(base)
        let variant = try base.variant(with: ["canary-deploys"])
        let compiledVariant = CompiledScenario(variant)
        let keysBase = DrawKeys(compiled: compiledBase, seed: 99)
        let keysVariant = DrawKeys(compiled: compiledVariant, seed: 99)
        var compared = 0
        for (site, address) in compiledBase.siteAddresses.enumerated() {
            let other = try #require(compiledVariant.site(for: address), "\(address) disappeared")
            for k in 1...3 {
                for trial in [0, 1, 12_345] as [UInt64] {
                    #expect(keysBase.key(site: site, repeat: k).uniform(trial: trial) == keysVariant.key(site: other, repeat: k).uniform(trial: trial))
                    compared += 1
                }
            }
        }
        #expect(compared > 100)
        #expect(compiledVariant.siteAddresses.contains("barriers.canary.works.bad-config"))
    }

    @Test("Pinned draws reproduce the spec's factual replay: detected at 31m, mitigated at 62m")
    func factualPins() throws {
        // The spec's example assumes no flag-ramp, no night shift and a direct customer-reports path.
        let text = """
        scenario: {id: factual, title: Factual}
        services:
          - {id: web, traffic: 1200/min, slo: 99.9%, depends_on: [checkout]}
          - {id: checkout}
        injections:
          - {id: bad-config, target: checkout, effect: {error_rate: 40%}}
        barriers:
          - {id: config-validation, type: prevent, against: [bad-config], effectiveness: 30%}
          - id: checkout-5xx-alert
            type: detect
            watches: checkout
            when: {error_rate_above: 5%, for: 5m}
            reliability: 95%
            delay: {lognormal: {median: 1m, p90: 4m}}
            notifies: primary-oncall
          - id: customer-reports
            type: detect
            watches: web
            when: {error_rate_above: 20%, for: 10m}
            delay: {exponential: {mean: 15m}}
            notifies: primary-oncall
          - {id: rollback, type: mitigate, removes: [bad-config], takes: {triangular: [3m, 5m, 15m]}, reliability: 90%}
        responders:
          - id: primary-oncall
            acknowledge: {lognormal: {median: 3m, p90: 15m}}
            diagnose: {lognormal: {median: 12m, p90: 45m}}
            accuracy: 80%
            uses: [rollback]
        observed:
          pins:
            barriers.config-validation.works.bad-config: false
            barriers.checkout-5xx-alert.works: false
            barriers.customer-reports.delay: 21m
            responders.primary-oncall.acknowledge: 4m
            responders.primary-oncall.diagnose: 21m
            responders.primary-oncall.diagnosis_correct: true
            barriers.rollback.takes: 6m
            barriers.rollback.works: true
          timeline: {detected: 31m, mitigated: 62m}
        """
        let s = try scenario(text)
        let compiled = CompiledScenario(s)
        let pins = PinSet(observed: s.observed!, compiled: compiled)
        for trial in 0..<50 as Range<UInt64> {
            let m = trials(s, 1, seed: trial, pins: pins)[0]
            #expect(m.detectedAt.map { abs($0 - 31 * 60) < 1e-6 } == true, "detected \(String(describing: m.detectedAt))")
            #expect(m.mitigatedAt.map { abs($0 - 62 * 60) < 1e-6 } == true, "mitigated \(String(describing: m.mitigatedAt))")
        }
    }
}


@Suite("Guard rails")
struct GuardRailTests {
    @Test("A scenario that floods the event queue is stopped with the trial to trace, not hung")
    func runawayIsReported() async throws {
        // A probe every 50 ms that never notices: 1.7 million checks in 24 hours, above the cap.
        let s = try scenario(header(horizon: "24h") + """
        injections:
          - {id: outage, target: web, effect: {down: true}}
        barriers:
          - {id: probe, type: detect, watches: web, when: {error_rate_above: 1%}, every: 0.05s, chance_per_check: 0%, notifies: oncall}
        responders:
          - {id: oncall, acknowledge: 1m, diagnose: 1m}
        """)
        var configuration = RunConfiguration(seed: 1, trials: 2, threads: 1)
        configuration.pins = nil
        await #expect {
            _ = try await MonteCarlo.run(s, configuration: configuration)
        } throws: { error in
            guard let error = error as? RunError, case .runaway(let trial, let at, let events, _) = error else { return false }
            return trial == 0 && at > 0 && at < 86_400 && events == 1_000_000
                && "\(error)".contains("--trace 0")
        }
    }
}

import GamedayModel
import GamedaySimulation
import GamedayStatistics
import Testing
@testable import GamedayCounterfactual

@Suite struct AttributionTests {
    @Test func shapleyOfKnownGames() {
        // Additive game: each player's value is its own contribution.
        let weights = [3.0, -2.0, 0.5]
        let additive = Attribution.shapley(players: 3) { mask in (0..<3).reduce(0.0) { mask & (1 << $1) != 0 ? $0 + weights[$1] : $0 } }
        for i in 0..<3 { #expect(abs(additive[i] - weights[i]) < 1e-12) }
        // Glove game: player 0 holds a left glove, players 1 and 2 right gloves; a pair is worth 1.
        let glove = Attribution.shapley(players: 3) { mask in (mask & 1 != 0 && mask & 6 != 0) ? 1 : 0 }
        #expect(abs(glove[0] - 2.0 / 3) < 1e-12)
        #expect(abs(glove[1] - 1.0 / 6) < 1e-12 && abs(glove[2] - 1.0 / 6) < 1e-12)
        // Weights: s!(k-s-1)!/k!.
        #expect(Attribution.shapleyWeight(size: 0, players: 4) == 1.0 / 4)
        #expect(abs(Attribution.shapleyWeight(size: 1, players: 4) - 1.0 / 12) < 1e-15)
        #expect(abs(Attribution.shapleyWeight(size: 2, players: 10) - 2.0 * 5040 / 3628800) < 1e-15)
        // Leave-one-out on the glove game: removing the left glove loses the pair.
        #expect(Attribution.leaveOneOut(players: 3) { mask in (mask & 1 != 0 && mask & 6 != 0) ? 1 : 0 } == [1, 0, 0])
    }

    @Test func masksForEachMethod() {
        #expect(Whatif.masks(controls: 1, method: .shapley) == [1])
        #expect(Whatif.masks(controls: 3, method: .none) == [1, 2, 4, 7])
        #expect(Whatif.masks(controls: 3, method: .shapley) == [1, 2, 4, 7, 3, 5, 6])
        #expect(Whatif.masks(controls: 3, method: .leaveOneOut) == [1, 2, 4, 7, 3, 5, 6])
        #expect(Whatif.masks(controls: 4, method: .leaveOneOut).count == 4 + 1 + 4)
        #expect(Whatif.masks(controls: 10, method: .shapley).count == 1023)
        #expect(Whatif.defaultTrials(runsPerTrial: 16) == 10_000)
        #expect(Whatif.defaultTrials(runsPerTrial: 1024) == 1000)
        #expect(Whatif.defaultTrials(runsPerTrial: 128) == 5000)
    }

    @Test(arguments: ["failed_requests", "incident_probability", "time_to_mitigate"])
    func shapleyValuesSumToTheAllControlsEffect(metric: String) async throws {
        let s = try load(Fixtures.bundled("checkout-config-push"))
        let request = WhatifRequest(metric: try #require(AttributionMetric(name: metric)), seed: 42, trials: 300, threads: 2)
        let result = try await Whatif.run(s, request: request)
        let attribution = try #require(result.attribution)
        #expect(attribution.method == .shapley && attribution.refused == nil)
        #expect(result.plan.count == 15)
        let all = try #require(result.comparison(s.controls.map(\.id))).paired.change(attribution.metric).mean
        let sum = attribution.values.reduce(0, +)
        #expect(abs(sum - attribution.allControls) <= 1e-9 * max(1, abs(sum)))
        #expect(abs(attribution.allControls - (all ?? .nan)) <= 1e-12 * max(1, abs(sum)))
        if attribution.metric.isDefinedOnEveryTrial {
            // Per-trial Shapley values average to the same numbers: their intervals are centred on them.
            for (i, interval) in attribution.intervals.enumerated() {
                let interval = try #require(interval)
                let center = (interval.lower + interval.upper) / 2
                #expect(abs(center - attribution.values[i]) <= 1e-9 * max(1, abs(attribution.values[i])), "\(attribution.controls[i])")
            }
        } else {
            #expect(attribution.intervals.allSatisfy { $0 == nil })
            #expect(result.caveats.contains { $0.kind == .timeMetric })
        }
    }

    @Test func oneControlsShapleyValueIsItsOwnEffect() async throws {
        let s = try load(Fixtures.bundled("checkout-config-push"))
        let result = try await Whatif.run(s, request: WhatifRequest(controls: ["canary-deploys"], seed: 1, trials: 400))
        let attribution = try #require(result.attribution)
        #expect(result.plan.map(\.controls) == [["canary-deploys"]])
        let single = try #require(result.comparison(["canary-deploys"])?.paired.change(.metric(.failedRequests)))
        #expect(attribution.values == [try #require(single.mean)])
        let interval = try #require(attribution.intervals[0])
        let paired = try #require(single.interval)
        #expect(abs(interval.lower - paired.lower) < 1e-6 && abs(interval.upper - paired.upper) < 1e-6)
    }

    @Test func leaveOneOutAndNone() async throws {
        let s = try load(Fixtures.bundled("checkout-config-push"))
        let loo = try await Whatif.run(s, request: WhatifRequest(attribution: .leaveOneOut, seed: 2, trials: 200))
        let attribution = try #require(loo.attribution)
        #expect(attribution.method == .leaveOneOut)
        #expect(loo.plan.count == 4 + 1 + 4)
        let all = try #require(loo.comparison(s.controls.map(\.id))?.paired.change(.metric(.failedRequests)).mean)
        for (i, id) in attribution.controls.enumerated() {
            let others = s.controls.map(\.id).filter { $0 != id }
            let without = try #require(loo.comparison(others)?.paired.change(.metric(.failedRequests)).mean)
            #expect(abs(attribution.values[i] - (all - without)) < 1e-9)
        }
        let none = try await Whatif.run(s, request: WhatifRequest(attribution: AttributionMethod.none, seed: 2, trials: 100))
        #expect(none.attribution == nil)
        #expect(none.plan.count == 5)
    }

    static let overlapping = """
    scenario: {id: overlap, title: Overlap, horizon: 2h}
    services:
      - {id: web, traffic: 60/min}
    injections:
      - {id: outage, target: web, effect: {error_rate: 50%}, lasts: 20m}
    controls:
      - id: shorter
        set:
          injections.outage.lasts: 10m
      - id: much-shorter
        set:
          injections.outage.lasts: 2m
      - id: rarer
        set:
          injections.outage.probability: 50%
    """

    @Test func conflictingControlsAreRefusedClearly() async throws {
        let s = try scenario(Self.overlapping)
        let result = try await Whatif.run(s, request: WhatifRequest(seed: 1, trials: 50))
        // Each alone runs; every combination with both lasts controls is refused.
        #expect(result.plan.map(\.controls) == [["shorter"], ["much-shorter"], ["rarer"], ["shorter", "rarer"], ["much-shorter", "rarer"]])
        #expect(result.refused.count == 2)
        #expect(result.refused.allSatisfy { $0.reason.contains("'shorter' and 'much-shorter' both change 'injections.outage.lasts'") })
        let attribution = try #require(result.attribution)
        #expect(attribution.refused?.contains("pass --controls without one of them") == true)
        #expect(result.caveats.contains { $0.kind == .refused })
        // Without the conflict, Shapley works.
        let fine = try await Whatif.run(s, request: WhatifRequest(controls: ["shorter", "rarer"], seed: 1, trials: 50))
        #expect(fine.attribution?.refused == nil)
    }

    @Test func requestErrors() async throws {
        let s = try load(Fixtures.bundled("checkout-config-push"))
        await #expect(throws: CounterfactualError.self) { try await Whatif.run(s, request: WhatifRequest(controls: ["canary-deploy"], trials: 10)) }
        do {
            _ = try await Whatif.run(s, request: WhatifRequest(controls: ["canary-deploy"], trials: 10))
        } catch {
            #expect(error.description.contains("did you mean 'canary-deploys'?"))
        }
        let bare = try scenario(Support.minimal)
        do {
            _ = try await Whatif.run(bare, request: WhatifRequest(trials: 10))
            Issue.record("a scenario without controls must be refused")
        } catch {
            #expect(error.description.contains("has no controls"))
        }
    }

    @Test func whatifJSONIsDeterministicAndHasTheSpecKeys() async throws {
        let s = try load(Fixtures.bundled("checkout-config-push"))
        let a = try await Whatif.run(s, request: WhatifRequest(controls: ["canary-deploys", "fix-retries"], seed: 4, trials: 300, threads: 1))
        let b = try await Whatif.run(s, request: WhatifRequest(controls: ["canary-deploys", "fix-retries"], seed: 4, trials: 300, threads: 2))
        let json = a.json(engineVersion: "t")
        #expect(json.pretty == b.json(engineVersion: "t").pretty)
        for key in ["scenario", "seed", "trials", "baseline", "variants", "attribution"] { #expect(json[key] != nil, "\(key)") }
        let variant = try #require(json["variants"]?[0])
        #expect(variant["controls"] == ["canary-deploys"])
        for key in ["incident_probability_change", "averted", "new_harm", "difference"] { #expect(variant["paired"]?[key] != nil, "\(key)") }
        #expect(variant["paired"]?["averted"]?["of"]?.int == a.run.baseline.count(.incident))
        #expect(variant["paired"]?["difference"]?["failed_requests"]?["n"]?.int == 300)
        #expect(json["attribution"]?["method"] == "shapley")
        #expect(json["attribution"]?["values"]?["canary-deploys"]?.double != nil)
    }
}

import GamedayModel
import GamedaySimulation
import GamedayStatistics
import Testing
@testable import GamedayCounterfactual

@Suite struct ReplayTests {
    static var observedScenarios: [String] {
        Fixtures.bundledScenarios.filter { path in (try? String(contentsOfFile: path, encoding: .utf8))?.contains("\nobserved:") == true }
    }

    @Test func fourBundledScenariosHaveAnObservedIncident() {
        #expect(Self.observedScenarios.count >= 4)
    }

    @Test(arguments: observedScenarios)
    func replayReproducesTheObservedMilestones(path: String) async throws {
        let s = try load(path)
        let result = try await Replay.run(s, request: ReplayRequest(seed: 42, trials: 40, threads: 2))
        let observed = try #require(s.observed)
        #expect(!observed.timeline.isEmpty)
        for row in result.calibration where row.observed != nil {
            #expect(row.matches == true, "\(s.id): \(row.milestone.rawValue) model \(row.model.map { Scalars.formatDuration($0) } ?? "none") against observed \(Scalars.formatDuration(row.observed!))")
        }
        let calibrated = result.calibrated
        #expect(calibrated)
        #expect(result.unusedPins.isEmpty, "\(s.id): pins never used: \(result.unusedPins)")
        // Every control alone, and all together.
        #expect(result.counterfactuals.count == s.controls.count + (s.controls.count > 1 ? 1 : 0))
        for c in result.counterfactuals {
            #expect(c.summary.hasPrefix("With \(c.controls[0])"), "\(c.summary)")
            #expect(c.result.trials == 40)
        }
        // The JSON has the spec's keys.
        let json = result.json(engineVersion: "t")
        for key in ["timeline", "milestones", "metrics"] { #expect(json["factual"]?[key] != nil, "\(key)") }
        for (milestone, time) in observed.timeline {
            #expect(json["factual"]?["milestones"]?[milestone.rawValue]?["observed"]?.double == time)
        }
        #expect(json["counterfactuals"]?[0]?["median_timeline"]?.array?.isEmpty == false || json["counterfactuals"]?[0]?["result"] != nil)
    }

    /// Spec section 8: an alert with reliability 95% that failed in the incident, and a control that
    /// raises its reliability to 99%: the alert works in (0.99 - 0.95) / (1 - 0.95) = 80% of the
    /// counterfactual trials.
    static let alertReliability = """
    scenario: {id: alert, title: Alert, horizon: 8h}
    services:
      - {id: web, traffic: 600/min, slo: 99.9%}
    injections:
      - {id: bad-push, target: web, effect: {error_rate: 40%}}
    barriers:
      - {id: web-alert, type: detect, watches: web, when: {error_rate_above: 5%, for: 5m}, reliability: 95%, notifies: oncall}
      - {id: customer-reports, type: detect, watches: web, when: {error_rate_above: 20%, for: 10m},
         delay: {exponential: {mean: 15m}}, notifies: oncall}
      - {id: rollback, type: mitigate, removes: [bad-push], takes: {triangular: [3m, 5m, 15m]}}
    responders:
      - {id: oncall, acknowledge: {lognormal: {median: 3m, p90: 15m}}, diagnose: {lognormal: {median: 12m, p90: 45m}}}
    modifiers:
      - {id: no-runbook, multiply: {diagnose: 1.8}}
    controls:
      - id: reliable-alert
        set:
          barriers.web-alert.reliability: 99%
      - id: runbook
        remove: [modifiers.no-runbook]
    observed:
      pins:
        barriers.web-alert.works: false
        barriers.customer-reports.delay: 21m
        responders.oncall.acknowledge: 4m
        responders.oncall.diagnose: 27m
        barriers.rollback.takes: 6m
        barriers.rollback.works: true
      timeline:
        detected: 31m
        mitigated: 68m
    """

    @Test func abductionKeepsTheIncidentsLuck() async throws {
        let s = try scenario(Self.alertReliability)
        let trials = 2000
        let result = try await Replay.run(s, request: ReplayRequest(sets: [["reliable-alert"], ["runbook"]], seed: 8, trials: trials, threads: 2))
        // The factual trials: the alert failed in every one, and the timeline matches.
        let alert = s.barriers.firstIndex { $0.id == "web-alert" }!
        #expect(result.run.baseline.barrierCounts(alert)[.failed] == trials)
        let calibrated = result.calibrated, identical = result.identical
        #expect(calibrated)
        #expect(identical)
        // With the more reliable alert it works in 80% of the counterfactual trials.
        let reliable = result.counterfactuals[0]
        let works = reliable.result.barrierCounts(alert)[.held] ?? 0
        expectProportion(works, of: trials, contains: 0.8)
        // Abduction: the uniform behind the failed draw lies in [0.95, 1); the variant works when it is below 0.99.
        // The runbook removes the 1.8 multiplier: the unlucky 27-minute diagnosis keeps its quantile,
        // so it takes 27m / 1.8 = 15m in every counterfactual trial.
        let runbook = result.counterfactuals[1]
        let diagnosed = try #require(runbook.medianMetrics.diagnosedAt)
        let acknowledged = try #require(runbook.medianMetrics.acknowledgedAt)
        #expect(abs(diagnosed - acknowledged - 27 * 60 / 1.8) < 1e-6)
        #expect(runbook.summary.contains("With runbook, this incident is still an incident in every trial"))
        // Incidents are not averted by an alert that only pages earlier here, but failed requests fall.
        #expect(try #require(reliable.paired.differences[.failedRequests]).mean < 0)
    }

    @Test("A pinned belief keeps its quantile: an alert whose uncertain reliability was pinned low stays broken")
    func pinnedBeliefKeepsItsLuck() async throws {
        let s = try scenario("""
        scenario: {id: belief, title: Belief pin, horizon: 8h}
        services:
          - {id: web, traffic: 600/min}
        injections:
          - {id: bad-push, target: web, effect: {error_rate: 40%}}
        barriers:
          - {id: web-alert, type: detect, watches: web, when: {error_rate_above: 5%, for: 5m}, reliability: {uniform: [60%, 90%]}, notifies: oncall}
          - {id: customer-reports, type: detect, watches: web, when: {error_rate_above: 20%, for: 10m}, delay: 20m, notifies: oncall}
          - {id: rollback, type: mitigate, removes: [bad-push], takes: 5m}
        responders:
          - {id: oncall, acknowledge: 3m, diagnose: 10m}
        modifiers:
          - {id: unrelated, multiply: {forward_delay: 2.0}}
        controls:
          - id: nothing-relevant
            remove: [modifiers.unrelated]
          - id: better-alert
            set:
              barriers.web-alert.reliability: {uniform: [90%, 99%]}
        observed:
          pins:
            barriers.web-alert.reliability: 65%
            barriers.web-alert.works: false
          timeline:
            detected: 30m
        """)
        let trials = 2000
        let result = try await Replay.run(s, request: ReplayRequest(sets: [["nothing-relevant"], ["better-alert"]], seed: 3, trials: trials, threads: 2))
        let alert = s.barriers.firstIndex { $0.id == "web-alert" }!
        #expect(result.unusedPins.isEmpty)
        // A control that touches nothing keeps the alert broken in every trial.
        #expect(result.counterfactuals[0].result.barrierCounts(alert)[.failed] == trials)
        // The pinned 65% sits at quantile 1/6 of [60%, 90%]; the better belief maps it to
        // 90% + 9% / 6 = 91.5%. The failed draw's uniform lies in [0.65, 1), so the alert now works
        // when it falls below 0.915: (0.915 - 0.65) / 0.35 of trials.
        let works = result.counterfactuals[1].result.barrierCounts(alert)[.held] ?? 0
        expectProportion(works, of: trials, contains: (0.915 - 0.65) / 0.35)
    }

    @Test func aScenarioWithoutObservedIsRefused() async throws {
        let s = try scenario(Support.minimal)
        do {
            _ = try await Replay.run(s, request: ReplayRequest(trials: 10))
            Issue.record("replay without observed must be refused")
        } catch {
            #expect(error.description.contains("has no `observed` section"))
        }
    }

    @Test func unknownControlsAndUnpinnedDraws() async throws {
        let s = try scenario(Self.alertReliability.replacingOccurrences(of: "    responders.oncall.acknowledge: 4m\n", with: ""))
        do {
            _ = try await Replay.run(s, request: ReplayRequest(sets: [["runbok"]], trials: 10))
            Issue.record("an unknown control must be refused")
        } catch {
            #expect(error.description.contains("did you mean 'runbook'?"))
        }
        // Without the acknowledgement pin the factual replay is a distribution, and says which draw is open.
        let result = try await Replay.run(s, request: ReplayRequest(sets: [], seed: 1, trials: 200))
        let identical = result.identical
        #expect(!identical)
        let draws = result.unpinnedDraws
        try #require(draws.count == 1)
        #expect(draws[0].address == "responders.oncall.acknowledge")
        #expect(draws[0].trials == 200)
        let detected = try #require(result.calibration.first { $0.milestone == .detected })
        #expect(detected.matches == true)
        let mitigated = try #require(result.calibration.first { $0.milestone == .mitigated })
        #expect(mitigated.range.map { $0.lowerBound < $0.upperBound } == true)
    }
}

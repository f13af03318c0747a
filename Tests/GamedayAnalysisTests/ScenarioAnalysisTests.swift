import GamedayModel
import Testing
@testable import GamedayAnalysis

@Suite struct ScenarioAnalysisTests {
    @Test func threePreventBarriersFromAFile() throws {
        let analysis = try analyze(scenarioText(barriers: """
          - {id: a, type: prevent, against: [fault], effectiveness: 50%}
          - {id: b, type: prevent, against: [fault], effectiveness: 60%}
          - {id: c, type: prevent, against: [fault], effectiveness: 70%}
          - {id: alert, type: detect, watches: web, when: {error_rate_above: 1%}, notifies: oncall}
          - {id: fix, type: mitigate, removes: [fault]}
        """))
        let fault = try #require(analysis.injection("fault"))
        // 0.5 × 0.4 × 0.3 = 0.06
        #expect(close(analysis.passesPrevention("fault"), 0.06))
        #expect(fault.prevention.barriers.map(\.id) == ["a", "b", "c"])
        #expect(fault.prevention.barriers.map(\.effectiveness) == [0.5, 0.6, 0.7])
        // RRF = 1 / (1 - effectiveness): 2, 2.5, 3.33…
        #expect(close(fault.prevention.barriers[0].riskReductionFactor, 2))
        #expect(close(fault.prevention.barriers[1].riskReductionFactor, 2.5))
        #expect(close(fault.prevention.barriers[2].riskReductionFactor, 1 / 0.3, 1e-9))
        // Marginal values (see BarrierMathTests): +0.06, +0.09, +0.14.
        #expect(close(fault.prevention.barriers[0].marginalValue, 0.06))
        #expect(close(fault.prevention.barriers[1].marginalValue, 0.09))
        #expect(close(fault.prevention.barriers[2].marginalValue, 0.14))
        #expect(close(fault.prevention.barriers[2].passesWithout, 0.2))
        // The path's RRF: 1 / 0.06.
        #expect(close(fault.prevention.riskReductionFactor, 1 / 0.06, 1e-9))
        #expect(!fault.findings.contains { $0.code == .singlePreventBarrier || $0.code == .sharedCommonCause })
    }

    @Test func reliabilityFoldsIntoStopChanceAndCommonCauseIsExact() throws {
        // a: reliability 90% × effectiveness 100% = 0.9; b: 0.9; both in group g, beta 10%.
        // P(pass) = 0.1 + 0.9 × (0.1 × 0.1) = 0.109. c outside: effectiveness 50%, so 0.109 × 0.5 = 0.0545.
        let analysis = try analyze(scenarioText(barriers: """
          - {id: a, type: prevent, against: [fault], reliability: 90%, common_cause: {group: g, beta: 10%}}
          - {id: b, type: prevent, against: [fault], effectiveness: 90%, common_cause: {group: g, beta: 10%}}
          - {id: c, type: prevent, against: [fault], effectiveness: 50%}
          - {id: alert, type: detect, watches: app, when: {error_rate_above: 1%}, notifies: oncall}
          - {id: fix, type: mitigate, removes: [fault]}
        """))
        let fault = try #require(analysis.injection("fault"))
        #expect(close(fault.passesPrevention, 0.0545))
        // Each grouped barrier's effectiveness after common cause: 0.9 × 0.9 = 0.81, RRF 1 / 0.19.
        #expect(close(fault.prevention.barriers[0].effectiveness, 0.81))
        #expect(close(fault.prevention.barriers[0].riskReductionFactor, 1 / 0.19, 1e-9))
        // Multiplying the column: 0.19 × 0.19 × 0.5 = 0.01805, too optimistic.
        #expect(close(fault.prevention.lopaProduct, 0.01805))
        // Marginal of a: without it, (0.1 + 0.9 × 0.1) × 0.5 = 0.095: +0.0405. Of c: 0.109 - 0.0545 = +0.0545.
        #expect(close(fault.prevention.barriers[0].marginalValue, 0.0405))
        #expect(close(fault.prevention.barriers[2].marginalValue, 0.0545))
        let group = try #require(fault.prevention.commonCause.first)
        #expect(group.group == "g" && group.barriers == ["a", "b"])
        #expect(close(group.allFail, 0.109))
        #expect(close(group.maxRiskReductionFactor, 10, 1e-9))
        let shared = fault.findings.filter { $0.code == .sharedCommonCause }
        #expect(shared.count == 1)
        #expect(shared.first?.barriers == ["a", "b"])
        #expect(shared.first?.severity == .medium)
    }

    @Test func uncertainProbabilitiesEnterByTheirMean() throws {
        // effectiveness uniform [60%, 90%] has mean 75%; reliability triangular [80%, 90%, 100%] has mean 90%.
        // Stop chance 0.75 × 0.9 = 0.675; P(pass) = 0.325.
        let analysis = try analyze(scenarioText(barriers: """
          - {id: a, type: prevent, against: [fault], effectiveness: {uniform: [60%, 90%]}, reliability: {triangular: [80%, 90%, 100%]}}
          - {id: alert, type: detect, watches: app, when: {error_rate_above: 1%}, reliability: {uniform: [80%, 100%]}, notifies: oncall}
        """))
        let fault = try #require(analysis.injection("fault"))
        #expect(close(fault.passesPrevention, 0.325))
        #expect(fault.prevention.barriers[0].uncertain)
        #expect(close(fault.detectCoverage, 0.9))
        #expect(fault.detection.barriers[0].uncertain)
    }

    @Test func perfectBarrierHasInfiniteRiskReduction() throws {
        let analysis = try analyze(scenarioText(barriers: """
          - {id: wall, type: prevent, against: [fault]}
        """))
        let fault = try #require(analysis.injection("fault"))
        #expect(fault.passesPrevention == 0)
        #expect(fault.prevention.barriers[0].riskReductionFactor.isInfinite)
        #expect(fault.prevention.riskReductionFactor.isInfinite)
        let json = try #require(analysis.json["injections"]?["fault"])
        #expect(json["prevent"]?[0]?["risk_reduction_factor"] == .null)
        #expect(json["prevent"]?[0]?["risk_reduction_factor_note"]?.string?.contains("infinite") == true)
        #expect(json["prevention"]?["risk_reduction_factor"] == .null)
        #expect(AnalysisFormat.factor(fault.prevention.barriers[0].riskReductionFactor) == "inf")
        #expect(analysis.text().contains("inf"))
    }

    @Test func blastRadiusFollowsPositiveWeightsToDependents() throws {
        // fault hits app at 40%. web depends on app (weight 1): 40%. edge depends on web with weight 0:
        // not affected. cache is a dependency of app, not a dependent: not affected.
        let analysis = try analyze(scenarioText(barriers: """
          - {id: a1, type: detect, watches: app, when: {error_rate_above: 1%}, reliability: 95%, notifies: oncall}
          - {id: w1, type: detect, watches: web, when: {error_rate_above: 1%}, reliability: 90%, notifies: oncall}
          - {id: c1, type: detect, watches: cache, when: {error_rate_above: 1%}, notifies: oncall}
          - {id: e1, type: detect, watches: edge, when: {error_rate_above: 1%}, notifies: oncall}
        """, services: defaultServices + """

          - id: edge
            depends_on: [{service: web, weight: 0%}]
          - id: mobile
            depends_on: [{service: web, weight: 50%}]
        """))
        let fault = try #require(analysis.injection("fault"))
        #expect(fault.blastRadius.map(\.id) == ["app", "web", "mobile"])
        #expect(fault.blastRadius.map(\.depth) == [0, 1, 2])
        // mobile: 1 - (1 - 0.5 × 0.4) = 0.2
        #expect(close(fault.blastRadius[2].peakErrorRate, 0.2))
        #expect(fault.detection.barriers.map(\.id) == ["a1", "w1"])
        // Coverage: 1 - 0.05 × 0.1 = 0.995 (c1 and e1 watch services fault does not reach).
        #expect(close(fault.detectCoverage, 0.995))
        // Marginal: without a1, 1 - 0.1 = 0.9 (drop 0.095); without w1, 0.95 (drop 0.045).
        #expect(close(fault.detection.barriers[0].marginalValue, 0.095))
        #expect(close(fault.detection.barriers[1].marginalValue, 0.045))
        #expect(fault.consequences.map(\.id) == ["web"])
    }

    @Test func detectCoverageWithCommonCause() throws {
        // 95% and 90% in one group, beta 5%: misses 0.05 + 0.95 × 0.005 = 0.05475; coverage 0.94525.
        let analysis = try analyze(scenarioText(barriers: """
          - {id: a1, type: detect, watches: app, when: {error_rate_above: 1%}, reliability: 95%, notifies: oncall, common_cause: {group: monitoring, beta: 5%}}
          - {id: w1, type: detect, watches: web, when: {error_rate_above: 1%}, reliability: 90%, notifies: oncall, common_cause: {group: monitoring, beta: 5%}}
          - {id: fix, type: mitigate, removes: [fault]}
        """))
        let fault = try #require(analysis.injection("fault"))
        #expect(close(fault.detectCoverage, 0.94525))
        #expect(close(fault.detection.barriers[0].effectiveReliability, 0.9025))
        #expect(fault.findings.contains { $0.code == .sharedCommonCause && $0.barriers == ["a1", "w1"] })
    }

    @Test func unreachableThresholdsAndSilentBarriersDoNotCountAsEffective() throws {
        // fault raises web to 40%: a 50% threshold cannot fire; burn rate 0.4 / (1 - 0.999) = 400 > 14.4 can;
        // a barrier with no notifies counts for coverage but not for effective coverage.
        let analysis = try analyze(scenarioText(barriers: """
          - {id: high, type: detect, watches: web, when: {error_rate_above: 50%}, notifies: oncall}
          - {id: burn, type: detect, watches: web, when: {burn_rate_above: 14.4, window: 1h}, reliability: 80%, notifies: oncall}
          - {id: dashboard, type: detect, watches: app, when: {error_rate_above: 1%}}
          - {id: fix, type: mitigate, removes: [fault]}
        """))
        let fault = try #require(analysis.injection("fault"))
        #expect(fault.detection.barriers.map(\.thresholdReachable) == [false, true, true])
        #expect(close(fault.detectCoverage, 1))
        #expect(close(fault.detection.effectiveCoverage, 0.8))
        #expect(fault.findings.contains { $0.code == .singleDetectBarrier && $0.barriers == ["burn"] })
        #expect(fault.findings.contains { $0.code == .thresholdUnreachable && $0.barriers == ["high"] })
        #expect(analysis.findings.contains { $0.code == .notifiesNobody && $0.subject == "barriers.dashboard" })
    }

    @Test(arguments: [("100%", false), ("99%", true)])
    func singleDetectBarrierWording(reliability: String, statesTheFailureShare: Bool) throws {
        // One alert is a single point of failure even at 100%: the finding stays, but it must not
        // claim the alert fails in "0% of trials".
        let analysis = try analyze(scenarioText(barriers: """
          - {id: only, type: detect, watches: web, when: {error_rate_above: 5%}, reliability: \(reliability), notifies: oncall}
          - {id: fix, type: mitigate, removes: [fault]}
        """))
        let fault = try #require(analysis.injection("fault"))
        let finding = try #require(fault.findings.first { $0.code == .singleDetectBarrier })
        #expect(finding.barriers == ["only"])
        #expect(!finding.message.contains("0% of trials"))
        if statesTheFailureShare {
            #expect(finding.message == "Detection of fault rests on only alone: if it fails (1% of trials), nobody is paged.")
        } else {
            #expect(finding.message == "Detection of fault rests on one alert, only; it is modelled as never failing, which real alerts rarely deserve: silenced, misrouted or too slow, it leaves nobody paged.")
        }
    }

    @Test func oneMultiplicationSignInTheReports() throws {
        let analysis = try analyze(scenarioText(barriers: """
          - {id: gate, type: prevent, against: [fault], effectiveness: 50%}
          - {id: only, type: detect, watches: web, when: {error_rate_above: 5%}, notifies: oncall}
          - {id: fix, type: mitigate, removes: [fault]}
        """))
        for output in [analysis.text(), analysis.markdown] {
            #expect(output.contains("risk reduction 2×"))
            #expect(output.range(of: #"[0-9]x\b"#, options: .regularExpression) == nil)
        }
    }

    @Test func occurrence() throws {
        // at uniform [0m, 16h] with horizon 8h: half the start times fall before the horizon;
        // probability 50% → occurs 0.25. The triggered one occurs with its trigger probability,
        // conditional on its condition; the dormant one only in drills.
        let analysis = try analyze(scenarioText(barriers: "  []", injection: """
          - id: fault
            target: app
            at: {uniform: [0m, 16h]}
            probability: 50%
            effect: {error_rate: 40%}
          - id: cascade
            target: cache
            effect: {down: true}
            lasts: while_triggered
            triggered_by:
              when: {service: web, error_rate_above: 30%, for: 2m}
              probability: 25%
          - id: never
            target: other
            effect: {error_rate: 10%}
            lasts: 10m
            triggered_by:
              when: {service: web, error_rate_above: 99%}
              probability: 100%
          - id: drill-only
            target: app
            effect: {error_rate: 5%}
            lasts: 10m
            dormant: true
        """))
        let fault = try #require(analysis.injection("fault"))
        #expect(fault.occurrence.kind == .scheduled)
        #expect(close(fault.occurrence.beforeHorizon, 0.5))
        #expect(close(fault.occurrence.probability, 0.25))
        let cascade = try #require(analysis.injection("cascade"))
        #expect(cascade.occurrence.kind == .triggered)
        #expect(close(cascade.occurrence.probability, 0.25))
        #expect(cascade.occurrence.reachableBy == ["fault"])
        #expect(cascade.occurrence.note.contains("conditional on web error rate > 30% for 2m"))
        let never = try #require(analysis.injection("never"))
        #expect(never.occurrence.reachableBy.isEmpty)
        #expect(never.findings.contains { $0.code == .triggerUnreachable })
        let dormant = try #require(analysis.injection("drill-only"))
        #expect(dormant.occurrence.kind == .dormant)
        #expect(dormant.occurrence.probability == 0)
    }

    @Test func findingsAReviewerCanActOn() throws {
        let analysis = try analyze(scenarioText(barriers: """
          - {id: only-check, type: prevent, against: [fault], effectiveness: 50%}
          - {id: lonely-alert, type: detect, watches: other, when: {error_rate_above: 1%}, notifies: oncall}
          - {id: dashboard, type: detect, watches: other, when: {error_rate_above: 1%}}
          - {id: forgotten-runbook, type: mitigate, removes: [fault]}
        """, responders: """
          - id: oncall
            acknowledge: 2m
            diagnose: 10m
            uses: []
        """))
        let fault = try #require(analysis.injection("fault"))
        let codes = fault.findings.map(\.code)
        // Nobody watches app or web.
        #expect(codes.contains(.noDetection))
        // The one mitigation is used by nobody and fault lasts until mitigated: it never ends.
        let noMitigation = try #require(fault.findings.first { $0.code == .noMitigation })
        #expect(noMitigation.severity == .high)
        #expect(noMitigation.message.contains("forgotten-runbook"))
        #expect(codes.contains(.singlePreventBarrier))
        // High findings come first.
        #expect(fault.findings.first?.severity == .high)
        #expect(fault.findings.map(\.severity) == fault.findings.map(\.severity).sorted(by: >))
        let scenarioCodes = analysis.findings.map(\.code)
        #expect(scenarioCodes.contains(.notifiesNobody))
        #expect(scenarioCodes.contains(.unusedMitigation))
        #expect(analysis.findings.first { $0.code == .unusedMitigation }?.barriers == ["forgotten-runbook"])
    }

    @Test func selfHealingInjectionWithoutMitigationIsMedium() throws {
        let analysis = try analyze(scenarioText(barriers: """
          - {id: a1, type: detect, watches: app, when: {error_rate_above: 1%}, notifies: oncall}
          - {id: a2, type: detect, watches: web, when: {error_rate_above: 1%}, notifies: oncall}
        """, injection: """
          - id: fault
            target: app
            effect: {error_rate: 40%}
            lasts: 30m
        """))
        let finding = try #require(analysis.injection("fault")?.findings.first { $0.code == .noMitigation })
        #expect(finding.severity == .medium)
        #expect(finding.message.contains("30m"))
    }

    @Test func pagesThatReachNoFixer() throws {
        // The alert pages support, who forwards to triage; the only one who can roll back is dba,
        // whom no page reaches.
        let analysis = try analyze(scenarioText(barriers: """
          - {id: alert, type: detect, watches: app, when: {error_rate_above: 1%}, notifies: support}
          - {id: rollback, type: mitigate, removes: [fault]}
          - {id: restart, type: mitigate, removes: [other-fault]}
        """, responders: """
          - id: support
            acknowledge: 1m
            forwards_to: triage
          - id: triage
            acknowledge: 2m
            diagnose: 5m
            uses: [restart]
          - id: dba
            acknowledge: 2m
            diagnose: 5m
            uses: [rollback]
        """, injection: defaultInjection + """

          - id: other-fault
            target: other
            effect: {error_rate: 10%}
        """))
        let fault = try #require(analysis.injection("fault"))
        #expect(fault.detection.pagedResponders == ["support", "triage"])
        #expect(fault.mitigation.removers.first?.usedBy == ["dba"])
        #expect(fault.mitigation.removers.first?.pagedUsers == [])
        #expect(fault.findings.contains { $0.code == .pagesReachNoFixer })
    }

    @Test func automaticMitigationAndCaps() throws {
        let analysis = try analyze(scenarioText(barriers: """
          - {id: alert, type: detect, watches: web, when: {error_rate_above: 1%}, notifies: oncall}
          - {id: failover, type: mitigate, automatic: true, removes: [fault], when: {service: app, error_rate_above: 50%}}
          - {id: breaker, type: mitigate, automatic: true, when: {service: app, error_rate_above: 10%}, caps: {service: web, dependency: app, weight: 10%}}
          - {id: cache-breaker, type: mitigate, automatic: true, when: {service: cache, error_rate_above: 10%}, caps: {service: app, dependency: cache, weight: 0%}}
        """))
        let fault = try #require(analysis.injection("fault"))
        let failover = try #require(fault.mitigation.removers.first)
        #expect(failover.automatic)
        // fault reaches only 40% at app: the failover's 50% condition is never met by it alone.
        #expect(failover.conditionReachable == false)
        #expect(fault.findings.contains { $0.code == .automaticConditionUnreachable })
        // The breaker caps web -> app, an edge fault spreads along; cache -> app is not on its path.
        #expect(fault.caps.map(\.barrier) == ["breaker"])
        #expect(fault.caps.first?.cappedWeight == 0.1)
        #expect(!fault.findings.contains { $0.code == .noMitigation })
    }

    @Test func commonCauseAcrossBothSidesOfTheKnot() throws {
        let analysis = try analyze(scenarioText(barriers: """
          - {id: check, type: prevent, against: [fault], effectiveness: 50%, common_cause: {group: ci, beta: 5%}}
          - {id: alert, type: detect, watches: web, when: {error_rate_above: 1%}, notifies: oncall, common_cause: {group: ci, beta: 5%}}
          - {id: fix, type: mitigate, removes: [fault]}
        """))
        let fault = try #require(analysis.injection("fault"))
        #expect(fault.findings.contains { $0.code == .commonCauseAcrossSides && $0.barriers == ["check", "alert"] })
    }
}

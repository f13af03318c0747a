import GamedayModel
import GamedayStatistics
import Testing
@testable import GamedaySimulation

@Suite("Engine closed forms")
struct EngineClosedFormTests {
    @Test("LOPA: three prevent barriers 50%, 60%, 70% let 6% through")
    func lopa() throws {
        let s = try scenario(header() + """
        injections:
          - {id: bad, target: web, effect: {down: true}}
        barriers:
          - {id: p1, type: prevent, against: [bad], effectiveness: 50%}
          - {id: p2, type: prevent, against: [bad], effectiveness: 60%}
          - {id: p3, type: prevent, against: [bad], effectiveness: 70%}
        """)
        let n = 20_000
        let passed = trials(s, n).filter { $0.outcome != .prevented }.count
        expectProportion(passed, of: n, contains: 0.5 * 0.4 * 0.3)
    }
}

extension EngineClosedFormTests {
    @Test("Common cause: two 90% barriers in a group with beta 10% let 0.1 + 0.9 × 0.01 through")
    func commonCause() throws {
        let s = try scenario(header() + """
        injections:
          - {id: bad, target: web, effect: {down: true}}
        barriers:
          - {id: a, type: prevent, against: [bad], effectiveness: 90%, common_cause: {group: pipeline, beta: 10%}}
          - {id: b, type: prevent, against: [bad], effectiveness: 90%, common_cause: {group: pipeline, beta: 10%}}
        """)
        let n = 40_000
        let passed = trials(s, n).filter { $0.outcome != .prevented }.count
        expectProportion(passed, of: n, contains: 0.1 + 0.9 * 0.01)
    }

    @Test("A race: an exponential page (mean 10m) beats an exponential self-heal (mean 20m) 2/3 of the time")
    func race() throws {
        let s = try scenario(header() + """
        injections:
          - {id: blip, target: web, effect: {down: true}, lasts: {exponential: {mean: 20m}}}
        barriers:
          - id: alert
            type: detect
            watches: web
            when: {error_rate_above: 0%}
            delay: {exponential: {mean: 10m}}
            notifies: oncall
        responders:
          - {id: oncall, acknowledge: 1m, diagnose: 1m}
        """)
        let n = 20_000
        let detected = trials(s, n).filter { $0.detectedAt != nil }.count
        expectProportion(detected, of: n, contains: (1.0 / 10) / (1.0 / 10 + 1.0 / 20))
    }

    @Test("A probe every 5m noticing with 50% per check finds a step outage after 7.5m on average")
    func probe() throws {
        let s = try scenario(header() + """
        injections:
          - {id: outage, target: web, effect: {down: true}}
        barriers:
          - id: probe
            type: detect
            watches: web
            when: {error_rate_above: 1%}
            every: 5m
            chance_per_check: 50%
            notifies: oncall
        responders:
          - {id: oncall, acknowledge: 1m, diagnose: 1m}
        """)
        let delays = trials(s, 20_000).compactMap(\.detectedAt)
        #expect(delays.count == 20_000)
        expectMean(delays, contains: 300 * (1 / 0.5 - 0.5))
    }

    @Test("Burn rate 14.4 over 1h on a 99.9% SLO", arguments: [
        ("100%", 51.84 as Double?),
        ("10%", 518.4),
        ("1%", nil),
    ])
    func burnRate(errorRate: String, firesAt expected: Double?) throws {
        let s = try scenario(header() + """
        injections:
          - {id: errors, target: web, effect: {error_rate: \(errorRate)}}
        barriers:
          - {id: burn, type: detect, watches: web, when: {burn_rate_above: 14.4, window: 1h}, notifies: oncall}
        responders:
          - {id: oncall, acknowledge: 1m, diagnose: 1m}
        """)
        let m = trials(s, 1)[0]
        if let expected {
            let detected = try #require(m.detectedAt)
            #expect(abs(detected - expected) < 1e-6, "fired at \(detected) s, expected \(expected) s")
        } else {
            #expect(m.detectedAt == nil)
        }
    }

    @Test("A burn-rate alert sees a short outage leave its window: 2 minutes down, then clean, never fires below the threshold")
    func burnRateWindowSlides() throws {
        // 40 s of full outage puts 40 s of error in the window, below the 51.84 s threshold;
        // the same outage again after the first leaves the window must not add up.
        let s = try scenario(header() + """
        injections:
          - {id: first, target: web, effect: {down: true}, lasts: 40s}
          - {id: second, target: web, at: 70m, effect: {down: true}, lasts: 40s}
        barriers:
          - {id: burn, type: detect, watches: web, when: {burn_rate_above: 14.4, window: 1h}, notifies: oncall}
        responders:
          - {id: oncall, acknowledge: 1m, diagnose: 1m}
        """)
        #expect(trials(s, 1)[0].detectedAt == nil)
        // Within the window, they add up: 40 s + 40 s > 51.84 s, firing 11.84 s into the second.
        let close = try scenario(header() + """
        injections:
          - {id: first, target: web, effect: {down: true}, lasts: 40s}
          - {id: second, target: web, at: 30m, effect: {down: true}, lasts: 40s}
        barriers:
          - {id: burn, type: detect, watches: web, when: {burn_rate_above: 14.4, window: 1h}, notifies: oncall}
        responders:
          - {id: oncall, acknowledge: 1m, diagnose: 1m}
        """)
        let detected = try #require(trials(close, 1)[0].detectedAt)
        #expect(abs(detected - (1800 + 11.84)) < 1e-6)
    }

    @Test("Deterministic impact: 1200/min at 40% for 30 minutes fails 14,400 requests")
    func deterministicImpact() throws {
        let s = try scenario(header() + """
        injections:
          - {id: errors, target: web, effect: {error_rate: 40%}, lasts: 30m}
        """)
        let m = trials(s, 1)[0]
        #expect(abs(m.failedRequests - 14_400) < 1e-6)
        #expect(m.impactDuration == 1800)
        #expect(m.peakErrorRate == 0.4)
        // slo_budget_consumed = 14,400 / (20/s × 30 d × 0.1%) = 14,400 / 51,840
        #expect(abs(m.sloBudgetConsumed - 14_400 / 51_840) < 1e-12)
        #expect(m.recoveredAt == 1800.0)
        #expect(m.mitigatedAt == 1800.0)
    }

    @Test("A soft dependency at weight 10% on a fully down service gives 10% at its parent")
    func softDependency() throws {
        let s = try scenario("""
        scenario: {id: soft, title: Soft}
        services:
          - {id: web, traffic: 100/s, depends_on: [{service: recs, weight: 10%}]}
          - {id: recs}
        injections:
          - {id: down, target: recs, effect: {down: true}, lasts: 10m}
        """)
        let m = trials(s, 1)[0]
        #expect(abs(m.peakErrorRate - 0.1) < 1e-15)
        #expect(abs(m.failedRequests - 100 * 0.1 * 600) < 1e-9)
    }

    @Test("Escalation: acknowledge 20m, escalate after 15m, secondary acknowledges in 2m: acknowledged at 17m")
    func escalation() throws {
        let s = try scenario(header() + """
        injections:
          - {id: outage, target: web, effect: {down: true}}
        barriers:
          - {id: alert, type: detect, watches: web, when: {error_rate_above: 0%}, notifies: primary}
        responders:
          - {id: primary, acknowledge: 20m, escalate_after: 15m, escalates_to: secondary, diagnose: 10m}
          - {id: secondary, acknowledge: 2m, diagnose: 10m}
        """)
        let m = trials(s, 1)[0]
        #expect(m.acknowledgedAt == 1020.0)
    }

    @Test("An acknowledgement at the instant of escalate_after prevents the escalation")
    func acknowledgementAtEscalationInstant() throws {
        let s = try scenario(header() + """
        injections:
          - {id: outage, target: web, effect: {down: true}}
        barriers:
          - {id: alert, type: detect, watches: web, when: {error_rate_above: 0%}, notifies: primary}
        responders:
          - {id: primary, acknowledge: 15m, escalate_after: 15m, escalates_to: secondary, diagnose: 10m}
          - {id: secondary, acknowledge: 0m, diagnose: 10m}
        """)
        let (m, events, names) = traced(s)
        #expect(m.acknowledgedAt == 900.0)
        #expect(!events.contains { $0.name == .escalated }, "\(events.map { names.subject($0) + "." + $0.name.text })")
    }

    @Test("A removal exactly at onset + for does not fire the alert")
    func removalAtForBoundary() throws {
        let s = try scenario(header() + """
        injections:
          - {id: blip, target: web, effect: {down: true}, lasts: 5m}
        barriers:
          - {id: alert, type: detect, watches: web, when: {error_rate_above: 5%, for: 5m}, notifies: oncall}
        responders:
          - {id: oncall, acknowledge: 1m, diagnose: 1m}
        """)
        #expect(trials(s, 1)[0].detectedAt == nil)
    }
}

@Suite("Responders")
struct ResponderTests {
    @Test("The first to acknowledge takes the cause; a later acknowledger stands by")
    func laterAcknowledgerStandsBy() throws {
        let s = try scenario(header() + """
        injections:
          - {id: outage, target: web, effect: {down: true}}
        barriers:
          - {id: alert, type: detect, watches: web, when: {error_rate_above: 0%}, notifies: primary}
          - {id: rollback, type: mitigate, removes: [outage], takes: 5m}
        responders:
          - {id: primary, acknowledge: 20m, escalate_after: 15m, escalates_to: secondary, diagnose: 1m}
          - {id: secondary, acknowledge: 2m, diagnose: 10m}
        """)
        let (m, events, names) = traced(s)
        // The secondary acknowledges at 17m and diagnoses until 27m; the primary acknowledges at
        // 20m with one cause already claimed, so it stands by instead of racing with a 1m diagnosis.
        let diagnoses = events.filter { $0.name == .diagnosed }.map { names.subject($0) }
        #expect(diagnoses == ["responders.secondary"])
        #expect(m.diagnosedAt == 27 * 60.0)
        #expect(m.mitigatedAt == 32 * 60.0)
    }

    @Test("Two causes, two responders: each takes one and they work in parallel")
    func parallelWork() throws {
        let s = try scenario("""
        scenario: {id: parallel, title: Parallel}
        services:
          - {id: web, traffic: 100/s, depends_on: [a, b]}
          - {id: a}
          - {id: b}
        injections:
          - {id: a-down, target: a, effect: {error_rate: 50%}}
          - {id: b-down, target: b, effect: {error_rate: 20%}}
        barriers:
          - {id: alert, type: detect, watches: web, when: {error_rate_above: 0%}, notifies: one}
          - {id: alert-two, type: detect, watches: web, when: {error_rate_above: 0%}, notifies: two}
          - {id: fix-a, type: mitigate, removes: [a-down], takes: 10m}
          - {id: fix-b, type: mitigate, removes: [b-down], takes: 10m}
        responders:
          - {id: one, acknowledge: 1m, diagnose: 5m}
          - {id: two, acknowledge: 2m, diagnose: 5m}
        """)
        let (m, events, names) = traced(s)
        let diagnosed = events.filter { $0.name == .diagnosed }.map { "\(names.subject($0)) \(TraceFormatter.detail($0, names: names) ?? "")" }
        // The first to finish names the cause whose removal helps most (a-down, 50%); the second takes b-down.
        #expect(diagnosed == ["responders.one injections.a-down", "responders.two injections.b-down"])
        #expect(m.mitigatedAt == 17 * 60.0)
    }
}

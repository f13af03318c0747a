import Foundation
import GamedayModel
import Testing
@testable import GamedayRecords

private let here = SourceLocation(file: "t.yaml", line: 1, column: 1)

private func expectation(_ key: String, _ value: String) throws -> MetricExpectation {
    try MetricExpectation.parse(key: key, value: value, at: here).get()
}

private func action(_ metric: MetricExpectation?, status: ActionStatus = .done, control: String? = nil) -> Action {
    Action(id: "A1", title: "t", finding: nil, kind: nil, owner: nil, due: nil, status: status,
           metric: metric.map { ActionMetric(text: "prose", expectation: $0) } ?? ActionMetric(text: "prose", expectation: nil),
           control: control.map { Reference($0, at: here) }, ticket: nil, opened: nil, closed: nil, location: here)
}

private func record(_ actions: [Action], evidence: [EvidenceEntry]) throws -> Record {
    var r = try #require(RecordLoader.check(text: "postmortem: PM-1\nkind: drill\nstatus: draft\ntitle: t\nowner: o\ncategory: c\ntimes: {started: 2025-01-01T00:00:00Z}\n", path: "<t>").record)
    r.actions = actions
    r.evidence = evidence
    return r
}

@Suite struct Verification {
    @Test func metricGrammar() throws {
        let p = try expectation("incident_probability_below", "10%")
        #expect(p.quantity == "incident_probability" && p.comparison == .below && p.threshold == 0.1)
        let t = try expectation("time_to_detect_p90_at_most", "10m")
        #expect(t.quantity == "time_to_detect_p90" && t.comparison == .atMost && t.threshold == 600)
        let c = try expectation("failed_requests_change_below", "-1000")
        #expect(c.quantity == "failed_requests_change" && c.threshold == -1000)
        let d = try expectation("time_to_mitigate_change_below", "-5m")
        #expect(d.threshold == -300)
        let single = try expectation("time_to_mitigate_below", "20m")
        #expect(single.quantity == "time_to_mitigate" && single.threshold == 1200)
        let score = try expectation("score_at_least", "80%")
        #expect(score.quantity == "score" && score.threshold == 0.8)
        #expect(throws: MetricExpectation.ParseError.self) { try expectation("incident_probability_under", "10%") }
        #expect(throws: MetricExpectation.ParseError.self) { try expectation("incident_probability_below", "120%") }
        #expect(throws: MetricExpectation.ParseError.self) { try expectation("time_to_detect_p90_below", "10") }
    }

    @Test func readingsAreDecidedByTheirInterval() throws {
        let below10 = try expectation("incident_probability_below", "10%")
        func entry(_ result: JSONObject) -> EvidenceEntry { EvidenceEntry(id: "E1", kind: .counterfactual, controls: ["c"], result: result) }
        let met = ActionVerification.read(below10, from: entry(["incident_probability": ["baseline": 0.9, "variant": 0.08, "variant_ci95": [0.07, 0.09]]]))
        #expect(met?.verdict == .met && met?.value == 0.08 && met?.low == 0.07)
        let straddles = ActionVerification.read(below10, from: entry(["incident_probability": ["variant": 0.095, "variant_ci95": [0.09, 0.11]]]))
        #expect(straddles?.verdict == .inconclusive)
        let missed = ActionVerification.read(below10, from: entry(["incident_probability": ["variant": 0.18, "variant_ci95": [0.178, 0.182]]]))
        #expect(missed?.verdict == .notMet)
        let point = ActionVerification.read(below10, from: entry(["incident_probability": 0.05]))
        #expect(point?.verdict == .met && point?.low == nil)
        #expect(ActionVerification.read(below10, from: entry(["averted": ["share": 0.9]])) == nil)

        let averted = try expectation("averted_at_least", "70%")
        #expect(ActionVerification.read(averted, from: entry(["averted": ["share": 0.79, "ci95": [0.787, 0.793]]]))?.verdict == .met)
        #expect(ActionVerification.read(averted, from: entry(["averted": ["share": 0.71, "ci95": [0.69, 0.73]]]))?.verdict == .inconclusive)

        let detect = try expectation("time_to_detect_p90_below", "10m")
        let durations = ActionVerification.read(detect, from: entry(["time_to_detect_p90": ["baseline": "48m", "variant": "7m", "variant_ci95": ["6m50s", "7m12s"]]]))
        #expect(durations?.value == 420 && durations?.high == 432 && durations?.verdict == .met)
        let seconds = ActionVerification.read(detect, from: entry(["time_to_detect_p90": ["baseline": 2880, "variant": 700]]))
        #expect(seconds?.verdict == .notMet)

        let change = try expectation("failed_requests_change_below", "-10000")
        #expect(ActionVerification.read(change, from: entry(["failed_requests_mean_change": ["value": -31800, "ci95": [-32100, -31500]]]))?.verdict == .met)

        let score = try expectation("score_at_least", "80%")
        #expect(ActionVerification.read(score, from: EvidenceEntry(kind: .drill, score: DrillScore(points: 75, max: 100)))?.verdict == .notMet)
        let drill = try expectation("time_to_mitigate_below", "20m")
        #expect(ActionVerification.read(drill, from: EvidenceEntry(kind: .drill, result: ["time_to_mitigate": "14m"]))?.verdict == .met)
    }

    @Test func derivedStates() throws {
        let below10 = try expectation("incident_probability_below", "10%")
        let good = EvidenceEntry(id: "E1", kind: .counterfactual, controls: ["canary"], result: ["incident_probability": ["variant": 0.05, "variant_ci95": [0.04, 0.06]]])
        let bad = EvidenceEntry(id: "E2", kind: .counterfactual, controls: ["canary"], result: ["incident_probability": ["variant": 0.2, "variant_ci95": [0.19, 0.21]]])
        let other = EvidenceEntry(id: "E3", kind: .counterfactual, controls: ["canary", "alert"], result: ["incident_probability": ["variant": 0.01]])
        let named = EvidenceEntry(id: "E4", kind: .counterfactual, controls: ["alert"], action: "A1", result: ["incident_probability": ["variant": 0.01]])

        func state(_ a: Action, _ evidence: [EvidenceEntry]) throws -> ActionVerification {
            ActionVerification.evaluate(a, in: try record([a], evidence: evidence))
        }
        #expect(try state(action(below10, control: "canary"), [good]).state == .verified)
        #expect(try state(action(below10, status: .inProgress, control: "canary"), [good]).state == .supported)
        // The latest entry that reports the quantity decides: a later regression un-verifies.
        #expect(try state(action(below10, control: "canary"), [good, bad]).state == .notMet)
        #expect(try state(action(below10, control: "canary"), [bad, good]).state == .verified)
        // Only entries with exactly the action's control, or naming the action, are linked.
        let combined = try state(action(below10, control: "canary"), [other])
        #expect(combined.state == .noEvidence && combined.linked.isEmpty)
        let byName = try state(action(below10, control: "canary"), [named])
        #expect(byName.state == .verified && byName.linked.map(\.id) == ["E4"])
        #expect(try state(action(nil, control: "canary"), [good]).state == .proseMetric)
        #expect(try state(action(below10), []).state == .noEvidence)
    }

    @Test func specExampleVerifiesWhatItShould() throws {
        let (record, _) = try specExampleRecord()
        let states = ActionVerification.evaluate(record).map { "\($0.action.id) \($0.state.rawValue)" }
        #expect(states == ["A1 verified", "A2 not-met", "A3 prose-metric", "A4 verified"])
    }

    /// The bundled examples, fed with evidence by gameday itself (postmortems/README.md), show
    /// every derived state.
    @Test func exampleRecordsVerifyWhatTheyShould() throws {
        let (kb, _) = try exampleKnowledgeBase()
        func states(_ id: String) throws -> [String] {
            ActionVerification.evaluate(try #require(kb.record(id))).map { "\($0.action.id) \($0.state.rawValue)" }
        }
        // The alert change hardly moves detection (the synthetic probe pages first): done, not met.
        // The canary's P(incident) is 5.2% [4.55%, 5.93%] at 4,000 trials: its interval straddles
        // the 5% target, so inconclusive.
        #expect(try states("PM-2025-014") == ["A1 not-met", "A2 inconclusive", "A3 prose-metric", "A4 verified"])
        // The drill scored 70 of 100 against a target of 80%.
        #expect(try states("PM-2025-019") == ["A1 not-met"])
        #expect(try states("CF-2019-07-02") == ["A1 verified", "A2 prose-metric", "A3 prose-metric", "A4 prose-metric",
                                               "A5 supported", "A6 prose-metric", "A7 prose-metric"])
        #expect(try states("GL-2017-01-31").filter { !$0.hasSuffix("prose-metric") } == ["A6 verified", "A7 supported"])
        #expect(try states("AWS-2017-02-28") == ["A1 verified", "A2 supported", "A3 prose-metric", "A4 prose-metric", "A5 prose-metric"])
        #expect(try states("GH-2018-10-21").first == "A1 supported")
        // A dropped action whose evidence says it would have worked.
        #expect(try states("PM-2025-009") == ["A1 prose-metric", "A2 supported"])
        #expect(try states("PM-2025-017") == ["A1 supported"])
    }
}

@Suite struct Builder {
    static let whatif: JSONValue = try! JSONParser.parse("""
    {"scenario": {"id": "checkout-config-push", "path": "scenarios/checkout-config-push.yaml", "sha256": "c28c956ed1284cd13528d808207edf9fbecd89414716705e099cabb3c460d223"},
     "seed": 42, "trials": 1000,
     "baseline": {"incident_probability": {"estimate": 0.93, "ci95": [0.91, 0.95]},
                  "metrics": {"time_to_detect": {"n": 900, "mean": 1500, "p50": 1260, "p90": 2880},
                              "failed_requests": {"n": 1000, "mean": 39000, "ci95_mean": [38000, 40000]}}},
     "variants": [
       {"controls": ["canary-deploys"],
        "result": {"incident_probability": {"estimate": 0.08, "ci95": [0.065, 0.097]},
                   "metrics": {"time_to_detect": {"n": 80, "mean": 1400, "p50": 1200, "p90": 2700},
                               "failed_requests": {"n": 1000, "mean": 7000, "ci95_mean": [6500, 7500]}}},
        "paired": {"averted": {"share": 0.91, "ci95": [0.89, 0.93], "of": 930},
                   "difference": {"failed_requests": {"mean": -32000, "ci95": [-33000, -31000], "n": 1000},
                                  "time_to_mitigate": {"mean": -90, "ci95": [-100, -80], "n": 70}}}},
       {"controls": ["tighter-alert"], "result": {"incident_probability": {"estimate": 0.93, "ci95": [0.91, 0.95]}}, "paired": {}}
     ]}
    """)

    @Test func counterfactualFromWhatif() throws {
        let entry = try EvidenceBuilder.counterfactual(fromWhatif: Self.whatif, controls: ["canary-deploys"],
                                                       provenance: .init(engine: "gameday 0.1.0", at: "2025-07-20T10:02:11Z", command: "gameday whatif x", action: "A2"))
        #expect(entry.kind == .counterfactual && entry.controls == ["canary-deploys"] && entry.action == "A2")
        #expect(entry.scenario == ScenarioStamp(path: "scenarios/checkout-config-push.yaml", sha256: "c28c956ed1284cd13528d808207edf9fbecd89414716705e099cabb3c460d223"))
        #expect(entry.trials == 1000)
        #expect(entry.result?["incident_probability"] == ["baseline": 0.93, "variant": 0.08, "variant_ci95": [0.065, 0.097]])
        #expect(entry.result?["averted"] == ["share": 0.91, "ci95": [0.89, 0.93], "of": 930])
        #expect(entry.result?["time_to_detect_p90"] == ["baseline": "48m", "variant": "45m"])
        #expect(entry.result?["failed_requests_mean"] == ["baseline": 39000, "variant": 7000, "variant_ci95": [6500, 7500]])
        #expect(entry.result?["time_to_mitigate_mean_change"] == ["value": "-1m30s", "ci95": ["-1m40s", "-1m20s"], "n": 70])
        #expect(entry.seed == 42)
        // A seed above 2^53 is not exact in JSON numbers: the caller passes it in the provenance.
        let big = try EvidenceBuilder.counterfactual(fromWhatif: Self.whatif, controls: ["canary-deploys"], provenance: .init(seed: UInt64.max))
        #expect(big.seed == UInt64.max)
        #expect(try EvidenceLog.appending(big, to: baseRecord, file: "x.yaml", now: 0).text.contains("    seed: 18446744073709551615\n"))
        // The entry appends and reads back, and it verifies an expectation.
        let (text, appended) = try EvidenceLog.appending(entry, to: baseRecord, file: "PM-2025-014.yaml", now: 0)
        #expect(text.contains("      time_to_detect_p90: {baseline: 48m, variant: 45m}\n"))
        #expect(appended.id == "E1")
        #expect(ActionVerification.read(try MetricExpectation.parse(key: "incident_probability_below", value: "10%", at: here).get(), from: appended)?.verdict == .met)
    }

    @Test func variantsMustBeChosen() {
        #expect(throws: EvidenceBuilder.Failure.self) { _ = try EvidenceBuilder.counterfactual(fromWhatif: Self.whatif, controls: nil) }
        #expect(throws: EvidenceBuilder.Failure.self) { _ = try EvidenceBuilder.counterfactual(fromWhatif: Self.whatif, controls: ["nope"]) }
    }

    @Test func drillAndReplay() throws {
        let drill = try JSONParser.parse("""
        {"drill": "D-2025-07-28-checkout", "scenario": {"path": "s.yaml", "sha256": "c28c956ed1284cd13528d808207edf9fbecd89414716705e099cabb3c460d223"}, "seed": 7,
         "team": [{"name": "alice", "role": "incident-commander"}], "score": {"points": 75, "max": 100},
         "objectives": [{"id": "acknowledged", "status": "met"}, {"id": "comms", "status": "missed"}],
         "outcome": {"time_to_mitigate": 840, "failed_requests": 12000, "model_percentile": {"time_to_mitigate": 0.22}}}
        """)
        let entry = try EvidenceBuilder.drill(fromDrill: drill)
        #expect(entry.drill == "D-2025-07-28-checkout" && entry.score == DrillScore(points: 75, max: 100) && entry.missed == ["comms"])
        #expect(entry.team == [Participant(name: "alice", role: "incident-commander")] && entry.seed == 7)
        #expect(entry.result?["time_to_mitigate"] == "14m" && entry.result?["failed_requests"] == 12000)

        let replay = try JSONParser.parse("""
        {"scenario": {"path": "s.yaml", "sha256": "c28c956ed1284cd13528d808207edf9fbecd89414716705e099cabb3c460d223"}, "seed": 42,
         "factual": {"milestones": {"detected": {"model": 1860, "observed": 1860}}, "metrics": {"failed_requests": 41000, "time_to_detect": 1860}},
         "counterfactuals": [{"controls": ["canary-deploys"], "trials": 10000,
            "result": {"incident_probability": {"estimate": 0.2, "ci95": [0.19, 0.21]},
                       "metrics": {"failed_requests": {"p50": 0, "p90": 9000}, "time_to_detect": {"p50": 1800, "p90": 2400}}}}]}
        """)
        let r = try EvidenceBuilder.replay(fromReplay: replay, controls: nil)
        #expect(r.kind == .replay && r.controls == ["canary-deploys"] && r.trials == 10000)
        #expect(r.result?["milestones"] == ["detected": ["model": "31m", "observed": "31m"]])
        #expect(r.result?["time_to_detect"] == ["factual": "31m", "variant": "30m", "variant_p90": "40m"])
        #expect(r.result?["incident_probability"] == ["factual": 1, "variant": 0.2, "variant_ci95": [0.19, 0.21]])
    }

    @Test func evidenceInputReadsEntriesWithLocatedErrors() throws {
        let entry = try EvidenceInput.entry(from: "{\"kind\": \"check\", \"check\": \"canary\", \"result\": {\"incident_probability\": {\"variant\": 0.1}}}",
                                            file: "e.json", controls: ["canary-deploys"], provenance: .init(engine: "gameday 0.1.0"))
        #expect(entry.kind == .check && entry.controls == ["canary-deploys"] && entry.engine == "gameday 0.1.0" && entry.id == nil)
        #expect {
            _ = try EvidenceInput.entry(from: "{\"kind\": \"check\",\n \"trails\": 3}", file: "e.json")
        } throws: { error in
            let d = (error as? DiagnosticError)?.diagnostics.first
            return d?.location.line == 2 && d?.location.column == 2 && d?.help?.contains("did you mean 'trials'?") == true
        }
        #expect(throws: DiagnosticError.self) { _ = try EvidenceInput.entry(from: "{\"hello\": 1}", file: "e.json") }
    }
}

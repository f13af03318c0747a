import Foundation
import GamedayModel
import Testing
@testable import GamedayRecords

@Suite struct Rendering {
    /// The spec's example record, with the spec's hand-written evidence.
    func example() throws -> (Record, Scenario?) {
        try specExampleRecord()
    }

    @Test func executiveBrief() throws {
        let (record, scenario) = try example()
        let text = RecordReport.render(record, audience: .exec, format: .markdown, scenario: scenario, asOf: asOf)
        for heading in ["## Impact", "## Risk posture", "## Recommended changes"] { #expect(text.contains(heading)) }
        #expect(text.contains("**This is a repeat** of PM-2025-003"))
        #expect(text.contains("About 41,000 failed checkouts over 62 minutes."))
        #expect(text.contains("chance that this failure becomes an incident at 93% today"))
        #expect(text.contains("| Push config through a 5% canary with automatic rollback | sam | 2025-08-15 | in-progress, overdue since 2025-08-15"))
        #expect(text.contains("P(incident) 93% → 18% (95% CI 17.8% to 18.2%); averts 79% of incidents"))
        #expect(text.contains("target below 10%: not met"))
        #expect(text.contains("time to detect p90 48m → 7m"))
        #expect(!text.contains("Five whys"))
        #expect(RecordReport.render(record, audience: .exec, format: .markdown, scenario: scenario, asOf: asOf) == text)
    }

    @Test func engineeringReport() throws {
        let (record, scenario) = try example()
        let text = RecordReport.render(record, audience: .engineering, format: .markdown, scenario: scenario, asOf: asOf)
        for heading in ["## Times", "## Timeline", "### Event map", "## Five whys", "## Barrier analysis", "## Findings", "## Actions and the evidence behind them"] {
            #expect(text.contains(heading), "\(heading)")
        }
        #expect(text.contains("```mermaid\nflowchart TD\n"))
        #expect(text.contains("  t1 --> t2\n  t2 --> t3\n  t2 --> t4\n  t4 --> t5\n  t5 --> t6\n"))
        #expect(text.contains("b3 -. failed .-> t4"))
        #expect(text.contains("1. **What happened?** Checkout called a wrong payments endpoint.\n2. **Why?** The config value was edited by hand."))
        #expect(text.contains("| `config-validation` | prevent | failed | F1: Config pushes skip validation and canarying. | prevent, effectiveness 30% |"))
        #expect(text.contains("**Verdict:** E1: P(incident) 18% (95% CI 17.8% to 18.2%) against below 10%: not met"))
        #expect(text.contains("scenarios/checkout-config-push.yaml@c28c956ed128, with canary-deploys, seed 42, 100,000 trials, gameday 0.1.0"))
        #expect(text.contains("failed requests mean change −31,800 (95% CI −32,100 to −31,500)"))
        #expect(text.contains("| F4 | vendor | The payments provider's sandbox accepted the wrong endpoint. | no action: Vendor-side; covered by contract review. |"))
    }

    /// A bundled public example: its evidence, fed by gameday itself, marks the done action whose
    /// metric it meets as verified, and an open one as meeting its metric.
    @Test func bundledPublicExampleExecBrief() throws {
        let (kb, _) = try exampleKnowledgeBase()
        let entry = try #require(kb.entries.first { $0.record.id == "CF-2019-07-02" })
        let text = RecordReport.render(entry.record, audience: .exec, format: .markdown, scenario: entry.scenario, asOf: asOf)
        #expect(text.contains("| Re-introduce the excessive CPU usage protection that got removed | firewall-team | 2019-10-10 | done, verified |"))
        #expect(text.contains("evidence meets its metric | averted 84.7%"))
        #expect(text.contains("target below 15%: met"))
        #expect(text.contains("*not simulated yet*"))
    }

    @Test func frontlineGuidance() throws {
        let (record, scenario) = try example()
        let text = RecordReport.render(record, audience: .frontline, format: .markdown, scenario: scenario, asOf: asOf)
        #expect(text.contains("## What to look for\n\n- Payment-page spinners"))
        #expect(text.contains("## What to do\n\n1. Check the deploy log"))
        #expect(text.contains("## Runbooks that changed\n\n- `runbooks/checkout.md`: Added the config rollback procedure (step 3)"))
        #expect(text.contains("checkout-5xx-alert (failed)"))
        #expect(text.contains("D-2025-07-28-checkout: drill score 75/100; missed: comms"))
    }

    @Test func htmlIsSelfContainedAndEscaped() throws {
        var (record, scenario) = try example()
        record.title = "<script>alert('x')</script> & \"quotes\""
        record.timeline[0].text = "a \"quoted\" <b>tag</b> # hash"
        for audience in Audience.allCases {
            let html = RecordReport.render(record, audience: audience, format: .html, scenario: scenario, asOf: asOf)
            #expect(html.hasPrefix("<!DOCTYPE html>"))
            #expect(!html.contains("<script"))
            #expect(!html.contains("src=") && !html.contains("<link") && !html.contains("@import"))
            #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"))
        }
        let markdown = RecordReport.render(record, audience: .engineering, format: .markdown, scenario: scenario, asOf: asOf)
        #expect(markdown.contains("\\<script\\>"))
        let map = RecordReport.eventMap(record)
        #expect(map.contains("a #quot;quoted#quot; #lt;b#gt;tag#lt;/b#gt; #35; hash"))
    }

    @Test func markdownEscaping() {
        #expect(ReportDocument.markdownEscape("slo_budget and _emphasis_ *x* a|b") == "slo_budget and \\_emphasis\\_ \\*x\\* a\\|b")
        #expect(ReportDocument.markdownEscape("- not a list") == "\\- not a list")
        #expect(ReportDocument.markdownEscape("+0m") == "+0m")
    }

    @Test func recordWithoutAnalysisStillRenders() throws {
        let check = RecordLoader.check(text: RecordTemplate.text(id: "PM-9", now: 0), path: "PM-9.yaml")
        let record = try #require(check.record)
        for audience in Audience.allCases {
            let text = RecordReport.render(record, audience: audience, format: .markdown, asOf: 0)
            #expect(!text.isEmpty)
        }
    }
}

@Suite struct Template {
    @Test func prefilledFromTheScenario() throws {
        let folder = TemporaryFolder()
        folder.addScenario()
        let scenario = try ScenarioLoader.load(path: folder.file("scenarios/checkout-config-push.yaml"))
        let text = RecordTemplate.text(id: "PM-2025-014", scenario: (scenario, "scenarios/checkout-config-push.yaml"), owner: "dana", now: ISO8601.parse("2025-07-15T09:00:00Z")!)
        let check = RecordLoader.check(path: folder.write("postmortems/PM-2025-014.yaml", text))
        #expect(check.isValid)
        #expect(check.diagnostics.allSatisfy { $0.severity == .warning && $0.message.contains("placeholder") }, "\(check.diagnostics)")
        let record = try #require(check.record)
        #expect(record.title == "Bad config push breaks checkout" && record.category == "change-management" && record.owner == "dana")
        #expect(record.scenario?.path == "scenarios/checkout-config-push.yaml")
        #expect(record.times.started?.text == "2025-07-14T13:58:00Z")
        #expect(record.times[.detected]?.text == "2025-07-14T14:29:00Z")
        #expect(record.times[.mitigated]?.text == "2025-07-14T15:00:00Z")
        #expect(record.services == ["web", "checkout"])
        #expect(record.timeline.map(\.kind) == [.trigger, .detection, .mitigation])
        let barriers = record.analysis.barriers.map { "\($0.barrier) \($0.expected!.rawValue) \($0.state!.rawValue)" }
        #expect(barriers == ["config-validation prevent failed", "flag-ramp prevent failed", "checkout-5xx-alert detect failed",
                             "customer-reports detect held", "rollback mitigate held"])
        #expect(record.history.first?.date?.day == "2025-07-15")
        #expect(text.contains("evidence: []"))
    }

    @Test func withoutAScenario() throws {
        let text = RecordTemplate.text(id: "PM-2025-030", kind: .nearMiss, now: ISO8601.parse("2025-07-15T09:00:31Z")!)
        let check = RecordLoader.check(text: text, path: "PM-2025-030.yaml")
        #expect(check.isValid, "\(check.diagnostics)")
        #expect(check.record?.kind == .nearMiss && check.record?.times.started?.text == "2025-07-15T09:00:00Z")
        #expect(check.diagnostics.filter { $0.message.contains("placeholder") }.count >= 5)
    }
}

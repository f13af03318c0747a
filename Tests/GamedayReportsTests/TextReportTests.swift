import GamedayCounterfactual
import GamedayModel
import Testing
@testable import GamedayReports

@Suite struct TextReportTests {
    @Test func whatifTextRanksControlsAndSaysWhatIsNotDistinguishable() async throws {
        let s = try load(Paths.bundled("checkout-config-push"))
        let result = try await Whatif.run(s, request: WhatifRequest(seed: 42, trials: 400, threads: 2))
        let text = WhatifReport.text(result)
        #expect(text.contains("Attribution of failed requests by Shapley values; they add up to the all-controls change of"))
        // Ranked by the size of the effect: the canary first.
        let ranked = text.split(separator: "\n").filter { $0.hasPrefix("  1  ") || $0.hasPrefix("  2  ") }
        #expect(ranked.first?.contains("canary-deploys") == true, "\(ranked)")
        #expect(text.contains("Caveats"))
        let markdown = WhatifReport.markdown(result)
        #expect(markdown.contains("| Rank | Control |"))
        #expect(markdown.hasPrefix("## What if: checkout-config-push"))
    }

    @Test func replayTextReadsLikeAPostmortem() async throws {
        let s = try load(Paths.bundled("cloudflare-waf-regex-2019"))
        let result = try await Replay.run(s, request: ReplayRequest(sets: [["staged-rule-rollout"]], seed: 42, trials: 300))
        let text = ReplayReport.text(result)
        #expect(text.contains("With staged-rule-rollout, this incident is stopped by the new staged-rollout in"))
        #expect(text.contains("with 1% of traffic exposed for 10m"))
        #expect(text.contains("median failed requests fall from 12,817,584,000 to"))
        #expect(text.contains("13:45:00"))
        #expect(ReplayReport.markdown(result).contains("### Calibration"))
    }
}

import Foundation
import GamedayCounterfactual
import GamedayModel
import Testing
import GamedayTestSupport
@testable import GamedayReports

/// The HTML reports, in a real browser: headless Chromium (Debian's `chromium` and
/// `chromium-driver`, driven by Selenium) opens the file and the DOM is checked. `.ci/run`
/// installs them; a machine without them fails this test rather than skipping it.
@Suite(.serialized) struct HTMLReportTests {
    static func browserCheck(_ html: String, kind: String, name: String) throws {
        let folder = try Paths.temporaryDirectory()
        let path = folder.appendingPathComponent(name).path
        try Data(html.utf8).write(to: URL(fileURLWithPath: path))
        guard let python = which("python3") else {
            Issue.record("python3 is needed to drive Chromium (see .ci/run)")
            return
        }
        let result = try runProcess(python, [Paths.browserCheck, path, "--kind", kind])
        if result.status == 2 {
            Issue.record("Chromium or Selenium is missing: apt-get install chromium chromium-driver; python3 -m pip install selenium (.ci/run does both). \(result.error)")
            return
        }
        #expect(result.status == 0, "browser check failed for \(path):\n\(result.error)\(result.output)")
    }

    @Test func whatifReportRendersInChromium() async throws {
        let s = try load(Paths.bundled("checkout-config-push"))
        let result = try await Whatif.run(s, request: WhatifRequest(seed: 42, trials: 600, threads: 2))
        let json = result.json(engineVersion: "test")
        let html = HTMLReport.whatif(json)
        // Self-contained: no external references, one SVG per chart, the data embedded.
        #expect(!html.contains("http://") || !html.contains("src=\"http"))
        #expect(!html.contains("<link") && !html.contains("<img") && !html.contains("src="))
        for chart in ["outcomes", "cdf-time_to_mitigate", "cdf-failed_requests", "timeline", "attribution"] {
            #expect(html.components(separatedBy: "data-chart=\"\(chart)\"").count == 2, "\(chart)")
        }
        #expect(html.contains("<script type=\"application/json\" id=\"gameday-data\">"))
        #expect(HTMLReport.whatif(json) == html, "same JSON, same bytes")
        try Self.browserCheck(html, kind: "whatif", name: "whatif.html")
    }

    @Test func replayReportRendersInChromium() async throws {
        let s = try load(Paths.bundled("cloudflare-waf-regex-2019"))
        let result = try await Replay.run(s, request: ReplayRequest(seed: 42, trials: 200, threads: 2))
        let html = HTMLReport.replay(result.json(engineVersion: "test"))
        #expect(html.contains("data-table=\"calibration\""))
        #expect(html.contains("13:45:00"), "wall-clock times from observed.started")
        try Self.browserCheck(html, kind: "replay", name: "replay.html")
    }

    @Test func escapingAndScriptEnd() {
        #expect(HTMLReport.escape("<a href=\"x\">&'</a>") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;")
        #expect("{\"a\": \"</script>\"}".replacingScriptEnd == "{\"a\": \"<\\/script>\"}")
    }
}

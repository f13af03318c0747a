import Foundation
import GamedayModel
import Testing
import GamedayTestSupport

/// `gameday whatif`, `replay` and `check` end to end, through the built binary.
@Suite struct CommandTests {
    func run(_ arguments: [String]) throws -> ProcessResult? {
        guard let binary = Paths.binary else {
            Issue.record("the gameday executable was not found beside the test bundle or in .build/debug")
            return nil
        }
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        return try runProcess(binary, arguments, environment: environment)
    }

    @Test func whatifTextAndJSON() throws {
        let path = Paths.bundled("checkout-config-push")
        guard let text = try run(["whatif", path, "--controls", "canary-deploys,fix-retries", "--trials", "400"]) else { return }
        #expect(text.status == 0, "\(text.error)")
        #expect(text.output.contains("Attribution"))
        #expect(text.output.contains("canary-deploys"))
        #expect(text.output.contains("paired"))
        guard let json = try run(["whatif", path, "--controls", "canary-deploys", "--trials", "300", "--format", "json", "--threads", "1"]) else { return }
        #expect(json.status == 0)
        let parsed = try JSONParser.parse(json.output)
        #expect(parsed["variants"]?[0]?["controls"] == ["canary-deploys"])
        #expect(try run(["whatif", path, "--controls", "canary-deploys", "--trials", "300", "--format", "json", "--threads", "2"])?.output == json.output)
    }

    @Test func whatifMalformedInput() throws {
        let path = Paths.bundled("checkout-config-push")
        guard let unknown = try run(["whatif", path, "--controls", "canary-deploy", "--trials", "10"]) else { return }
        #expect(unknown.status == 1)
        #expect(unknown.error.contains("did you mean 'canary-deploys'?"))
        guard let metric = try run(["whatif", path, "--metric", "failed_request"]) else { return }
        #expect(metric.status == 2)
        #expect(metric.error.contains("did you mean 'failed_requests'?"))
        guard let method = try run(["whatif", path, "--attribution", "banzhaf"]) else { return }
        #expect(method.status == 2)
        guard let missing = try run(["whatif", "no-such-file.yaml"]) else { return }
        #expect(missing.status == 1)
    }

    @Test func replayTextAndErrors() throws {
        guard let text = try run(["replay", Paths.bundled("cloudflare-waf-regex-2019"), "--with", "staged-rule-rollout", "--trials", "100"]) else { return }
        #expect(text.status == 0, "\(text.error)")
        #expect(text.output.contains("With staged-rule-rollout, this incident is stopped by the new staged-rollout in"))
        #expect(text.output.contains("matches"))
        guard let noObserved = try run(["replay", Paths.bundled("checkout-config-push"), "--trials", "10"]) else { return }
        #expect(noObserved.status == 1)
        #expect(noObserved.error.contains("no `observed` section"))
        guard let tolerance = try run(["replay", Paths.bundled("cloudflare-waf-regex-2019"), "--tolerance", "soon"]) else { return }
        #expect(tolerance.status == 2)
    }

    @Test func checkExitStatusAndJUnit() throws {
        let folder = try Paths.temporaryDirectory()
        let failing = folder.appendingPathComponent("failing.yaml").path
        try Data("""
        scenario: {id: failing, title: Failing, horizon: 2h}
        services:
          - {id: web, traffic: 60/min}
        injections:
          - {id: outage, target: web, probability: 50%, effect: {error_rate: 50%}, lasts: 10m}
        checks:
          - name: outages are rare
            expect: {incident_probability_below: 10%}
          - name: outages happen
            expect: {incident_probability_above: 10%}

        """.utf8).write(to: URL(fileURLWithPath: failing))
        let junit = folder.appendingPathComponent("junit.xml").path
        guard let result = try run(["check", failing, "--trials", "500", "--junit", junit]) else { return }
        #expect(result.status == 1)
        let lines = result.output.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("FAIL ") && $0.contains("outages are rare") })
        #expect(lines.contains { $0.hasPrefix("PASS ") && $0.contains("outages happen") })
        #expect(lines.last?.hasPrefix("1 passed, 1 failed") == true)
        let xml = try String(contentsOfFile: junit, encoding: .utf8)
        #expect(xml.contains("tests=\"2\" failures=\"1\""))
        // A passing file exits 0; an invalid one exits 1 with its diagnostics.
        guard let passing = try run(["check", Paths.bundled("dns-cname-cutover"), "--trials", "2000"]) else { return }
        #expect(passing.status == 0, "\(passing.output)")
        let invalid = folder.appendingPathComponent("invalid.yaml").path
        try Data("scenario: {id: invalid, title: Invalid}\nservices: []\ninjections:\n  - {id: x, target: nowhere, efect: {}}\n".utf8).write(to: URL(fileURLWithPath: invalid))
        guard let bad = try run(["check", invalid]) else { return }
        #expect(bad.status == 1)
        #expect(bad.error.contains("invalid.yaml:"))
        guard let none = try run(["check", folder.appendingPathComponent("missing").path]) else { return }
        #expect(none.status == 2)
    }

    @Test func checkSaysWhenAScenarioHasNoChecks() throws {
        let folder = try Paths.temporaryDirectory()
        let path = folder.appendingPathComponent("quiet.yaml").path
        try Data("""
        scenario: {id: quiet, title: Quiet, horizon: 2h}
        services:
          - {id: web, traffic: 60/min}
        injections:
          - {id: outage, target: web, probability: 50%, effect: {error_rate: 50%}, lasts: 10m}

        """.utf8).write(to: URL(fileURLWithPath: path))
        guard let text = try run(["check", path, "--trials", "100"]) else { return }
        #expect(text.status == 0)
        let lines = text.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "NONE   quiet: no checks to run (\(path) has no checks: section; docs/scenario-format.md, \"Checks\")")
        #expect(lines.last == "0 passed, 0 failed, 1 scenario without checks — 1 scenario file, 1 loaded")
        guard let json = try run(["check", path, "--trials", "100", "--format", "json"]) else { return }
        #expect(json.status == 0)
        #expect(json.error.contains("note: \(path) has no checks to run"))
    }

    /// Outputs that cannot be written say why in words, once, with exit status 1.
    @Test func unwritableOutputsSayWhy() throws {
        let folder = try Paths.temporaryDirectory()
        let scenario = Paths.bundled("dns-cname-cutover")
        let aFile = folder.appendingPathComponent("a-file").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: aFile))
        let cases: [(arguments: [String], message: String)] = [
            (["check", scenario, "--trials", "200", "--junit", "/nonexistent/dir/x.xml"],
             "error: cannot write /nonexistent/dir/x.xml: the folder /nonexistent/dir does not exist"),
            (["run", scenario, "--trials", "50", "--out", folder.path], "error: cannot write \(folder.path): it is a folder; give a file name"),
            (["analyze", scenario, "--out", aFile + "/report.txt"], "error: cannot write \(aFile)/report.txt: a part of the path \(aFile) is a file, not a folder"),
        ]
        for row in cases {
            guard let result = try run(row.arguments) else { return }
            #expect(result.status == 1, "\(row.arguments)")
            #expect(result.error.contains(row.message), "\(result.error)")
            #expect(!result.error.contains("NSCocoaErrorDomain") && !result.error.contains("error 512"))
        }
    }

    @Test func mergeReportsAFileThatIsNotJSONOnce() throws {
        let folder = try Paths.temporaryDirectory()
        let path = folder.appendingPathComponent("file.yaml").path
        try Data("a: b\n".utf8).write(to: URL(fileURLWithPath: path))
        guard let result = try run(["merge", path]) else { return }
        #expect(result.status == 1)
        #expect(result.error.hasPrefix("\(path):1:1: error: not JSON"), "\(result.error)")
        #expect(result.error.components(separatedBy: "error:").count == 2, "one 'error:' prefix: \(result.error)")
    }
}

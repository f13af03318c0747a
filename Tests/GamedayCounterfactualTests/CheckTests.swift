import Foundation
import GamedayModel
import GamedaySimulation
import GamedayStatistics
import Testing
@testable import GamedayCounterfactual
#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite struct CheckTests {
    @Test(arguments: [
        (GamedayModel.Expectation.Comparison.below, 0.2, 0.1, 0.15, CheckStatus.pass),
        (.below, 0.2, 0.15, 0.25, .inconclusive),
        (.below, 0.2, 0.2, 0.3, .fail),
        (.below, 0.2, 0.1, 0.2, .inconclusive),
        (.atMost, 0.2, 0.1, 0.2, .pass),
        (.atMost, 0.2, 0.2, 0.3, .inconclusive),
        (.atMost, 0.2, 0.21, 0.3, .fail),
        (.above, 0.5, 0.6, 0.7, .pass),
        (.above, 0.5, 0.5, 0.7, .inconclusive),
        (.above, 0.5, 0.3, 0.5, .fail),
        (.atLeast, 0.65, 0.65, 0.7, .pass),
        (.atLeast, 0.65, 0.6, 0.7, .inconclusive),
        (.atLeast, 0.65, 0.5, 0.64, .fail),
        (.below, 600, -Double.infinity, 500, .pass),
        (.below, 600, 500, Double.infinity, .inconclusive),
    ])
    func decisionRule(_ comparison: GamedayModel.Expectation.Comparison, _ threshold: Double, _ lower: Double, _ upper: Double, _ expected: CheckStatus) {
        #expect(Checks.decide(comparison, threshold: threshold, lower: lower, upper: upper) == expected)
    }

    static let fixture = """
    scenario: {id: checked, title: Checked, horizon: 4h}
    services:
      - {id: web, traffic: 60/min, slo: 99.9%}
    injections:
      - {id: outage, target: web, probability: 50%, effect: {error_rate: 50%}, lasts: 10m}
    barriers:
      - {id: pager, type: detect, watches: web, when: {error_rate_above: 60%}, notifies: oncall}
    responders:
      - {id: oncall, acknowledge: 2m, diagnose: 5m}
    controls:
      - id: guard
        add:
          barriers:
            - {id: guard, type: prevent, against: [outage], effectiveness: 90%}
    checks:
      - name: the guard keeps outages rare
        with: [guard]
        expect: {incident_probability_below: 10%}
      - name: "the guard averts <most> outages & more"
        with: [guard]
        expect: {averted_at_least: 80%, prevented_probability_above: 30%}
      - name: baseline outages are common
        expect: {incident_probability_above: 90%}
      - name: a coin flip is not decided
        expect: {incident_probability_below: 50.5%}
      - name: nobody is ever paged
        expect: {time_to_detect_p90_below: 5m}
      - name: failed requests fall by about 135 per trial
        with: [guard]
        expect: {failed_requests_change_below: -80, failed_requests_change_above: -200}
      - name: outages last ten minutes
        expect: {impact_duration_mean_at_most: 10m, impact_duration_p50_at_least: 0m}
    """

    @Test func statusesOnAFixture() async throws {
        let s = try scenario(Self.fixture)
        let results = await Checks.run(s, seed: 42, trials: 2000, threads: 2)
        let statuses = results.checks.map(\.status)
        #expect(statuses == [.pass, .pass, .fail, .inconclusive, .insufficient, .pass, .pass], "\(results.checks.map { $0.expectations.map(\.message) })")
        #expect(results.fails(allowInconclusive: true))
        #expect(results.checks[1].expectations.count == 2)
        #expect(results.checks[4].expectations[0].message.contains("no trial had a time to detect"))
        #expect(results.checks[3].expectations[0].message.contains("straddles"))
        // JSON and JUnit.
        let json = Checks.json([results], allowInconclusive: false)
        #expect(json["passed"]?.int == 4 && json["failed"]?.int == 3)
        let xml = Checks.junit([results], allowInconclusive: false)
        #expect(xml.contains("<testsuites name=\"gameday check\" tests=\"7\" failures=\"3\" errors=\"0\" skipped=\"0\">"))
        #expect(xml.contains("name=\"the guard averts &lt;most&gt; outages &amp; more\""))
        #expect(xml.contains("<failure type=\"inconclusive\""))
        #expect(xml.contains("<failure type=\"insufficient-data\""))
        #expect(try wellFormed(xml))
        let allowed = Checks.junit([results], allowInconclusive: true)
        #expect(allowed.contains("skipped=\"1\"") && allowed.contains("<skipped message=\"inconclusive (allowed): "))
        #expect(try wellFormed(allowed))
        // Same inputs, same bytes.
        let again = await Checks.run(s, seed: 42, trials: 2000, threads: 1)
        #expect(Checks.junit([again], allowInconclusive: false) == xml)
    }

    @Test func junitForAFileThatDoesNotLoadAndOddCharacters() throws {
        let diagnostic = Diagnostic(at: SourceLocation(file: "bad.yaml", line: 3, column: 5), "unknown key 'efectiveness' \u{01} <here>", help: "did you mean 'effectiveness'?")
        let xml = Checks.junit([ScenarioCheckResults(path: "bad.yaml", diagnostics: [diagnostic], seed: 1, trials: 10)], allowInconclusive: false)
        #expect(xml.contains("errors=\"1\""))
        #expect(!xml.contains("\u{01}"))
        #expect(try wellFormed(xml))
        #expect(Checks.xml("a\"b'c<d>e&f\ng") == "a&quot;b&apos;c&lt;d&gt;e&amp;f&#10;g")
    }

    @Test(arguments: Fixtures.bundledScenarios)
    func everyBundledScenarioHasChecksThatPass(path: String) async throws {
        let s = try load(path)
        #expect(!s.checks.isEmpty, "\(s.id) has no checks")
        // Fewer trials than `gameday check`'s default keep the debug suite fast; the checks are
        // written with wide margins, and the default (10,000) is run by hand and in the docs.
        let results = await Checks.run(s, seed: 42, trials: 3000, threads: 2)
        for check in results.checks {
            #expect(check.status == .pass, "\(s.id): \(check.check.name): \(check.error ?? check.expectations.map(\.message).joined(separator: "; "))")
        }
    }

    func wellFormed(_ xml: String) throws -> Bool {
        let parser = XMLParser(data: Data(xml.utf8))
        let ok = parser.parse()
        if !ok { Issue.record("not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?")") }
        return ok
    }
}

import GamedayModel
import Testing
@testable import GamedayAnalysis

/// The spec's example scenario (a copy of Tests/GamedayModelTests/Fixtures/checkout-config-push.yaml).
@Suite struct SpecExampleTests {
    func baseline() throws -> Scenario { try ScenarioLoader.load(path: Fixtures.path("checkout-config-push.yaml")) }

    @Test func badConfigBaseline() throws {
        let analysis = ScenarioAnalysis(scenario: try baseline())
        let badConfig = try #require(analysis.injection("bad-config"))
        #expect(badConfig.occurrence.probability == 1)
        // config-validation 30% alone; flag-ramp 60% in deploy-pipeline (beta 10%), the only member on this path.
        // P(pass) = (1 - 0.3) × (0.1 + 0.9 × (1 - 0.6)) = 0.7 × 0.46 = 0.322.
        #expect(close(analysis.passesPrevention("bad-config"), 0.322))
        let prevent = badConfig.prevention.barriers
        #expect(prevent.map(\.id) == ["config-validation", "flag-ramp"])
        // flag-ramp after common cause: 0.9 × 0.6 = 0.54 (spec section 5); RRF 1 / 0.46.
        #expect(close(prevent[1].effectiveness, 0.54))
        #expect(close(prevent[1].riskReductionFactor, 1 / 0.46, 1e-9))
        // config-validation: RRF 1 / 0.7 = 1.4286 (the spec's example value).
        #expect(close(prevent[0].riskReductionFactor, 1 / 0.7, 1e-9))
        // Marginal values: without config-validation 0.46 (+0.138); without flag-ramp 0.7 (+0.378).
        #expect(close(prevent[0].marginalValue, 0.138))
        #expect(close(prevent[1].marginalValue, 0.378))
        // One group member on the path: multiplying is exact here.
        #expect(close(badConfig.prevention.lopaProduct, 0.322))
        // Blast radius: checkout, and web through its hard dependency.
        #expect(badConfig.blastRadius.map(\.id) == ["checkout", "web"])
        // Detect: checkout-5xx-alert 95%, slo-burn-alert 90%, synthetic-probe 90%, customer-reports 100%:
        // 1 - 0.05 × 0.1 × 0.1 × 0 = 1.
        #expect(badConfig.detection.barriers.map(\.id) == ["checkout-5xx-alert", "slo-burn-alert", "synthetic-probe", "customer-reports"])
        #expect(badConfig.detectCoverage == 1)
        // Without customer-reports, coverage would be 1 - 0.0005: its marginal value is 0.0005.
        #expect(close(badConfig.detection.barriers[3].marginalValue, 0.0005))
        #expect(badConfig.mitigation.removers.map(\.id) == ["rollback"])
        // primary-oncall uses [rollback]; secondary-oncall has no uses (every manual mitigation);
        // support-desk forwards and does not diagnose.
        #expect(badConfig.mitigation.removers[0].usedBy == ["primary-oncall", "secondary-oncall"])
        #expect(badConfig.detection.pagedResponders == ["primary-oncall", "support-desk", "secondary-oncall"])
        // payments-breaker caps checkout -> payments, which bad-config's errors do not travel along.
        #expect(badConfig.caps.isEmpty)
        #expect(badConfig.findings.isEmpty)
    }

    @Test func withCanaryDeploys() throws {
        let analysis = ScenarioAnalysis(scenario: try baseline().variant(with: ["canary-deploys"]))
        #expect(analysis.controls == ["canary-deploys"])
        let badConfig = try #require(analysis.injection("bad-config"))
        // The control's barrier comes last: 0.322 × (1 - 0.8) = 0.0644.
        #expect(badConfig.prevention.barriers.map(\.id) == ["config-validation", "flag-ramp", "canary"])
        #expect(close(badConfig.passesPrevention, 0.0644))
        #expect(badConfig.prevention.barriers[2].addedBy == "canary-deploys")
        // Marginal value of the canary: 0.322 - 0.0644 = 0.2576; of config-validation: 0.46 × 0.2 - 0.0644 = 0.0276.
        #expect(close(badConfig.prevention.barriers[2].marginalValue, 0.2576))
        #expect(close(badConfig.prevention.barriers[0].marginalValue, 0.0276))
        #expect(close(badConfig.prevention.riskReductionFactor, 1 / 0.0644, 1e-9))
    }

    @Test func cascadeAndDormantInjections() throws {
        let analysis = ScenarioAnalysis(scenario: try baseline())
        let retry = try #require(analysis.injection("retry-storm"))
        // Triggered: 50%, conditional on checkout > 30% for 3m, which bad-config (40%) reaches.
        #expect(retry.occurrence.kind == .triggered)
        #expect(retry.occurrence.probability == 0.5)
        #expect(retry.occurrence.reachableBy == ["bad-config"])
        #expect(retry.passesPrevention == 1)
        #expect(retry.blastRadius.map(\.id) == ["payments", "checkout", "web"])
        #expect(retry.caps.map(\.barrier) == ["payments-breaker"])
        #expect(retry.caps[0].automatic)
        // Nothing removes it; it heals with its trigger: medium.
        #expect(retry.findings.contains { $0.code == .noMitigation && $0.severity == .medium })
        let cold = try #require(analysis.injection("cold-cache"))
        #expect(cold.occurrence.kind == .dormant)
        #expect(cold.occurrence.probability == 0)
        // customer-reports needs web above 20%; cold-cache gives 15%.
        #expect(cold.detection.barriers.first { $0.id == "customer-reports" }?.thresholdReachable == false)
        // Effective coverage without it: 1 - 0.05 × 0.1 × 0.1 = 0.9995.
        #expect(close(cold.detection.effectiveCoverage, 0.9995))
    }

    @Test func jsonHasTheSpecKeysAndIsDeterministic() throws {
        let analysis = ScenarioAnalysis(scenario: try baseline())
        let text = analysis.json.pretty
        #expect(text == ScenarioAnalysis(scenario: try baseline()).json.pretty)
        let json = try JSONParser.parse(text)
        #expect(json["scenario"]?["id"]?.string == "checkout-config-push")
        #expect(json["scenario"]?["path"]?.string == Fixtures.path("checkout-config-push.yaml"))
        #expect(json["scenario"]?["sha256"]?.string?.count == 64)
        let badConfig = try #require(json["injections"]?["bad-config"])
        #expect(badConfig["occurs"]?.double == 1)
        #expect(badConfig["passes_prevention"]?.double == 0.322)
        #expect(badConfig["prevent"]?[0]?["barrier"]?.string == "config-validation")
        #expect(badConfig["prevent"]?[0]?["effectiveness"]?.double == 0.3)
        // 12 significant digits in JSON: 1 / 0.7 = 1.42857142857.
        #expect(badConfig["prevent"]?[0]?["risk_reduction_factor"]?.double == 1.42857142857)
        #expect(badConfig["prevent"]?[1]?["effectiveness"]?.double == 0.54)
        #expect(badConfig["detect_coverage"]?.double == 1)
        #expect(badConfig["mitigations"] == ["rollback"])
        #expect(json["injections"]?.object?.keys == ["bad-config", "retry-storm", "cold-cache"])
        // The fixed keys come first in the order output.md lists them.
        let keys = try #require(badConfig.object?.keys)
        let fixed = ["occurs", "passes_prevention", "prevent", "detect_coverage", "mitigations"]
        #expect(keys.filter { fixed.contains($0) } == fixed)
    }

    @Test func textAndMarkdownReports() throws {
        let analysis = ScenarioAnalysis(scenario: try baseline().variant(with: ["canary-deploys"]))
        let text = analysis.text()
        #expect(text.contains("controls: canary-deploys"))
        #expect(text.contains("passes 6.44% (risk reduction 15.5×)"))
        #expect(text.contains("added by canary-deploys"))
        #expect(text.contains("deploy-pipeline beta 10%"))
        let markdown = analysis.markdown
        #expect(markdown.contains("```mermaid\nflowchart LR\n"))
        #expect(markdown.components(separatedBy: "```mermaid").count - 1 == 2 * analysis.injections.count)
        #expect(markdown.contains("| flag-ramp | 60% | deploy-pipeline, beta 10% | 54% |"))
    }
}

/// docs/analyze.md pastes the tool's own diagrams of the spec example; they must stay in step.
@Test func docsShowTheCurrentBowTie() throws {
    let docs = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("docs/analyze.md"), encoding: .utf8)
    let analysis = ScenarioAnalysis(scenario: try ScenarioLoader.load(path: Fixtures.path("checkout-config-push.yaml")))
    let badConfig = try #require(analysis.injection("bad-config"))
    #expect(docs.contains("```mermaid\n" + Diagrams.bowTie(badConfig, syntax: .mermaid) + "```\n"),
            "regenerate the example in docs/analyze.md with gameday analyze ... --injection bad-config --format markdown")
    #expect(docs.contains("```mermaid\n" + Diagrams.serviceGraph(analysis, blastRadiusOf: badConfig, syntax: .mermaid) + "```\n"))
}

import Foundation
import GamedayModel
import GamedaySimulation
import Testing
@testable import GamedayDrill

/// `drill_run` scripts: located errors, and every bundled scenario's drill scripted.
@Suite struct ScriptTests {
    /// Checks script text placed in the fixtures folder (so `scenario: drill-test` resolves).
    func check(_ text: String) -> DrillScriptLoader.Result {
        DrillScriptLoader.check(text: text, path: Fixtures.path("script.yaml"), scenarioFolders: [])
    }

    static let valid = """
    drill_run:
      scenario: drill-test
      seed: 3
      team:
        - {name: alice, role: incident-commander}
        - {name: bob, role: ops}
      actions:
        - {at: 6m10s, by: bob, do: ack}
        - {at: 7m, by: alice, do: declare}
      end: 30m
      debrief: ["The page was clear."]
    """

    @Test func aValidScript() throws {
        let result = check(Self.valid)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let script = try #require(result.script)
        #expect(script.seed == 3)
        #expect(script.team.map(\.name) == ["alice", "bob"])
        #expect(script.steps.map(\.at) == [370, 420])
        #expect(script.end == 1800)
        #expect(result.scenario?.id == "drill-test")
    }

    struct BadScript: Sendable, CustomTestStringConvertible {
        var text: String
        var line: Int
        var column: Int
        var message: String
        var testDescription: String { message }
    }

    static let bad: [BadScript] = [
        BadScript(text: "drill_rn:\n  scenario: drill-test\n", line: 1, column: 1, message: "unknown key 'drill_rn' in a drill script (did you mean 'drill_run'?"),
        BadScript(text: "drill_run:\n  scenario: drill-tset\n  team: [{name: a, role: ops}]\n", line: 2, column: 13, message: "no scenario 'drill-tset' found (did you mean 'drill-test'?"),
        BadScript(text: "drill_run:\n  scenario: drill-test\n  teem: []\n", line: 3, column: 3, message: "unknown key 'teem' in drill_run (did you mean 'team'?"),
        BadScript(text: "drill_run:\n  scenario: drill-test\n", line: 2, column: 3, message: "drill_run is missing 'team'"),
        BadScript(text: "drill_run:\n  scenario: drill-test\n  team: [{name: a, role: opps}]\n", line: 3, column: 26, message: "'opps' is not a role of this drill (did you mean 'ops'?"),
        BadScript(text: "drill_run:\n  scenario: drill-test\n  team: [{name: a, role: ops}]\n  actions:\n    - {at: 5, by: a, do: ack}\n",
                  line: 5, column: 12, message: "'at': duration '5' has no unit"),
        BadScript(text: "drill_run:\n  scenario: drill-test\n  team: [{name: a, role: ops}]\n  actions:\n    - {at: 5m, by: b, do: ack}\n",
                  line: 5, column: 20, message: "'b' is not on the team"),
        BadScript(text: "drill_run:\n  scenario: drill-test\n  team: [{name: a, role: ops}]\n  actions:\n    - {at: 5m, by: a, do: akc}\n",
                  line: 5, column: 27, message: "no drill action 'akc' in scenario 'drill-test' (did you mean 'ack'?"),
        BadScript(text: "drill_run:\n  scenario: drill-test\n  team: [{name: a, role: ops}]\n  actions:\n    - {at: 5m, by: a, do: declare}\n",
                  line: 5, column: 27, message: "a (ops) may not take 'declare': only the incident-commander may"),
        BadScript(text: "drill_run:\n  scenario: drill-test\n  team: [{name: a, role: ops}]\n  actions:\n    - {at: 5m, by: a, do: ack}\n    - {at: 4m, by: a, do: ack}\n",
                  line: 6, column: 12, message: "this action at 4m comes before the one above it (5m, line 5)"),
        BadScript(text: "drill_run:\n  scenario: drill-test\n  team: [{name: a, role: ops}]\n  actions:\n    - {at: 5m, by: a, do: ack, as: b}\n",
                  line: 5, column: 32, message: "unknown key 'as' in a scripted action"),
        BadScript(text: "drill_run:\n  scenario: drill-test\n  team: [{name: a, role: ops}, {name: a, role: comms}]\n", line: 3, column: 39, message: "'a' is on the team twice"),
        BadScript(text: "drill_run:\n  scenario: drill-test\n  team: [{name: a, role: ops}]\n  actions:\n    - {at: 5h, by: a, do: ack}\n",
                  line: 5, column: 12, message: "5h is at or after the scenario's horizon (4h)"),
        BadScript(text: "drill_run:\n  scenario: drill-test\n  team: [{name: a, role: ops}]\n  end: 1m\n  actions:\n    - {at: 5m, by: a, do: ack}\n",
                  line: 4, column: 8, message: "the drill ends at 1m, before its last action (5m)"),
        BadScript(text: "drill_run:\n  scenario: drill-test\n  team: [{name: a, role: ops}]\n  debrief: [x, y, z]\n", line: 4, column: 12, message: "3 debrief answers for 2 questions"),
        BadScript(text: "drill_run:\n  scenario: drill-test\n  seed: -1\n  team: [{name: a, role: ops}]\n", line: 3, column: 9, message: "'seed' '-1' is not a whole number"),
        BadScript(text: "drill_run:\n  scenario: missing/file.yaml\n  team: [{name: a, role: ops}]\n", line: 2, column: 13, message: "no scenario 'missing/file.yaml' found"),
        BadScript(text: "drill_run: [1, 2]\n", line: 1, column: 12, message: "drill_run must be a mapping, not a list"),
    ]

    @Test(arguments: bad)
    func locatedErrors(_ c: BadScript) {
        let result = check(c.text)
        #expect(result.script == nil)
        let match = result.diagnostics.first { $0.description.contains(c.message) }
        #expect(match != nil, "expected '\(c.message)' in \(result.diagnostics.map(\.description))")
        if let match {
            #expect(match.location.line == c.line && match.location.column == c.column, "\(match)")
            #expect(match.location.file == Fixtures.path("script.yaml"))
        }
    }

    @Test func scenarioPathsResolveFromTheScriptsFolder() throws {
        let result = check(Self.valid.replacingOccurrences(of: "scenario: drill-test", with: "scenario: drill-test.yaml"))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.script?.scenarioPath == Fixtures.path("drill-test.yaml"))
    }

    // MARK: The bundled library

    static var bundledScenarios: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: Fixtures.repo("scenarios"))) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test func everyBundledScenarioHasAScriptedDrill() {
        let scripts = Set(((try? FileManager.default.contentsOfDirectory(atPath: Fixtures.repo("drills"))) ?? []))
        #expect(Self.bundledScenarios.count >= 13)
        for file in Self.bundledScenarios {
            #expect(scripts.contains(file), "drills/\(file) is missing")
        }
    }

    @Test(arguments: bundledScenarios)
    func bundledScriptPlaysAndReplays(_ file: String) async throws {
        let path = Fixtures.repo("drills/" + file)
        let loaded = DrillScriptLoader.check(path: path, scenarioFolders: [])
        #expect(loaded.diagnostics.isEmpty, "\(loaded.diagnostics)")
        let script = try #require(loaded.script)
        let scenario = try #require(loaded.scenario)
        #expect(scenario.source.path == Fixtures.repo("scenarios/" + file) || scenario.source.path.hasSuffix("scenarios/" + file))
        let session = try DrillRunner.session(for: script, scenario: scenario)
        try DrillRunner.play(script, on: session)
        let comparison = await ModelComparison.compute(compiled: session.compiled, seed: session.seed, trial: session.trial, team: session.finish(), trials: 100)
        let result = DrillResult(session: session, id: DrillRunner.id(for: script, scenario: scenario), mode: .scripted, comparison: comparison)
        // Every scripted action was taken and some objective was met.
        #expect(result.scorecard.objectives.contains { $0.status == .met })
        #expect(result.log.filter { $0.kind == .action }.count == script.steps.count)
        // The drill's trial is a real incident: something to respond to, and a page.
        #expect(result.metrics.firstImpactAt != nil)
        #expect(session.trace.contains { $0.subject == .responder && $0.name == .paged })
        // Replaying its JSON reproduces it.
        let record = try DrillRecord.parse(JSONParser.parse(result.json().pretty))
        let replayed = try DrillRunner.replay(record, scenario: scenario)
        #expect(DrillRunner.difference(replayed.log, result.log) == nil)
        let again = DrillResult(session: replayed, id: record.id, mode: .scripted, comparison: comparison)
        #expect(DrillRunner.reproducedParts(again.json()) == DrillRunner.reproducedParts(result.json()))
    }

    @Test(arguments: bundledScenarios)
    func bundledDrillTrialIsAnIncidentWithAPage(_ file: String) throws {
        let scenario = try Fixtures.load(Fixtures.repo("scenarios/" + file))
        let drill = try #require(scenario.drill)
        let compiled = CompiledScenario(scenario)
        let model = DrillTrials.preview(compiled, seed: drill.seed ?? 42, trial: 0)
        #expect(model.outcome == .incident || model.outcome == .contained, "trial 0 of the drill seed is \(model.outcome.name)")
        let session = try DrillSession(scenario: scenario)
        session.advance(to: 2 * 3600)
        #expect(session.trace.contains { $0.subject == .responder && $0.name == .paged }, "nobody paged in the first two hours")
        #expect(session.log.contains { $0.kind == .inject }, "nothing shown in the first two hours")
    }
}

import Foundation
import GamedayModel
import GamedayRandom
import GamedaySimulation
import Testing
import GamedayTestSupport
@testable import GamedayDrill

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func repo(_ relative: String) -> String { packageRoot.appendingPathComponent(relative).path }

    /// The drill-test scenario.
    static func scenario(sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Scenario {
        try load(path("drill-test.yaml"), sourceLocation: sourceLocation)
    }

    static func load(_ file: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Scenario {
        let result = ScenarioLoader.check(path: file)
        for d in result.diagnostics where d.severity == .error { Issue.record("\(d)", sourceLocation: sourceLocation) }
        return try #require(result.scenario, sourceLocation: sourceLocation)
    }

    static let team = [Participant(name: "alice", role: "incident-commander"), Participant(name: "bob", role: "ops"),
                       Participant(name: "carol", role: "comms")]

    /// The scenario variant with text replaced (for cases the fixture does not cover).
    static func variant(_ replacements: [(String, String)], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Scenario {
        var text = try String(contentsOfFile: path("drill-test.yaml"), encoding: .utf8)
        for (a, b) in replacements {
            #expect(text.contains(a), "the fixture has no '\(a)'", sourceLocation: sourceLocation)
            text = text.replacingOccurrences(of: a, with: b)
        }
        let result = ScenarioLoader.check(text: text, path: "variant.yaml")
        for d in result.diagnostics where d.severity == .error { Issue.record("\(d)", sourceLocation: sourceLocation) }
        return try #require(result.scenario, sourceLocation: sourceLocation)
    }
}

/// A script built in code: `steps` are (at in seconds, by, action).
func script(_ steps: [(Double, String, String)], team: [Participant] = Fixtures.team, end: Double? = nil, debrief: [String] = []) -> DrillScript {
    DrillScript(path: "<test>", sha256: "0123456789abcdef", scenario: "drill-test", scenarioPath: nil, seed: nil, trial: nil, id: "D-test",
                team: team, steps: steps.map { DrillScript.Step(at: $0.0, by: $0.1, action: $0.2, location: SourceLocation(file: "<test>", line: 1, column: 1)) },
                end: end, debrief: debrief)
}

/// Runs a script on a scenario and returns the finished session.
func play(_ steps: [(Double, String, String)], on scenario: Scenario, end: Double? = nil) throws -> DrillSession {
    let s = script(steps, end: end)
    let session = try DrillRunner.session(for: s, scenario: scenario)
    try DrillRunner.play(s, on: session)
    session.finish()
    return session
}

/// The result of a script, with a small model comparison.
func result(_ steps: [(Double, String, String)], on scenario: Scenario, end: Double? = nil, modelTrials: Int = 200) async throws -> DrillResult {
    let session = try play(steps, on: scenario, end: end)
    let comparison = await ModelComparison.compute(compiled: session.compiled, seed: session.seed, trial: session.trial, team: session.finish(), trials: modelTrials)
    return DrillResult(session: session, id: "D-test", mode: .scripted, comparison: comparison)
}

/// The draw a drill makes at an address (seed 3, trial 0 by default).
func uniform(_ address: String, seed: UInt64 = 3, trial: UInt64 = 0) -> Double {
    DrawKey(seed: seed, address: address).uniform(trial: trial)
}

/// The built gameday executable, if `swift test` built it.
var gamedayBinary: String? { TestPaths.gamedayExecutable }

/// A fresh temporary folder.
func temporaryFolder(_ name: String = "gameday-drill-tests") throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.path
}

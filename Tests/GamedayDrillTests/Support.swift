import Foundation
import GamedayModel
import GamedayRandom
import GamedaySimulation
import Testing
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
var gamedayBinary: String? {
    var candidates: [String] = []
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        candidates.append(folder.appendingPathComponent("gameday").path)
        folder = folder.deletingLastPathComponent()
    }
    candidates.append(Fixtures.packageRoot.appendingPathComponent(".build/debug/gameday").path)
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}

/// Runs a process with input, returning its status and outputs.
func runProcess(_ executable: String, _ arguments: [String], input: String = "", environment: [String: String]? = nil,
                directory: String? = nil) throws -> (status: Int32, output: String, error: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let outData = LockedData(), errData = LockedData()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { outData.set(stdout.fileHandleForReading.readDataToEndOfFile()); group.leave() }
    group.enter()
    DispatchQueue.global().async { errData.set(stderr.fileHandleForReading.readDataToEndOfFile()); group.leave() }
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    group.wait()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData.get(), as: UTF8.self), String(decoding: errData.get(), as: UTF8.self))
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}

/// A fresh temporary folder.
func temporaryFolder(_ name: String = "gameday-drill-tests") throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.path
}

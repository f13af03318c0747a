import Foundation
import GamedayAnalysis
import GamedayModel
import GamedaySimulation
import GamedayStatistics
import Testing

/// The exact pass-prevention probabilities of `analyze` against the engine's Monte Carlo estimate,
/// for every bundled scenario: the exact value must lie in the 99.9% Wilson interval.
@Suite("analyze against the Monte Carlo engine")
struct MonteCarloCrossCheckTests {
    static let scenarioDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scenarios")

    static var bundled: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: scenarioDirectory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    @Test("there are bundled scenarios to cross-check")
    func libraryPresent() {
        #expect(Self.bundled.count >= 10)
    }

    @Test("passes_prevention is inside the 99.9% interval of the simulated share", arguments: bundled)
    func passesPrevention(file: String) throws {
        let scenario = try ScenarioLoader.load(path: Self.scenarioDirectory.appendingPathComponent(file).path)
        // Decisions are made instantly (takes 0) and nobody mitigates, so every occurrence runs its
        // whole prevent chain: exposure and timing do not change the chance of passing.
        var document = scenario
        document = try instantDecisions(document)
        let analysis = ScenarioAnalysis(scenario: document)
        let compiled = CompiledScenario(document)
        var options = TrialEngine.Options()
        options.modelResponders = false
        var engine = TrialEngine(compiled: compiled, keys: DrawKeys(compiled: compiled, seed: 2024), options: options)
        let n = 6_000
        var occurred = [Int](repeating: 0, count: document.injections.count)
        var passed = [Int](repeating: 0, count: document.injections.count)
        for t in 0..<n {
            _ = engine.run(trial: UInt64(t))
            for i in document.injections.indices {
                switch engine.injectionOutcome(i) {
                case .notOccurred: break
                case .prevented: occurred[i] += 1
                case .tookEffect: occurred[i] += 1; passed[i] += 1
                case .stoppedWhileDeciding: Issue.record("\(file): \(document.injections[i].id) was stopped while deciding although decisions are instant")
                }
            }
        }
        var checked = 0
        for (i, injection) in document.injections.enumerated() where occurred[i] >= 200 {
            let exact = try #require(analysis.passesPrevention(injection.id))
            let interval = Wilson.interval(successes: passed[i], trials: occurred[i], z: Confidence.z999)
            #expect(interval.contains(exact), "\(file): \(injection.id) passes with \(exact) exactly, simulated \(passed[i])/\(occurred[i]) [\(interval.lower), \(interval.upper)]")
            checked += 1
        }
        #expect(checked >= 1, "\(file): no injection occurred often enough to check")
    }

    /// The scenario with every prevent barrier deciding instantly.
    func instantDecisions(_ scenario: Scenario) throws -> Scenario {
        var text = ""
        for barrier in scenario.barriers where barrier.prevent != nil {
            text += "      barriers.\(barrier.id).takes: 0m\n"
        }
        guard !text.isEmpty else { return scenario }
        let source = try String(contentsOfFile: scenario.source.path, encoding: .utf8)
        let patched = source.replacingOccurrences(of: "\ncontrols:\n", with: "\ncontrols:\n  - id: instant-decisions\n    set:\n" + text)
        let result = ScenarioLoader.check(text: patched.contains("instant-decisions") ? patched : source + "\ncontrols:\n  - id: instant-decisions\n    set:\n" + text, path: scenario.source.path)
        let loaded = try #require(result.scenario, "\(result.diagnostics)")
        return try loaded.variant(with: ["instant-decisions"])
    }
}

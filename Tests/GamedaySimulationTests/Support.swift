import Foundation
import GamedayModel
import GamedayStatistics
import Testing
@testable import GamedaySimulation

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
}

/// Loads a scenario from YAML text, failing the test with the loader's messages.
func scenario(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Scenario {
    let result = ScenarioLoader.check(text: text, path: "test.yaml")
    for d in result.diagnostics where d.severity == .error {
        Issue.record("\(d)", sourceLocation: sourceLocation)
    }
    return try #require(result.scenario, sourceLocation: sourceLocation)
}

/// Runs `trials` trials of a scenario on one engine and collects their metrics.
func trials(_ s: Scenario, _ n: Int, seed: UInt64 = 1, options: TrialEngine.Options = TrialEngine.Options(), pins: PinSet? = nil) -> [TrialMetrics] {
    let compiled = CompiledScenario(s)
    var engine = TrialEngine(compiled: compiled, keys: DrawKeys(compiled: compiled, seed: seed), options: options)
    return (0..<n).map { engine.run(trial: UInt64($0), pins: pins) }
}

/// One traced trial.
func traced(_ s: Scenario, trial: UInt64 = 0, seed: UInt64 = 1) -> (TrialMetrics, [TraceEvent], TraceNames) {
    let compiled = CompiledScenario(s)
    var options = TrialEngine.Options()
    options.recordTrace = true
    var engine = TrialEngine(compiled: compiled, keys: DrawKeys(compiled: compiled, seed: seed), options: options)
    let m = engine.run(trial: trial)
    return (m, engine.trace, TraceNames(s))
}

/// Asserts that `value` lies in the 99.9% Wilson interval of k successes in n trials.
func expectProportion(_ k: Int, of n: Int, contains value: Double, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let interval = Wilson.interval(successes: k, trials: n, z: Confidence.z999)
    #expect(interval.contains(value), "P = \(value) outside the 99.9% interval [\(interval.lower), \(interval.upper)] of \(k)/\(n)", sourceLocation: sourceLocation)
}

/// Asserts that `value` lies in the 99.9% interval of the mean of `samples`.
func expectMean(_ samples: [Double], contains value: Double, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    var moments = MomentAccumulator()
    for x in samples { moments.add(x) }
    let interval = moments.meanInterval(confidence: 0.999)!
    #expect(interval.contains(value), "mean \(value) outside the 99.9% interval [\(interval.lower), \(interval.upper)] (n = \(samples.count), sample mean \(moments.mean))", sourceLocation: sourceLocation)
}

/// A minimal scenario header and one service with traffic, to build test scenarios from.
func header(horizon: String = "8h", traffic: String = "1200/min", slo: String? = "99.9%") -> String {
    var text = "scenario: {id: test, title: Test, horizon: \(horizon)}\n"
    text += "services:\n"
    text += "  - id: web\n"
    text += "    traffic: \(traffic)\n"
    if let slo { text += "    slo: \(slo)\n" }
    return text
}

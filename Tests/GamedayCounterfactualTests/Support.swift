import Foundation
import GamedayModel
import GamedayStatistics
import Testing

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    static func bundled(_ name: String) -> String { packageRoot.appendingPathComponent("scenarios/\(name).yaml").path }

    /// Every bundled scenario file.
    static var bundledScenarios: [String] {
        let folder = packageRoot.appendingPathComponent("scenarios")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { folder.appendingPathComponent($0).path }
    }
}

/// Loads a scenario from YAML text, failing the test with the loader's messages.
func scenario(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Scenario {
    let result = ScenarioLoader.check(text: text, path: "test.yaml")
    for d in result.diagnostics where d.severity == .error {
        Issue.record("\(d)", sourceLocation: sourceLocation)
    }
    return try #require(result.scenario, sourceLocation: sourceLocation)
}

/// Loads a scenario file.
func load(_ path: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Scenario {
    let result = ScenarioLoader.check(path: path)
    for d in result.diagnostics where d.severity == .error {
        Issue.record("\(d)", sourceLocation: sourceLocation)
    }
    return try #require(result.scenario, sourceLocation: sourceLocation)
}

/// Asserts that `value` lies in the 99.9% Wilson interval of k successes in n trials.
func expectProportion(_ k: Int, of n: Int, contains value: Double, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let interval = Wilson.interval(successes: k, trials: n, z: Confidence.z999)
    #expect(interval.contains(value), "P = \(value) outside the 99.9% interval [\(interval.lower), \(interval.upper)] of \(k)/\(n)", sourceLocation: sourceLocation)
}

enum Support {
    /// A valid scenario with no controls, observed incident or checks.
    static let minimal = """
    scenario: {id: bare, title: Bare}
    services:
      - {id: web, traffic: 1/s}
    injections:
      - {id: outage, target: web, effect: {error_rate: 10%}, lasts: 5m}
    """
}

import Foundation
import Testing
@testable import GamedayModel

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
}

@Test func specExampleLoads() throws {
    let result = ScenarioLoader.check(path: Fixtures.path("checkout-config-push.yaml"))
    for d in result.diagnostics { print(d) }
    let scenario = try #require(result.scenario)
    #expect(scenario.services.count == 4)
    #expect(scenario.barriers.count == 8)
    let variant = try scenario.variant(with: ["canary-deploys", "tighter-alert", "rollback-runbook", "fix-retries"])
    #expect(variant.barriers.count == 9)
    #expect(variant.modifiers.count == 1)
    #expect(variant.injections.count == 2)
}

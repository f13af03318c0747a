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

@Test("A postmortem record or a drill script given as a scenario is named for what it is", arguments: [
    ("# a record\npostmortem: PM-1\nkind: incident\n", "this is a postmortem record, not a scenario", 2),
    ("drill_run:\n  scenario: x\n", "this is a drill script, not a scenario", 1),
])
func otherKindsAreNamed(text: String, message: String, line: Int) {
    let result = ScenarioLoader.check(text: text, path: "f.yaml")
    #expect(result.scenario == nil)
    #expect(result.diagnostics.map(\.message) == [message])
    #expect(result.diagnostics.first?.location.line == line)
}

import Foundation
import GamedayModel
import Testing
@testable import GamedayRecords

/// `--record` on whatif, replay, check and drill: results land in the record as evidence, linked to
/// the actions whose controls they measure, and every byte a person wrote stays.
@Suite("--record on the commands", .serialized)
struct RecordFlagTests {
    /// A folder with the bundled checkout scenario and its drill script, and the example record.
    func workspace() throws -> TemporaryFolder {
        let folder = TemporaryFolder()
        let root = Fixtures.packageRoot
        for relative in ["scenarios/checkout-config-push.yaml", "drills/checkout-config-push.yaml", "postmortems/PM-2025-014.yaml"] {
            let text = try String(contentsOfFile: root.appendingPathComponent(relative).path, encoding: .utf8)
            _ = folder.write(relative, text)
        }
        return folder
    }

    @Test("whatif appends one entry per control, linked to the action that models it")
    func whatif() throws {
        let folder = try workspace()
        let record = "postmortems/PM-2025-014.yaml"
        let before = folder.bytes(record)
        let run = try runGameday(["whatif", "scenarios/checkout-config-push.yaml", "--trials", "600", "--controls", "canary-deploys,tighter-alert",
                                  "--record", record], in: folder.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(isOneInsertion(before: before, after: folder.bytes(record)))
        let loaded = try #require(RecordLoader.check(path: folder.file(record)).record)
        let added = loaded.evidence.suffix(2)
        #expect(added.map(\.kind) == [.counterfactual, .counterfactual])
        #expect(added.map(\.action) == ["A2", "A1"])
        #expect(added.map { $0.controls ?? [] } == [["canary-deploys"], ["tighter-alert"]])
        for entry in added {
            #expect(entry.seed == 42)
            #expect(entry.trials == 600)
            #expect(entry.scenario?.sha256.count == 64)
            #expect(entry.command?.hasPrefix("gameday whatif scenarios/checkout-config-push.yaml --trials 600") == true)
            #expect(entry.command?.contains("--record") == false)
        }
    }

    @Test("--action picks one variant; an action without a control is refused")
    func explicitAction() throws {
        let folder = try workspace()
        let record = "postmortems/PM-2025-014.yaml"
        let run = try runGameday(["whatif", "scenarios/checkout-config-push.yaml", "--trials", "400", "--record", record, "--action", "A2"], in: folder.path)
        #expect(run.status == 0, "\(run.stderr)")
        let loaded = try #require(RecordLoader.check(path: folder.file(record)).record)
        #expect(loaded.evidence.last?.action == "A2")
        #expect(loaded.evidence.last?.controls == ["canary-deploys"])
        let before = folder.bytes(record)
        let refused = try runGameday(["whatif", "scenarios/checkout-config-push.yaml", "--trials", "400", "--record", record, "--action", "A3"], in: folder.path)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("names no scenario control"))
        #expect(folder.bytes(record) == before)
        let usage = try runGameday(["whatif", "scenarios/checkout-config-push.yaml", "--action", "A2"], in: folder.path)
        #expect(usage.status == 2)
    }

    @Test("check, replay and drill append their evidence too")
    func checkReplayDrill() throws {
        let folder = try workspace()
        let record = "postmortems/PM-2025-014.yaml"
        // The example already carries evidence (postmortems/README.md); count what these runs add.
        let existing = try #require(RecordLoader.check(path: folder.file(record)).record).evidence.count
        var run = try runGameday(["check", "scenarios/checkout-config-push.yaml", "--trials", "1500", "--record", record], in: folder.path)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        run = try runGameday(["drill", "scenarios/checkout-config-push.yaml", "--script", "drills/checkout-config-push.yaml",
                              "--no-store", "--model-trials", "100", "--record", record], in: folder.path)
        #expect(run.status == 0, "\(run.stderr)")
        let loaded = try #require(RecordLoader.check(path: folder.file(record)).record)
        let added = loaded.evidence.dropFirst(existing)
        let kinds = added.map(\.kind)
        #expect(kinds.filter { $0 == .check }.count == 3)
        #expect(kinds.last == .drill)
        let canaryCheck = try #require(added.first { $0.kind == .check && $0.controls == ["canary-deploys"] })
        #expect(canaryCheck.action == "A2")
        #expect(canaryCheck.check != nil)
        #expect(loaded.evidence.last?.score != nil)
        // The scenario has no `observed`: replay says so and the record is untouched.
        let before = folder.bytes(record)
        run = try runGameday(["replay", "scenarios/checkout-config-push.yaml", "--record", record], in: folder.path)
        #expect(run.status != 0)
        #expect(folder.bytes(record) == before)
    }
}

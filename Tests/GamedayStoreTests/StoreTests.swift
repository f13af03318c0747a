import Foundation
import GamedayDrill
import GamedayModel
import GRDB
import Testing
import GamedayTestSupport
@testable import GamedayStore

/// The SQLite store: migrations, drills in and out, concurrent readers, history, runs.
@Suite struct StoreTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func temporaryStorePath() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gameday-store-tests-\(UUID().uuidString)")
        return folder.appendingPathComponent("nested/gameday.sqlite").path
    }

    /// A finished scripted drill of a bundled script.
    static func drill(_ name: String, id: String? = nil) throws -> DrillResult {
        let loaded = DrillScriptLoader.check(path: packageRoot.appendingPathComponent("drills/\(name).yaml").path, scenarioFolders: [])
        let script = try #require(loaded.script, "\(loaded.diagnostics)")
        let scenario = try #require(loaded.scenario)
        let session = try DrillRunner.session(for: script, scenario: scenario)
        try DrillRunner.play(script, on: session)
        session.finish()
        let debrief = scenario.drill!.debrief.enumerated().map { DebriefAnswer(question: $1, answer: $0 < script.debrief.count ? script.debrief[$0] : "") }
        return DrillResult(session: session, id: id ?? DrillRunner.id(for: script, scenario: scenario), mode: .scripted, comparison: nil, debrief: debrief)
    }

    @Test func migrationsFromAnEmptyFile() throws {
        let path = try temporaryStorePath()
        #expect(!FileManager.default.fileExists(atPath: path))
        let store = try GamedayStore(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try store.appliedMigrations() == GamedayStore.migrations)
        #expect(try store.drillCount() == 0)
        // Opening again applies nothing new and keeps the data.
        try store.save(Self.drill("checkout-config-push"), heldAt: "2025-07-28T10:00:00Z", recordedAt: "2025-07-28T11:00:00Z")
        let reopened = try GamedayStore(path: path)
        #expect(try reopened.appliedMigrations() == GamedayStore.migrations)
        #expect(try reopened.drillCount() == 1)
        // An empty file (touched, zero bytes) is migrated too.
        let empty = try temporaryStorePath()
        try FileManager.default.createDirectory(atPath: (empty as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        #expect(try GamedayStore(path: empty).appliedMigrations() == GamedayStore.migrations)
    }

    @Test func aFileThatIsNotADatabaseIsAClearError() throws {
        let path = try temporaryStorePath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "not a database, just text that is long enough to have a header".write(toFile: path, atomically: true, encoding: .utf8)
        #expect { try GamedayStore(path: path) } throws: { ($0 as? StoreError)?.message.hasPrefix("cannot open the store \(path)") == true }
    }

    @Test func drillsRoundTripAndReplaceByID() throws {
        let store = try GamedayStore()
        let result = try Self.drill("checkout-config-push")
        try store.save(result, heldAt: "2025-07-28T10:00:00Z", recordedAt: "2025-07-28T11:00:00Z")
        try store.save(result, heldAt: "2025-07-28T10:00:00Z", recordedAt: "2025-07-28T12:00:00Z")
        #expect(try store.drillCount() == 1)
        let json = try #require(try store.drillJSON(id: result.id))
        #expect(json == result.json())
        let record = try DrillRecord.parse(json)
        #expect(record.log == result.log)
        #expect(record.debrief.first?.answer == "The synthetic probe paged first; the 5xx alert only after the flag ramp ended.")
        let summary = try #require(try store.summaries().first)
        #expect(summary.team == result.team)
        #expect(summary.objectives.map(\.status) == result.scorecard.objectives.map(\.status))
        #expect(summary.points == result.scorecard.points)
        #expect(try store.unusedDrillID(result.id) == result.id + "-2")
        #expect(try store.unusedDrillID("D-new") == "D-new")
    }

    @Test func concurrentReadsWhileADrillWrites() async throws {
        let path = try temporaryStorePath()
        let writer = try GamedayStore(path: path)
        let reader = try GamedayStore(path: path)  // a second connection, as another process would open
        let result = try Self.drill("checkout-config-push")
        let drills = 40
        let teamSize = result.team.count, objectiveCount = result.scorecard.objectives.count
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                for i in 0..<drills {
                    var copy = result
                    copy.id = "D-concurrent-\(i)"
                    try writer.save(copy, heldAt: "2025-07-\(10 + i % 20)T10:00:00Z", recordedAt: "2025-07-28T11:00:00Z")
                }
                return drills
            }
            for _ in 0..<2 {
                group.addTask {
                    var reads = 0
                    var seen = 0
                    while seen < drills {
                        // Every drill a reader sees is complete: it was written in one transaction.
                        let summaries = try reader.summaries()
                        for s in summaries {
                            #expect(s.team.count == teamSize)
                            #expect(s.objectives.count == objectiveCount)
                        }
                        #expect(summaries.count >= seen)
                        seen = summaries.count
                        reads += 1
                    }
                    return reads
                }
            }
            var total = 0
            for try await n in group { total += n }
            #expect(total > drills)
        }
        #expect(try reader.drillCount() == drills)
    }

    @Test func historyOverSeveralDrills() throws {
        let store = try GamedayStore()
        try store.save(Self.drill("checkout-config-push-restart"), heldAt: "2025-06-01T10:00:00Z", recordedAt: "2025-06-01T11:00:00Z")
        try store.save(Self.drill("checkout-config-push"), heldAt: "2025-07-01T10:00:00Z", recordedAt: "2025-07-01T11:00:00Z")
        try store.save(Self.drill("payment-provider-outage"), heldAt: "2025-08-01T10:00:00Z", recordedAt: "2025-08-01T11:00:00Z")
        try store.save(Self.drill("cloudflare-waf-regex-2019"), heldAt: "2025-05-01T10:00:00Z", recordedAt: "2025-05-01T11:00:00Z")
        let alice = try store.summaries(trainee: "alice", role: "incident-commander")
        #expect(alice.map(\.scenarioID) == ["cloudflare-waf-regex-2019", "checkout-config-push", "checkout-config-push", "payment-provider-outage"])
        #expect(try store.summaries(trainee: "carol").count == 3)
        #expect(try store.summaries(trainee: "bob", role: "ops").count == 2)
        let library = ["scenarios/checkout-config-push.yaml", "scenarios/region-evacuation.yaml", "scenarios/api-cert-expiry.yaml"].compactMap { file in
            ScenarioLoader.check(path: Self.packageRoot.appendingPathComponent(file).path).scenario.map { ($0, file) }
        }
        let progress = TrainingProgress(drills: try store.summaries(), trainee: "alice", library: library)
        let ic = try #require(progress.trainees.first?.roles.first)
        #expect(ic.drills.count == 4)
        #expect(ic.drills.map(\.heldAt) == ic.drills.map(\.heldAt).sorted())
        // The badly handled drill: late declaration; the budget is missed in most drills.
        #expect(ic.weaknesses.contains { $0.id == "declared" && $0.late == 1 })
        #expect(ic.weaknesses.first?.id == "budget")
        #expect(!ic.suggestions.isEmpty)
    }

    /// A live drill of checkout-config-push with the default team (no --team): participants named
    /// after their roles.
    static func defaultTeamDrill(id: String) throws -> DrillResult {
        let scenario = try #require(ScenarioLoader.check(path: packageRoot.appendingPathComponent("scenarios/checkout-config-push.yaml").path).scenario)
        let session = try DrillSession(scenario: scenario)
        session.advance(to: 16 * 60)
        try session.take("ack", by: "ops")
        try session.take("declare", by: "incident-commander")
        session.advance(to: 20 * 60)
        session.end()
        session.finish()
        return DrillResult(session: session, id: id, mode: .live, comparison: nil)
    }

    /// What `save` wrote before v2-anonymous-participants: the drill, its team, roles and
    /// objectives, with no anonymous column.
    static func saveWithTheFirstSchema(_ result: DrillResult, heldAt: String, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO drill (id, mode, scenario_id, scenario_title, scenario_path, scenario_sha256, seed, trial, held_at, recorded_at,
                               points, max_points, outcome, result_json)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [result.id, result.mode.rawValue, result.scenario.id, result.scenario.title, result.scenario.path, result.scenario.sha256,
                             String(result.seed), String(result.trial), heldAt, heldAt, result.scorecard.points, result.scorecard.maximum,
                             result.metrics.outcome.name, result.json().compact])
        for member in result.team {
            try db.execute(sql: "INSERT INTO participant (drill_id, name, role) VALUES (?, ?, ?)", arguments: [result.id, member.name, member.role])
        }
        for (i, role) in result.drill.roles.enumerated() {
            try db.execute(sql: "INSERT INTO drill_role (drill_id, position, role) VALUES (?, ?, ?)", arguments: [result.id, i, role])
        }
        for (i, o) in result.scorecard.objectives.enumerated() {
            try db.execute(sql: """
                INSERT INTO objective_result (drill_id, position, objective_id, objective, status, action, role, by_name, at, late_by, points, max_points)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [result.id, i, o.id, o.objective, o.status.rawValue, o.action, o.role, o.by, o.at, o.lateBy, o.points, o.maxPoints])
        }
    }

    @Test func defaultParticipantsAreAnonymousAndLeftOutOfTheHistory() throws {
        let store = try GamedayStore()
        let anonymous = try Self.defaultTeamDrill(id: "D-anonymous")
        #expect(anonymous.team.allSatisfy { $0.anonymous && $0.name == $0.role })
        #expect(anonymous.json()["team"]?[0]?["anonymous"]?.bool == true)
        try store.save(anonymous, heldAt: "2025-07-01T10:00:00Z", recordedAt: "2025-07-01T11:00:00Z")
        let named = try Self.drill("checkout-config-push")
        #expect(named.json()["team"]?[0]?["anonymous"] == nil)  // a named team keeps the spec's {name, role}
        try store.save(named, heldAt: "2025-07-02T10:00:00Z", recordedAt: "2025-07-02T11:00:00Z")
        let summaries = try store.summaries()
        #expect(summaries.first { $0.id == "D-anonymous" }?.team == anonymous.team)

        let history = TrainingProgress(drills: summaries)
        #expect(history.trainees.map(\.name) == ["alice", "bob", "carol"])
        #expect(history.anonymousDrillsLeftOut == 1)
        #expect(history.text().contains("1 drill played without --team (participants named after their roles) left out: --include-anonymous shows them."))
        #expect(history.json()["anonymous_drills_left_out"]?.int == 1)
        let everyone = TrainingProgress(drills: summaries, includeAnonymous: true)
        #expect(everyone.trainees.map(\.name) == ["alice", "bob", "carol", "comms", "incident-commander", "ops"])
        #expect(everyone.trainees.filter(\.anonymous).map(\.name) == ["comms", "incident-commander", "ops"])
        #expect(everyone.anonymousDrillsLeftOut == 0)
        #expect(everyone.text().contains("ops (anonymous: a drill without --team)"))
        // Asking for a role's name by itself finds nothing, and says why.
        let ops = TrainingProgress(drills: try store.summaries(trainee: "ops"), trainee: "ops")
        #expect(ops.trainees.isEmpty)
        #expect(ops.text().hasPrefix("No drills recorded for this selection. 1 drill played without --team"))
        // A replay of the drill's JSON keeps its team anonymous.
        let record = try DrillRecord.parse(try #require(try store.drillJSON(id: "D-anonymous")))
        #expect(record.team == anonymous.team)
    }

    @Test func aStoreOfTheFirstSchemaIsMigrated() throws {
        let path = try temporaryStorePath()
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let anonymous = try Self.defaultTeamDrill(id: "D-old-anonymous")
        let named = try Self.drill("checkout-config-push", id: "D-old-named")
        // A store as the previous version left it: only the first migrations, drills saved by it.
        do {
            let queue = try DatabaseQueue(path: path)
            try GamedayStore.migrator.migrate(queue, upTo: "v1-runs")
            try queue.write { db in
                #expect(try !db.columns(in: "participant").contains { $0.name == "anonymous" })
                try Self.saveWithTheFirstSchema(anonymous, heldAt: "2025-07-01T10:00:00Z", in: db)
                try Self.saveWithTheFirstSchema(named, heldAt: "2025-07-02T10:00:00Z", in: db)
            }
            #expect(try queue.read { db in try GamedayStore.migrator.appliedIdentifiers(db) } == ["v1-drills", "v1-runs"])
        }
        // The new code opens it: the migration adds the flag, and the default team of the old
        // drill (one participant per role, named after it, not scripted) is marked anonymous.
        let store = try GamedayStore(path: path)
        #expect(try store.appliedMigrations() == GamedayStore.migrations)
        #expect(try store.drillCount() == 2)
        let summaries = try store.summaries()
        #expect(summaries.first { $0.id == "D-old-anonymous" }?.team.allSatisfy(\.anonymous) == true)
        #expect(summaries.first { $0.id == "D-old-named" }?.team.contains(where: \.anonymous) == false)
        #expect(TrainingProgress(drills: summaries).trainees.map(\.name) == ["alice", "bob", "carol"])
        #expect(try store.drillJSON(id: "D-old-named") == named.json())
        // New drills are saved with the flag; reopening applies nothing more.
        try store.save(Self.defaultTeamDrill(id: "D-new-anonymous"), heldAt: "2025-07-03T10:00:00Z", recordedAt: "2025-07-03T11:00:00Z")
        let reopened = try GamedayStore(path: path)
        #expect(try reopened.appliedMigrations() == GamedayStore.migrations)
        #expect(try reopened.summaries().first { $0.id == "D-new-anonymous" }?.team.allSatisfy(\.anonymous) == true)
    }

    @Test func runsAreSaved() throws {
        let store = try GamedayStore()
        let reference = ScenarioReference(id: "checkout-config-push", title: "t", path: "scenarios/checkout-config-push.yaml", sha256: "abc")
        let id = try store.saveRun(command: "whatif", scenario: reference, seed: UInt64.max, trials: 1000, controls: ["canary-deploys"],
                                   json: ["incident_probability": 0.3], recordedAt: "2025-07-28T10:00:00Z")
        let runs = try store.runs(scenario: "checkout-config-push")
        #expect(runs.map(\.id) == [id])
        #expect(runs[0].command == "whatif")
        #expect(runs[0].json["incident_probability"]?.double == 0.3)
        #expect(try store.runs(scenario: "other").isEmpty)
    }

    @Test func gamedayRunSavesItsResult() throws {
        guard let binary = TestPaths.gamedayExecutable else {
            Issue.record("the gameday executable was not found")
            return
        }
        let path = try temporaryStorePath()
        let result = try runProcess(binary, ["run", "scenarios/checkout-config-push.yaml", "--trials", "200", "--save", "--store", path, "--format", "json"],
                                    directory: Self.packageRoot.path)
        let data = Data(result.output.utf8)
        #expect(result.status == 0)
        let runs = try GamedayStore(path: path).runs()
        #expect(runs.count == 1)
        #expect(runs.first?.command == "run")
        #expect(runs.first?.json == (try? JSONParser.parse(String(decoding: data, as: UTF8.self))))
    }

    @Test func storePathPrecedence() {
        #expect(GamedayStore.path(option: "x.sqlite", environment: ["GAMEDAY_STORE": "y.sqlite"]) == "x.sqlite")
        #expect(GamedayStore.path(option: nil, environment: ["GAMEDAY_STORE": "y.sqlite"]) == "y.sqlite")
        #expect(GamedayStore.path(option: nil, environment: [:]) == ".gameday/gameday.sqlite")
    }
}

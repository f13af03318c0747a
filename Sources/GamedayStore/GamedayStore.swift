import Foundation
import GamedayDrill
import GamedayModel
import GRDB

/// A problem with the store, in one line.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

/// The embedded SQLite store: drills (with participants, roles, objective results, penalties,
/// logs and debrief answers) and saved runs of other commands.
///
/// One `DatabaseQueue` serializes this process's access; the file is in WAL mode with a busy
/// timeout, so other processes (a trainer's `gameday history` while a drill is being saved) read
/// a consistent snapshot without waiting for the writer. Each drill is written in one transaction.
/// The schema is created and upgraded by ``migrations`` when the store is opened.
public final class GamedayStore: Sendable {
    /// Where the store is when neither `--store` nor `GAMEDAY_STORE` says otherwise.
    public static let defaultPath = ".gameday/gameday.sqlite"

    /// The store's path: the option, else `GAMEDAY_STORE`, else ``defaultPath``.
    public static func path(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let option, !option.isEmpty { return option }
        if let env = environment["GAMEDAY_STORE"], !env.isEmpty { return env }
        return defaultPath
    }

    /// The file (or `:memory:`).
    public let path: String
    let queue: DatabaseQueue

    /// Opens (creating it and its folder when needed) and migrates the store at `path`.
    public init(path: String) throws(StoreError) {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw StoreError("cannot create the store's folder \(folder): \(FileErrors.describe(error, path: folder))")
            }
        }
        var configuration = Configuration()
        configuration.journalMode = .wal
        configuration.busyMode = .timeout(10)
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(queue)
        } catch {
            throw StoreError("cannot open the store \(path): \(Self.describe(error))")
        }
    }

    /// A store in memory (tests).
    public init() throws(StoreError) {
        path = ":memory:"
        do {
            queue = try DatabaseQueue()
            try Self.migrator.migrate(queue)
        } catch {
            throw StoreError("cannot open an in-memory store: \(Self.describe(error))")
        }
    }

    static func describe(_ error: Error) -> String {
        if let db = error as? DatabaseError { return db.message ?? "\(db.resultCode)" }
        return "\(error)"
    }

    // MARK: Schema

    /// The names of the migrations, in order.
    public static let migrations = ["v1-drills", "v1-runs", "v2-anonymous-participants"]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-drills") { db in
            try db.create(table: "drill") { t in
                t.primaryKey("id", .text)
                t.column("mode", .text).notNull()
                t.column("scenario_id", .text).notNull().indexed()
                t.column("scenario_title", .text).notNull()
                t.column("scenario_path", .text).notNull()
                t.column("scenario_sha256", .text).notNull()
                t.column("seed", .text).notNull()  // an unsigned 64-bit integer, exact
                t.column("trial", .text).notNull()
                t.column("held_at", .text).notNull()
                t.column("recorded_at", .text).notNull()
                t.column("points", .integer).notNull()
                t.column("max_points", .integer).notNull()
                t.column("outcome", .text)
                t.column("time_to_mitigate", .double)
                t.column("failed_requests", .double)
                t.column("model_time_to_mitigate_percentile", .double)
                t.column("model_failed_requests_percentile", .double)
                t.column("result_json", .text).notNull()
            }
            try db.create(table: "participant") { t in
                t.column("drill_id", .text).notNull().references("drill", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("role", .text).notNull()
                t.primaryKey(["drill_id", "name"])
            }
            try db.create(index: "participant_by_name", on: "participant", columns: ["name", "role"])
            try db.create(table: "drill_role") { t in
                t.column("drill_id", .text).notNull().references("drill", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("role", .text).notNull()
                t.primaryKey(["drill_id", "position"])
            }
            try db.create(table: "objective_result") { t in
                t.column("drill_id", .text).notNull().references("drill", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("objective_id", .text).notNull()
                t.column("objective", .text).notNull()
                t.column("status", .text).notNull()
                t.column("action", .text)
                t.column("role", .text)
                t.column("by_name", .text)
                t.column("at", .double)
                t.column("late_by", .double)
                t.column("points", .integer).notNull()
                t.column("max_points", .integer).notNull()
                t.primaryKey(["drill_id", "position"])
            }
            try db.create(table: "penalty") { t in
                t.column("drill_id", .text).notNull().references("drill", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("action", .text).notNull()
                t.column("by_name", .text).notNull()
                t.column("at", .double).notNull()
                t.column("points", .integer).notNull()
                t.primaryKey(["drill_id", "position"])
            }
            try db.create(table: "log_entry") { t in
                t.column("drill_id", .text).notNull().references("drill", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("at", .double).notNull()
                t.column("kind", .text).notNull()
                t.column("by_name", .text)
                t.column("action", .text)
                t.column("text", .text)
                t.column("wall", .text)
                t.column("json", .text).notNull()
                t.primaryKey(["drill_id", "position"])
            }
            try db.create(table: "debrief_answer") { t in
                t.column("drill_id", .text).notNull().references("drill", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("question", .text).notNull()
                t.column("answer", .text).notNull()
                t.primaryKey(["drill_id", "position"])
            }
        }
        migrator.registerMigration("v1-runs") { db in
            try db.create(table: "run") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("command", .text).notNull()
                t.column("scenario_id", .text).notNull().indexed()
                t.column("scenario_path", .text).notNull()
                t.column("scenario_sha256", .text).notNull()
                t.column("seed", .text).notNull()
                t.column("trials", .integer)
                t.column("controls", .text).notNull()
                t.column("recorded_at", .text).notNull()
                t.column("result_json", .text).notNull()
            }
        }
        // Migrations are never edited once released: a store opened by an older version keeps
        // the schema those created, and each later change is a migration of its own.
        migrator.registerMigration("v2-anonymous-participants") { db in
            // Participants of a drill run without --team (named after their roles) are nobody in
            // particular: the history leaves them out unless asked.
            try db.alter(table: "participant") { t in
                t.add(column: "anonymous", .boolean).notNull().defaults(to: false)
            }
            // Drills saved before the flag existed: a team that is exactly one participant per
            // drill role, each named after the role, in a drill not run from a script (a script
            // names its team), was the default team.
            try db.execute(sql: """
                UPDATE participant SET anonymous = 1
                WHERE drill_id IN (
                    SELECT d.id FROM drill d
                    WHERE d.mode != 'scripted'
                      AND NOT EXISTS (SELECT 1 FROM participant p WHERE p.drill_id = d.id AND p.name != p.role)
                      AND (SELECT COUNT(*) FROM participant p WHERE p.drill_id = d.id)
                          = (SELECT COUNT(*) FROM drill_role r WHERE r.drill_id = d.id)
                      AND NOT EXISTS (SELECT 1 FROM drill_role r WHERE r.drill_id = d.id
                                      AND r.role NOT IN (SELECT p.role FROM participant p WHERE p.drill_id = d.id)))
                """)
        }
        return migrator
    }

    /// The migrations applied to the file, in order.
    public func appliedMigrations() throws(StoreError) -> [String] {
        try read { db in try Self.migrator.appliedIdentifiers(db).sorted { Self.migrations.firstIndex(of: $0) ?? 0 < Self.migrations.firstIndex(of: $1) ?? 0 } }
    }

    func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.read(body)
        } catch {
            throw StoreError("cannot read the store \(path): \(Self.describe(error))")
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do {
            return try queue.write(body)
        } catch {
            throw StoreError("cannot write the store \(path): \(Self.describe(error))")
        }
    }

    // MARK: Drills

    /// Saves a drill, replacing one with the same id.
    ///
    /// - Parameters:
    ///   - result: the finished drill.
    ///   - heldAt: when it was held (ISO 8601); the history orders drills by it.
    ///   - recordedAt: when it was saved (ISO 8601).
    public func save(_ result: DrillResult, heldAt: String, recordedAt: String) throws(StoreError) {
        let json = result.json()
        try write { db in
            try db.execute(sql: "DELETE FROM drill WHERE id = ?", arguments: [result.id])
            let c = result.comparison
            try db.execute(sql: """
                INSERT INTO drill (id, mode, scenario_id, scenario_title, scenario_path, scenario_sha256, seed, trial, held_at, recorded_at,
                                   points, max_points, outcome, time_to_mitigate, failed_requests,
                                   model_time_to_mitigate_percentile, model_failed_requests_percentile, result_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [result.id, result.mode.rawValue, result.scenario.id, result.scenario.title, result.scenario.path, result.scenario.sha256,
                                 String(result.seed), String(result.trial), heldAt, recordedAt,
                                 result.scorecard.points, result.scorecard.maximum, result.metrics.outcome.name, result.timeToMitigate,
                                 result.metrics.failedRequests, c?.timeToMitigatePercentile, c?.failedRequestsPercentile, json.compact])
            for member in result.team {
                try db.execute(sql: "INSERT INTO participant (drill_id, name, role, anonymous) VALUES (?, ?, ?, ?)",
                               arguments: [result.id, member.name, member.role, member.anonymous])
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
            for (i, p) in result.scorecard.penalties.enumerated() {
                try db.execute(sql: "INSERT INTO penalty (drill_id, position, action, by_name, at, points) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [result.id, i, p.action, p.by, p.at, p.points])
            }
            for (i, e) in result.log.enumerated() {
                try db.execute(sql: "INSERT INTO log_entry (drill_id, position, at, kind, by_name, action, text, wall, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               arguments: [result.id, i, e.at, e.kind.rawValue, e.by, e.action, e.text, result.provenance.wall[i], DrillResult.json(e).compact])
            }
            for (i, a) in result.debrief.enumerated() {
                try db.execute(sql: "INSERT INTO debrief_answer (drill_id, position, question, answer) VALUES (?, ?, ?, ?)",
                               arguments: [result.id, i, a.question, a.answer])
            }
        }
    }

    /// The JSON of a saved drill (``DrillResult/json()``), for export and replay.
    public func drillJSON(id: String) throws(StoreError) -> JSONValue? {
        let text: String? = try read { db in try String.fetchOne(db, sql: "SELECT result_json FROM drill WHERE id = ?", arguments: [id]) }
        guard let text else { return nil }
        do {
            return try JSONParser.parse(text)
        } catch {
            throw StoreError("drill \(id) in \(path) has unreadable JSON: \(error.message)")
        }
    }

    /// Whether a drill with this id is saved.
    public func hasDrill(id: String) throws(StoreError) -> Bool {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM drill WHERE id = ?", arguments: [id]) ?? 0 } > 0
    }

    /// `base`, or `base-2`, `base-3`, ... when taken.
    public func unusedDrillID(_ base: String) throws(StoreError) -> String {
        if try !hasDrill(id: base) { return base }
        var n = 2
        while try hasDrill(id: "\(base)-\(n)") { n += 1 }
        return "\(base)-\(n)"
    }

    /// The number of saved drills.
    public func drillCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM drill") ?? 0 }
    }

    /// Summaries of saved drills for the history, optionally only those a trainee (in a role)
    /// took part in; each summary has the whole team, anonymous participants (a drill without
    /// `--team`) flagged: ``TrainingProgress`` leaves them out unless asked.
    public func summaries(trainee: String? = nil, role: String? = nil) throws(StoreError) -> [DrillSummary] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM drill
                WHERE id IN (SELECT drill_id FROM participant WHERE (?1 IS NULL OR name = ?1) AND (?2 IS NULL OR role = ?2))
                ORDER BY held_at, id
                """, arguments: [trainee, role])
            var summaries: [DrillSummary] = []
            for row in rows {
                let id: String = row["id"]
                let team = try Row.fetchAll(db, sql: "SELECT name, role, anonymous FROM participant WHERE drill_id = ? ORDER BY rowid", arguments: [id])
                    .map { Participant(name: $0["name"], role: $0["role"], anonymous: $0["anonymous"]) }
                let objectives = try Row.fetchAll(db, sql: "SELECT * FROM objective_result WHERE drill_id = ? ORDER BY position", arguments: [id]).map { o in
                    DrillSummary.Objective(id: o["objective_id"], objective: o["objective"],
                                           status: ObjectiveResult.Status(rawValue: o["status"]) ?? .missed,
                                           action: o["action"], role: o["role"], points: o["points"], maxPoints: o["max_points"])
                }
                summaries.append(DrillSummary(id: id, heldAt: row["held_at"], scenarioID: row["scenario_id"], scenarioTitle: row["scenario_title"],
                                              mode: DrillMode(rawValue: row["mode"]) ?? .live, team: team,
                                              points: row["points"], maximum: row["max_points"], objectives: objectives))
            }
            return summaries
        }
    }

    // MARK: Runs

    /// A saved run of another command (`run`, `whatif`, `check`).
    public struct SavedRun: Sendable, Hashable {
        /// The row id.
        public var id: Int64
        /// The command.
        public var command: String
        /// The scenario's id.
        public var scenarioID: String
        /// When it was saved.
        public var recordedAt: String
        /// The command's JSON output.
        public var json: JSONValue
    }

    /// Saves a command's JSON result.
    ///
    /// - Returns: the run's row id.
    @discardableResult
    public func saveRun(command: String, scenario: ScenarioReference, seed: UInt64, trials: Int?, controls: [String],
                        json: JSONValue, recordedAt: String) throws(StoreError) -> Int64 {
        try write { db in
            try db.execute(sql: """
                INSERT INTO run (command, scenario_id, scenario_path, scenario_sha256, seed, trials, controls, recorded_at, result_json)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [command, scenario.id, scenario.path, scenario.sha256, String(seed), trials, controls.joined(separator: ","), recordedAt, json.compact])
            return db.lastInsertedRowID
        }
    }

    /// Saved runs, newest first, optionally of one scenario.
    public func runs(scenario: String? = nil) throws(StoreError) -> [SavedRun] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run WHERE (?1 IS NULL OR scenario_id = ?1) ORDER BY id DESC", arguments: [scenario]).map { row in
                let text: String = row["result_json"]
                return SavedRun(id: row["id"], command: row["command"], scenarioID: row["scenario_id"], recordedAt: row["recorded_at"],
                                json: (try? JSONParser.parse(text)) ?? .null)
            }
        }
    }
}

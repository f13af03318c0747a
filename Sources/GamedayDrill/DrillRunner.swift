import GamedayModel
import GamedaySimulation

/// Runs drills without a person at the keyboard: scripts, replays, forks and hand-overs.
public enum DrillRunner {
    /// Plays a script's actions on a session: each action is asked for at its `at` (the clock is
    /// advanced to it first), then the drill ends at the script's `end`, or when every
    /// participant has finished what they were doing.
    ///
    /// - Parameters:
    ///   - script: the script.
    ///   - session: a fresh session, or one replayed up to a fork time (actions before its clock
    ///     are skipped).
    public static func play(_ script: DrillScript, on session: DrillSession) throws(DrillError) {
        let from = session.now
        for step in script.steps where step.at >= from {
            if step.at > session.now { session.advance(to: step.at) }
            if session.isEnded { return }
            try session.take(step.action, by: step.by)
        }
        if let end = script.end, end > session.now {
            session.advance(to: end)
        } else if script.end == nil {
            while !session.isEnded, let busyUntil = session.status.compactMap({ $0.current?.endsAt }).max(), busyUntil > session.now {
                session.advance(to: busyUntil)
            }
        }
        session.end()
    }

    /// A new session for a script (its seed, trial and team).
    public static func session(for script: DrillScript, scenario: Scenario) throws(DrillError) -> DrillSession {
        try DrillSession(scenario: scenario, seed: script.seed, trial: script.trial ?? 0, team: script.team)
    }

    /// The drill id of a script: its `id`, or `D-SCENARIO-` and the first 8 hex digits of the
    /// script file's sha256 (the same script gives the same id, so saving it twice replaces it).
    public static func id(for script: DrillScript, scenario: Scenario) -> String {
        script.id ?? "D-\(scenario.id)-\(script.sha256.prefix(8))"
    }

    /// Feeds a recorded drill's inputs back into a new session.
    ///
    /// - Parameters:
    ///   - record: the recorded drill.
    ///   - scenario: the scenario (the record's sha256 should match its file).
    ///   - cut: replay only the inputs before this time, then move the clock to it (a fork); nil
    ///     replays everything, the end included.
    /// - Returns: the session, ended unless cut.
    /// - Throws: ``DrillError`` when the log does not fit the scenario or contradicts itself.
    public static func replay(_ record: DrillRecord, scenario: Scenario, cut: Double? = nil) throws(DrillError) -> DrillSession {
        let session = try DrillSession(scenario: scenario, seed: record.seed, trial: record.trial, team: record.team)
        for (index, entry) in record.log.enumerated() where entry.kind.isInput {
            if let cut, entry.at >= cut { break }
            guard abs(entry.at - session.now) < 1e-6 else {
                throw DrillError("entry \(index) of the log (\(entry.kind.rawValue) at \(Scalars.formatDuration(entry.at))) does not line up with the replayed clock (\(Scalars.formatDuration(session.now)))",
                                 help: "the log was changed by hand, or the scenario changed since the drill")
            }
            switch entry.kind {
            case .action:
                guard let action = entry.action, let by = entry.by else { throw DrillError("entry \(index) of the log has no 'do' or 'by'") }
                try session.take(action, by: by)
            case .advance:
                let until = entry.until ?? session.now
                if let cut, until > cut {
                    session.advance(to: cut, command: entry.command ?? "advance")
                    return session
                }
                session.advance(to: until, command: entry.command ?? "advance")
            case .undo:
                try session.undo()
            case .end:
                session.end()
            case .handover:
                session.handOver()
            case .started, .done, .inject, .model:
                break
            }
        }
        if let cut, cut > session.now, !session.isEnded { session.advance(to: cut) }
        return session
    }

    /// The first difference between two logs, or nil when they are identical.
    public static func difference(_ replayed: [DrillLogEntry], _ recorded: [DrillLogEntry]) -> String? {
        for i in 0..<max(replayed.count, recorded.count) {
            let a = i < replayed.count ? replayed[i] : nil
            let b = i < recorded.count ? recorded[i] : nil
            if a == b { continue }
            func describe(_ e: DrillLogEntry?) -> String {
                guard let e else { return "nothing" }
                return DrillResult.json(e).compact
            }
            return "entry \(i): the replay has \(describe(a)), the log has \(describe(b))"
        }
        return nil
    }

    /// When the logs agree, the first difference in the scored parts (``reproducedParts(_:)``):
    /// an objective's verdict, a penalty, the score or the outcome. Identical logs with a
    /// different verdict mean the rubric or the scoring rules changed since the drill was recorded.
    public static func resultDifference(_ replayed: JSONValue, _ recorded: JSONValue) -> String? {
        let mine = replayed["objectives"]?.array ?? [], theirs = recorded["objectives"]?.array ?? []
        for i in 0..<max(mine.count, theirs.count) {
            let a: JSONValue? = i < mine.count ? mine[i] : nil, b: JSONValue? = i < theirs.count ? theirs[i] : nil
            if a == b { continue }
            let id = a?["id"]?.string ?? b?["id"]?.string ?? "#\(i)"
            let now = a?["status"]?.string ?? "absent", then = b?["status"]?.string ?? "absent"
            return "the log is identical, but objective \(id) is now \(now) (recorded: \(then)): the scenario's rubric or the scoring rules changed since the drill was recorded"
        }
        for key in ["penalties", "score", "outcome"] where replayed[key] != recorded[key] {
            return "the log is identical, but the \(key) differs: replayed \((replayed[key] ?? .null).compact), recorded \((recorded[key] ?? .null).compact)"
        }
        return nil
    }

    /// A log cut at time `t`: the entries before it, with a clock move that crossed `t` stopped
    /// at `t`. Two drills that agree before `t` have equal prefixes.
    public static func prefix(_ log: [DrillLogEntry], before t: Double) -> [DrillLogEntry] {
        log.filter { $0.at < t }.map { entry in
            var e = entry
            if e.kind == .advance, let until = e.until, until > t { e.until = t }
            return e
        }
    }

    /// The parts of a result that a replay must reproduce exactly: score, objectives, penalties,
    /// outcome and log.
    public static func reproducedParts(_ json: JSONValue) -> JSONValue {
        var object = JSONObject()
        for key in ["score", "objectives", "penalties", "outcome", "log"] { object[key] = json[key] ?? .null }
        return .object(object)
    }
}

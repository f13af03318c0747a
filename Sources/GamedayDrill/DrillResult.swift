import Foundation
import GamedayModel
import GamedaySimulation

/// The scenario a drill played, as results name it.
public struct ScenarioReference: Hashable, Sendable {
    /// The scenario's id.
    public var id: String
    /// Its title.
    public var title: String
    /// The file it was loaded from, as the user named it.
    public var path: String
    /// The file's sha256: a replay checks that it plays the same scenario.
    public var sha256: String

    /// Creates a reference.
    public init(id: String, title: String, path: String, sha256: String) {
        self.id = id
        self.title = title
        self.path = path
        self.sha256 = sha256
    }

    /// The reference of a loaded scenario.
    public init(_ scenario: Scenario) {
        self.init(id: scenario.id, title: scenario.title, path: scenario.source.path, sha256: scenario.source.sha256)
    }
}

/// A debrief question and the team's answer.
public struct DebriefAnswer: Hashable, Sendable {
    /// The question, as the scenario asks it.
    public var question: String
    /// The answer (empty when skipped).
    public var answer: String

    /// Creates an answer.
    public init(question: String, answer: String) {
        self.question = question
        self.answer = answer
    }
}

/// Wall-clock facts of a live drill, kept apart from the result so the result stays deterministic
/// (spec: output.md, `provenance`).
public struct DrillProvenance: Hashable, Sendable {
    /// When the drill started (ISO 8601, UTC).
    public var startedAt: String?
    /// When it finished.
    public var finishedAt: String?
    /// The wall-clock time of each input entry, by its index in the log.
    public var wall: [Int: String] = [:]

    /// Creates provenance.
    public init(startedAt: String? = nil, finishedAt: String? = nil, wall: [Int: String] = [:]) {
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.wall = wall
    }

    /// Whether nothing is recorded.
    public var isEmpty: Bool { startedAt == nil && finishedAt == nil && wall.isEmpty }
}

/// What a drill leaves behind to be replayed: its inputs and what came of them, its seed and
/// scenario, its team and debrief. Read back from a drill's JSON (``DrillResult/json()``).
public struct DrillRecord: Hashable, Sendable {
    /// The drill's id.
    public var id: String
    /// How it was run.
    public var mode: DrillMode
    /// The scenario.
    public var scenario: ScenarioReference
    /// The seed.
    public var seed: UInt64
    /// The trial index.
    public var trial: UInt64
    /// The team.
    public var team: [Participant]
    /// The event log.
    public var log: [DrillLogEntry]
    /// The debrief answers.
    public var debrief: [DebriefAnswer]
    /// The Monte Carlo trials its model comparison used (a replay uses as many).
    public var modelTrials: Int?
    /// When the drill was held (provenance), if known.
    public var startedAt: String?
    /// The whole JSON it was read from (a replay compares its own result with it).
    public var json: JSONValue

    /// Reads a drill's JSON.
    ///
    /// - Throws: ``DrillError`` naming the first key that is missing or wrong.
    public static func parse(_ json: JSONValue) throws(DrillError) -> DrillRecord {
        func need<T>(_ value: T?, _ what: String) throws(DrillError) -> T {
            guard let value else { throw DrillError("the drill log has no valid '\(what)'", help: "a drill log is the JSON that `gameday drill --format json` or `--export` writes") }
            return value
        }
        let scenario = try need(json["scenario"], "scenario")
        let reference = ScenarioReference(id: try need(scenario["id"]?.string, "scenario.id"),
                                          title: scenario["title"]?.string ?? "",
                                          path: try need(scenario["path"]?.string, "scenario.path"),
                                          sha256: scenario["sha256"]?.string ?? "")
        var team: [Participant] = []
        for member in try need(json["team"]?.array, "team") {
            team.append(Participant(name: try need(member["name"]?.string, "team[].name"), role: try need(member["role"]?.string, "team[].role"),
                                    anonymous: member["anonymous"]?.bool ?? false))
        }
        var log: [DrillLogEntry] = []
        for (i, item) in try need(json["log"]?.array, "log").enumerated() {
            guard let at = item["at"]?.double, let kindText = item["kind"]?.string, let kind = DrillLogEntry.Kind(rawValue: kindText) else {
                throw DrillError("entry \(i) of the drill log has no valid 'at' and 'kind'", help: "kinds: " + DrillLogEntry.Kind.allCases.map(\.rawValue).joined(separator: ", "))
            }
            var entry = DrillLogEntry(at: at, kind: kind)
            entry.by = item["by"]?.string
            entry.role = item["role"]?.string
            entry.action = item["do"]?.string
            entry.until = item["until"]?.double
            entry.queued = item["queued"]?.bool ?? false
            entry.result = item["result"]?.string
            switch kind {
            case .inject:
                entry.text = item["show"]?.string
                entry.to = item["to"]?.array?.compactMap(\.string)
            case .done:
                entry.text = item["reveals"]?.string
            case .model:
                entry.command = item["event"]?.string
                entry.text = item["detail"]?.string
            case .advance:
                entry.command = item["command"]?.string
            default:
                break
            }
            log.append(entry)
        }
        var debrief: [DebriefAnswer] = []
        for item in json["debrief"]?.array ?? [] {
            debrief.append(DebriefAnswer(question: item["question"]?.string ?? "", answer: item["answer"]?.string ?? ""))
        }
        return DrillRecord(id: try need(json["drill"]?.string, "drill"),
                           mode: json["mode"]?.string.flatMap(DrillMode.init(rawValue:)) ?? .live,
                           scenario: reference,
                           seed: try need(json["seed"]?.uint64, "seed"),
                           trial: json["trial"]?.uint64 ?? 0,
                           team: team, log: log, debrief: debrief,
                           modelTrials: json["outcome"]?["model_trials"]?.int,
                           startedAt: json["provenance"]?["started_at"]?.string,
                           json: json)
    }
}

/// A plain-language note for a trainee.
public struct FeedbackItem: Hashable, Sendable {
    /// What it is about: `objective`, `penalty`, `harmful` or `outcome`.
    public var about: String
    /// The objective's id or the action's id.
    public var id: String
    /// The note.
    public var text: String
}

/// A finished drill: who played, what they did, the score, the comparison with the modelled
/// responders and the feedback (spec: output.md, `gameday drill`).
public struct DrillResult: Sendable {
    /// The drill's id, such as `D-2025-07-28-checkout-config-push`.
    public var id: String
    /// How it was run.
    public var mode: DrillMode
    /// The scenario.
    public var scenario: ScenarioReference
    /// The seed.
    public var seed: UInt64
    /// The trial index.
    public var trial: UInt64
    /// The team.
    public var team: [Participant]
    /// The event log.
    public var log: [DrillLogEntry]
    /// The rubric's verdicts and penalties.
    public var scorecard: Scorecard
    /// The trial's final metrics with the team responding.
    public var metrics: TrialMetrics
    /// When the drill ended (the `end` or `handover` entry).
    public var endedAt: Double
    /// When the modelled responders took over (`--model-from`).
    public var handoverAt: Double?
    /// The drill this one was forked or replayed from, and the time it was cut at.
    public var derivedFrom: (drill: String, at: Double?)?
    /// The modelled responders' outcome, for comparison.
    public var comparison: ModelComparison?
    /// Notes per missed or late objective, penalty and harmful action.
    public var feedback: [FeedbackItem]
    /// The debrief questions and answers.
    public var debrief: [DebriefAnswer]
    /// Wall-clock facts (live drills).
    public var provenance: DrillProvenance
    /// The scenario's debrief questions (asked at the end).
    public var questions: [String]
    /// The scenario's drill, for labels in reports.
    public var drill: Drill

    /// Builds the result of a finished session.
    ///
    /// - Parameters:
    ///   - session: a session after ``DrillSession/finish()``.
    ///   - id: the drill's id.
    ///   - mode: how it was run.
    ///   - comparison: the modelled responders' outcome (nil to leave it out).
    ///   - debrief: the answers given.
    ///   - provenance: wall-clock facts.
    public init(session: DrillSession, id: String, mode: DrillMode, comparison: ModelComparison?,
                debrief: [DebriefAnswer] = [], provenance: DrillProvenance = DrillProvenance(), derivedFrom: (drill: String, at: Double?)? = nil) {
        let metrics = session.finish()
        let endedAt = session.log.last { $0.kind == .end || $0.kind == .handover }?.at ?? session.now
        let started = session.startedRuns.compactMap { run -> StartedAction? in
            guard let at = run.startedAt, at <= endedAt else { return nil }
            return StartedAction(action: run.action, by: session.team[run.participant], at: at)
        }
        self.id = id
        self.mode = mode
        self.scenario = ScenarioReference(session.scenario)
        self.seed = session.seed
        self.trial = session.trial
        self.team = session.team
        self.log = session.log
        self.scorecard = DrillScoring.score(drill: session.drill, started: started, trace: session.trace, metrics: metrics, endedAt: endedAt,
                                                handedOver: session.handoverAt != nil)
        self.metrics = metrics
        self.endedAt = endedAt
        self.handoverAt = session.handoverAt
        self.derivedFrom = derivedFrom
        self.comparison = comparison
        self.debrief = debrief
        self.provenance = provenance
        self.questions = session.drill.debrief
        self.drill = session.drill
        self.feedback = []
        self.feedback = DrillFeedback.items(for: self)
    }

    /// The team's time to mitigate, from the first customer impact (nil when never mitigated or no impact).
    public var timeToMitigate: Double? { metrics.value(.timeToMitigate) }

    /// The label of a drill action.
    public func label(of action: String) -> String { drill.action(action)?.label ?? action }

    // MARK: JSON

    /// The result as JSON (spec: output.md); the same drill gives the same bytes, wall-clock facts
    /// apart (under `provenance`).
    public func json() -> JSONValue {
        var object = JSONObject()
        object["drill"] = .string(id)
        object["mode"] = .string(mode.rawValue)
        object["scenario"] = ["id": .string(scenario.id), "title": .string(scenario.title), "path": .string(scenario.path), "sha256": .string(scenario.sha256)]
        object["seed"] = .uint64(seed)
        object["trial"] = .uint64(trial)
        object["team"] = .array(team.map { member in
            var o: JSONObject = ["name": .string(member.name), "role": .string(member.role)]
            // Only when true, so named teams keep the spec's {name, role}.
            if member.anonymous { o["anonymous"] = .bool(true) }
            return .object(o)
        })
        let objectivePoints = scorecard.objectives.reduce(0) { $0 + $1.points }
        let penaltyPoints = scorecard.penalties.reduce(0) { $0 + $1.points }
        object["score"] = ["points": .int(scorecard.points), "max": .int(scorecard.maximum),
                           "objective_points": .int(objectivePoints), "penalty_points": .int(penaltyPoints)]
        object["objectives"] = .array(scorecard.objectives.map(Self.json))
        object["penalties"] = .array(scorecard.penalties.map { p in
            ["action": .string(p.action), "by": .string(p.by), "role": .string(p.role), "at": .number(p.at), "points": .int(p.points), "feedback": .string(p.feedback)]
        })
        object["outcome"] = outcomeJSON()
        object["feedback"] = .array(feedback.map { ["about": .string($0.about), "id": .string($0.id), "text": .string($0.text)] })
        object["debrief"] = .array(debrief.map { ["question": .string($0.question), "answer": .string($0.answer)] })
        object["ended_at"] = .number(endedAt)
        if let handoverAt { object["handover_at"] = .number(handoverAt) }
        if let derivedFrom { object["derived_from"] = ["drill": .string(derivedFrom.drill), "at": .number(derivedFrom.at)] }
        object["log"] = .array(log.map(Self.json))
        if !provenance.isEmpty {
            var p = JSONObject()
            if let started = provenance.startedAt { p["started_at"] = .string(started) }
            if let finished = provenance.finishedAt { p["finished_at"] = .string(finished) }
            if !provenance.wall.isEmpty {
                p["wall"] = .array(provenance.wall.keys.sorted().map { ["entry": .int($0), "at": .string(provenance.wall[$0]!)] })
            }
            object["provenance"] = .object(p)
        }
        return .object(object)
    }

    func outcomeJSON() -> JSONValue {
        var o = JSONObject()
        o["outcome"] = .string(metrics.outcome.name)
        o["time_to_detect"] = .number(metrics.value(.timeToDetect))
        o["time_to_mitigate"] = .number(metrics.value(.timeToMitigate))
        o["mitigated"] = .bool(metrics.firstImpactAt != nil && metrics.mitigatedAt != nil)
        o["failed_requests"] = .number(metrics.failedRequests)
        o["slo_budget_consumed"] = .number(metrics.sloBudgetConsumed)
        o["impact_duration"] = .number(metrics.impactDuration)
        if let c = comparison {
            o["model_percentile"] = ["time_to_mitigate": .number(c.timeToMitigatePercentile), "failed_requests": .number(c.failedRequestsPercentile)]
            o["model_same_trial"] = ["time_to_mitigate": .number(c.sameTrial.value(.timeToMitigate)), "failed_requests": .number(c.sameTrial.failedRequests),
                                     "outcome": .string(c.sameTrial.outcome.name)]
            o["model_median"] = ["time_to_mitigate": .number(c.medianTimeToMitigate), "failed_requests": .number(c.medianFailedRequests)]
            o["model_mitigated_share"] = .number(c.mitigatedShare)
            o["model_trials"] = .int(c.trials)
            o["model_trials_with_fault"] = .int(c.withFault)
        }
        return .object(o)
    }

    static func json(_ r: ObjectiveResult) -> JSONValue {
        var o = JSONObject()
        o["id"] = .string(r.id)
        o["objective"] = .string(r.objective)
        o["status"] = .string(r.status.rawValue)
        o["at"] = .number(r.at)
        o["points"] = .int(r.points)
        o["max_points"] = .int(r.maxPoints)
        if let action = r.action {
            o["action"] = .string(action)
            if let role = r.role { o["role"] = .string(role) }
            if let by = r.by { o["by"] = .string(by) }
            o["from"] = .string(r.from ?? "start")
            o["anchor_at"] = .number(r.anchorAt)
            o["within"] = .number(r.within)
            o["elapsed"] = .number(r.elapsed)
            if let late = r.lateBy { o["late_by"] = .number(late) }
            if let earlyAt = r.earlyAt {
                // Taken only before the anchor: kept so the scorecard can say why it did not count.
                o["early_at"] = .number(earlyAt)
                if let earlyBy = r.earlyBy { o["early_by"] = .string(earlyBy) }
            }
        }
        if let metric = r.metric {
            o["metric"] = .string(metric)
            o["value"] = .number(r.value)
            o["threshold"] = .number(r.threshold)
        }
        return .object(o)
    }

    /// One log entry as JSON (the inverse of ``DrillRecord/parse(_:)``).
    public static func json(_ e: DrillLogEntry) -> JSONValue {
        var o = JSONObject()
        o["at"] = .number(e.at)
        o["kind"] = .string(e.kind.rawValue)
        if let by = e.by { o["by"] = .string(by) }
        if let role = e.role { o["role"] = .string(role) }
        if let action = e.action { o["do"] = .string(action) }
        switch e.kind {
        case .inject:
            o["show"] = .string(e.text ?? "")
            if let to = e.to { o["to"] = .array(to.map { .string($0) }) }
        case .done:
            if let result = e.result { o["result"] = .string(result) }
            if let text = e.text { o["reveals"] = .string(text) }
        case .model:
            o["event"] = .string(e.command ?? "")
            if let text = e.text { o["detail"] = .string(text) }
        case .advance:
            o["command"] = .string(e.command ?? "advance")
            o["until"] = .number(e.until)
        case .action, .started:
            if e.queued { o["queued"] = .bool(true) }
            if let until = e.until { o["until"] = .number(until) }
        case .undo, .end, .handover:
            break
        }
        return .object(o)
    }
}

/// The keys of a postmortem record, object by object (spec: postmortem.md, plus the additions
/// documented in docs/postmortems.md). The decoder checks keys against these tables, so an unknown
/// key is an error with a "did you mean" hint, never silently ignored.
public enum RecordFormat {
    /// One key of an object.
    public struct Field: Sendable, Hashable {
        /// The key.
        public var name: String
        /// Whether it must be present.
        public var required: Bool
        /// What it means.
        public var summary: String
        /// Whether it is an addition to the spec (documented in docs/postmortems.md).
        public var addition: Bool

        init(_ name: String, required: Bool = false, addition: Bool = false, _ summary: String) {
            self.name = name
            self.required = required
            self.summary = summary
            self.addition = addition
        }
    }

    /// The objects of a record.
    public enum Object: String, Sendable, CaseIterable {
        case root, times, impact, participant, timelineEntry, analysis, fiveWhys, barrier, finding
        case action, ticket, noAction, related, history, guidance, runbookChange
        case evidence, evidenceScenario, score, teamMember
    }

    /// The fields of an object, in the order the spec lists them.
    public static func fields(_ object: Object) -> [Field] {
        switch object {
        case .root:
            return [
                Field("postmortem", required: true, "stable id (PM-2025-014); also the file name"),
                Field("kind", required: true, "incident, drill or near-miss"),
                Field("status", required: true, "draft, in-review, published or closed"),
                Field("revision", "goes up with each reviewed change"),
                Field("title", required: true, "one line: what happened"),
                Field("owner", required: true, "the accountable author"),
                Field("severity", "SEV1, SEV2, ... (required for incidents)"),
                Field("category", "the taxonomy used for metrics and recurrence"),
                Field("tags", addition: true, "free tags"),
                Field("services", "services involved"),
                Field("fingerprint", "normalized key for repeats (config-push/checkout/wrong-endpoint)"),
                Field("scenario", "optional: the scenario file that models it"),
                Field("times", required: true, "ISO-8601 with zone: started, detected, acknowledged, mitigated, resolved"),
                Field("impact", "summary, failed_requests, slo_budget_consumed"),
                Field("participants", "list of {name, role}"),
                Field("timeline", "list of {at, kind, text}"),
                Field("analysis", "five_whys and barriers"),
                Field("findings", "list of {id, kind, text}"),
                Field("actions", "list of action items"),
                Field("no_action", "findings deliberately left without an action: {finding, why}"),
                Field("related", "links to other records: {postmortem, relation}"),
                Field("history", "reviewed changes: {revision, date, by, change}"),
                Field("guidance", addition: true, "front-line guidance: look_for, do, runbooks"),
                Field("evidence", "appended by gameday"),
            ]
        case .times:
            return RecordMilestone.allCases.map { Field($0.rawValue, required: $0 == .started, "ISO-8601 date-time with zone") }
        case .impact:
            return [
                Field("summary", "the impact in words"),
                Field("failed_requests", "requests that failed"),
                Field("slo_budget_consumed", "share of the error budget; may exceed 100%"),
            ]
        case .participant, .teamMember:
            return [Field("name", required: true, "who"), Field("role", "their role")]
        case .timelineEntry:
            return [
                Field("id", addition: true, "optional id other entries name in caused_by"),
                Field("at", required: true, "ISO-8601 date-time with zone"),
                Field("kind", required: true, TimelineKind.allCases.map(\.rawValue).joined(separator: ", ")),
                Field("text", required: true, "what happened"),
                Field("caused_by", addition: true, "timeline ids of its causes (default: the previous entry)"),
            ]
        case .analysis:
            return [Field("five_whys", "five-whys chains"), Field("barriers", "barrier analysis")]
        case .fiveWhys:
            return [Field("finding", required: true, "the finding the chain ends at"), Field("whys", required: true, "the answers, symptom first")]
        case .barrier:
            return [
                Field("barrier", required: true, "the barrier's id (a barrier of the linked scenario when there is one)"),
                Field("expected", "prevent, detect or mitigate"),
                Field("state", BarrierState.allCases.map(\.rawValue).joined(separator: ", ")),
                Field("finding", "the finding about it"),
                Field("note", addition: true, "a remark"),
            ]
        case .finding:
            return [Field("id", required: true, "F1, F2, ..."), Field("kind", "architecture, process, ..."), Field("text", required: true, "what was found")]
        case .action:
            return [
                Field("id", required: true, "A1, A2, ..."),
                Field("title", required: true, "what will be done"),
                Field("finding", "the finding it addresses (required)"),
                Field("kind", "prevent, detect, mitigate, process or learn"),
                Field("owner", "who does it (required)"),
                Field("due", "due date, YYYY-MM-DD (required)"),
                Field("status", "open, in-progress, done or wont-do (default open)"),
                Field("metric", "how success is measured (required): prose, or {QUANTITY_below: VALUE}"),
                Field("verify", addition: true, "machine-checkable form of a prose metric: {incident_probability_below: 10%}"),
                Field("control", "the scenario control that models this action"),
                Field("ticket", "{system, key, url}"),
                Field("opened", addition: true, "date opened (default: the record's resolved or started date)"),
                Field("closed", addition: true, "date done or dropped (feeds time to close)"),
                Field("note", addition: true, "a remark"),
            ]
        case .ticket:
            return [Field("system", "jira, github, ..."), Field("key", "the ticket's key"), Field("url", addition: true, "a link")]
        case .noAction:
            return [Field("finding", required: true, "the finding"), Field("why", required: true, "why no action")]
        case .related:
            return [Field("postmortem", required: true, "the other record's id"), Field("relation", required: true, Relation.allCases.map(\.rawValue).joined(separator: ", "))]
        case .history:
            return [Field("revision", "the revision"), Field("date", "YYYY-MM-DD"), Field("by", "who"), Field("change", "what changed")]
        case .guidance:
            return [Field("look_for", "signals to look for"), Field("do", "steps to take"), Field("runbooks", "runbooks that changed: {runbook, change, url}")]
        case .runbookChange:
            return [Field("runbook", required: true, "name or path"), Field("change", "what changed"), Field("url", "a link")]
        case .evidence:
            return [
                Field("id", required: true, "E1, E2, ..."),
                Field("kind", required: true, EvidenceEntry.Kind.allCases.map(\.rawValue).joined(separator: ", ")),
                Field("at", "when it was produced (ISO-8601)"),
                Field("engine", "gameday VERSION"),
                Field("scenario", "{path, sha256}"),
                Field("seed", "the seed"),
                Field("trials", "the number of trials"),
                Field("control", "the control applied"),
                Field("controls", addition: true, "the controls applied, when not exactly one"),
                Field("action", "the action it is about"),
                Field("check", addition: true, "the check's name"),
                Field("drill", "the drill run's id"),
                Field("score", "{points, max}"),
                Field("team", "list of {name, role}"),
                Field("missed", "rubric objectives missed"),
                Field("command", addition: true, "the command line that reproduces it"),
                Field("note", addition: true, "a remark"),
                Field("result", "the numbers"),
            ]
        case .evidenceScenario:
            return [Field("path", required: true, "the scenario's path"), Field("sha256", required: true, "SHA-256 of the file")]
        case .score:
            return [Field("points", required: true, "points earned"), Field("max", required: true, "points possible")]
        }
    }

    /// The keys of an object.
    public static func keys(_ object: Object) -> [String] { fields(object).map(\.name) }
}

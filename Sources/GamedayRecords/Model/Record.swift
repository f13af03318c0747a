import GamedayModel

/// A postmortem record: one incident, drill or near miss, written by people and fed with
/// evidence by gameday (spec: postmortem.md).
///
/// Values keep where they were written so that validation and reports can point at the file.
public struct Record: Hashable, Sendable {
    /// The stable id (`PM-2025-014`); also the file name.
    public var id: String
    /// Incident, drill or near miss: the knowledge base never mixes them.
    public var kind: RecordKind
    /// Where the record is in its review.
    public var status: RecordStatus
    /// Goes up with each reviewed change.
    public var revision: Int?
    /// A one-line title.
    public var title: String
    /// The accountable author.
    public var owner: String
    /// Severity as the organization names it (`SEV2`).
    public var severity: String?
    /// The taxonomy used for metrics and recurrence.
    public var category: String?
    /// Free tags (an addition to the spec).
    public var tags: [String]
    /// Services involved.
    public var services: [String]
    /// The normalized key that finds repeats.
    public var fingerprint: String?
    /// The linked scenario (its simulation model), as written.
    public var scenario: ScenarioLink?
    /// When things happened.
    public var times: RecordTimes
    /// What it cost.
    public var impact: Impact?
    /// Who took part.
    public var participants: [Participant]
    /// What happened, in order.
    public var timeline: [TimelineEntry]
    /// Five whys and barrier analysis.
    public var analysis: Analysis
    /// What was learned.
    public var findings: [Finding]
    /// What will be done.
    public var actions: [Action]
    /// Findings deliberately left without an action, and why.
    public var noAction: [NoAction]
    /// Links to other records.
    public var related: [RelatedRecord]
    /// Reviewed changes.
    public var history: [HistoryEntry]
    /// Front-line guidance: what to look for, what to do, which runbook changed (an addition).
    public var guidance: Guidance?
    /// Results fed back by gameday, in the order they were appended.
    public var evidence: [EvidenceEntry]
    /// The file the record was read from.
    public var path: String
    /// Where the record starts.
    public var location: SourceLocation

    /// The finding with this id.
    public func finding(_ id: String) -> Finding? { findings.first { $0.id == id } }
    /// The action with this id.
    public func action(_ id: String) -> Action? { actions.first { $0.id == id } }
    /// The actions that address a finding.
    public func actions(for findingID: String) -> [Action] { actions.filter { $0.finding?.id == findingID } }
    /// The `no_action` entry for a finding.
    public func noAction(for findingID: String) -> NoAction? { noAction.first { $0.finding.id == findingID } }
    /// The highest evidence number used so far (`E7` gives 7), 0 when there is none.
    public var highestEvidenceNumber: Int { evidence.compactMap { EvidenceEntry.number(of: $0.id ?? "") }.max() ?? 0 }
}

/// What a record describes.
public enum RecordKind: String, Hashable, Sendable, CaseIterable {
    case incident
    case drill
    case nearMiss = "near-miss"
}

/// Where a record is in its review.
public enum RecordStatus: String, Hashable, Sendable, CaseIterable {
    case draft
    case inReview = "in-review"
    case published
    case closed
}

/// The linked scenario as written in the record.
public struct ScenarioLink: Hashable, Sendable {
    /// The path as written (relative paths are looked up from the record's folder upwards).
    public var path: String
    /// Where it was written.
    public var location: SourceLocation
}

/// An ISO-8601 date-time with a zone, as written and as seconds since the epoch.
public struct Timestamp: Hashable, Sendable, Comparable {
    /// As written.
    public var text: String
    /// Seconds since 1970-01-01T00:00:00Z.
    public var seconds: Double
    /// Where it was written.
    public var location: SourceLocation

    /// Creates a timestamp.
    public init(text: String, seconds: Double, location: SourceLocation) {
        self.text = text
        self.seconds = seconds
        self.location = location
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.seconds < rhs.seconds }
    public static func == (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.seconds == rhs.seconds && lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(seconds) }
}

/// A calendar date (`2025-08-15`, midnight UTC) or a date-time, as written and as seconds.
public struct CalendarDate: Hashable, Sendable, Comparable {
    /// As written.
    public var text: String
    /// Seconds since the epoch (midnight UTC for a bare date).
    public var seconds: Double
    /// Where it was written.
    public var location: SourceLocation

    /// Creates a date.
    public init(text: String, seconds: Double, location: SourceLocation) {
        self.text = text
        self.seconds = seconds
        self.location = location
    }

    /// The date part, `YYYY-MM-DD` (UTC).
    public var day: String { ISO8601.formatDate(seconds) }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool { lhs.seconds < rhs.seconds }
    public static func == (lhs: CalendarDate, rhs: CalendarDate) -> Bool { lhs.seconds == rhs.seconds && lhs.text == rhs.text }
    public func hash(into hasher: inout Hasher) { hasher.combine(seconds) }
}

/// The milestones of a record's `times`, in the order they must happen.
public enum RecordMilestone: String, Hashable, Sendable, CaseIterable, Comparable {
    case started
    case detected
    case acknowledged
    case mitigated
    case resolved

    public static func < (lhs: RecordMilestone, rhs: RecordMilestone) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// The knowledge-base metric measured from `started` to this milestone (`time_to_detect`).
    public var metricName: String? {
        switch self {
        case .started: return nil
        case .detected: return "time_to_detect"
        case .acknowledged: return "time_to_acknowledge"
        case .mitigated: return "time_to_mitigate"
        case .resolved: return "time_to_resolve"
        }
    }
}

/// When things happened (they feed time to detect, acknowledge, mitigate and resolve).
public struct RecordTimes: Hashable, Sendable {
    /// Each milestone that was written.
    public var values: [RecordMilestone: Timestamp]

    /// Creates times.
    public init(values: [RecordMilestone: Timestamp] = [:]) { self.values = values }

    /// A milestone's time.
    public subscript(milestone: RecordMilestone) -> Timestamp? { values[milestone] }

    /// When it started (required by validation).
    public var started: Timestamp? { values[.started] }

    /// Seconds from `started` to a milestone, when both are known.
    public func elapsed(to milestone: RecordMilestone) -> Double? {
        guard let start = values[.started], let end = values[milestone] else { return nil }
        return end.seconds - start.seconds
    }
}

/// What an incident cost.
public struct Impact: Hashable, Sendable {
    /// In words.
    public var summary: String?
    /// Requests that failed.
    public var failedRequests: Double?
    /// Share of the error budget (may exceed 1).
    public var sloBudgetConsumed: Double?
}

/// Someone who took part, and their role.
public struct Participant: Hashable, Sendable {
    /// Their name.
    public var name: String
    /// Their role (`incident-commander`).
    public var role: String?
}

/// The kinds of timeline entries.
public enum TimelineKind: String, Hashable, Sendable, CaseIterable {
    case trigger
    case impact
    case detection
    case escalation
    case acknowledgement
    case diagnosis
    case mitigation
    case recovery
    case resolution
    case communication
    case decision
    case note
}

/// One timeline entry.
public struct TimelineEntry: Hashable, Sendable {
    /// Optional id so other entries can name it as a cause (an addition).
    public var id: String?
    /// When.
    public var at: Timestamp
    /// What kind of event.
    public var kind: TimelineKind
    /// What happened.
    public var text: String
    /// Explicit causes, by timeline id (an addition); without it the previous entry is the cause.
    public var causedBy: [Reference]?
    /// Where it was written.
    public var location: SourceLocation
}

/// The analysis section.
public struct Analysis: Hashable, Sendable {
    /// Five-whys chains.
    public var fiveWhys: [FiveWhys]
    /// Barrier analysis.
    public var barriers: [BarrierAssessment]

    /// An empty analysis.
    public init(fiveWhys: [FiveWhys] = [], barriers: [BarrierAssessment] = []) {
        self.fiveWhys = fiveWhys
        self.barriers = barriers
    }
}

/// One five-whys chain, ending at a finding.
public struct FiveWhys: Hashable, Sendable {
    /// The finding it leads to.
    public var finding: Reference
    /// The answers, from the symptom to the root.
    public var whys: [String]
    /// Where it was written.
    public var location: SourceLocation
}

/// What a barrier was expected to do.
public enum BarrierRole: String, Hashable, Sendable, CaseIterable {
    case prevent, detect, mitigate
}

/// How a barrier did.
public enum BarrierState: String, Hashable, Sendable, CaseIterable {
    case held
    case failed
    case partial
    case missing
    case bypassed
    case notDemanded = "not_demanded"
}

/// One row of the barrier analysis.
public struct BarrierAssessment: Hashable, Sendable {
    /// The barrier's id (usually a barrier of the linked scenario).
    public var barrier: String
    /// What it was expected to do.
    public var expected: BarrierRole?
    /// How it did.
    public var state: BarrierState?
    /// The finding about it.
    public var finding: Reference?
    /// A remark.
    public var note: String?
    /// Where it was written.
    public var location: SourceLocation
}

/// One finding.
public struct Finding: Hashable, Sendable {
    /// Its id (`F1`).
    public var id: String
    /// Architecture, process, ... (free text).
    public var kind: String?
    /// What was found.
    public var text: String
    /// Where it was written.
    public var location: SourceLocation
}

/// The kinds of action.
public enum ActionKind: String, Hashable, Sendable, CaseIterable {
    case prevent, detect, mitigate, process, learn
}

/// An action's status as a person wrote it. `verified` is not a status: it is derived from
/// evidence (see ``ActionVerification``), so the tool never edits what a person wrote.
public enum ActionStatus: String, Hashable, Sendable, CaseIterable {
    case open
    case inProgress = "in-progress"
    case done
    case wontDo = "wont-do"

    /// Whether the action is still to be done (open or in progress).
    public var isOpen: Bool { self == .open || self == .inProgress }
}

/// A ticket in another tracker.
public struct Ticket: Hashable, Sendable {
    /// `jira`, `github`, ...
    public var system: String?
    /// The ticket's key (`CHK-812`).
    public var key: String?
    /// A link to it.
    public var url: String?
}

/// An action's metric: prose, or a machine-checkable expectation, or prose with a `verify:` form.
public struct ActionMetric: Hashable, Sendable {
    /// As a person reads it: the prose, or the expectation's key and value (`incident_probability_below: 10%`).
    public var text: String
    /// The machine-checkable form, when there is one.
    public var expectation: MetricExpectation?
}

/// One action item.
public struct Action: Hashable, Sendable {
    /// Its id (`A1`).
    public var id: String
    /// What will be done.
    public var title: String
    /// The finding it addresses.
    public var finding: Reference?
    /// Prevent, detect, mitigate, process or learn.
    public var kind: ActionKind?
    /// Who does it.
    public var owner: String?
    /// When it is due.
    public var due: CalendarDate?
    /// Its status as written (default open).
    public var status: ActionStatus
    /// How success is measured.
    public var metric: ActionMetric?
    /// The scenario control that models it.
    public var control: Reference?
    /// Its ticket.
    public var ticket: Ticket?
    /// When it was opened (an addition; default: the record's resolved, else started, date).
    public var opened: CalendarDate?
    /// When it was done or dropped (an addition; feeds time to close).
    public var closed: CalendarDate?
    /// Where it was written.
    public var location: SourceLocation
}

/// A finding deliberately left without an action.
public struct NoAction: Hashable, Sendable {
    /// The finding.
    public var finding: Reference
    /// Why no action.
    public var why: String
    /// Where it was written.
    public var location: SourceLocation
}

/// How two records are related.
public enum Relation: String, Hashable, Sendable, CaseIterable {
    case recurrenceOf = "recurrence-of"
    case relatedTo = "related-to"
    case causedBy = "caused-by"
    case followUpOf = "follow-up-of"
}

/// A link to another record.
public struct RelatedRecord: Hashable, Sendable {
    /// The other record's id.
    public var postmortem: String
    /// How they relate.
    public var relation: Relation
    /// Where it was written.
    public var location: SourceLocation
}

/// One reviewed change.
public struct HistoryEntry: Hashable, Sendable {
    /// The revision it made.
    public var revision: Int?
    /// When.
    public var date: CalendarDate?
    /// By whom.
    public var by: String?
    /// What changed.
    public var change: String?
}

/// Front-line guidance (an addition): what on-call staff should look for and do next time.
public struct Guidance: Hashable, Sendable {
    /// Signals to look for.
    public var lookFor: [String]
    /// Steps to take.
    public var steps: [String]
    /// Runbooks that changed.
    public var runbooks: [RunbookChange]
}

/// A runbook that changed after the incident.
public struct RunbookChange: Hashable, Sendable {
    /// The runbook's name or path.
    public var runbook: String
    /// What changed in it.
    public var change: String?
    /// A link to it.
    public var url: String?
}

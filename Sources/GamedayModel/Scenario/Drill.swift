/// The tabletop drill of a scenario (spec: drill.md).
public struct Drill: Hashable, Sendable {
    /// What participants read first.
    public var briefing: String
    /// The roles people play.
    public var roles: [String]
    /// The drill plays trial 0 of this seed unless overridden.
    public var seed: UInt64?
    /// What participants see, and when.
    public var injects: [Inject]
    /// The menu of actions.
    public var actions: [DrillAction]
    /// Objectives that are scored.
    public var rubric: [RubricItem]
    /// Points taken for harmful actions.
    public var penalties: [Penalty]
    /// Questions asked at the end.
    public var debrief: [String]
    /// Where it was written.
    public var location: SourceLocation

    /// The action with this id.
    public func action(_ id: String) -> DrillAction? { actions.first { $0.id == id } }
}

/// Something shown to participants during a drill.
public struct Inject: Hashable, Sendable {
    /// When it is shown.
    public var trigger: InjectTrigger
    /// The text; `{error_rate}` and similar placeholders are filled with live values.
    public var show: String
    /// The roles it is shown to; `nil` means everyone.
    public var to: [String]?
    /// Where it was written.
    public var location: SourceLocation
}

/// When an inject is shown.
public enum InjectTrigger: Hashable, Sendable {
    /// When an event with this address happens, such as `barriers.checkout-5xx-alert.paged`.
    case event(EventAddress)
    /// At this simulated time, in seconds.
    case at(Double)
    /// When a service condition first holds.
    case condition(ServiceCondition)
}

/// The address of a trajectory event: `SUBJECT.EVENT` (spec section 10).
public struct EventAddress: Hashable, Sendable, CustomStringConvertible {
    /// The kind of subject.
    public enum SubjectKind: String, Hashable, Sendable, CaseIterable {
        case injections
        case barriers
        case responders

        /// The event names this kind of subject can produce.
        public var events: [String] {
            switch self {
            case .injections: return ["occurred", "exposed", "prevented", "took-effect", "triggered", "mitigated", "healed", "recovered"]
            case .barriers: return ["fired", "paged", "held", "failed"]
            case .responders: return ["paged", "acknowledged", "escalated", "forwarded", "diagnosed", "misdiagnosed", "attempted"]
            }
        }
    }

    /// The subject's kind.
    public var kind: SubjectKind
    /// The subject's id.
    public var id: String
    /// The event name.
    public var event: String

    /// Creates an address.
    public init(kind: SubjectKind, id: String, event: String) {
        self.kind = kind
        self.id = id
        self.event = event
    }

    /// `injections.bad-config`, the subject as it appears in traces.
    public var subject: String { "\(kind.rawValue).\(id)" }
    /// `barriers.checkout-5xx-alert.paged`.
    public var description: String { "\(subject).\(event)" }
}

/// An action participants can take.
public struct DrillAction: Hashable, Sendable {
    /// Its id.
    public var id: String
    /// The menu label.
    public var label: String
    /// How long it occupies the participant (for `uses`, the mitigation's own `takes` applies).
    public var takes: TimeDistribution?
    /// Only this role may take it; `nil` means any.
    public var role: String?
    /// Text shown when it completes.
    public var reveals: String?
    /// The mitigation it runs.
    public var uses: Reference?
    /// Whether it is harmful.
    public var harmful: Bool
    /// The dormant injection it starts.
    public var adds: Reference?
    /// Where it was written.
    public var location: SourceLocation
}

/// A scored objective of a drill.
public struct RubricItem: Hashable, Sendable {
    /// Its id.
    public var id: String
    /// What is asked, in words.
    public var objective: String
    /// The action that meets it (for timed objectives).
    public var action: Reference?
    /// The deadline, measured from `from` to the action's start.
    public var within: Double?
    /// Where the deadline counts from.
    public var from: RubricAnchor
    /// A metric threshold (for outcome objectives).
    public var metric: Expectation?
    /// Points when met.
    public var points: Int
    /// Where it was written.
    public var location: SourceLocation
}

/// Where a rubric deadline counts from.
public enum RubricAnchor: Hashable, Sendable, CustomStringConvertible {
    /// The start of the drill.
    case start
    /// The first page.
    case firstPage
    /// The first detection.
    case detection
    /// The first use of an action.
    case action(Reference)

    public var description: String {
        switch self {
        case .start: return "start"
        case .firstPage: return "first_page"
        case .detection: return "detection"
        case .action(let ref): return ref.id
        }
    }
}

/// Points taken for a harmful action.
public struct Penalty: Hashable, Sendable {
    /// The action.
    public var action: Reference
    /// Points (negative).
    public var points: Int
    /// What a trainee should learn from it.
    public var feedback: String
    /// Where it was written.
    public var location: SourceLocation
}

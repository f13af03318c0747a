/// A loaded, validated scenario: the system, what goes wrong, the barriers, the people, and the
/// proposed controls (spec: scenario.md).
///
/// A scenario value is the baseline, or a variant when controls were applied (``controlsApplied``).
/// Element order is file order, which the engine uses to break ties.
public struct Scenario: Hashable, Sendable {
    /// `[a-z0-9-]+`, unique in a library.
    public var id: String
    /// A one-line title.
    public var title: String
    /// What happens, in plain words.
    public var description: String?
    /// Used for grouping and recurrence.
    public var category: String?
    /// Free tags.
    public var tags: [String]
    /// A trial ends here at the latest, in seconds (default 24h).
    public var horizon: Double
    /// What counts as an incident.
    public var incidentWhen: IncidentCriterion
    /// The services, in file order.
    public var services: [Service]
    /// What goes wrong.
    public var injections: [Injection]
    /// The existing controls.
    public var barriers: [Barrier]
    /// The modelled on-call.
    public var responders: [Responder]
    /// Human and environmental factors.
    public var modifiers: [Modifier]
    /// Proposed changes (counterfactuals).
    public var controls: [Control]
    /// The real incident, for replay.
    public var observed: Observed?
    /// The tabletop drill.
    public var drill: Drill?
    /// Assertions for `gameday check`.
    public var checks: [Check]
    /// The controls applied to make this value, in order; empty for the baseline.
    public var controlsApplied: [String]
    /// Where the scenario came from.
    public var source: ScenarioSource

    /// The service with this id.
    public func service(_ id: String) -> Service? { services.first { $0.id == id } }
    /// The injection with this id.
    public func injection(_ id: String) -> Injection? { injections.first { $0.id == id } }
    /// The barrier with this id.
    public func barrier(_ id: String) -> Barrier? { barriers.first { $0.id == id } }
    /// The responder with this id.
    public func responder(_ id: String) -> Responder? { responders.first { $0.id == id } }
    /// The modifier with this id.
    public func modifier(_ id: String) -> Modifier? { modifiers.first { $0.id == id } }
    /// The control with this id.
    public func control(_ id: String) -> Control? { controls.first { $0.id == id } }
}

/// Where a scenario was read from, for provenance in reports and evidence.
public struct ScenarioSource: Hashable, Sendable {
    /// The path as the user gave it.
    public var path: String
    /// SHA-256 of the file's bytes, lowercase hex.
    public var sha256: String
    /// The parsed document, kept so that controls can be applied to make variants.
    public var document: YAMLNode

    /// Creates a source.
    public init(path: String, sha256: String, document: YAMLNode) {
        self.path = path
        self.sha256 = sha256
        self.document = document
    }
}

/// A reference to another element by id, with where it was written.
///
/// Two references are equal when their ids are; the location is for messages only.
public struct Reference: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The id referred to.
    public var id: String
    /// Where the reference was written.
    public var location: SourceLocation

    /// Creates a reference.
    public init(_ id: String, at location: SourceLocation) {
        self.id = id
        self.location = location
    }

    /// A reference made in code, located nowhere in particular.
    public init(stringLiteral value: String) {
        self.init(value, at: SourceLocation(file: "<code>", line: 0, column: 0))
    }

    public static func == (lhs: Reference, rhs: Reference) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
    public var description: String { id }
}

/// What counts as an incident (spec section 2).
public enum IncidentCriterion: Hashable, Sendable {
    /// More than this many failed requests.
    case failedRequestsAbove(Double)
    /// More than this share of the SLO error budget consumed.
    case sloBudgetConsumedAbove(Double)

    /// The default: any failed request.
    public static let `default` = IncidentCriterion.failedRequestsAbove(0)
}

/// A service and its place in the dependency graph (spec section 3).
public struct Service: Hashable, Sendable {
    /// Its id.
    public var id: String
    /// User requests per second entering here; `nil` for internal services.
    public var traffic: Double?
    /// Availability objective, a fraction such as 0.999.
    public var slo: Double?
    /// The window the SLO is measured over, in seconds (default 30 days).
    public var sloWindow: Double
    /// Dependencies, in file order.
    public var dependsOn: [Dependency]
    /// A description, for reports.
    public var description: String?
    /// Where it was written.
    public var location: SourceLocation
}

/// One dependency edge: this service's errors propagate to the dependent with `weight`.
public struct Dependency: Hashable, Sendable {
    /// The service depended upon.
    public var service: Reference
    /// 1 for a hard dependency, less for a soft one.
    public var weight: Double
}

/// Equal steps of an error-rate change (ramps and recoveries).
public struct Steps: Hashable, Sendable {
    /// Time from the first step to the last, in seconds.
    public var over: Double
    /// Number of steps (at least 1).
    public var steps: Int
}

/// How long an injection lasts once it takes effect.
public enum Lasts: Hashable, Sendable {
    /// Until a mitigation removes it (the default).
    case untilMitigated
    /// While its trigger condition holds.
    case whileTriggered
    /// Self-heals after this long, counted from occurrence.
    case duration(TimeDistribution)
}

/// A condition on a service's error rate held for some time.
public struct ServiceCondition: Hashable, Sendable {
    /// The service whose propagated error rate is read.
    public var service: Reference
    /// The condition holds while the error rate is strictly above this.
    public var errorRateAbove: Double
    /// How long it must hold before it counts, in seconds.
    public var holdFor: Double

    /// Creates a condition.
    public init(service: Reference, errorRateAbove: Double, holdFor: Double) {
        self.service = service
        self.errorRateAbove = errorRateAbove
        self.holdFor = holdFor
    }
}

/// A cascade: an injection that starts when a condition first holds (spec section 4).
public struct Trigger: Hashable, Sendable {
    /// The condition.
    public var when: ServiceCondition
    /// Chance it starts, drawn once when the condition first holds.
    public var probability: ProbabilityValue
}

/// Something that goes wrong (spec section 4).
public struct Injection: Hashable, Sendable {
    /// Its id.
    public var id: String
    /// The service it affects.
    public var target: Reference
    /// When it occurs (ignored for triggered and dormant injections).
    public var at: TimeDistribution
    /// Chance it happens in a trial.
    public var probability: ProbabilityValue
    /// Its error rate at full effect (`down: true` is 1).
    public var errorRate: Double
    /// Optional ramp to full effect.
    public var ramp: Steps?
    /// How long it lasts.
    public var lasts: Lasts
    /// Optional step-down after removal or healing.
    public var recovers: Steps?
    /// The cascade condition, when it is triggered rather than scheduled.
    public var triggeredBy: Trigger?
    /// Occurs only when a drill action adds it.
    public var dormant: Bool
    /// A description, for reports.
    public var description: String?
    /// Where it was written.
    public var location: SourceLocation

    /// Whether it is scheduled by `at` (neither triggered nor dormant).
    public var isScheduled: Bool { triggeredBy == nil && !dormant }
}

/// A common-cause group: barriers that also fail together (spec section 5).
public struct CommonCause: Hashable, Sendable {
    /// The group's name.
    public var group: String
    /// Chance the whole group fails together, drawn once per trial.
    public var beta: Double
}

/// An existing control in bow-tie vocabulary (spec section 5).
public struct Barrier: Hashable, Sendable {
    /// Its id.
    public var id: String
    /// What it does.
    public var kind: Kind
    /// Chance it works at all (detect: once per trial; prevent: folded into each decision;
    /// mitigate: chance one attempt works).
    public var reliability: ProbabilityValue
    /// Its common-cause group, if any.
    public var commonCause: CommonCause?
    /// A description, for reports.
    public var description: String?
    /// Where it was written.
    public var location: SourceLocation

    /// The three kinds of barrier.
    public enum Kind: Hashable, Sendable {
        case prevent(Prevent)
        case detect(Detect)
        case mitigate(Mitigate)
    }

    /// `prevent`, `detect` or `mitigate`.
    public var typeName: String {
        switch kind {
        case .prevent: return "prevent"
        case .detect: return "detect"
        case .mitigate: return "mitigate"
        }
    }

    /// The preventive part, when it is one.
    public var prevent: Prevent? { if case .prevent(let p) = kind { return p }; return nil }
    /// The detective part, when it is one.
    public var detect: Detect? { if case .detect(let d) = kind { return d }; return nil }
    /// The mitigating part, when it is one.
    public var mitigate: Mitigate? { if case .mitigate(let m) = kind { return m }; return nil }
}

/// A preventive barrier: acts when an injection it is against occurs.
public struct Prevent: Hashable, Sendable {
    /// The injections it stands against.
    public var against: [Reference]
    /// Chance it stops the injection outright.
    public var effectiveness: ProbabilityValue
    /// The share of the effect let through while it decides.
    public var exposure: Double
    /// How long it decides.
    public var takes: TimeDistribution
}

/// A detective barrier: fires on a condition and pages a responder.
public struct Detect: Hashable, Sendable {
    /// The service it watches.
    public var watches: Reference
    /// When it fires.
    public var condition: DetectCondition
    /// Checked only at times phase + k × every, when set.
    public var every: Double?
    /// With `every`: each check with the condition true notices with this chance.
    public var chancePerCheck: ProbabilityValue
    /// From firing to the page arriving.
    public var delay: TimeDistribution
    /// Who is paged; `nil` for a signal nobody is paged for (a dashboard).
    public var notifies: Reference?
}

/// The conditions a detect barrier can fire on.
public enum DetectCondition: Hashable, Sendable {
    /// Error rate strictly above a level for a time.
    case errorRate(above: Double, holdFor: Double)
    /// Average error over a sliding window divided by (1 - slo) strictly above a threshold.
    case burnRate(above: Double, window: Double)
}

/// A mitigating barrier: removes injections or caps a dependency.
public struct Mitigate: Hashable, Sendable {
    /// Injections a success removes.
    public var removes: [Reference]
    /// A dependency cap a success applies.
    public var caps: DependencyCap?
    /// How long one attempt takes.
    public var takes: TimeDistribution
    /// Run by the engine when `when` holds, not by a responder.
    public var automatic: Bool
    /// The condition that starts an automatic attempt.
    public var when: ServiceCondition?
}

/// A cap on one dependency edge's weight.
public struct DependencyCap: Hashable, Sendable {
    /// The dependent service.
    public var service: Reference
    /// The service it depends on.
    public var dependency: Reference
    /// The edge's weight is at most this for the rest of the trial.
    public var weight: Double
}

/// A modelled on-call responder (spec section 6).
public struct Responder: Hashable, Sendable {
    /// Its id.
    public var id: String
    /// From the first page to the acknowledgement.
    public var acknowledge: TimeDistribution
    /// Without acknowledgement by then, `escalatesTo` is paged too.
    public var escalateAfter: Double?
    /// Who is paged on escalation.
    public var escalatesTo: Reference?
    /// One diagnosis attempt's time (`nil` for a forwarder).
    public var diagnose: TimeDistribution?
    /// Chance one diagnosis names the right cause.
    public var accuracy: ProbabilityValue
    /// Mitigations this responder may run, in order; `nil` means every non-automatic mitigation.
    public var uses: [Reference]?
    /// Relays pages to this responder instead of diagnosing.
    public var forwardsTo: Reference?
    /// From acknowledging to relaying the page.
    public var forwardDelay: TimeDistribution
    /// A description, for reports.
    public var description: String?
    /// Where it was written.
    public var location: SourceLocation
}

/// The time fields a modifier can multiply.
public enum ModifiedField: String, Hashable, Sendable, CaseIterable, Comparable {
    case acknowledge
    case diagnose
    case forwardDelay = "forward_delay"
    case takes
    case delay

    /// Whether the field belongs to responders (else to barriers).
    public var isResponderField: Bool { self == .acknowledge || self == .diagnose || self == .forwardDelay }

    public static func < (lhs: ModifiedField, rhs: ModifiedField) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A human or environmental factor that multiplies times (spec section 6).
public struct Modifier: Hashable, Sendable {
    /// Its id.
    public var id: String
    /// Chance it is active in a trial; `nil` means always.
    public var probability: ProbabilityValue?
    /// Factors per field, in file order.
    public var multiply: [(field: ModifiedField, factor: Double)]
    /// Responders (for responder fields) or barriers (for barrier fields) it applies to; `nil` means all.
    public var appliesTo: [Reference]?
    /// A description, for reports.
    public var description: String?
    /// Where it was written.
    public var location: SourceLocation

    public static func == (lhs: Modifier, rhs: Modifier) -> Bool {
        lhs.id == rhs.id && lhs.probability == rhs.probability && lhs.appliesTo == rhs.appliesTo
            && lhs.multiply.map(\.field) == rhs.multiply.map(\.field) && lhs.multiply.map(\.factor) == rhs.multiply.map(\.factor)
            && lhs.description == rhs.description
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        for (field, factor) in multiply { hasher.combine(field); hasher.combine(factor) }
    }

    /// The product of the factors for one field (1 when the field is not multiplied).
    public func factor(for field: ModifiedField) -> Double {
        multiply.filter { $0.field == field }.reduce(1) { $0 * $1.factor }
    }

    /// Whether it applies to the element with this id.
    public func applies(to id: String) -> Bool {
        appliesTo.map { $0.contains { $0.id == id } } ?? true
    }
}

/// The declarative description of the scenario file format.
///
/// The loader checks keys against these tables and the JSON Schema (``ScenarioSchema``) is
/// generated from them, so an editor's completion and the loader's errors cannot drift apart.
public enum ScenarioFormat {
    /// The kind of value a field holds.
    public indirect enum ValueType: Sendable {
        case string
        case text
        case id
        case idList
        case duration
        case signedDuration
        case timeDistribution
        case probability
        case probabilityValue
        case share
        case traffic
        case number
        case positiveNumber
        case integer
        case bool
        case dateTime
        case object(Object)
        case list(ValueType)
        case oneOf([ValueType])
        case constant(String)
        case enumeration([String])
        /// A mapping whose keys follow a grammar (control `set`, observed `pins`, check `expect`).
        case freeMapping(keyPattern: String?, value: ValueType?)
        /// Anything (a `set` value is checked when the variant is decoded).
        case any
    }

    /// One key of an object.
    public struct Field: Sendable {
        /// The key.
        public var name: String
        /// Its value type.
        public var type: ValueType
        /// Whether it must be present.
        public var required: Bool
        /// What it means (shown by editors).
        public var summary: String

        init(_ name: String, _ type: ValueType, required: Bool = false, _ summary: String) {
            self.name = name
            self.type = type
            self.required = required
            self.summary = summary
        }
    }

    /// The objects of the format.
    public enum Object: String, Sendable, CaseIterable {
        case root, header, incidentWhen, service, dependency, injection, effect, steps, trigger, serviceCondition
        case preventBarrier, detectBarrier, mitigateBarrier, detectWhen, cap, commonCause
        case responder, modifier, multiply, control, controlAdd, observed, timeline
        case drill, inject, injectCondition, drillAction, rubricItem, penalty, check
        case distributionExponential, distributionLognormal
    }

    /// The fields of an object, in the order a person writes them.
    public static func fields(_ object: Object) -> [Field] {
        switch object {
        case .root:
            return [
                Field("scenario", .object(.header), required: true, "What the scenario is: id, title, description, horizon."),
                Field("services", .list(.object(.service)), required: true, "The system: services and their dependencies."),
                Field("injections", .list(.object(.injection)), required: true, "What goes wrong."),
                Field("barriers", .list(.oneOf([.object(.preventBarrier), .object(.detectBarrier), .object(.mitigateBarrier)])), "Existing controls: prevent, detect and mitigate barriers."),
                Field("responders", .list(.object(.responder)), "The modelled on-call people."),
                Field("modifiers", .list(.object(.modifier)), "Human and environmental factors that multiply times."),
                Field("controls", .list(.object(.control)), "Proposed changes, as patches on the scenario."),
                Field("observed", .object(.observed), "The real incident, for replay."),
                Field("drill", .object(.drill), "The tabletop drill."),
                Field("checks", .list(.object(.check)), "Assertions run by `gameday check`."),
            ]
        case .header:
            return [
                Field("id", .id, required: true, "Unique id, [a-z0-9-]+."),
                Field("title", .string, required: true, "One-line title."),
                Field("description", .text, "What happens, in plain words (cite sources here)."),
                Field("category", .string, "Used for grouping and recurrence."),
                Field("tags", .list(.string), "Free tags."),
                Field("horizon", .duration, "A trial ends here at the latest (default 24h)."),
                Field("incident_when", .object(.incidentWhen), "What counts as an incident (default: any failed request)."),
            ]
        case .incidentWhen:
            return [
                Field("failed_requests_above", .number, "An incident has more failed requests than this."),
                Field("slo_budget_consumed_above", .share, "An incident consumes more than this share of the SLO error budget."),
            ]
        case .service:
            return [
                Field("id", .id, required: true, "Unique service id."),
                Field("traffic", .traffic, "User requests entering here (1200/min, 20/s); omit for internal services."),
                Field("slo", .probability, "Availability objective over slo_window, e.g. 99.9%."),
                Field("slo_window", .duration, "The SLO's window (default 30d)."),
                Field("depends_on", .list(.oneOf([.id, .object(.dependency)])), "Dependencies: an id (hard, weight 1) or {service, weight} (soft)."),
                Field("description", .text, "What the service is."),
            ]
        case .dependency:
            return [
                Field("service", .id, required: true, "The service depended upon."),
                Field("weight", .probability, "How much of its error rate propagates (default 100%)."),
            ]
        case .injection:
            return [
                Field("id", .id, required: true, "Unique injection id."),
                Field("target", .id, required: true, "The service it affects."),
                Field("at", .timeDistribution, "When it occurs (default 0m); not with triggered_by or dormant."),
                Field("probability", .probabilityValue, "Chance it happens in a trial (default 100%)."),
                Field("effect", .object(.effect), required: true, "{error_rate: 40%} or {down: true}."),
                Field("ramp", .object(.steps), "Reaches full effect in equal steps."),
                Field("lasts", .oneOf([.enumeration(["until_mitigated", "while_triggered"]), .timeDistribution]), "until_mitigated (default), while_triggered, or a duration (self-heals)."),
                Field("recovers", .object(.steps), "After removal, the effect steps down."),
                Field("triggered_by", .object(.trigger), "A cascade: starts when a condition holds."),
                Field("dormant", .bool, "Occurs only when a drill action adds it."),
                Field("description", .text, "What goes wrong."),
            ]
        case .effect:
            return [
                Field("error_rate", .probability, "Fraction of requests that fail."),
                Field("down", .bool, "true: the service is down (error rate 100%)."),
            ]
        case .steps:
            return [
                Field("over", .duration, required: true, "From the first step to the last."),
                Field("steps", .integer, required: true, "Number of equal steps (1 = all at once)."),
            ]
        case .trigger:
            return [
                Field("when", .object(.serviceCondition), required: true, "The condition on a service's error rate."),
                Field("probability", .probabilityValue, "Chance it starts, drawn once when the condition first holds (default 100%)."),
            ]
        case .serviceCondition:
            return [
                Field("service", .id, required: true, "The service whose error rate is read (after propagation)."),
                Field("error_rate_above", .probability, required: true, "Holds while the error rate is strictly above this."),
                Field("for", .duration, "How long it must hold (default 0m)."),
            ]
        case .preventBarrier:
            return barrierCommon(type: "prevent") + [
                Field("against", .idList, required: true, "The injections it stands against."),
                Field("effectiveness", .probabilityValue, "Chance it stops the injection outright (default 100%)."),
                Field("exposure", .probability, "Share of the effect let through while it decides (default 0)."),
                Field("takes", .timeDistribution, "How long it decides (default 0m)."),
            ]
        case .detectBarrier:
            return barrierCommon(type: "detect") + [
                Field("watches", .id, required: true, "The service it watches."),
                Field("when", .object(.detectWhen), required: true, "{error_rate_above, for} or {burn_rate_above, window}."),
                Field("every", .duration, "Checked only every this long (a probe)."),
                Field("chance_per_check", .probabilityValue, "With every: each check notices with this chance (default 100%)."),
                Field("delay", .timeDistribution, "From firing to the page arriving (default 0m)."),
                Field("notifies", .id, "The responder paged."),
            ]
        case .mitigateBarrier:
            return barrierCommon(type: "mitigate") + [
                Field("removes", .idList, "Injections a successful attempt removes."),
                Field("caps", .object(.cap), "A dependency edge a successful attempt caps."),
                Field("takes", .timeDistribution, "How long one attempt takes (default 0m)."),
                Field("automatic", .bool, "Run by the engine when `when` holds (default false)."),
                Field("when", .object(.serviceCondition), "For automatic mitigations: when an attempt starts."),
            ]
        case .detectWhen:
            return [
                Field("error_rate_above", .probability, "Fires when the error rate is strictly above this..."),
                Field("for", .duration, "...for this long (default 0m)."),
                Field("burn_rate_above", .positiveNumber, "Fires when the window's average error / (1 - slo) exceeds this."),
                Field("window", .duration, "The burn rate's sliding window."),
            ]
        case .cap:
            return [
                Field("service", .id, required: true, "The dependent service."),
                Field("dependency", .id, required: true, "The service it depends on."),
                Field("weight", .probability, required: true, "The edge's weight is at most this afterwards."),
            ]
        case .commonCause:
            return [
                Field("group", .string, required: true, "The group's name."),
                Field("beta", .probability, required: true, "Chance the whole group fails together, once per trial."),
            ]
        case .responder:
            return [
                Field("id", .id, required: true, "Unique responder id."),
                Field("acknowledge", .timeDistribution, required: true, "From the first page to acknowledging."),
                Field("escalate_after", .duration, "No acknowledgement by then: escalates_to is paged too."),
                Field("escalates_to", .id, "The responder paged on escalation."),
                Field("diagnose", .timeDistribution, "One diagnosis attempt's time (required unless forwards_to)."),
                Field("accuracy", .probabilityValue, "Chance one diagnosis names the right cause (default 100%)."),
                Field("uses", .idList, "Mitigations this responder may run, in order (default: all manual ones)."),
                Field("forwards_to", .id, "Relays pages to this responder instead of diagnosing."),
                Field("forward_delay", .timeDistribution, "From acknowledging to relaying the page (default 0m)."),
                Field("description", .text, "Who this is."),
            ]
        case .modifier:
            return [
                Field("id", .id, required: true, "Unique modifier id."),
                Field("probability", .probabilityValue, "Chance it is active in a trial (default: always)."),
                Field("multiply", .object(.multiply), required: true, "Factors for times: acknowledge, diagnose, forward_delay, takes, delay."),
                Field("applies_to", .idList, "Responders or barriers it applies to (default: all)."),
                Field("description", .text, "What the factor is."),
            ]
        case .multiply:
            return ModifiedField.allCases.map { Field($0.rawValue, .positiveNumber, "Factor for \($0.rawValue) times.") }
        case .control:
            return [
                Field("id", .id, required: true, "Unique control id."),
                Field("action_item", .string, "Link to a postmortem action, e.g. PM-2025-014#A2."),
                Field("description", .text, "The proposed change."),
                Field("add", .object(.controlAdd), "Elements appended to sections."),
                Field("set", .freeMapping(keyPattern: #"^[a-z_]+(\.[a-z0-9_-]+)+$"#, value: .any), "Values replaced at dotted paths, e.g. barriers.ID.when."),
                Field("remove", .list(.string), "Elements or fields deleted, e.g. modifiers.no-runbook."),
            ]
        case .controlAdd:
            return [
                Field("services", .list(.object(.service)), "Services to add."),
                Field("injections", .list(.object(.injection)), "Injections to add."),
                Field("barriers", .list(.oneOf([.object(.preventBarrier), .object(.detectBarrier), .object(.mitigateBarrier)])), "Barriers to add."),
                Field("responders", .list(.object(.responder)), "Responders to add."),
                Field("modifiers", .list(.object(.modifier)), "Modifiers to add."),
            ]
        case .observed:
            return [
                Field("postmortem", .string, "The postmortem's id."),
                Field("started", .dateTime, "Wall-clock time of t = 0 (ISO-8601 with zone)."),
                Field("pins", .freeMapping(keyPattern: #"^[a-z_]+\.[a-z0-9_.-]+(#[0-9]+)?$"#, value: .oneOf([.bool, .duration, .probability])), "Draw addresses fixed to what happened."),
                Field("timeline", .object(.timeline), "Milestones from the postmortem, as durations from t = 0."),
            ]
        case .timeline:
            return Milestone.allCases.map { Field($0.rawValue, .duration, "When the incident was \($0.rawValue).") }
        case .drill:
            return [
                Field("briefing", .text, required: true, "What participants read first."),
                Field("roles", .list(.id), "The roles people play."),
                Field("seed", .integer, "The drill plays trial 0 of this seed."),
                Field("injects", .list(.object(.inject)), "What participants see, and when."),
                Field("actions", .list(.object(.drillAction)), required: true, "The menu of actions."),
                Field("rubric", .list(.object(.rubricItem)), "Scored objectives."),
                Field("penalties", .list(.object(.penalty)), "Points taken for harmful actions."),
                Field("debrief", .list(.text), "Questions asked at the end."),
            ]
        case .inject:
            return [
                Field("when", .oneOf([.string, .object(.injectCondition)]), "An event address (barriers.ID.paged) or {service, error_rate_above}."),
                Field("at", .duration, "A simulated time."),
                Field("show", .text, required: true, "The text shown; {error_rate} is filled in."),
                Field("to", .list(.id), "Roles it is shown to (default: everyone)."),
            ]
        case .injectCondition:
            return fields(.serviceCondition)
        case .drillAction:
            return [
                Field("id", .id, required: true, "Unique action id."),
                Field("label", .string, required: true, "The menu label."),
                Field("takes", .timeDistribution, "How long it occupies the participant (default 0m)."),
                Field("role", .id, "Only this role may take it."),
                Field("reveals", .text, "Text shown when it completes."),
                Field("uses", .id, "The mitigate barrier it runs."),
                Field("harmful", .bool, "Whether it is harmful."),
                Field("adds", .id, "The dormant injection it starts."),
            ]
        case .rubricItem:
            return [
                Field("id", .id, required: true, "Unique objective id."),
                Field("objective", .string, required: true, "What is asked."),
                Field("action", .id, "The action that meets it."),
                Field("within", .duration, "Deadline from `from` to the action's start."),
                Field("from", .string, "start, first_page, detection, or an action id (default start)."),
                Field("metric", .freeMapping(keyPattern: nil, value: nil), "An outcome threshold, e.g. {slo_budget_consumed_below: 5%}."),
                Field("points", .integer, required: true, "Points when met."),
            ]
        case .penalty:
            return [
                Field("action", .id, required: true, "The harmful action."),
                Field("points", .integer, required: true, "Points (negative)."),
                Field("feedback", .text, required: true, "What a trainee should learn."),
            ]
        case .distributionExponential:
            return [Field("mean", .duration, required: true, "The mean time.")]
        case .distributionLognormal:
            return [
                Field("median", .duration, required: true, "The median time."),
                Field("p90", .duration, required: true, "The 90th percentile (above the median)."),
            ]
        case .check:
            return [
                Field("name", .string, required: true, "What it asserts."),
                Field("with", .idList, "Controls applied (default: none, the baseline)."),
                Field("expect", .freeMapping(keyPattern: nil, value: nil), required: true, "e.g. {incident_probability_below: 25%}."),
            ]
        }
    }

    private static func barrierCommon(type: String) -> [Field] {
        [
            Field("id", .id, required: true, "Unique barrier id."),
            Field("type", .constant(type), required: true, "prevent, detect or mitigate."),
            Field("reliability", .probabilityValue, "Chance it works (default 100%)."),
            Field("common_cause", .object(.commonCause), "Barriers in a group also fail together."),
            Field("description", .text, "What the barrier is."),
        ]
    }

    /// The keys of an object.
    public static func keys(_ object: Object) -> [String] { keyTable[object] ?? [] }

    /// The required keys of an object.
    public static func requiredKeys(_ object: Object) -> [String] { requiredKeyTable[object] ?? [] }

    // The loader asks for keys at every mapping it reads; building the field tables each time
    // was a large share of the loading time.
    private static let keyTable: [Object: [String]] = Dictionary(uniqueKeysWithValues: Object.allCases.map { ($0, fields($0).map(\.name)) })
    private static let requiredKeyTable: [Object: [String]] = Dictionary(uniqueKeysWithValues: Object.allCases.map { ($0, fields($0).filter(\.required).map(\.name)) })
}

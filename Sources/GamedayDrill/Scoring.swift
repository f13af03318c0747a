import GamedayModel
import GamedaySimulation

/// How one rubric objective went.
public struct ObjectiveResult: Hashable, Sendable {
    /// The verdicts.
    public enum Status: String, Hashable, Sendable, CaseIterable {
        /// Done in time (or, for a metric, the threshold held): full points.
        case met
        /// Done, but after the deadline: no points.
        case late
        /// Not done before the drill ended (or the threshold did not hold): no points.
        case missed
        /// What the deadline counts from never happened (no page arrived, nothing was detected),
        /// and the action was not taken: the objective is left out of the maximum.
        case notApplicable = "not_applicable"
    }

    /// The rubric item's id.
    public var id: String
    /// The objective in words.
    public var objective: String
    /// The verdict.
    public var status: Status
    /// Points earned.
    public var points: Int
    /// Points the objective is worth.
    public var maxPoints: Int
    /// The scored action (timed objectives).
    public var action: String?
    /// The role the action is reserved for, if any (who the objective belongs to, for history).
    public var role: String?
    /// Who took the action (the use that counts: the first at or after the anchor).
    public var by: String?
    /// When the action started, in seconds from t = 0: its first start at or after the anchor
    /// (the use that counts).
    public var at: Double?
    /// Who took the action first before the anchor, when no use at or after it counted (the
    /// action answered nothing yet: `missed`, or `notApplicable` when the anchor never came).
    public var earlyBy: String?
    /// When they took it.
    public var earlyAt: Double?
    /// Where the deadline counts from (`start`, `first_page`, `detection`, an action id).
    public var from: String?
    /// When that happened.
    public var anchorAt: Double?
    /// The deadline.
    public var within: Double?
    /// From the anchor to the action's start.
    public var elapsed: Double?
    /// How late, for `late`.
    public var lateBy: Double?
    /// The metric threshold as written (`slo_budget_consumed_below`), for outcome objectives.
    public var metric: String?
    /// The metric's value on the drill's trial.
    public var value: Double?
    /// The threshold.
    public var threshold: Double?

    /// Creates a result.
    public init(id: String, objective: String, status: Status, points: Int, maxPoints: Int) {
        self.id = id
        self.objective = objective
        self.status = status
        self.points = points
        self.maxPoints = maxPoints
    }
}

/// A harmful action taken, with the points it cost.
public struct PenaltyResult: Hashable, Sendable {
    /// The action.
    public var action: String
    /// Who took it.
    public var by: String
    /// Their role.
    public var role: String
    /// When it started.
    public var at: Double
    /// Points (negative).
    public var points: Int
    /// What a trainee should learn from it.
    public var feedback: String
}

/// The rubric's verdicts, the penalties and the total.
public struct Scorecard: Hashable, Sendable {
    /// Each objective, in rubric order.
    public var objectives: [ObjectiveResult]
    /// Each harmful action taken that carries a penalty, in time order.
    public var penalties: [PenaltyResult]
    /// Harmful actions taken that have no penalty entry (feedback only).
    public var harmfulUnpenalized: [(action: String, by: String, at: Double)]

    /// Points earned for objectives plus penalties (may be negative).
    public var points: Int { objectives.reduce(0) { $0 + $1.points } + penalties.reduce(0) { $0 + $1.points } }
    /// The most points available: the objectives that applied.
    public var maximum: Int { objectives.filter { $0.status != .notApplicable }.reduce(0) { $0 + $1.maxPoints } }

    public static func == (a: Scorecard, b: Scorecard) -> Bool {
        a.objectives == b.objectives && a.penalties == b.penalties
            && a.harmfulUnpenalized.map { "\($0.action)|\($0.by)|\($0.at)" } == b.harmfulUnpenalized.map { "\($0.action)|\($0.by)|\($0.at)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(objectives)
        hasher.combine(penalties)
    }
}

/// One action a participant started (the facts scoring reads).
public struct StartedAction: Hashable, Sendable {
    /// The drill action's id.
    public var action: String
    /// The participant.
    public var by: Participant
    /// When it started.
    public var at: Double

    /// Creates a record.
    public init(action: String, by: Participant, at: Double) {
        self.action = action
        self.by = by
        self.at = at
    }
}

/// Scores a drill against its rubric (spec: drill.md, "Scoring").
///
/// - Timed objectives: `within` runs from `from` to the action's first start (not its
///   completion). `from` is `start` (t = 0), `first_page` (the first page that reached anyone),
///   `detection` (the trial's detection milestone: the first page delivered while there was
///   impact, or an automatic mitigation firing) or an action id (that action's first start). The
///   first start of the action at or after the anchor decides: at or before the deadline, met;
///   after it, late by the difference; none, missed. Uses before the anchor do not count: nobody
///   can acknowledge a page that has not arrived, so an action taken only before its anchor is
///   missed (and its feedback says it came too early). When the anchor never happened before the
///   drill ended, the objective does not apply and leaves the maximum (an early use is still
///   noted).
/// - Metric objectives compare the trial's final value (the trial runs on to the horizon after the
///   drill ends) with the threshold; a time milestone that never happened fails `below`/`at_most`;
///   one that cannot happen (no impact at all) does not apply.
/// - Every start of an action named by a penalty costs its points.
public enum DrillScoring {
    /// Scores the actions started in a drill on its final trajectory.
    ///
    /// - Parameters:
    ///   - drill: the scenario's drill.
    ///   - started: actions started before the drill ended, in start order.
    ///   - trace: the trial's trajectory.
    ///   - metrics: the trial's final metrics.
    ///   - endedAt: when the drill ended (anchors after it do not count).
    ///   - handedOver: whether the modelled responders took over at `endedAt` (`--model-from`): a
    ///     timed objective whose deadline had not passed by then does not apply.
    public static func score(drill: Drill, started: [StartedAction], trace: [TraceEvent], metrics: TrialMetrics, endedAt: Double,
                             handedOver: Bool = false) -> Scorecard {
        let firstPage = trace.first { $0.subject == .responder && $0.name == .paged }?.at
        func firstStart(_ id: String) -> StartedAction? { started.first { $0.action == id } }
        var objectives: [ObjectiveResult] = []
        for item in drill.rubric {
            var result = ObjectiveResult(id: item.id, objective: item.objective, status: .missed, points: 0, maxPoints: item.points)
            if let expectation = item.metric {
                guard case .metric(let metric, _) = expectation.quantity else { objectives.append(result); continue }
                result.metric = expectation.key
                result.threshold = expectation.threshold
                if let value = metrics.value(metric) {
                    result.value = value
                    if holds(value, expectation) { result.status = .met }
                } else if !metrics.isCensored(metric) {
                    result.status = .notApplicable
                }
            } else if let ref = item.action {
                result.action = ref.id
                result.role = drill.action(ref.id)?.role
                result.within = item.within
                result.from = item.from.description
                let anchor: Double?
                switch item.from {
                case .start: anchor = 0
                case .firstPage: anchor = firstPage
                case .detection: anchor = metrics.detectedAt
                case .action(let other): anchor = firstStart(other.id)?.at
                }
                let usableAnchor = anchor.flatMap { $0 <= endedAt ? $0 : nil }
                result.anchorAt = usableAnchor
                // Only a use at or after the anchor answers it; an earlier one is kept for feedback.
                let counted = usableAnchor.flatMap { anchorAt in started.first { $0.action == ref.id && $0.at >= anchorAt } }
                if counted == nil, let early = firstStart(ref.id) {
                    result.earlyBy = early.by.name
                    result.earlyAt = early.at
                }
                if let anchorAt = usableAnchor, let taken = counted {
                    result.by = taken.by.name
                    result.at = taken.at
                    let elapsed = taken.at - anchorAt
                    result.elapsed = elapsed
                    if let within = item.within, elapsed > within + 1e-9 {
                        result.status = .late
                        result.lateBy = elapsed - within
                    } else {
                        result.status = .met
                    }
                } else if usableAnchor == nil {
                    result.status = .notApplicable
                } else if handedOver, let within = item.within, usableAnchor! + within > endedAt {
                    result.status = .notApplicable
                }
            }
            if result.status == .met { result.points = item.points }
            objectives.append(result)
        }
        var penalties: [PenaltyResult] = []
        var unpenalized: [(action: String, by: String, at: Double)] = []
        for use in started {
            let matching = drill.penalties.filter { $0.action.id == use.action }
            for penalty in matching {
                penalties.append(PenaltyResult(action: use.action, by: use.by.name, role: use.by.role, at: use.at, points: penalty.points, feedback: penalty.feedback))
            }
            if matching.isEmpty, drill.action(use.action)?.harmful == true {
                unpenalized.append((use.action, use.by.name, use.at))
            }
        }
        return Scorecard(objectives: objectives, penalties: penalties, harmfulUnpenalized: unpenalized)
    }

    /// Whether a value satisfies a threshold.
    static func holds(_ value: Double, _ expectation: Expectation) -> Bool {
        switch expectation.comparison {
        case .below: return value < expectation.threshold
        case .above: return value > expectation.threshold
        case .atMost: return value <= expectation.threshold
        case .atLeast: return value >= expectation.threshold
        }
    }
}

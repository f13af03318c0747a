import GamedayModel

/// The static barrier analysis of a scenario (`gameday analyze`): for each injection, the exact
/// numbers of its bow-tie before any simulation (spec: output.md, `gameday analyze`).
///
/// Everything here is exact arithmetic on the scenario's probabilities, with common-cause groups
/// counted exactly (``BarrierMath``). Timing (exposure windows, `for` timers, delays, ramps) is
/// ignored: these are the chances that barriers work at all, which the Monte Carlo engine must
/// reproduce as marginals.
///
/// ```swift
/// let scenario = try ScenarioLoader.load(path: "checkout.yaml").variant(with: ["canary-deploys"])
/// let analysis = ScenarioAnalysis(scenario: scenario)
/// let pass = analysis.passesPrevention("bad-config")   // 0.0644
/// ```
public struct ScenarioAnalysis: Hashable, Sendable {
    /// The scenario's id.
    public var scenarioID: String
    /// The scenario's title.
    public var title: String
    /// The file it was read from.
    public var path: String
    /// SHA-256 of the file.
    public var sha256: String
    /// The controls applied, in order (empty for the baseline).
    public var controls: [String]
    /// The services and their dependencies, in file order (for the dependency diagram).
    public var services: [ServiceNode]
    /// One analysis per injection, in file order.
    public var injections: [InjectionAnalysis]
    /// Findings about the scenario as a whole (barriers that no path can use), by severity.
    public var findings: [Finding]

    /// Analyzes a scenario (a baseline, or a variant made with `variant(with:)`).
    public init(scenario: Scenario) {
        let context = AnalysisContext(scenario: scenario)
        scenarioID = scenario.id
        title = scenario.title
        path = scenario.source.path
        sha256 = scenario.source.sha256
        controls = scenario.controlsApplied
        services = scenario.services.map { service in
            ServiceNode(id: service.id, traffic: service.traffic, slo: service.slo,
                        dependsOn: service.dependsOn.map { ServiceEdge(service: $0.service.id, weight: $0.weight) })
        }
        injections = scenario.injections.map { context.analyze($0) }
        findings = Finding.sorted(context.scenarioFindings())
    }

    /// The analysis of one injection.
    public func injection(_ id: String) -> InjectionAnalysis? { injections.first { $0.id == id } }

    /// The exact chance that this injection passes every preventive barrier, or `nil` when the
    /// scenario has no such injection. This is the number a Monte Carlo run must reproduce as the
    /// share of occurrences that take effect.
    public func passesPrevention(_ injectionID: String) -> Double? { injection(injectionID)?.passesPrevention }

    /// Every finding: each injection's, in file order, then the scenario-wide ones.
    public var allFindings: [Finding] { injections.flatMap(\.findings) + findings }
}

/// A service in the dependency graph.
public struct ServiceNode: Hashable, Sendable {
    /// Its id.
    public var id: String
    /// User requests per second, for customer-facing services.
    public var traffic: Double?
    /// Its availability objective.
    public var slo: Double?
    /// Its dependencies, in file order.
    public var dependsOn: [ServiceEdge]
}

/// One dependency edge.
public struct ServiceEdge: Hashable, Sendable {
    /// The service depended upon.
    public var service: String
    /// How much of its error rate propagates (1 for a hard dependency).
    public var weight: Double
}

/// The bow-tie of one injection, with its exact numbers.
public struct InjectionAnalysis: Hashable, Sendable {
    /// The injection's id.
    public var id: String
    /// Its description, if any.
    public var description: String?
    /// The service it targets.
    public var target: String
    /// Its error rate at full effect.
    public var errorRate: Double
    /// How it heals without a mitigation.
    public var lasts: Lasts
    /// How likely it occurs.
    public var occurrence: Occurrence
    /// The preventive side of the bow-tie.
    public var prevention: PreventionPath
    /// The target and every service that depends on it, directly or transitively, with a
    /// positive weight; target first, then by distance and file order.
    public var blastRadius: [AffectedService]
    /// The detective side.
    public var detection: DetectionCoverage
    /// The mitigations that remove it and how it heals otherwise.
    public var mitigation: MitigationCoverage
    /// Dependency caps on edges its errors spread along.
    public var caps: [SpreadCap]
    /// What a reviewer should look at, by severity.
    public var findings: [Finding]

    /// The exact chance that it passes every preventive barrier (common cause included).
    public var passesPrevention: Double { prevention.passes }
    /// The exact chance that at least one detect barrier watching an affected service works.
    public var detectCoverage: Double { detection.coverage }
    /// The customer-facing services in its blast radius: its consequences.
    public var consequences: [AffectedService] { blastRadius.filter { $0.traffic != nil } }
}

/// The preventive barriers on an injection's path and what they are worth.
public struct PreventionPath: Hashable, Sendable {
    /// The barriers, in the order they act: file order, controls' added barriers last.
    public var barriers: [PreventBarrierValue]
    /// The common-cause groups with barriers on this path.
    public var commonCause: [CommonCauseOnPath]
    /// The exact chance the injection passes every barrier.
    public var passes: Double
    /// What multiplying the effectiveness column gives, Π(1 - effectiveness_i): equal to
    /// ``passes`` unless two barriers share a group, and then too optimistic.
    public var lopaProduct: Double
    /// The path's risk reduction factor, 1 / passes (infinite when nothing passes).
    public var riskReductionFactor: Double
}

/// One preventive barrier's numbers on one path.
public struct PreventBarrierValue: Hashable, Sendable {
    /// Its id.
    public var id: String
    /// Its chance to stop the injection on its own: reliability × effectiveness (means of beliefs).
    public var stopChance: Double
    /// Whether reliability or effectiveness is a belief (the chance is then its mean).
    public var uncertain: Bool
    /// Its common-cause group.
    public var commonCause: CommonCause?
    /// Its effectiveness once common cause is counted: (1 - beta) × stopChance.
    public var effectiveness: Double
    /// Its probability of failure on demand: 1 - effectiveness.
    public var pfd: Double
    /// 1 / pfd; infinite when the barrier never fails.
    public var riskReductionFactor: Double
    /// How much the path's pass chance rises when this barrier is removed (exact).
    public var marginalValue: Double
    /// The path's pass chance without this barrier.
    public var passesWithout: Double
    /// The share of the effect let through while it decides.
    public var exposure: Double
    /// How long it decides.
    public var takes: TimeDistribution
    /// The control that added it, when a control did.
    public var addedBy: String?
}

/// A common-cause group with two or more barriers on the same side of one injection's bow-tie, or
/// one barrier: every group met on the path is listed.
public struct CommonCauseOnPath: Hashable, Sendable {
    /// The group's name.
    public var group: String
    /// The chance the whole group fails together.
    public var beta: Double
    /// Its barriers on this path, in path order.
    public var barriers: [String]
    /// The exact chance that all of them fail: beta + (1 - beta) × Π(1 - chance_i).
    public var allFail: Double
    /// The most risk reduction the group can give together, 1 / beta (infinite for beta 0).
    public var maxRiskReductionFactor: Double
}

/// A service an injection's errors reach.
public struct AffectedService: Hashable, Sendable {
    /// Its id.
    public var id: String
    /// Dependency hops from the target (0 for the target).
    public var depth: Int
    /// Its error rate with this injection alone at full effect, after propagation (no caps).
    public var peakErrorRate: Double
    /// User requests per second, when customer-facing.
    public var traffic: Double?
    /// Its availability objective.
    public var slo: Double?
}

/// The detect barriers watching an injection's blast radius.
public struct DetectionCoverage: Hashable, Sendable {
    /// The barriers, in file order.
    public var barriers: [DetectBarrierValue]
    /// The common-cause groups among them.
    public var commonCause: [CommonCauseOnPath]
    /// The exact chance that at least one works (reliability and common cause; timing ignored).
    public var coverage: Double
    /// The same, counting only barriers that can act on this injection: their threshold is
    /// exceeded by this injection alone at full effect, and they page someone.
    public var effectiveCoverage: Double
    /// Every responder a page about it can reach: those notified, and by forwarding and
    /// escalation, those they pass it to (first-reached order).
    public var pagedResponders: [String]
}

/// One detect barrier's numbers for one injection.
public struct DetectBarrierValue: Hashable, Sendable {
    /// Its id.
    public var id: String
    /// The service it watches.
    public var watches: String
    /// Its condition, as a person reads it.
    public var condition: String
    /// Its chance to work in a trial (mean of a belief).
    public var reliability: Double
    /// Whether reliability is a belief.
    public var uncertain: Bool
    /// Its common-cause group.
    public var commonCause: CommonCause?
    /// Its reliability once common cause is counted: (1 - beta) × reliability.
    public var effectiveReliability: Double
    /// How much coverage drops when it is removed (exact).
    public var marginalValue: Double
    /// Who it pages, if anyone.
    public var notifies: String?
    /// The error rate of the watched service with this injection alone at full effect.
    public var peakErrorRate: Double
    /// Whether that error rate exceeds its threshold (for a burn-rate alert, whether
    /// peak / (1 - slo) exceeds the burn rate). Another injection at the same time may still
    /// push it over.
    public var thresholdReachable: Bool

    /// Whether it counts toward ``DetectionCoverage/effectiveCoverage``: it can fire on this
    /// injection alone and it pages someone.
    public var isEffective: Bool { thresholdReachable && notifies != nil }
}

/// What removes an injection, and how it heals otherwise.
public struct MitigationCoverage: Hashable, Sendable {
    /// The mitigations that remove it, in file order.
    public var removers: [MitigationValue]
    /// How it heals by itself.
    public var lasts: Lasts

    /// Whether some mitigation can run at all: an automatic one, or a manual one a responder uses.
    public var canBeRemoved: Bool { removers.contains { $0.automatic || !$0.usedBy.isEmpty } }
}

/// A mitigation that removes an injection.
public struct MitigationValue: Hashable, Sendable {
    /// Its id.
    public var id: String
    /// Run by the engine rather than a responder.
    public var automatic: Bool
    /// Its chance that one attempt works (mean of a belief).
    public var reliability: Double
    /// Its common-cause group.
    public var commonCause: CommonCause?
    /// How long one attempt takes.
    public var takes: TimeDistribution
    /// Responders who may run it (those who diagnose and list it in `uses`, or have no `uses`).
    public var usedBy: [String]
    /// Of those, the ones a page about this injection can reach.
    public var pagedUsers: [String]
    /// For an automatic one, the condition that starts an attempt.
    public var condition: ServiceCondition?
    /// For an automatic one, whether this injection alone makes that condition hold.
    public var conditionReachable: Bool?
}

/// A dependency cap on an edge an injection's errors spread along.
public struct SpreadCap: Hashable, Sendable {
    /// The mitigation that applies it.
    public var barrier: String
    /// The dependent service.
    public var service: String
    /// The service depended upon.
    public var dependency: String
    /// The edge's weight in the file.
    public var weight: Double
    /// The weight after the cap.
    public var cappedWeight: Double
    /// Whether the engine applies it by itself.
    public var automatic: Bool
    /// Responders who may apply it, for a manual cap.
    public var usedBy: [String]
}

import GamedayModel

/// The scenario-wide facts every injection's analysis reads: who depends on whom, who uses which
/// mitigation, which barriers controls added.
struct AnalysisContext {
    let scenario: Scenario
    /// For each service, the services that depend on it with a positive weight, in file order.
    let dependents: [String: [String]]
    /// For each manual mitigation, the responders who may run it, in file order.
    let users: [String: [String]]
    /// The control that added each barrier, for variants.
    let addedBy: [String: String]

    init(scenario: Scenario) {
        self.scenario = scenario
        var dependents: [String: [String]] = [:]
        for service in scenario.services {
            for dependency in service.dependsOn where dependency.weight > 0 {
                dependents[dependency.service.id, default: []].append(service.id)
            }
        }
        self.dependents = dependents
        var users: [String: [String]] = [:]
        for barrier in scenario.barriers {
            guard let mitigate = barrier.mitigate, !mitigate.automatic else { continue }
            users[barrier.id] = scenario.responders.filter { Self.responder($0, uses: barrier.id) }.map(\.id)
        }
        self.users = users
        var addedBy: [String: String] = [:]
        for id in scenario.controlsApplied {
            guard let control = scenario.control(id) else { continue }
            for entry in control.add where entry.section == "barriers" {
                if let barrierID = entry.element["id"]?.scalar?.text { addedBy[barrierID] = id }
            }
        }
        self.addedBy = addedBy
    }

    /// Whether a responder may run a manual mitigation: it diagnoses (a forwarder relays pages
    /// instead) and lists the mitigation in `uses`, or has no `uses` (every manual mitigation).
    static func responder(_ responder: Responder, uses mitigation: String) -> Bool {
        guard responder.forwardsTo == nil, responder.diagnose != nil else { return false }
        return responder.uses.map { $0.contains { $0.id == mitigation } } ?? true
    }

    // MARK: Services

    /// The target and every service its errors reach along positive-weight edges, with the
    /// error rate each sees from this injection alone at full effect.
    func blastRadius(of injection: Injection) -> [AffectedService] {
        var depth: [String: Int] = [injection.target.id: 0]
        var queue = [injection.target.id]
        var index = 0
        while index < queue.count {
            let current = queue[index]
            index += 1
            for dependent in dependents[current] ?? [] where depth[dependent] == nil {
                depth[dependent] = depth[current]! + 1
                queue.append(dependent)
            }
        }
        let peaks = peakErrorRates(target: injection.target.id, errorRate: injection.errorRate)
        let order = Dictionary(uniqueKeysWithValues: scenario.services.enumerated().map { ($1.id, $0) })
        return depth.keys.sorted { a, b in
            (depth[a]!, order[a] ?? Int.max, a) < (depth[b]!, order[b] ?? Int.max, b)
        }.map { id in
            let service = scenario.service(id)
            return AffectedService(id: id, depth: depth[id]!, peakErrorRate: peaks[id] ?? 0,
                                   traffic: service?.traffic, slo: service?.slo)
        }
    }

    /// Each service's error rate when one service has this own error rate and nothing else fails:
    /// e_s = 1 - (1 - own_s) × Π over d of (1 - w(s,d) × e_d) (spec section 3).
    func peakErrorRates(target: String, errorRate: Double) -> [String: Double] {
        var rates: [String: Double] = [:]
        var visiting: Set<String> = []
        func rate(_ id: String) -> Double {
            if let known = rates[id] { return known }
            // The loader rejects cycles; this guard only keeps a malformed value from recursing forever.
            guard !visiting.contains(id), let service = scenario.service(id) else { return 0 }
            visiting.insert(id)
            var healthy = id == target ? 1 - errorRate : 1
            for dependency in service.dependsOn {
                healthy *= 1 - dependency.weight * rate(dependency.service.id)
            }
            visiting.remove(id)
            let result = 1 - healthy
            rates[id] = result
            return result
        }
        for service in scenario.services { _ = rate(service.id) }
        return rates
    }

    /// Every responder a page to these responders can reach, by forwarding and escalation, in the
    /// order they are first reached.
    func pageClosure(from notified: [String]) -> [String] {
        var reached: [String] = []
        var queue = notified
        while !queue.isEmpty {
            let id = queue.removeFirst()
            guard !reached.contains(id) else { continue }
            reached.append(id)
            if let responder = scenario.responder(id) {
                if let next = responder.forwardsTo { queue.append(next.id) }
                if let next = responder.escalatesTo { queue.append(next.id) }
            }
        }
        return reached
    }

    // MARK: One injection

    func analyze(_ injection: Injection) -> InjectionAnalysis {
        let blast = blastRadius(of: injection)
        let peaks = Dictionary(uniqueKeysWithValues: blast.map { ($0.id, $0.peakErrorRate) })
        let prevention = preventionPath(of: injection)
        let detection = detectionCoverage(of: blast, peaks: peaks)
        let mitigation = mitigationCoverage(of: injection, peaks: peaks, paged: detection.pagedResponders)
        let caps = spreadCaps(in: blast)
        var analysis = InjectionAnalysis(
            id: injection.id, description: injection.description, target: injection.target.id,
            errorRate: injection.errorRate, lasts: injection.lasts, occurrence: occurrence(of: injection),
            prevention: prevention, blastRadius: blast, detection: detection, mitigation: mitigation,
            caps: caps, findings: [])
        analysis.findings = Finding.sorted(FindingRules.findings(for: analysis))
        return analysis
    }

    func occurrence(of injection: Injection) -> Occurrence {
        if injection.dormant {
            return Occurrence(kind: .dormant, probability: 0, beforeHorizon: 0, probabilityIsUncertain: false,
                              condition: nil, reachableBy: [],
                              note: "dormant: occurs only when a drill action adds it; the numbers below are what protects it then")
        }
        if let trigger = injection.triggeredBy {
            let condition = trigger.when
            let reachable = scenario.injections.filter { other in
                other.id != injection.id
                    && (peakErrorRates(target: other.target.id, errorRate: other.errorRate)[condition.service.id] ?? 0) > condition.errorRateAbove
            }.map(\.id)
            return Occurrence(kind: .triggered, probability: trigger.probability.mean, beforeHorizon: 1,
                              probabilityIsUncertain: !trigger.probability.isFixed, condition: condition, reachableBy: reachable,
                              note: "conditional on \(AnalysisFormat.condition(condition)) holding; drawn once when it first holds")
        }
        let beforeHorizon = TimeCDF.probabilityBelow(scenario.horizon, in: injection.at)
        let probability = injection.probability.mean * beforeHorizon
        var note = "scheduled at \(injection.at.yamlText)"
        if beforeHorizon < 1 {
            note += "; only \(AnalysisFormat.probability(beforeHorizon)) of start times fall before the horizon (\(Scalars.formatDuration(scenario.horizon)))"
        }
        return Occurrence(kind: .scheduled, probability: probability, beforeHorizon: beforeHorizon,
                          probabilityIsUncertain: !injection.probability.isFixed, condition: nil, reachableBy: [], note: note)
    }

    func preventionPath(of injection: Injection) -> PreventionPath {
        let barriers = scenario.barriers.filter { barrier in
            barrier.prevent?.against.contains { $0.id == injection.id } ?? false
        }
        let layers = barriers.map { BarrierLayer(id: $0.id, chance: $0.stopChance.mean, commonCause: $0.commonCause) }
        let passes = BarrierMath.allFail(layers)
        let marginal = BarrierMath.marginalValues(layers)
        let values = barriers.enumerated().map { index, barrier in
            let layer = layers[index]
            let prevent = barrier.prevent!
            return PreventBarrierValue(
                id: barrier.id, stopChance: layer.chance,
                uncertain: !barrier.reliability.isFixed || !prevent.effectiveness.isFixed,
                commonCause: barrier.commonCause, effectiveness: layer.effectiveChance, pfd: layer.pfd,
                riskReductionFactor: BarrierMath.riskReductionFactor(pfd: layer.pfd),
                marginalValue: marginal[index], passesWithout: passes + marginal[index],
                exposure: prevent.exposure, takes: prevent.takes, addedBy: addedBy[barrier.id])
        }
        return PreventionPath(barriers: values, commonCause: Self.groups(of: layers), passes: passes,
                              lopaProduct: BarrierMath.independentProduct(layers),
                              riskReductionFactor: BarrierMath.riskReductionFactor(pfd: passes))
    }

    /// The common-cause groups among layers, in the order first met.
    static func groups(of layers: [BarrierLayer]) -> [CommonCauseOnPath] {
        var result: [CommonCauseOnPath] = []
        for layer in layers {
            guard let group = layer.group, !result.contains(where: { $0.group == group }) else { continue }
            let members = layers.filter { $0.group == group }
            result.append(CommonCauseOnPath(group: group, beta: layer.beta, barriers: members.map(\.id),
                                            allFail: BarrierMath.allFail(members),
                                            maxRiskReductionFactor: BarrierMath.riskReductionFactor(pfd: layer.beta)))
        }
        return result
    }

    func detectionCoverage(of blast: [AffectedService], peaks: [String: Double]) -> DetectionCoverage {
        let affected = Set(blast.map(\.id))
        let barriers = scenario.barriers.filter { barrier in
            barrier.detect.map { affected.contains($0.watches.id) } ?? false
        }
        let layers = barriers.map { BarrierLayer(id: $0.id, chance: $0.reliability.mean, commonCause: $0.commonCause) }
        let coverage = 1 - BarrierMath.allFail(layers)
        let marginal = BarrierMath.marginalValues(layers)
        let values = barriers.enumerated().map { index, barrier in
            let detect = barrier.detect!
            let peak = peaks[detect.watches.id] ?? 0
            return DetectBarrierValue(
                id: barrier.id, watches: detect.watches.id, condition: AnalysisFormat.detectCondition(detect),
                reliability: layers[index].chance, uncertain: !barrier.reliability.isFixed,
                commonCause: barrier.commonCause, effectiveReliability: layers[index].effectiveChance,
                marginalValue: marginal[index], notifies: detect.notifies?.id, peakErrorRate: peak,
                thresholdReachable: thresholdReachable(detect, peak: peak))
        }
        let effectiveLayers = zip(layers, values).filter { $1.isEffective }.map(\.0)
        let notified = values.compactMap(\.notifies).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return DetectionCoverage(barriers: values, commonCause: Self.groups(of: layers), coverage: coverage,
                                 effectiveCoverage: 1 - BarrierMath.allFail(effectiveLayers),
                                 pagedResponders: pageClosure(from: notified))
    }

    /// Whether the watched service's peak error rate from one injection can make the barrier fire
    /// (strictly above its threshold, spec section 5).
    func thresholdReachable(_ detect: Detect, peak: Double) -> Bool {
        switch detect.condition {
        case .errorRate(let above, _):
            return peak > above
        case .burnRate(let above, _):
            // The average over a window never exceeds the peak, and reaches it when the impact
            // lasts the whole window: peak / (1 - slo) > B, written without dividing.
            let slo = scenario.service(detect.watches.id)?.slo ?? 1
            return peak > above * (1 - slo)
        }
    }

    func mitigationCoverage(of injection: Injection, peaks: [String: Double], paged: [String]) -> MitigationCoverage {
        let removers = scenario.barriers.compactMap { barrier -> MitigationValue? in
            guard let mitigate = barrier.mitigate, mitigate.removes.contains(where: { $0.id == injection.id }) else { return nil }
            let usedBy = mitigate.automatic ? [] : users[barrier.id] ?? []
            var reachable: Bool?
            if mitigate.automatic, let condition = mitigate.when {
                reachable = (peaks[condition.service.id] ?? 0) > condition.errorRateAbove
            }
            return MitigationValue(
                id: barrier.id, automatic: mitigate.automatic, reliability: barrier.reliability.mean,
                commonCause: barrier.commonCause, takes: mitigate.takes, usedBy: usedBy,
                pagedUsers: usedBy.filter { paged.contains($0) }, condition: mitigate.when, conditionReachable: reachable)
        }
        return MitigationCoverage(removers: removers, lasts: injection.lasts)
    }

    /// Caps on edges from an affected service to an affected dependent: the edges the injection's
    /// errors spread along.
    func spreadCaps(in blast: [AffectedService]) -> [SpreadCap] {
        let affected = Set(blast.map(\.id))
        return scenario.barriers.compactMap { barrier in
            guard let mitigate = barrier.mitigate, let cap = mitigate.caps,
                  affected.contains(cap.service.id), affected.contains(cap.dependency.id),
                  let edge = scenario.service(cap.service.id)?.dependsOn.first(where: { $0.service.id == cap.dependency.id }),
                  edge.weight > 0 else { return nil }
            return SpreadCap(barrier: barrier.id, service: cap.service.id, dependency: cap.dependency.id,
                             weight: edge.weight, cappedWeight: min(edge.weight, cap.weight), automatic: mitigate.automatic,
                             usedBy: mitigate.automatic ? [] : users[barrier.id] ?? [])
        }
    }

    // MARK: Scenario-wide

    func scenarioFindings() -> [Finding] {
        var findings: [Finding] = []
        for barrier in scenario.barriers {
            if let detect = barrier.detect, detect.notifies == nil {
                findings.append(Finding(.medium, .notifiesNobody, subject: "barriers.\(barrier.id)", barriers: [barrier.id],
                    "detect barrier \(barrier.id) notifies nobody: when it fires on \(detect.watches.id), no one is paged, so it cannot start a response (it counts as detection only if an automatic mitigation acts). Add notifies: RESPONDER, or drop it if it is a dashboard."))
            }
            if let mitigate = barrier.mitigate, !mitigate.automatic, (users[barrier.id] ?? []).isEmpty {
                let what = mitigate.removes.isEmpty ? "its cap" : "it removes \(AnalysisFormat.list(mitigate.removes.map(\.id)))"
                findings.append(Finding(.medium, .unusedMitigation, subject: "barriers.\(barrier.id)", barriers: [barrier.id],
                    "manual mitigation \(barrier.id) is used by no responder (\(what)): in simulation nobody ever runs it. Add it to a responder's uses, or make it automatic."))
            }
        }
        return findings
    }
}

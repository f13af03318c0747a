import GamedayModel
import GamedayRandom

/// A scenario turned into flat arrays of integer-indexed specs for the engine's hot loop.
///
/// Compiling resolves every reference to an index, every distribution to a sampler and every draw
/// address to a draw site (its FNV-1a hash, so a run's keys are one `SplitMix64` step away). It
/// does not depend on the seed: ``DrawKeys`` adds that.
public final class CompiledScenario: Sendable {
    /// The scenario (baseline or variant) this was compiled from.
    public let scenario: Scenario
    /// The horizon in seconds.
    public let horizon: Double

    let services: [ServiceSpec]
    /// Dependency edges (dependent -> dependency), grouped by dependent.
    let edges: [EdgeSpec]
    /// For each service, the edges in which it is the dependency (to propagate to dependents).
    let dependentEdges: [Int32]
    /// Service indices in topological order (dependencies first).
    let topologicalOrder: [Int32]
    let trafficServices: [Int32]

    let injections: [InjectionSpec]
    /// The injections with `at` (neither triggered nor dormant), in file order.
    let scheduledInjections: [Int32]
    /// Flat list of prevent-chain links, referenced by ranges in ``InjectionSpec``.
    let chainLinks: [ChainLink]
    /// Flat list of injection indices targeting each service (ranges in ``ServiceSpec``).
    let injectionsByService: [Int32]

    let barriers: [BarrierSpec]
    /// The burn-rate detect barriers, in file order.
    let burnRateBarriers: [Int32]
    /// Flat list of injections removed by each mitigation (ranges in ``BarrierSpec``).
    let removals: [Int32]
    /// Mitigations that remove each injection (ranges in ``InjectionSpec``).
    let removers: [Int32]
    let groupCount: Int
    let groupSites: [Int32]
    let groupBetas: [Double]

    let conditions: [ConditionSpec]
    /// Condition indices watching each service (ranges in ``ServiceSpec``).
    let conditionsByService: [Int32]
    /// Burn-rate detect barriers watching each service (ranges in ``ServiceSpec``).
    let burnByService: [Int32]

    let responders: [ResponderSpec]
    /// Flat list of mitigation barrier indices in responders' `uses` (ranges in ``ResponderSpec``).
    let usesList: [Int32]
    /// Flat list, per responder, of the injections some mitigation in its `uses` removes, in
    /// file order (ranges in ``ResponderSpec/candidates``): the causes it can work on, so that
    /// looking for one costs the responder's own causes, not every injection.
    let candidateList: [Int32]
    /// Flat list, per injection, of the responders that can remove it (ranges in
    /// ``InjectionSpec/responders``): the inverse of ``candidateList``.
    let candidateResponders: [Int32]

    let modifiers: [ModifierSpec]
    /// Flat list of (modifier, factor) pairs per element and field (ranges in specs).
    let factorLinks: [FactorLink]

    /// Uncertain probabilities, drawn once per trial into slots.
    let beliefs: [BeliefSpec]

    /// Every draw site: its address without repeat suffix and that address's FNV-1a state.
    public let siteAddresses: [String]
    let siteHashes: [FNV1a64]
    let siteIndexByAddress: [String: Int32]

    /// The engine's hot-loop tables: copies of the arrays above in storage that lives as long as
    /// this scenario, read without bounds checks in release builds (indices come from this
    /// compilation, so they are valid by construction; debug builds still check them).
    let tables: Tables

    /// The service ids, in file order.
    public var serviceIDs: [String] { scenario.services.map(\.id) }

    /// Compiles a validated scenario.
    public init(_ scenario: Scenario) {
        self.scenario = scenario
        self.horizon = scenario.horizon
        var builder = SiteTable()

        // Services and edges.
        let serviceIndex = Dictionary(scenario.services.enumerated().map { ($1.id, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        var edges: [EdgeSpec] = []
        var edgeRanges: [Range<Int32>] = []
        for (s, service) in scenario.services.enumerated() {
            let start = Int32(edges.count)
            for dependency in service.dependsOn {
                guard let d = serviceIndex[dependency.service.id] else { continue }
                edges.append(EdgeSpec(dependent: Int32(s), dependency: d, weight: dependency.weight))
            }
            edgeRanges.append(start..<Int32(edges.count))
        }
        var dependentEdges: [Int32] = []
        var dependentRanges: [Range<Int32>] = []
        for s in scenario.services.indices {
            let start = Int32(dependentEdges.count)
            for (e, edge) in edges.enumerated() where edge.dependency == Int32(s) { dependentEdges.append(Int32(e)) }
            dependentRanges.append(start..<Int32(dependentEdges.count))
        }
        // Kahn's algorithm, ties by file order, so propagation order is deterministic.
        var remaining = scenario.services.indices.map { edgeRanges[$0].count }
        var order: [Int32] = []
        var ready = scenario.services.indices.filter { remaining[$0] == 0 }.map(Int32.init)
        while !ready.isEmpty {
            ready.sort(by: >)
            let s = ready.removeLast()
            order.append(s)
            for e in dependentRanges[Int(s)] {
                let dependent = Int(edges[Int(dependentEdges[Int(e)])].dependent)
                remaining[dependent] -= 1
                if remaining[dependent] == 0 { ready.append(Int32(dependent)) }
            }
        }
        var topoPosition = [Int32](repeating: 0, count: scenario.services.count)
        for (position, s) in order.enumerated() { topoPosition[Int(s)] = Int32(position) }
        // A service reaches customers if it has traffic or a dependent with positive weight does.
        var reaches = scenario.services.map { ($0.traffic ?? 0) > 0 }
        for s in order.reversed() {
            for e in dependentRanges[Int(s)] {
                let edge = edges[Int(dependentEdges[Int(e)])]
                if edge.weight > 0, reaches[Int(edge.dependent)] { reaches[Int(s)] = true }
            }
        }

        // Injections.
        let injectionIndex = Dictionary(scenario.injections.enumerated().map { ($1.id, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        let barrierIndex = Dictionary(scenario.barriers.enumerated().map { ($1.id, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        let responderIndex = Dictionary(scenario.responders.enumerated().map { ($1.id, Int32($0)) }, uniquingKeysWith: { a, _ in a })
        var beliefs: [BeliefSpec] = []
        func probability(_ value: ProbabilityValue, path: String) -> ProbabilityRef {
            let sampler = ProbabilitySampler(value)
            if let p = sampler.fixedValue { return .fixed(p) }
            beliefs.append(BeliefSpec(site: builder.site(path), sampler: sampler))
            return .belief(Int32(beliefs.count - 1))
        }
        var conditions: [ConditionSpec] = []
        func condition(_ c: ServiceCondition, owner: ConditionOwner) -> Int32 {
            conditions.append(ConditionSpec(service: serviceIndex[c.service.id] ?? 0, threshold: c.errorRateAbove, holdFor: c.holdFor, owner: owner))
            return Int32(conditions.count - 1)
        }
        var chainLinks: [ChainLink] = []
        var removers: [Int32] = []
        var injections: [InjectionSpec] = []
        for (i, injection) in scenario.injections.enumerated() {
            let p = "injections.\(injection.id)"
            let chainStart = Int32(chainLinks.count)
            for (b, barrier) in scenario.barriers.enumerated() {
                guard let prevent = barrier.prevent, prevent.against.contains(where: { $0.id == injection.id }) else { continue }
                chainLinks.append(ChainLink(
                    barrier: Int32(b),
                    worksSite: builder.site("barriers.\(barrier.id).works.\(injection.id)"),
                    takesSite: builder.site("barriers.\(barrier.id).takes.\(injection.id)")))
            }
            let removerStart = Int32(removers.count)
            for (b, barrier) in scenario.barriers.enumerated() where barrier.mitigate?.removes.contains(where: { $0.id == injection.id }) ?? false {
                removers.append(Int32(b))
            }
            var spec = InjectionSpec(
                target: serviceIndex[injection.target.id] ?? 0,
                errorRate: injection.errorRate,
                rampSteps: Int32(injection.ramp?.steps ?? 1), rampOver: injection.ramp?.over ?? 0,
                recoverSteps: Int32(injection.recovers?.steps ?? 1), recoverOver: injection.recovers?.over ?? 0,
                lasts: .untilMitigated,
                scheduled: injection.isScheduled, dormant: injection.dormant,
                occursSite: -1, occurs: .fixed(1), atSite: -1, at: TimeSampler(injection.at),
                triggerCondition: -1, triggerSite: -1, triggerProbability: .fixed(1),
                chain: chainStart..<Int32(chainLinks.count),
                removers: removerStart..<Int32(removers.count),
                reachesCustomers: reaches[Int(serviceIndex[injection.target.id] ?? 0)])
            if injection.isScheduled {
                spec.occursSite = builder.site("\(p).occurs")
                spec.occurs = probability(injection.probability, path: "\(p).probability")
                spec.atSite = builder.site("\(p).at")
            }
            switch injection.lasts {
            case .untilMitigated: spec.lasts = .untilMitigated
            case .whileTriggered: spec.lasts = .whileTriggered
            case .duration(let d): spec.lasts = .duration(site: builder.site("\(p).lasts"), sampler: TimeSampler(d))
            }
            if let trigger = injection.triggeredBy {
                spec.triggerCondition = condition(trigger.when, owner: .trigger(Int32(i)))
                spec.triggerSite = builder.site("\(p).triggers")
                spec.triggerProbability = probability(trigger.probability, path: "\(p).triggered_by.probability")
            }
            injections.append(spec)
        }
        var injectionsByService: [Int32] = []
        var injectionRanges: [Range<Int32>] = []
        for s in scenario.services.indices {
            let start = Int32(injectionsByService.count)
            for (i, spec) in injections.enumerated() where spec.target == Int32(s) { injectionsByService.append(Int32(i)) }
            injectionRanges.append(start..<Int32(injectionsByService.count))
        }

        // Common-cause groups.
        var groupNames: [String] = []
        var groupBetas: [Double] = []
        var groupSites: [Int32] = []
        for barrier in scenario.barriers {
            guard let cc = barrier.commonCause, !groupNames.contains(cc.group) else { continue }
            groupNames.append(cc.group)
            groupBetas.append(cc.beta)
            groupSites.append(builder.site("common_cause.\(cc.group).fails"))
        }

        // Modifiers and their factors per element and field.
        var modifiers: [ModifierSpec] = []
        for modifier in scenario.modifiers {
            if let chance = modifier.probability {
                let active = builder.site("modifiers.\(modifier.id).active")
                modifiers.append(ModifierSpec(activeSite: active, probability: probability(chance, path: "modifiers.\(modifier.id).probability")))
            } else {
                modifiers.append(ModifierSpec(activeSite: -1, probability: .fixed(1)))
            }
        }
        var factorLinks: [FactorLink] = []
        func factors(_ field: ModifiedField, owner: String) -> Range<Int32> {
            let start = Int32(factorLinks.count)
            for (m, modifier) in scenario.modifiers.enumerated() where modifier.applies(to: owner) {
                let factor = modifier.factor(for: field)
                if factor != 1 { factorLinks.append(FactorLink(modifier: Int32(m), factor: factor)) }
            }
            return start..<Int32(factorLinks.count)
        }

        // Barriers.
        var removals: [Int32] = []
        var barriers: [BarrierSpec] = []
        var burnWatchers: [[Int32]] = Array(repeating: [], count: scenario.services.count)
        for (b, barrier) in scenario.barriers.enumerated() {
            let p = "barriers.\(barrier.id)"
            var spec = BarrierSpec(kind: .prevent, group: barrier.commonCause.flatMap { groupNames.firstIndex(of: $0.group) }.map(Int32.init) ?? -1,
                                   reliability: probability(barrier.reliability, path: "\(p).reliability"))
            switch barrier.kind {
            case .prevent(let prevent):
                spec.kind = .prevent
                spec.effectiveness = probability(prevent.effectiveness, path: "\(p).effectiveness")
                spec.exposure = prevent.exposure
                spec.takes = TimeSampler(prevent.takes)
                spec.takesFactors = factors(.takes, owner: barrier.id)
            case .detect(let detect):
                spec.kind = .detect
                spec.watches = serviceIndex[detect.watches.id] ?? 0
                spec.worksSite = builder.site("\(p).works")
                spec.delay = TimeSampler(detect.delay)
                spec.delaySite = builder.site("\(p).delay")
                spec.delayFactors = factors(.delay, owner: barrier.id)
                spec.notifies = detect.notifies.flatMap { responderIndex[$0.id] } ?? -1
                if let every = detect.every {
                    spec.every = every
                    spec.phaseSite = builder.site("\(p).phase")
                    spec.checkSite = builder.site("\(p).check")
                    spec.chancePerCheck = probability(detect.chancePerCheck, path: "\(p).chance_per_check")
                }
                switch detect.condition {
                case .errorRate(let above, let holdFor):
                    spec.condition = condition(ServiceCondition(service: detect.watches, errorRateAbove: above, holdFor: holdFor), owner: .detect(Int32(b)))
                case .burnRate(let above, let window):
                    let slo = scenario.service(detect.watches.id)?.slo ?? 0.999
                    spec.burnWindow = window
                    spec.burnTarget = above * (1 - slo) * window
                    burnWatchers[Int(spec.watches)].append(Int32(b))
                }
            case .mitigate(let mitigate):
                spec.kind = .mitigate
                spec.worksSite = builder.site("\(p).works")
                spec.takes = TimeSampler(mitigate.takes)
                spec.takesSite = builder.site("\(p).takes")
                spec.takesFactors = factors(.takes, owner: barrier.id)
                let start = Int32(removals.count)
                for ref in mitigate.removes { if let i = injectionIndex[ref.id] { removals.append(i) } }
                spec.removes = start..<Int32(removals.count)
                if let cap = mitigate.caps, let s = serviceIndex[cap.service.id], let d = serviceIndex[cap.dependency.id],
                   let e = edges.indices.first(where: { edges[$0].dependent == s && edges[$0].dependency == d }) {
                    spec.capEdge = Int32(e)
                    spec.capWeight = cap.weight
                }
                spec.automatic = mitigate.automatic
                if mitigate.automatic, let when = mitigate.when {
                    spec.condition = condition(when, owner: .automatic(Int32(b)))
                }
            }
            barriers.append(spec)
        }

        var conditionsByService: [Int32] = []
        var conditionRanges: [Range<Int32>] = []
        var burnByService: [Int32] = []
        var burnRanges: [Range<Int32>] = []
        for s in scenario.services.indices {
            let start = Int32(conditionsByService.count)
            for (c, spec) in conditions.enumerated() where spec.service == Int32(s) { conditionsByService.append(Int32(c)) }
            conditionRanges.append(start..<Int32(conditionsByService.count))
            let burnStart = Int32(burnByService.count)
            burnByService.append(contentsOf: burnWatchers[s])
            burnRanges.append(burnStart..<Int32(burnByService.count))
        }

        // Responders.
        let manualMitigations = scenario.barriers.enumerated().filter { $0.element.mitigate.map { !$0.automatic } ?? false }.map { Int32($0.offset) }
        var usesList: [Int32] = []
        var candidateList: [Int32] = []
        var responders: [ResponderSpec] = []
        for responder in scenario.responders {
            let p = "responders.\(responder.id)"
            let usesStart = Int32(usesList.count)
            if let uses = responder.uses {
                for ref in uses { if let b = barrierIndex[ref.id] { usesList.append(b) } }
            } else {
                usesList.append(contentsOf: manualMitigations)
            }
            var spec = ResponderSpec(
                acknowledge: TimeSampler(responder.acknowledge), acknowledgeSite: builder.site("\(p).acknowledge"),
                acknowledgeFactors: factors(.acknowledge, owner: responder.id),
                escalateAfter: responder.escalateAfter ?? -1,
                escalatesTo: responder.escalatesTo.flatMap { responderIndex[$0.id] } ?? -1,
                forwardsTo: responder.forwardsTo.flatMap { responderIndex[$0.id] } ?? -1,
                forwardDelay: TimeSampler(responder.forwardDelay), forwardSite: -1, forwardFactors: 0..<0,
                diagnose: TimeSampler(responder.diagnose ?? .constant(0)), diagnoseSite: -1, diagnoseFactors: 0..<0,
                correctSite: -1, accuracy: .fixed(1),
                uses: usesStart..<Int32(usesList.count))
            if spec.forwardsTo >= 0 {
                spec.forwardSite = builder.site("\(p).forward_delay")
                spec.forwardFactors = factors(.forwardDelay, owner: responder.id)
            } else {
                spec.diagnoseSite = builder.site("\(p).diagnose")
                spec.diagnoseFactors = factors(.diagnose, owner: responder.id)
                spec.correctSite = builder.site("\(p).diagnosis_correct")
                spec.accuracy = probability(responder.accuracy, path: "\(p).accuracy")
            }
            let candidateStart = Int32(candidateList.count)
            for i in injections.indices {
                let removable = spec.uses.contains { u in
                    let b = Int(usesList[Int(u)])
                    return barriers[b].removes.contains { Int(removals[Int($0)]) == i }
                }
                if removable { candidateList.append(Int32(i)) }
            }
            spec.candidates = candidateStart..<Int32(candidateList.count)
            responders.append(spec)
        }

        var candidateResponders: [Int32] = []
        for i in injections.indices {
            let start = Int32(candidateResponders.count)
            for (r, spec) in responders.enumerated() where spec.candidates.contains(where: { candidateList[Int($0)] == Int32(i) }) {
                candidateResponders.append(Int32(r))
            }
            injections[i].responders = start..<Int32(candidateResponders.count)
        }

        var services: [ServiceSpec] = []
        for (s, service) in scenario.services.enumerated() {
            let traffic = service.traffic ?? 0
            var budget = 0.0
            if let slo = service.slo, traffic > 0 { budget = traffic * service.sloWindow * (1 - slo) }
            services.append(ServiceSpec(traffic: traffic, budgetDenominator: budget, edges: edgeRanges[s],
                                        dependents: dependentRanges[s], injections: injectionRanges[s],
                                        conditions: conditionRanges[s], burnBarriers: burnRanges[s],
                                        topologicalPosition: topoPosition[s], reachesCustomers: reaches[s]))
        }

        self.services = services
        self.edges = edges
        self.dependentEdges = dependentEdges
        self.topologicalOrder = order
        let trafficServices = scenario.services.indices.filter { (scenario.services[$0].traffic ?? 0) > 0 }.map(Int32.init)
        self.trafficServices = trafficServices
        self.injections = injections
        let scheduledInjections = injections.indices.filter { injections[$0].scheduled }.map(Int32.init)
        self.scheduledInjections = scheduledInjections
        self.chainLinks = chainLinks
        self.injectionsByService = injectionsByService
        self.barriers = barriers
        let burnRateBarriers = barriers.indices.filter { barriers[$0].isBurnRate }.map(Int32.init)
        self.burnRateBarriers = burnRateBarriers
        self.removals = removals
        self.removers = removers
        self.groupCount = groupNames.count
        self.groupSites = groupSites
        self.groupBetas = groupBetas
        self.conditions = conditions
        self.conditionsByService = conditionsByService
        self.burnByService = burnByService
        self.responders = responders
        self.usesList = usesList
        self.candidateList = candidateList
        self.candidateResponders = candidateResponders
        self.modifiers = modifiers
        self.factorLinks = factorLinks
        self.beliefs = beliefs
        self.siteAddresses = builder.addresses
        self.siteHashes = builder.addresses.map { FNV1a64($0) }
        self.siteIndexByAddress = builder.index
        self.tables = Tables(
            services: Table(services), edges: Table(edges), dependentEdges: Table(dependentEdges),
            topologicalOrder: Table(order), trafficServices: Table(trafficServices),
            injections: Table(injections), scheduledInjections: Table(scheduledInjections),
            chainLinks: Table(chainLinks), injectionsByService: Table(injectionsByService),
            barriers: Table(barriers), burnRateBarriers: Table(burnRateBarriers), removals: Table(removals),
            removers: Table(removers), conditions: Table(conditions), conditionsByService: Table(conditionsByService),
            burnByService: Table(burnByService), responders: Table(responders), usesList: Table(usesList),
            usesRemoves: Table(usesList.map { barriers[Int($0)].removes }),
            candidateList: Table(candidateList), candidateResponders: Table(candidateResponders), modifiers: Table(modifiers), factorLinks: Table(factorLinks),
            beliefs: Table(beliefs), groupSites: Table(groupSites), groupBetas: Table(groupBetas))
    }

    deinit { tables.free() }

    /// The draw site index of an address (without repeat suffix), if this scenario draws it.
    public func site(for address: String) -> Int? { siteIndexByAddress[address].map(Int.init) }
}

/// An immutable array in manually managed storage: what the engine's hot loop reads.
///
/// Reads are unchecked in release builds (like `UnsafeBufferPointer`); the owner frees it.
struct Table<Element>: RandomAccessCollection, @unchecked Sendable {
    private let base: UnsafeMutablePointer<Element>
    let count: Int

    init(_ array: [Element]) {
        count = array.count
        base = .allocate(capacity: Swift.max(1, array.count))
        _ = UnsafeMutableBufferPointer(start: base, count: array.count).initialize(from: array)
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    @inline(__always)
    subscript(position: Int) -> Element {
        unsafeAddress {
            assert(position >= 0 && position < count, "table index out of range")
            return UnsafePointer(base + position)
        }
    }

    @inline(__always)
    subscript(position: Int32) -> Element {
        unsafeAddress {
            assert(position >= 0 && Int(position) < count, "table index out of range")
            return UnsafePointer(base + Int(position))
        }
    }

    /// Releases the storage (once, by the owner).
    func free() {
        base.deinitialize(count: count)
        base.deallocate()
    }
}

extension CompiledScenario {
    /// The hot-loop tables (see ``CompiledScenario/tables``).
    struct Tables: @unchecked Sendable {
        let services: Table<ServiceSpec>
        let edges: Table<EdgeSpec>
        let dependentEdges: Table<Int32>
        let topologicalOrder: Table<Int32>
        let trafficServices: Table<Int32>
        let injections: Table<InjectionSpec>
        let scheduledInjections: Table<Int32>
        let chainLinks: Table<ChainLink>
        let injectionsByService: Table<Int32>
        let barriers: Table<BarrierSpec>
        let burnRateBarriers: Table<Int32>
        let removals: Table<Int32>
        let removers: Table<Int32>
        let conditions: Table<ConditionSpec>
        let conditionsByService: Table<Int32>
        let burnByService: Table<Int32>
        let responders: Table<ResponderSpec>
        let usesList: Table<Int32>
        /// Parallel to `usesList`: the removals range of each mitigation (read without loading
        /// the whole barrier spec).
        let usesRemoves: Table<Range<Int32>>
        let candidateList: Table<Int32>
        let candidateResponders: Table<Int32>
        let modifiers: Table<ModifierSpec>
        let factorLinks: Table<FactorLink>
        let beliefs: Table<BeliefSpec>
        let groupSites: Table<Int32>
        let groupBetas: Table<Double>

        func free() {
            services.free(); edges.free(); dependentEdges.free(); topologicalOrder.free(); trafficServices.free()
            injections.free(); scheduledInjections.free(); chainLinks.free(); injectionsByService.free()
            barriers.free(); burnRateBarriers.free(); removals.free(); removers.free(); conditions.free()
            conditionsByService.free(); burnByService.free(); responders.free(); usesList.free(); usesRemoves.free()
            candidateList.free(); candidateResponders.free(); modifiers.free(); factorLinks.free(); beliefs.free(); groupSites.free(); groupBetas.free()
        }
    }
}

/// Assigns each distinct draw address an index.
struct SiteTable {
    var addresses: [String] = []
    var index: [String: Int32] = [:]

    mutating func site(_ address: String) -> Int32 {
        if let i = index[address] { return i }
        addresses.append(address)
        index[address] = Int32(addresses.count - 1)
        return Int32(addresses.count - 1)
    }
}

struct ServiceSpec: Sendable {
    var traffic: Double
    /// traffic × slo_window × (1 - slo); 0 when the service has no SLO or no traffic.
    var budgetDenominator: Double
    var edges: Range<Int32>
    var dependents: Range<Int32>
    var injections: Range<Int32>
    var conditions: Range<Int32>
    var burnBarriers: Range<Int32>
    var topologicalPosition: Int32
    var reachesCustomers: Bool
}

struct EdgeSpec: Sendable {
    var dependent: Int32
    var dependency: Int32
    var weight: Double
}

enum ProbabilityRef: Sendable {
    case fixed(Double)
    case belief(Int32)
}

struct BeliefSpec: Sendable {
    var site: Int32
    var sampler: ProbabilitySampler
}

enum LastsSpec: Sendable {
    case untilMitigated
    case whileTriggered
    case duration(site: Int32, sampler: TimeSampler)
}

struct InjectionSpec: Sendable {
    var target: Int32
    var errorRate: Double
    var rampSteps: Int32
    var rampOver: Double
    var recoverSteps: Int32
    var recoverOver: Double
    var lasts: LastsSpec
    var scheduled: Bool
    var dormant: Bool
    var occursSite: Int32
    var occurs: ProbabilityRef
    var atSite: Int32
    var at: TimeSampler
    var triggerCondition: Int32
    var triggerSite: Int32
    var triggerProbability: ProbabilityRef
    var chain: Range<Int32>
    var removers: Range<Int32>
    var reachesCustomers: Bool
    /// The responders that can remove it (ranges in ``CompiledScenario/candidateResponders``).
    var responders: Range<Int32> = 0..<0
}

struct ChainLink: Sendable {
    var barrier: Int32
    var worksSite: Int32
    var takesSite: Int32
}

enum BarrierKindTag: Sendable {
    case prevent, detect, mitigate
}

struct BarrierSpec: Sendable {
    var kind: BarrierKindTag
    var group: Int32
    var reliability: ProbabilityRef
    // prevent
    var effectiveness: ProbabilityRef = .fixed(1)
    var exposure: Double = 0
    var takes: TimeSampler = .constant(0)
    var takesFactors: Range<Int32> = 0..<0
    // detect
    var watches: Int32 = -1
    var worksSite: Int32 = -1
    var condition: Int32 = -1
    var burnWindow: Double = 0
    var burnTarget: Double = 0
    var every: Double = 0
    var phaseSite: Int32 = -1
    var checkSite: Int32 = -1
    var chancePerCheck: ProbabilityRef = .fixed(1)
    var delay: TimeSampler = .constant(0)
    var delaySite: Int32 = -1
    var delayFactors: Range<Int32> = 0..<0
    var notifies: Int32 = -1
    // mitigate
    var takesSite: Int32 = -1
    var removes: Range<Int32> = 0..<0
    var capEdge: Int32 = -1
    var capWeight: Double = 1
    var automatic = false

    init(kind: BarrierKindTag, group: Int32, reliability: ProbabilityRef) {
        self.kind = kind
        self.group = group
        self.reliability = reliability
    }

    var isBurnRate: Bool { kind == .detect && condition < 0 }
    var isProbe: Bool { every > 0 }
}

enum ConditionOwner: Sendable {
    case detect(Int32)
    case trigger(Int32)
    case automatic(Int32)
}

struct ConditionSpec: Sendable {
    var service: Int32
    var threshold: Double
    var holdFor: Double
    var owner: ConditionOwner
}

struct ResponderSpec: Sendable {
    var acknowledge: TimeSampler
    var acknowledgeSite: Int32
    var acknowledgeFactors: Range<Int32>
    var escalateAfter: Double
    var escalatesTo: Int32
    var forwardsTo: Int32
    var forwardDelay: TimeSampler
    var forwardSite: Int32
    var forwardFactors: Range<Int32>
    var diagnose: TimeSampler
    var diagnoseSite: Int32
    var diagnoseFactors: Range<Int32>
    var correctSite: Int32
    var accuracy: ProbabilityRef
    var uses: Range<Int32>
    /// The injections this responder can remove (ranges in ``CompiledScenario/candidateList``).
    var candidates: Range<Int32> = 0..<0
}

struct ModifierSpec: Sendable {
    var activeSite: Int32
    var probability: ProbabilityRef
}

struct FactorLink: Sendable {
    var modifier: Int32
    var factor: Double
}

import GamedayModel
import GamedayRandom
import HeapModule

/// The discrete-event simulation of one trial (spec sections 3 to 6, 9 and 10).
///
/// A `TrialEngine` is a reusable workspace: every array it needs is allocated once, when it is
/// created, and reset (keeping capacity) at the start of each trial, so the hot loop allocates
/// nothing per event. One engine serves one thread; create one per worker.
///
/// Order at one instant (spec section 10): effect changes first (occurrences, prevent decisions,
/// ramp and recovery steps, healing), then error rates are recomputed, then conditions are
/// checked, then people's work starts or completes; remaining ties go by file order. Events carry
/// that order in their sort key.
public struct TrialEngine {
    /// The scenario this engine runs.
    public let compiled: CompiledScenario
    /// The seed's keys for every draw site.
    public let keys: DrawKeys
    /// The scenario's hot-loop tables (owned by ``compiled``, which this engine keeps alive).
    let tables: CompiledScenario.Tables
    /// Options that change what a trial records or who acts.
    public var options: Options

    /// What a trial records and who acts in it.
    public struct Options: Sendable {
        /// Record the full trajectory with causes (``trace``).
        public var recordTrace = false
        /// Modelled responders act on pages. A drill turns this off: people act instead.
        public var modelResponders = true
        /// The most events a trial may process before it is stopped as runaway.
        public var eventCap = 1_000_000
        /// Record the address of every draw that no pin fixed (``unpinnedDraws``): a factual
        /// replay lists them, because they make it a distribution rather than one trajectory.
        public var recordDraws = false

        /// The defaults: no trace, modelled responders, a cap of a million events.
        public init() {}
    }

    // MARK: Per-trial state

    var trial: UInt64 = 0
    var now: Double = 0
    var queue = EventQueue()
    var sequence: UInt32 = 0
    var processedEvents = 0
    var dirty = false

    var serviceOwn: [Double]
    var serviceRate: [Double]
    var serviceOwnDirty: [Bool]
    var dirtyServices = IndexList()
    /// Services whose rate must be recomputed, by topological position.
    var worklist: PositionSet
    var inWorklist: [Bool]
    var changedServices = IndexList()
    var edgeWeight: [Double]
    /// Per service, Π(1 - level) over its injections: the `pass` of its own rate.
    var ownPass: [Double]
    /// Per service, the error rate as a from-scratch recomputation in topological order gives
    /// it (`1 - ownPass × Π(1 - w × passRate[d])`), the form ``failureRate(without:)`` compares
    /// against. It can differ from `serviceRate` (`1 - (1 - own) × ...`) in the last bit, so it
    /// is kept beside it. It is brought up to date only when a diagnosis needs it
    /// (``updatePassRates()``), from the services queued in `passPending`.
    var passRate: [Double]
    /// Services whose own pass or edge weights changed since ``passRate`` was last updated.
    var passPending: PositionSet
    /// Services whose per-service state differs from its reset value (reset costs only these).
    var touchedServices = IndexList()
    var serviceTouched: [Bool]
    /// Edges whose weight a cap lowered in this trial (reset restores only these).
    var cappedEdges: [Int32] = []
    /// Scratch space of ``failureRate(without:)``: rates valid where `scratchStamp` equals
    /// `scratchGeneration`, and the services queued for propagation.
    var scratchRate: [Double]
    var scratchStamp: [UInt32]
    var scratchQueued: [UInt32]
    var scratchGeneration: UInt32 = 0
    var scratchWorklist: PositionSet
    /// The services with traffic whose error rate is above zero, in service order: the only
    /// terms of the customer sums (the others add exactly nothing).
    var impactedTraffic: [Int32] = []
    var trafficImpacted: [Bool]
    /// Per injection: in action and assigned to no one (a cause a responder could take).
    var candidateAvailable: [Bool]
    /// The services with traffic whose ``passRate`` is not zero, in service order, and the
    /// services with traffic that one ``failureRate(without:)`` recomputed: the only nonzero
    /// terms of its sum.
    var passImpactedTraffic: [Int32] = []
    var passTrafficNonzero: [Bool]
    var scratchTraffic = IndexList()
    /// Per responder: how many of the causes it can remove are available, so that finding
    /// whether it has work costs nothing however many causes and responders there are.
    var availableCandidates: [Int32]

    var injections: [InjectionState]
    var barriers: [BarrierState]
    var groupFailed: [Int8]
    var conditions: [ConditionState]
    var responders: [ResponderState]
    var modifierActive: [Int8]
    var beliefValue: [Double]
    var beliefDrawn: [Bool]
    /// Per burn-rate barrier, the watched service's error-rate breakpoints this trial.
    var burnPoints: [[BurnPoint]]

    var pins: PinSet?
    /// The trace index of the event behind the latest rate change (the cause of conditions).
    var rateCause: Int32 = -1

    /// Error rates within this of a threshold count as equal to it, not above: `*_above` is
    /// strict, and a ramp of 40% in four steps must not cross 30% by a rounding error.
    static let thresholdTolerance = 1e-12
    var usedUniforms: [(key: PinKey, u: Double)] = []
    /// Draws sampled without a pin in the last trial, when ``Options/recordDraws`` is on.
    var drawLog: [PinKey] = []

    // Customer impact.
    var failedRate = 0.0
    var budgetRate = 0.0
    var customerErrorsPresent = false
    var metrics = TrialMetrics()
    var activeImpacting = 0
    var activeInjections = 0
    var idleResponders = 0
    var diagnosingCount = 0
    var runaway = false

    /// The trajectory of the last trial, when ``Options/recordTrace`` is on.
    public private(set) var trace: [TraceEvent] = []

    /// Creates a workspace for a compiled scenario and a seed.
    public init(compiled: CompiledScenario, keys: DrawKeys, options: Options = Options()) {
        self.compiled = compiled
        self.tables = compiled.tables
        self.keys = keys
        self.options = options
        let s = tables.services.count
        serviceOwn = Array(repeating: 0, count: s)
        serviceRate = Array(repeating: 0, count: s)
        serviceOwnDirty = Array(repeating: false, count: s)
        inWorklist = Array(repeating: false, count: s)
        edgeWeight = tables.edges.map(\.weight)
        ownPass = Array(repeating: 1, count: s)
        passRate = Array(repeating: 0, count: s)
        serviceTouched = Array(repeating: false, count: s)
        trafficImpacted = Array(repeating: false, count: s)
        candidateAvailable = Array(repeating: false, count: compiled.injections.count)
        passTrafficNonzero = Array(repeating: false, count: s)
        passImpactedTraffic.reserveCapacity(compiled.trafficServices.count)
        scratchTraffic.reserveCapacity(compiled.trafficServices.count)
        availableCandidates = Array(repeating: 0, count: compiled.responders.count)
        impactedTraffic.reserveCapacity(tables.trafficServices.count)
        scratchRate = Array(repeating: 0, count: s)
        scratchStamp = Array(repeating: 0, count: s)
        scratchQueued = Array(repeating: 0, count: s)
        touchedServices.reserveCapacity(s)
        worklist = PositionSet(capacity: s)
        passPending = PositionSet(capacity: s)
        scratchWorklist = PositionSet(capacity: s)
        cappedEdges.reserveCapacity(tables.edges.count)
        injections = Array(repeating: InjectionState(), count: tables.injections.count)
        barriers = Array(repeating: BarrierState(), count: tables.barriers.count)
        groupFailed = Array(repeating: -1, count: compiled.groupCount)
        conditions = Array(repeating: ConditionState(), count: tables.conditions.count)
        responders = Array(repeating: ResponderState(), count: tables.responders.count)
        modifierActive = Array(repeating: -1, count: tables.modifiers.count)
        beliefValue = Array(repeating: 0, count: tables.beliefs.count)
        beliefDrawn = Array(repeating: false, count: tables.beliefs.count)
        burnPoints = Array(repeating: [], count: tables.barriers.count)
        for b32 in tables.burnRateBarriers {
            let b = Int(b32)
            burnPoints[b].reserveCapacity(64)
        }
        queue.reserveCapacity(64)
        dirtyServices.reserveCapacity(s)
        changedServices.reserveCapacity(s)
    }

    // MARK: Running a trial

    /// Runs one whole trial and returns its metrics.
    ///
    /// - Parameters:
    ///   - trial: the trial index (the Philox counter).
    ///   - pins: draws fixed to observed values or to uniforms (replay); `nil` for none.
    public mutating func run(trial: UInt64, pins: PinSet? = nil) -> TrialMetrics {
        start(trial: trial, pins: pins)
        advance(until: compiled.horizon)
        return finish()
    }

    /// Starts a trial: resets the workspace and schedules the scheduled injections.
    ///
    /// Use with ``advance(until:)`` and ``finish()`` to step a trial (drills); ``run(trial:pins:)``
    /// does all three.
    public mutating func start(trial: UInt64, pins: PinSet? = nil) {
        self.trial = trial
        self.pins = (pins?.isEmpty ?? true) ? nil : pins
        reset()
        for i32 in tables.scheduledInjections {
            let i = Int(i32)
            let p = probability(tables.injections[i].occurs)
            guard drawEvent(site: tables.injections[i].occursSite, repeat: 1, probability: p) else { continue }
            let at = drawTime(site: tables.injections[i].atSite, repeat: 1, sampler: tables.injections[i].at, factors: 0..<0)
            if at < compiled.horizon {
                schedule(at, .occur, phase: 0, sub: 0, element: Int32(i), a: Int32(i))
            }
        }
        // Burn-rate trackers start with e = 0 at t = 0.
        for b32 in tables.burnRateBarriers {
            let b = Int(b32)
            burnPoints[b].append(BurnPoint(time: 0, value: 0, cumulative: 0))
        }
    }

    /// Processes every event up to and including time `limit` (capped at the horizon) and
    /// integrates impact up to it.
    public mutating func advance(until limit: Double) {
        let end = min(limit, compiled.horizon)
        while true {
            // Rates are recomputed once the effect changes of this instant are done, before any
            // condition or person acts at it, and before time moves on.
            if dirty, queue.min.map({ $0.time > now || $0.phase >= 1 }) ?? true {
                recomputeRates()
                continue
            }
            guard let next = queue.min, next.time <= end else { break }
            if next.time > now { integrate(to: next.time) }
            queue.removeMin()
            processedEvents += 1
            if processedEvents > options.eventCap {
                runaway = true
                metrics.runawayAt = now
                queue.removeAll()
                break
            }
            handle(next)
        }
        if end > now { integrate(to: end) }
    }

    /// The time of the next pending event, if any before the horizon.
    public var nextEventTime: Double? {
        guard let t = queue.min?.time, t <= compiled.horizon else { return nil }
        return t
    }

    /// The current simulated time.
    public var currentTime: Double { now }

    /// The propagated error rate of a service now.
    public func errorRate(service: Int) -> Double { serviceRate[service] }

    /// Ends the trial at the horizon and returns its metrics.
    public mutating func finish() -> TrialMetrics {
        advance(until: compiled.horizon)
        var m = metrics
        m.runaway = runaway
        m.events = processedEvents
        // Milestones that did not happen before the horizon are censored.
        if activeImpacting > 0 { m.mitigatedAt = nil }
        if customerErrorsPresent { m.recoveredAt = nil }
        // Probes that saw the condition but never noticed count as failed.
        for b in barriers.indices where barriers[b].demandedUnresolved {
            barriers[b].failedOnce = true
        }
        // Outcome.
        if m.occurred == 0 {
            m.outcome = .noFault
        } else if m.prevented == m.occurred {
            m.outcome = .prevented
        } else {
            let above: Bool
            switch compiled.scenario.incidentWhen {
            case .failedRequestsAbove(let n): above = m.failedRequests > n
            case .sloBudgetConsumedAbove(let s): above = m.sloBudgetConsumed > s
            }
            m.outcome = above ? .incident : .contained
        }
        metrics = m
        return m
    }

    /// Each barrier's state in the last trial, in file order.
    public func barrierStates() -> [BarrierOutcome] {
        barriers.map(\.outcome)
    }

    /// The state of one barrier in the last trial.
    public func barrierState(_ b: Int) -> BarrierOutcome { barriers[b].outcome }

    /// What became of one injection in the last trial.
    public func injectionOutcome(_ i: Int) -> InjectionOutcome {
        let state = injections[i]
        if state.status == .notOccurred { return .notOccurred }
        if state.prevented { return .prevented }
        if state.tookEffect { return .tookEffect }
        return .stoppedWhileDeciding
    }

    /// The uniforms used for pinned draws in the last trial (for counterfactual abduction).
    public var pinnedUniforms: [(key: PinKey, u: Double)] { usedUniforms }

    // MARK: Reset

    mutating func reset() {
        now = 0
        queue.removeAll()
        sequence = 0
        processedEvents = 0
        dirty = false
        runaway = false
        // Only the services and edges this trial touched differ from their reset values, so
        // a trial of a large scenario does not pay for the services it never reached.
        for s32 in dirtyServices { touchService(Int(s32)) }
        for s32 in touchedServices {
            let s = Int(s32)
            serviceOwn[s] = 0
            serviceRate[s] = 0
            ownPass[s] = 1
            passRate[s] = 0
            serviceOwnDirty[s] = false
            inWorklist[s] = false
            serviceTouched[s] = false
        }
        touchedServices.removeAll(keepingCapacity: true)
        for s32 in impactedTraffic { trafficImpacted[Int(s32)] = false }
        impactedTraffic.removeAll(keepingCapacity: true)
        for s32 in passImpactedTraffic { passTrafficNonzero[Int(s32)] = false }
        passImpactedTraffic.removeAll(keepingCapacity: true)
        dirtyServices.removeAll(keepingCapacity: true)
        changedServices.removeAll(keepingCapacity: true)
        worklist.removeAll()
        passPending.removeAll()
        for e32 in cappedEdges {
            let e = Int(e32)
            edgeWeight[e] = tables.edges[e].weight
        }
        cappedEdges.removeAll(keepingCapacity: true)
        Self.fill(&injections, with: InjectionState())
        Self.fill(&barriers, with: BarrierState())
        for b32 in tables.burnRateBarriers {
            let b = Int(b32)
            burnPoints[b].removeAll(keepingCapacity: true)
        }
        Self.fill(&groupFailed, with: -1)
        Self.fill(&conditions, with: ConditionState())
        Self.fill(&responders, with: ResponderState())
        Self.fill(&candidateAvailable, with: false)
        Self.fill(&availableCandidates, with: 0)
        Self.fill(&modifierActive, with: -1)
        Self.fill(&beliefDrawn, with: false)
        usedUniforms.removeAll(keepingCapacity: true)
        if options.recordDraws { drawLog.removeAll(keepingCapacity: true) }
        rateCause = -1
        failedRate = 0
        budgetRate = 0
        customerErrorsPresent = false
        metrics = TrialMetrics()
        activeImpacting = 0
        activeInjections = 0
        idleResponders = 0
        diagnosingCount = 0
        if options.recordTrace { trace.removeAll(keepingCapacity: true) }
    }

    /// Sets every element of a workspace array to its reset value in one pass.
    @inline(__always)
    static func fill<T>(_ array: inout [T], with value: T) {
        array.withUnsafeMutableBufferPointer { buffer in
            for k in buffer.indices { buffer[k] = value }
        }
    }

    /// Notes that a service's state may differ from its reset value.
    @inline(__always)
    mutating func touchService(_ s: Int) {
        if !serviceTouched[s] {
            serviceTouched[s] = true
            touchedServices.append(Int32(s))
        }
    }

    // MARK: Events

    enum EventKind: UInt8 {
        case occur, decideDone, heal, rampStep, recoverStep
        case conditionFire, probeCheck, burnCross, burnTail
        case pageArrive, acknowledge, escalate, forward, diagnoseDone, attemptDone, autoAttemptDone, drillAttemptDone
    }

    struct Event: Comparable {
        var time: Double
        var order: UInt64
        var kind: EventKind
        var a: Int32
        var b: Int32
        var generation: UInt32
        var cause: Int32

        var phase: UInt64 { order >> 60 }

        static func < (lhs: Event, rhs: Event) -> Bool {
            lhs.time < rhs.time || (lhs.time == rhs.time && lhs.order < rhs.order)
        }

        static func == (lhs: Event, rhs: Event) -> Bool {
            lhs.time == rhs.time && lhs.order == rhs.order
        }
    }

    mutating func schedule(_ time: Double, _ kind: EventKind, phase: UInt64, sub: UInt64, element: Int32,
                           a: Int32 = 0, b: Int32 = 0, generation: UInt32 = 0, cause: Int32 = -1) {
        sequence &+= 1
        let order = phase << 60 | sub << 56 | (UInt64(UInt32(bitPattern: element)) & 0xFF_FFFF) << 32 | UInt64(sequence)
        queue.insert(Event(time: time, order: order, kind: kind, a: a, b: b, generation: generation, cause: cause))
    }

    mutating func handle(_ event: Event) {
        switch event.kind {
        case .occur: occur(Int(event.a), cause: event.cause)
        case .decideDone: decideDone(Int(event.a), link: Int(event.b), generation: event.generation)
        case .heal: heal(Int(event.a), generation: event.generation)
        case .rampStep: rampStep(Int(event.a), step: Int(event.b), generation: event.generation)
        case .recoverStep: recoverStep(Int(event.a), step: Int(event.b), generation: event.generation, cause: event.cause)
        case .conditionFire: conditionSatisfied(Int(event.a), generation: event.generation)
        case .probeCheck: probeCheck(Int(event.a), k: Int(event.b), generation: event.generation)
        case .burnCross: burnCross(Int(event.a), generation: event.generation)
        case .burnTail: burnTail(Int(event.a), tail: Int(event.b), generation: event.generation)
        case .pageArrive: pageArrive(Int(event.a), via: Int(event.b), cause: event.cause)
        case .acknowledge: acknowledge(Int(event.a), cause: event.cause)
        case .escalate: escalate(Int(event.a), cause: event.cause)
        case .forward: forward(Int(event.a), cause: event.cause)
        case .diagnoseDone: diagnoseDone(Int(event.a), generation: event.generation, cause: event.cause)
        case .attemptDone: attemptDone(Int(event.a), barrier: Int(event.b), generation: event.generation, cause: event.cause)
        case .autoAttemptDone: autoAttemptDone(Int(event.a), cause: event.cause)
        case .drillAttemptDone: drillAttemptDone(Int(event.a), attempt: Int(event.b), cause: event.cause)
        }
    }

    // MARK: Trace

    @discardableResult
    mutating func record(_ subject: TraceEvent.Subject, _ index: Int, _ name: TraceEvent.Name, cause: Int32,
                         detail: Int32 = -1, detailSubject: TraceEvent.Subject? = nil) -> Int32 {
        guard options.recordTrace else { return -1 }
        trace.append(TraceEvent(at: now, subject: subject, index: Int32(index), name: name, cause: cause,
                                detail: detailSubject == nil ? -1 : detail, detailSubject: detailSubject))
        return Int32(trace.count - 1)
    }

    // MARK: Draws

    /// The uniform for a draw, or the pinned behaviour.
    @inline(__always)
    func uniform(site: Int32, repeat k: Int) -> Double {
        keys.key(site: Int(site), repeat: k).uniform(trial: trial)
    }

    mutating func drawEvent(site: Int32, repeat k: Int, probability p: Double) -> Bool {
        if let pins, let pin = pins[PinKey(site: site, repeat: k)] {
            let v = uniform(site: site, repeat: k)
            let u: Double
            switch pin {
            case .uniform(let fixed): u = fixed
            case .event(let happened):
                // Abduction for a yes/no draw: any uniform in the interval that gives the observed
                // answer, sampled within it by the draw's own uniform (spec section 8).
                u = happened ? v * p : p + v * (1 - p)
            default: u = v
            }
            usedUniforms.append((PinKey(site: site, repeat: k), u))
            return u < p
        }
        if p >= 1 { return true }
        if p <= 0 { return false }
        return sample(site: site, repeat: k) < p
    }

    mutating func drawTime(site: Int32, repeat k: Int, sampler: TimeSampler, factors: Range<Int32>) -> Double {
        let factor = factors.isEmpty ? 1 : modifierFactor(factors)
        if let pins, let pin = pins[PinKey(site: site, repeat: k)] {
            switch pin {
            case .uniform(let u):
                usedUniforms.append((PinKey(site: site, repeat: k), u))
                return sampler.quantile(u) * factor
            case .time(let observed):
                // Abduction for a time: its quantile in this trial's distribution (modifiers
                // included), so a variant maps the same quantile through its own distribution.
                let u: Double
                switch sampler.pin(observed / factor) {
                case .quantile(let q)?: u = q
                case .interval(let interval)?: u = interval.map(uniform(site: site, repeat: k))
                case .value?, nil: u = uniform(site: site, repeat: k)
                }
                usedUniforms.append((PinKey(site: site, repeat: k), u))
                return observed
            default:
                break
            }
        }
        if let c = sampler.constantValue { return c * factor }
        return sampler.quantile(sample(site: site, repeat: k)) * factor
    }

    mutating func probability(_ ref: ProbabilityRef) -> Double {
        switch ref {
        case .fixed(let p): return p
        case .belief(let slot):
            let i = Int(slot)
            if beliefDrawn[i] { return beliefValue[i] }
            let spec = tables.beliefs[i]
            var value: Double
            if let pins, let pin = pins[PinKey(site: spec.site, repeat: 1)] {
                switch pin {
                case .probability(let v):
                    // Abduction for a belief: its quantile, so a variant that changes the belief maps
                    // the same quantile through its own distribution (spec section 8).
                    value = v
                    usedUniforms.append((PinKey(site: spec.site, repeat: 1), spec.sampler.cdf(v)))
                case .uniform(let u):
                    value = spec.sampler.quantile(u)
                    usedUniforms.append((PinKey(site: spec.site, repeat: 1), u))
                default: value = spec.sampler.quantile(uniform(site: spec.site, repeat: 1))
                }
            } else {
                value = spec.sampler.quantile(sample(site: spec.site, repeat: 1))
            }
            value = min(1, max(0, value))
            beliefValue[i] = value
            beliefDrawn[i] = true
            return value
        }
    }

    mutating func modifierFactor(_ range: Range<Int32>) -> Double {
        var factor = 1.0
        for l in range {
            let link = tables.factorLinks[Int(l)]
            if isModifierActive(Int(link.modifier)) { factor *= link.factor }
        }
        return factor
    }

    mutating func isModifierActive(_ m: Int) -> Bool {
        if modifierActive[m] >= 0 { return modifierActive[m] == 1 }
        let spec = tables.modifiers[m]
        let active = spec.activeSite < 0 ? true : drawEvent(site: spec.activeSite, repeat: 1, probability: probability(spec.probability))
        modifierActive[m] = active ? 1 : 0
        return active
    }

    mutating func isGroupFailed(_ g: Int32) -> Bool {
        guard g >= 0 else { return false }
        let i = Int(g)
        if groupFailed[i] >= 0 { return groupFailed[i] == 1 }
        let failed = drawEvent(site: tables.groupSites[i], repeat: 1, probability: tables.groupBetas[i])
        groupFailed[i] = failed ? 1 : 0
        return failed
    }

    /// Whether a detect barrier works in this trial (drawn once: a broken alert stays broken).
    mutating func detectWorks(_ b: Int) -> Bool {
        if barriers[b].works >= 0 { return barriers[b].works == 1 }
        let works = !isGroupFailed(tables.barriers[b].group) && drawEvent(site: tables.barriers[b].worksSite, repeat: 1, probability: probability(tables.barriers[b].reliability))
        barriers[b].works = works ? 1 : 0
        return works
    }

    // MARK: Rates

    mutating func setLevel(_ i: Int, _ level: Double) {
        guard injections[i].level != level else { return }
        injections[i].level = level
        rateCause = injections[i].cause
        let s = Int(tables.injections[i].target)
        if !serviceOwnDirty[s] {
            serviceOwnDirty[s] = true
            dirtyServices.append(Int32(s))
            touchService(s)
        }
        dirty = true
    }

    /// Recomputes own rates of dirty services and propagates to dependents in topological order,
    /// then checks the conditions on every service whose rate changed.
    mutating func recomputeRates() {
        dirty = false
        for s32 in dirtyServices {
            let s = Int(s32)
            serviceOwnDirty[s] = false
            var pass = 1.0
            for j in tables.services[s].injections {
                pass *= 1 - injections[Int(tables.injectionsByService[Int(j)])].level
            }
            serviceOwn[s] = 1 - pass
            ownPass[s] = pass
            passPending.insert(Int(tables.services[s].topologicalPosition))
            if !inWorklist[s] {
                inWorklist[s] = true
                worklist.insert(Int(tables.services[s].topologicalPosition))
            }
        }
        dirtyServices.removeAll(keepingCapacity: true)
        changedServices.removeAll(keepingCapacity: true)
        var customerRateChanged = false
        let order = tables.topologicalOrder, edges = tables.edges
        while let position = worklist.popMin() {
            let s = Int(order[position])
            inWorklist[s] = false
            var pass = 1 - serviceOwn[s]
            let range = tables.services[s].edges
            if !range.isEmpty {
                edgeWeight.withUnsafeBufferPointer { weights in
                    serviceRate.withUnsafeBufferPointer { rates in
                        for e in Int(range.lowerBound)..<Int(range.upperBound) {
                            pass *= 1 - weights[e] * rates[Int(edges[e].dependency)]
                        }
                    }
                }
            }
            let rate = 1 - pass
            guard rate != serviceRate[s] else { continue }
            touchService(s)
            serviceRate[s] = rate
            changedServices.append(Int32(s))
            if tables.services[s].traffic > 0 {
                customerRateChanged = true
                let impacted = rate > 0
                if impacted != trafficImpacted[s] {
                    trafficImpacted[s] = impacted
                    updateImpactedTraffic(s, impacted: impacted)
                }
            }
            for d in tables.services[s].dependents {
                let dependent = Int(tables.edges[Int(tables.dependentEdges[Int(d)])].dependent)
                if !inWorklist[dependent] {
                    inWorklist[dependent] = true
                    worklist.insert(Int(tables.services[dependent].topologicalPosition))
                }
            }
        }
        guard !changedServices.isEmpty else { return }
        // The customer sums only move when a service with traffic changed (recomputing them
        // otherwise gives the same bits).
        if customerRateChanged { updateCustomerImpact() }
        // Conditions in service-index order, then condition order: deterministic.
        if changedServices.count > 1 { changedServices.sort() }
        for index in changedServices.indices {
            let s = Int(changedServices[index])
            for c in tables.services[s].conditions { evaluateCondition(Int(tables.conditionsByService[Int(c)])) }
            for b in tables.services[s].burnBarriers { burnUpdate(Int(tables.burnByService[Int(b)]), appending: true) }
        }
    }

    /// Adds a service with traffic to ``impactedTraffic`` or takes it out, keeping service order.
    mutating func updateImpactedTraffic(_ s: Int, impacted: Bool) {
        Self.updateSortedList(&impactedTraffic, s, member: impacted)
    }

    /// Inserts `s` into a list sorted by service index, or removes it.
    static func updateSortedList(_ list: inout [Int32], _ s: Int, member: Bool) {
        var k = list.count
        while k > 0 && Int(list[k - 1]) >= s { k -= 1 }
        if member {
            if k == list.count || Int(list[k]) != s { list.insert(Int32(s), at: k) }
        } else if k < list.count && Int(list[k]) == s {
            list.remove(at: k)
        }
    }

    /// Recomputes the customer failure and budget rates, the peak error rate and whether
    /// customers see errors, over the services with traffic and errors, in service order.
    mutating func updateCustomerImpact() {
        var rate = 0.0, budget = 0.0
        var present = false
        for s32 in impactedTraffic {
            let s = Int(s32)
            let e = serviceRate[s]
            guard e > 0 else { continue }
            present = true
            let traffic = tables.services[s].traffic
            let denominator = tables.services[s].budgetDenominator
            rate += traffic * e
            if denominator > 0 { budget += traffic * e / denominator }
            if e > metrics.peakErrorRate { metrics.peakErrorRate = e }
        }
        failedRate = rate
        budgetRate = budget
        if present && !customerErrorsPresent {
            if metrics.firstImpactAt == nil { metrics.firstImpactAt = now }
            metrics.recoveredAt = nil
        } else if !present && customerErrorsPresent {
            metrics.recoveredAt = now
        }
        customerErrorsPresent = present
    }

    mutating func integrate(to t: Double) {
        let dt = t - now
        if dt > 0, customerErrorsPresent {
            metrics.failedRequests += failedRate * dt
            metrics.sloBudgetConsumed += budgetRate * dt
            metrics.impactDuration += dt
        }
        now = t
    }

    // MARK: Injections

    mutating func occur(_ i: Int, cause: Int32) {
        guard injections[i].status == .notOccurred else { return }
        injections[i].status = .deciding
        refreshAvailability(i)
        injections[i].occurredAt = now
        injections[i].generation &+= 1
        metrics.occurred += 1
        activeInjections += 1
        let occurred = record(.injection, i, .occurred, cause: cause)
        injections[i].cause = occurred
        if case .duration(let site, let sampler) = tables.injections[i].lasts {
            let lasts = drawTime(site: site, repeat: 1, sampler: sampler, factors: 0..<0)
            schedule(now + lasts, .heal, phase: 0, sub: 2, element: Int32(i), a: Int32(i), generation: injections[i].generation, cause: occurred)
        }
        decide(i, link: Int(tables.injections[i].chain.lowerBound), cause: occurred)
        reassessResponders()
    }

    /// Runs the prevent chain from `link` on: each barrier decides in turn (spec section 5).
    mutating func decide(_ i: Int, link startLink: Int, cause: Int32) {
        var link = startLink
        while link < Int(tables.injections[i].chain.upperBound) {
            let chainLink = tables.chainLinks[link]
            let takes = drawTime(site: chainLink.takesSite, repeat: 1, sampler: tables.barriers[Int(chainLink.barrier)].takes, factors: tables.barriers[Int(chainLink.barrier)].takesFactors)
            if takes > 0 {
                injections[i].link = Int32(link)
                if tables.barriers[Int(chainLink.barrier)].exposure > 0 {
                    setImpactLevel(i, tables.injections[i].errorRate * tables.barriers[Int(chainLink.barrier)].exposure)
                    record(.injection, i, .exposed, cause: cause, detail: chainLink.barrier, detailSubject: .barrier)
                } else {
                    setImpactLevel(i, 0)
                }
                schedule(now + takes, .decideDone, phase: 0, sub: 1, element: Int32(i), a: Int32(i), b: Int32(link),
                         generation: injections[i].generation, cause: cause)
                return
            }
            if preventDecision(i, link: link, cause: cause) { return }
            link += 1
        }
        takeEffect(i, cause: cause)
    }

    /// One prevent barrier's decision on one injection; returns true when it stopped it.
    mutating func preventDecision(_ i: Int, link: Int, cause: Int32) -> Bool {
        let chainLink = tables.chainLinks[link]
        let b = Int(chainLink.barrier)
        let chance = probability(tables.barriers[b].reliability) * probability(tables.barriers[b].effectiveness)
        let stops = !isGroupFailed(tables.barriers[b].group) && drawEvent(site: chainLink.worksSite, repeat: 1, probability: chance)
        if stops {
            barriers[b].heldOnce = true
            let held = record(.barrier, b, .held, cause: cause, detail: Int32(i), detailSubject: .injection)
            // Later barriers on this injection's path are bypassed.
            for later in (link + 1)..<Int(tables.injections[i].chain.upperBound) {
                barriers[Int(tables.chainLinks[later].barrier)].bypassedOnce = true
            }
            injections[i].prevented = true
            metrics.prevented += 1
            let prevented = record(.injection, i, .prevented, cause: held, detail: Int32(b), detailSubject: .barrier)
            remove(i, cause: prevented)
            return true
        }
        barriers[b].failedOnce = true
        record(.barrier, b, .failed, cause: cause, detail: Int32(i), detailSubject: .injection)
        return false
    }

    mutating func decideDone(_ i: Int, link: Int, generation: UInt32) {
        guard injections[i].generation == generation, injections[i].status == .deciding else { return }
        let cause = injections[i].cause
        if preventDecision(i, link: link, cause: cause) { return }
        decide(i, link: link + 1, cause: cause)
    }

    mutating func takeEffect(_ i: Int, cause: Int32) {
        injections[i].status = .active
        injections[i].link = -1
        injections[i].tookEffect = true
        let took = record(.injection, i, .tookEffect, cause: cause)
        injections[i].cause = took
        let n = Int(tables.injections[i].rampSteps)
        setImpactLevel(i, tables.injections[i].errorRate / Double(n))
        if n > 1 {
            for step in 2...n {
                let at = now + Double(step - 1) * tables.injections[i].rampOver / Double(n - 1)
                schedule(at, .rampStep, phase: 0, sub: 3, element: Int32(i), a: Int32(i), b: Int32(step), generation: injections[i].generation, cause: took)
            }
        }
    }

    mutating func rampStep(_ i: Int, step: Int, generation: UInt32) {
        guard injections[i].generation == generation, injections[i].status == .active else { return }
        setImpactLevel(i, tables.injections[i].errorRate * Double(step) / Double(tables.injections[i].rampSteps))
    }

    /// Sets an active injection's level and keeps the count of injections impacting customers.
    mutating func setImpactLevel(_ i: Int, _ level: Double) {
        if level > 0, !injections[i].impacting, tables.injections[i].reachesCustomers {
            injections[i].impacting = true
            activeImpacting += 1
        }
        setLevel(i, level)
    }

    mutating func heal(_ i: Int, generation: UInt32) {
        guard injections[i].generation == generation else { return }
        guard injections[i].status == .deciding || injections[i].status == .active else { return }
        let healed = record(.injection, i, .healed, cause: injections[i].cause)
        remove(i, cause: healed)
    }

    /// Takes an injection out of action: its effect steps down per `recovers` (spec section 4).
    mutating func remove(_ i: Int, cause: Int32) {
        // Stopped while a prevent barrier was still deciding (mitigated or healed during a canary,
        // say): the fault never took effect, so the trial counts it with the prevented ones.
        // Otherwise a faster rollback during the canary window would turn prevented trials into
        // incidents and make a control that cuts failed requests look like new harm.
        if injections[i].status == .deciding, !injections[i].prevented {
            injections[i].stoppedWhileDeciding = true
            metrics.prevented += 1
        }
        injections[i].status = .recovering
        injections[i].generation &+= 1
        injections[i].link = -1
        activeInjections -= 1
        if injections[i].impacting {
            injections[i].impacting = false
            activeImpacting -= 1
            if activeImpacting == 0 { metrics.mitigatedAt = now }
        }
        if injections[i].assignedTo >= 0 { injections[i].assignedTo = -1 }
        refreshAvailability(i)
        let from = injections[i].level
        injections[i].recoverFrom = from
        let n = Int(tables.injections[i].recoverSteps)
        if from == 0 {
            injections[i].status = .finished
            return
        }
        setLevel(i, from * Double(n - 1) / Double(n))
        if n == 1 {
            injections[i].status = .finished
            record(.injection, i, .recovered, cause: cause)
            return
        }
        for step in 2...n {
            let at = now + Double(step - 1) * tables.injections[i].recoverOver / Double(n - 1)
            schedule(at, .recoverStep, phase: 0, sub: 3, element: Int32(i), a: Int32(i), b: Int32(step), generation: injections[i].generation, cause: cause)
        }
    }

    mutating func recoverStep(_ i: Int, step: Int, generation: UInt32, cause: Int32) {
        guard injections[i].generation == generation, injections[i].status == .recovering else { return }
        let n = Int(tables.injections[i].recoverSteps)
        setLevel(i, injections[i].recoverFrom * Double(n - step) / Double(n))
        if step == n {
            injections[i].status = .finished
            record(.injection, i, .recovered, cause: cause)
        }
    }

    /// Whether an injection is in action (deciding or active): a cause responders can work on.
    func isActive(_ i: Int) -> Bool {
        injections[i].status == .deciding || injections[i].status == .active
    }

    // MARK: Conditions

    mutating func evaluateCondition(_ c: Int) {
        let spec = tables.conditions[c]
        let holds = serviceRate[Int(spec.service)] > spec.threshold + Self.thresholdTolerance
        guard holds != conditions[c].holds else { return }
        conditions[c].holds = holds
        conditions[c].generation &+= 1
        if holds {
            conditions[c].since = now
            conditions[c].cause = rateCause
            schedule(now + spec.holdFor, .conditionFire, phase: 1, sub: 0, element: ownerElement(spec.owner), a: Int32(c), generation: conditions[c].generation)
        } else {
            conditions[c].satisfied = false
            conditionStopped(c)
        }
    }

    func ownerElement(_ owner: ConditionOwner) -> Int32 {
        switch owner {
        case .detect(let b), .automatic(let b): return b
        case .trigger(let i): return i
        }
    }

    /// A condition has held for its `for`.
    mutating func conditionSatisfied(_ c: Int, generation: UInt32) {
        guard conditions[c].generation == generation, conditions[c].holds else { return }
        conditions[c].satisfied = true
        switch tables.conditions[c].owner {
        case .detect(let b32):
            let b = Int(b32)
            guard !barriers[b].done else { return }
            if tables.barriers[b].isProbe {
                startProbe(b, condition: c)
            } else {
                detectFires(b, cause: conditions[c].cause)
            }
        case .trigger(let i32):
            let i = Int(i32)
            guard !injections[i].triggerDrawn, injections[i].status == .notOccurred else { return }
            injections[i].triggerDrawn = true
            if drawEvent(site: tables.injections[i].triggerSite, repeat: 1, probability: probability(tables.injections[i].triggerProbability)) {
                let triggered = record(.injection, i, .triggered, cause: conditions[c].cause)
                schedule(now, .occur, phase: 0, sub: 0, element: Int32(i), a: Int32(i), cause: triggered)
            }
        case .automatic(let b32):
            startAutomaticAttempt(Int(b32), cause: conditions[c].cause)
        }
    }

    /// A condition stopped holding.
    mutating func conditionStopped(_ c: Int) {
        switch tables.conditions[c].owner {
        case .trigger(let i32):
            let i = Int(i32)
            if case .whileTriggered = tables.injections[i].lasts, isActive(i) {
                let healed = record(.injection, i, .healed, cause: injections[i].cause)
                remove(i, cause: healed)
            }
        case .automatic(let b32):
            barriers[Int(b32)].armed = true
        case .detect:
            break
        }
    }

    // MARK: Detection

    /// A detect barrier's condition is met: it fires if it works, else it has failed (spec section 5).
    mutating func detectFires(_ b: Int, cause: Int32) {
        barriers[b].done = true
        barriers[b].demandedUnresolved = false
        guard detectWorks(b) else {
            barriers[b].failedOnce = true
            record(.barrier, b, .failed, cause: cause)
            return
        }
        barriers[b].heldOnce = true
        let fired = record(.barrier, b, .fired, cause: cause)
        let delay = drawTime(site: tables.barriers[b].delaySite, repeat: 1, sampler: tables.barriers[b].delay, factors: tables.barriers[b].delayFactors)
        if tables.barriers[b].notifies >= 0 {
            schedule(now + delay, .pageArrive, phase: 2, sub: 0, element: Int32(b), a: tables.barriers[b].notifies, b: Int32(b), cause: fired)
        }
    }

    mutating func startProbe(_ b: Int, condition c: Int) {
        if barriers[b].phase < 0 { barriers[b].phase = drawPhase(site: tables.barriers[b].phaseSite, every: tables.barriers[b].every) }
        barriers[b].demandedUnresolved = true
        // The first check at or after now; checks are numbered from t = 0 whether or not the
        // condition held, check k (from 1) falling at phase + (k - 1) × every.
        let phase = barriers[b].phase
        let k = now <= phase ? 1 : Int(((now - phase) / tables.barriers[b].every).rounded(.up)) + 1
        schedule(phase + Double(k - 1) * tables.barriers[b].every, .probeCheck, phase: 1, sub: 1, element: Int32(b), a: Int32(b), b: Int32(k),
                 generation: conditions[c].generation)
    }

    /// A probe's first-check offset, uniform in [0, every). A pin may fix it as a time or a uniform.
    mutating func drawPhase(site: Int32, every: Double) -> Double {
        if let pins, let pin = pins[PinKey(site: site, repeat: 1)] {
            switch pin {
            case .uniform(let u):
                usedUniforms.append((PinKey(site: site, repeat: 1), u))
                return u * every
            case .time(let t):
                usedUniforms.append((PinKey(site: site, repeat: 1), t / every))
                return t
            default: break
            }
        }
        return sample(site: site, repeat: 1) * every
    }

    mutating func probeCheck(_ b: Int, k: Int, generation: UInt32) {
        let c = Int(tables.barriers[b].condition)
        guard !barriers[b].done, conditions[c].generation == generation, conditions[c].satisfied else { return }
        guard detectWorks(b) else {
            barriers[b].done = true
            barriers[b].demandedUnresolved = false
            barriers[b].failedOnce = true
            record(.barrier, b, .failed, cause: conditions[c].cause)
            return
        }
        if drawEvent(site: tables.barriers[b].checkSite, repeat: k, probability: probability(tables.barriers[b].chancePerCheck)) {
            detectFires(b, cause: conditions[c].cause)
        } else {
            schedule(barriers[b].phase + Double(k) * tables.barriers[b].every, .probeCheck, phase: 1, sub: 1, element: Int32(b), a: Int32(b), b: Int32(k + 1), generation: generation)
        }
    }

    // MARK: Burn rate

    /// Updates a burn-rate tracker after its service's rate changed (or a window breakpoint passed)
    /// and schedules the exact crossing time or the next breakpoint (spec section 5).
    mutating func burnUpdate(_ b: Int, appending: Bool) {
        guard !barriers[b].done else { return }
        let e = serviceRate[Int(tables.barriers[b].watches)]
        if appending {
            barriers[b].burnCause = rateCause
            let previous = burnPoints[b][burnPoints[b].count - 1]
            let cumulative = previous.cumulative + previous.value * (now - previous.time)
            burnPoints[b].append(BurnPoint(time: now, value: e, cumulative: cumulative))
        }
        barriers[b].burnGeneration &+= 1
        let window = tables.barriers[b].burnWindow
        let tailTime = now - window
        var tailRate = 0.0
        var tailArea = 0.0
        var nextBreak = Double.infinity
        var nextTail = 0
        var areaNow = 0.0
        var j = barriers[b].burnTail
        burnPoints[b].withUnsafeBufferPointer { points in
            let last = points.count - 1
            areaNow = points[last].cumulative + points[last].value * (now - points[last].time)
            if tailTime < 0 {
                nextBreak = window + points[0].time
            } else {
                while j + 1 <= last, points[j + 1].time <= tailTime { j += 1 }
                tailRate = points[j].value
                tailArea = points[j].cumulative + tailRate * (tailTime - points[j].time)
                if j + 1 <= last {
                    nextBreak = points[j + 1].time + window
                    nextTail = j + 1
                }
            }
        }
        if tailTime >= 0 { barriers[b].burnTail = j }
        let area = areaNow - tailArea
        let slope = e - tailRate
        if area > tables.barriers[b].burnTarget {
            schedule(now, .burnCross, phase: 1, sub: 2, element: Int32(b), a: Int32(b), generation: barriers[b].burnGeneration)
            return
        }
        if slope > 0 {
            let crossing = now + (tables.barriers[b].burnTarget - area) / slope
            if crossing <= nextBreak {
                schedule(crossing, .burnCross, phase: 1, sub: 2, element: Int32(b), a: Int32(b), generation: barriers[b].burnGeneration)
                return
            }
        }
        if nextBreak.isFinite {
            schedule(nextBreak, .burnTail, phase: 1, sub: 3, element: Int32(b), a: Int32(b), b: Int32(nextTail), generation: barriers[b].burnGeneration)
        }
    }

    mutating func burnTail(_ b: Int, tail: Int, generation: UInt32) {
        guard barriers[b].burnGeneration == generation else { return }
        // The window's tail has reached change point `tail`; say so explicitly, because
        // (t + window) - window need not give t back in floating point.
        barriers[b].burnTail = max(barriers[b].burnTail, tail)
        burnUpdate(b, appending: false)
    }

    mutating func burnCross(_ b: Int, generation: UInt32) {
        guard barriers[b].burnGeneration == generation, !barriers[b].done else { return }
        detectFires(b, cause: barriers[b].burnCause)
    }

    // MARK: Automatic mitigations

    mutating func startAutomaticAttempt(_ b: Int, cause: Int32) {
        guard barriers[b].armed, !barriers[b].inProgress, !barriers[b].succeeded else { return }
        barriers[b].armed = false
        barriers[b].inProgress = true
        if metrics.detectedAt == nil { metrics.detectedAt = now }
        let fired = record(.barrier, b, .fired, cause: cause)
        barriers[b].attempts += 1
        let takes = drawTime(site: tables.barriers[b].takesSite, repeat: barriers[b].attempts, sampler: tables.barriers[b].takes, factors: tables.barriers[b].takesFactors)
        schedule(now + takes, .autoAttemptDone, phase: 2, sub: 5, element: Int32(b), a: Int32(b), cause: fired)
    }

    mutating func autoAttemptDone(_ b: Int, cause: Int32) {
        barriers[b].inProgress = false
        if mitigationAttemptWorks(b, attempt: barriers[b].attempts) {
            barriers[b].succeeded = true
            barriers[b].heldOnce = true
            let held = record(.barrier, b, .held, cause: cause)
            applyMitigation(b, cause: held)
        } else {
            barriers[b].failedOnce = true
            record(.barrier, b, .failed, cause: cause)
            // Retry the next time the condition becomes true.
            let c = Int(tables.barriers[b].condition)
            if !conditions[c].holds { barriers[b].armed = true }
        }
    }

    mutating func mitigationAttemptWorks(_ b: Int, attempt k: Int) -> Bool {
        if isGroupFailed(tables.barriers[b].group) { return false }
        return drawEvent(site: tables.barriers[b].worksSite, repeat: k, probability: probability(tables.barriers[b].reliability))
    }

    /// A successful mitigation: removes its injections and applies its cap.
    mutating func applyMitigation(_ b: Int, cause: Int32) {
        for r in tables.barriers[b].removes {
            let i = Int(tables.removals[Int(r)])
            guard isActive(i) else { continue }
            let mitigated = record(.injection, i, .mitigated, cause: cause, detail: Int32(b), detailSubject: .barrier)
            remove(i, cause: mitigated)
        }
        if tables.barriers[b].capEdge >= 0 {
            let e = Int(tables.barriers[b].capEdge)
            if edgeWeight[e] > tables.barriers[b].capWeight {
                if edgeWeight[e] == tables.edges[e].weight { cappedEdges.append(Int32(e)) }
                edgeWeight[e] = tables.barriers[b].capWeight
                let s = Int(tables.edges[e].dependent)
                passPending.insert(Int(tables.services[s].topologicalPosition))
                if !serviceOwnDirty[s] {
                    serviceOwnDirty[s] = true
                    dirtyServices.append(Int32(s))
                    touchService(s)
                }
                dirty = true
            }
        }
        reassessResponders()
    }

    // MARK: Responders

    /// Whether all impact has ended: nothing active and no customer errors.
    var impactEnded: Bool { activeInjections == 0 && !customerErrorsPresent }

    mutating func pageArrive(_ r: Int, via b: Int, cause: Int32) {
        if b >= 0 && b < tables.barriers.count && tables.barriers[b].kind == .detect {
            record(.barrier, b, .paged, cause: cause, detail: Int32(r), detailSubject: .responder)
        }
        let paged = record(.responder, r, .paged, cause: cause)
        guard !impactEnded else { return }  // logged, not a detection, starts no work
        if metrics.detectedAt == nil { metrics.detectedAt = now }
        guard options.modelResponders, !responders[r].paged else { return }
        responders[r].paged = true
        let ack = drawTime(site: tables.responders[r].acknowledgeSite, repeat: 1, sampler: tables.responders[r].acknowledge, factors: tables.responders[r].acknowledgeFactors)
        schedule(now + ack, .acknowledge, phase: 2, sub: 1, element: Int32(r), a: Int32(r), cause: paged)
        if tables.responders[r].escalateAfter >= 0, tables.responders[r].escalatesTo >= 0 {
            schedule(now + tables.responders[r].escalateAfter, .escalate, phase: 2, sub: 2, element: Int32(r), a: Int32(r), cause: paged)
        }
    }

    mutating func acknowledge(_ r: Int, cause: Int32) {
        guard !responders[r].acknowledged else { return }
        responders[r].acknowledged = true
        let acknowledged = record(.responder, r, .acknowledged, cause: cause)
        responders[r].cause = acknowledged
        if tables.responders[r].forwardsTo >= 0 {
            let delay = drawTime(site: tables.responders[r].forwardSite, repeat: 1, sampler: tables.responders[r].forwardDelay, factors: tables.responders[r].forwardFactors)
            schedule(now + delay, .forward, phase: 2, sub: 3, element: Int32(r), a: Int32(r), cause: acknowledged)
            return
        }
        if metrics.acknowledgedAt == nil { metrics.acknowledgedAt = now }
        responders[r].idle = true
        idleResponders += 1
        tryStartDiagnosis(r)
    }

    mutating func escalate(_ r: Int, cause: Int32) {
        guard !responders[r].acknowledged else { return }
        let escalated = record(.responder, r, .escalated, cause: cause)
        schedule(now, .pageArrive, phase: 2, sub: 0, element: Int32(r), a: tables.responders[r].escalatesTo, b: -1, cause: escalated)
    }

    mutating func forward(_ r: Int, cause: Int32) {
        let forwarded = record(.responder, r, .forwarded, cause: cause)
        schedule(now, .pageArrive, phase: 2, sub: 0, element: Int32(r), a: tables.responders[r].forwardsTo, b: -1, cause: forwarded)
    }

    /// Whether a responder can remove an injection with one of its mitigations.
    func canMitigate(_ r: Int, _ i: Int) -> Bool {
        for u in tables.responders[r].uses {
            let b = Int(tables.usesList[Int(u)])
            for k in tables.barriers[b].removes where Int(tables.removals[Int(k)]) == i { return true }
        }
        return false
    }

    /// Whether there is an active cause this responder could take: more unassigned causes it can
    /// remove than other responders already diagnosing. "The first to acknowledge takes the first
    /// cause; whoever acknowledges later takes the next unassigned cause, or stands by" (spec
    /// section 6): a diagnosing responder holds a claim on one cause before naming it.
    func hasCandidate(_ r: Int) -> Bool {
        assert(Int(availableCandidates[r]) == tables.responders[r].candidates.filter { k in
            let i = Int(tables.candidateList[Int(k)])
            return isActive(i) && injections[i].assignedTo < 0
        }.count, "available-cause count out of step")
        let others = diagnosingCount - (responders[r].diagnosing ? 1 : 0)
        return Int(availableCandidates[r]) > others
    }

    /// Keeps ``candidateAvailable`` and the responders' counts in step after an injection's
    /// status or assignment changed.
    mutating func refreshAvailability(_ i: Int) {
        let available = isActive(i) && injections[i].assignedTo < 0
        guard available != candidateAvailable[i] else { return }
        candidateAvailable[i] = available
        let change: Int32 = available ? 1 : -1
        for k in tables.injections[i].responders {
            availableCandidates[Int(tables.candidateResponders[Int(k)])] += change
        }
    }

    mutating func reassessResponders() {
        guard idleResponders > 0 else { return }
        for r in responders.indices where responders[r].idle { tryStartDiagnosis(r) }
    }

    mutating func tryStartDiagnosis(_ r: Int) {
        guard responders[r].idle, hasCandidate(r) else { return }
        responders[r].idle = false
        idleResponders -= 1
        startDiagnosis(r)
    }

    mutating func startDiagnosis(_ r: Int) {
        if !responders[r].diagnosing {
            responders[r].diagnosing = true
            diagnosingCount += 1
        }
        responders[r].diagnoses += 1
        responders[r].generation &+= 1
        let k = responders[r].diagnoses
        let duration = drawTime(site: tables.responders[r].diagnoseSite, repeat: k, sampler: tables.responders[r].diagnose, factors: tables.responders[r].diagnoseFactors)
        schedule(now + duration, .diagnoseDone, phase: 2, sub: 4, element: Int32(r), a: Int32(r), generation: responders[r].generation, cause: responders[r].cause)
    }

    mutating func stopDiagnosing(_ r: Int) {
        guard responders[r].diagnosing else { return }
        responders[r].diagnosing = false
        diagnosingCount -= 1
    }

    mutating func becomeIdle(_ r: Int) {
        let releasedClaim = responders[r].diagnosing
        stopDiagnosing(r)
        if !responders[r].idle {
            responders[r].idle = true
            idleResponders += 1
        }
        // A released claim may let a responder standing by take the cause.
        if releasedClaim { reassessResponders() } else { tryStartDiagnosis(r) }
    }

    mutating func diagnoseDone(_ r: Int, generation: UInt32, cause: Int32) {
        guard responders[r].generation == generation else { return }
        let k = responders[r].diagnoses
        let correct = drawEvent(site: tables.responders[r].correctSite, repeat: k, probability: probability(tables.responders[r].accuracy))
        guard correct else {
            responders[r].cause = record(.responder, r, .misdiagnosed, cause: cause)
            if hasCandidate(r) { startDiagnosis(r) } else { becomeIdle(r) }
            return
        }
        guard let i = bestCandidate(r) else {
            becomeIdle(r)
            return
        }
        stopDiagnosing(r)
        if metrics.diagnosedAt == nil { metrics.diagnosedAt = now }
        let diagnosed = record(.responder, r, .diagnosed, cause: cause, detail: Int32(i), detailSubject: .injection)
        responders[r].cause = diagnosed
        injections[i].assignedTo = Int32(r)
        refreshAvailability(i)
        responders[r].assigned = Int32(i)
        startAttempt(r, from: Int(tables.responders[r].uses.lowerBound))
    }

    /// The active unassigned injection whose removal would most reduce failed requests per second
    /// (ties by file order), among those this responder can remove (spec section 6).
    mutating func bestCandidate(_ r: Int) -> Int? {
        var best: Int?
        var bestReduction = -Double.infinity
        // The responder's candidates are the injections it can remove, in file order.
        for k in tables.responders[r].candidates {
            let i = Int(tables.candidateList[Int(k)])
            guard isActive(i), injections[i].assignedTo < 0 else { continue }
            let reduction = failedRate - failureRate(without: i)
            if reduction > bestReduction {
                bestReduction = reduction
                best = i
            }
        }
        return best
    }

    /// The customer failure rate if one injection's effect were removed now (no state changes
    /// but scratch space).
    ///
    /// Defined as recomputing every service in topological order without the injection. Only
    /// the removed injection's target and the services that depend on it can change, so they
    /// are recomputed (in topological order, stopping where a value does not change) over
    /// ``passRate``, which holds exactly what that recomputation gives the others: the cost is
    /// the affected services plus the services with traffic, not the whole graph.
    mutating func failureRate(without removed: Int) -> Double {
        if dirty { return failureRateFromScratch(without: removed) }
        updatePassRates()
        scratchGeneration &+= 1
        if scratchGeneration == 0 {
            Self.fill(&scratchStamp, with: 0)
            Self.fill(&scratchQueued, with: 0)
            scratchGeneration = 1
        }
        let generation = scratchGeneration
        scratchTraffic.removeAll()
        let target = Int(tables.injections[removed].target)
        scratchQueued[target] = generation
        scratchWorklist.insert(Int(tables.services[target].topologicalPosition))
        while let position = scratchWorklist.popMin() {
            let s = Int(tables.topologicalOrder[position])
            var pass: Double
            if s == target {
                pass = 1.0
                for j in tables.services[s].injections {
                    let i = Int(tables.injectionsByService[Int(j)])
                    if i != removed { pass *= 1 - injections[i].level }
                }
            } else {
                pass = ownPass[s]
            }
            for e in tables.services[s].edges {
                let d = Int(tables.edges[Int(e)].dependency)
                let rate = scratchStamp[d] == generation ? scratchRate[d] : passRate[d]
                pass *= 1 - edgeWeight[Int(e)] * rate
            }
            let rate = 1 - pass
            guard rate != passRate[s] else { continue }
            scratchRate[s] = rate
            scratchStamp[s] = generation
            if tables.services[s].traffic > 0 { scratchTraffic.append(Int32(s)) }
            for k in tables.services[s].dependents {
                let dependent = Int(tables.edges[Int(tables.dependentEdges[Int(k)])].dependent)
                if scratchQueued[dependent] != generation {
                    scratchQueued[dependent] = generation
                    scratchWorklist.insert(Int(tables.services[dependent].topologicalPosition))
                }
            }
        }
        // Σ traffic × rate over the services with traffic, in service order; terms whose rate is
        // zero add exactly nothing, so only the recomputed ones and the nonzero others are added.
        if scratchTraffic.count > 1 { scratchTraffic.sort() }
        var total = 0.0
        var a = 0, b = 0
        while a < passImpactedTraffic.count || b < scratchTraffic.count {
            let nextA = a < passImpactedTraffic.count ? Int(passImpactedTraffic[a]) : Int.max
            let nextB = b < scratchTraffic.count ? Int(scratchTraffic[b]) : Int.max
            let s = min(nextA, nextB)
            if nextA == s { a += 1 }
            if nextB == s { b += 1 }
            let rate = scratchStamp[s] == generation ? scratchRate[s] : passRate[s]
            if rate != 0 { total += tables.services[s].traffic * rate }
        }
        assert(total == failureRateFromScratch(without: removed), "incremental failure rate differs from the definition")
        return total
    }

    /// Brings ``passRate`` up to date: recomputes the pending services and, in topological
    /// order, every service that depends on one whose pass-form rate changed. The result is a
    /// function of the current levels and weights only, so updating late gives the same bits as
    /// updating at every change.
    mutating func updatePassRates() {
        while let position = passPending.popMin() {
            let s = Int(tables.topologicalOrder[position])
            var pass = ownPass[s]
            for e in tables.services[s].edges {
                pass *= 1 - edgeWeight[Int(e)] * passRate[Int(tables.edges[Int(e)].dependency)]
            }
            let rate = 1 - pass
            guard rate != passRate[s] else { continue }
            touchService(s)
            passRate[s] = rate
            if tables.services[s].traffic > 0, (rate != 0) != passTrafficNonzero[s] {
                passTrafficNonzero[s] = rate != 0
                Self.updateSortedList(&passImpactedTraffic, s, member: rate != 0)
            }
            for k in tables.services[s].dependents {
                let dependent = Int(tables.edges[Int(tables.dependentEdges[Int(k)])].dependent)
                passPending.insert(Int(tables.services[dependent].topologicalPosition))
            }
        }
    }

    /// ``failureRate(without:)`` by its definition: every service recomputed in topological
    /// order (used while effect changes are pending, and to check the incremental form).
    mutating func failureRateFromScratch(without removed: Int) -> Double {
        for s32 in tables.topologicalOrder {
            let s = Int(s32)
            var pass = 1.0
            for j in tables.services[s].injections {
                let i = Int(tables.injectionsByService[Int(j)])
                if i != removed { pass *= 1 - injections[i].level }
            }
            for e in tables.services[s].edges {
                pass *= 1 - edgeWeight[Int(e)] * scratchRate[Int(tables.edges[Int(e)].dependency)]
            }
            scratchRate[s] = 1 - pass
        }
        // The incremental form's stamps no longer describe scratchRate.
        scratchGeneration &+= 1
        if scratchGeneration == 0 {
            Self.fill(&scratchStamp, with: 0)
            Self.fill(&scratchQueued, with: 0)
            scratchGeneration = 1
        }
        var rate = 0.0
        for s in tables.trafficServices { rate += tables.services[Int(s)].traffic * scratchRate[Int(s)] }
        return rate
    }

    /// Starts an attempt with the first mitigation in `uses`, from position `from` on (cyclic),
    /// that removes the responder's assigned cause.
    mutating func startAttempt(_ r: Int, from position: Int) {
        let i = Int(responders[r].assigned)
        let uses = tables.responders[r].uses
        let count = uses.count
        var chosen = -1
        for offset in 0..<count {
            let p = Int(uses.lowerBound) + (position - Int(uses.lowerBound) + offset) % count
            var removes = false
            for k in tables.usesRemoves[p] where Int(tables.removals[Int(k)]) == i { removes = true }
            if removes { chosen = p; break }
        }
        guard chosen >= 0 else {
            releaseCause(r)
            return
        }
        let b = Int(tables.usesList[chosen])
        barriers[b].attempts += 1
        let attempt = barriers[b].attempts
        responders[r].usesPosition = Int32(chosen)
        responders[r].attempt = Int32(attempt)
        responders[r].generation &+= 1
        let attempted = record(.responder, r, .attempted, cause: responders[r].cause, detail: Int32(b), detailSubject: .barrier)
        let takes = drawTime(site: tables.barriers[b].takesSite, repeat: attempt, sampler: tables.barriers[b].takes, factors: tables.barriers[b].takesFactors)
        schedule(now + takes, .attemptDone, phase: 2, sub: 5, element: Int32(r), a: Int32(r), b: Int32(b), generation: responders[r].generation, cause: attempted)
    }

    mutating func releaseCause(_ r: Int) {
        let i = Int(responders[r].assigned)
        if i >= 0, injections[i].assignedTo == Int32(r) {
            injections[i].assignedTo = -1
            refreshAvailability(i)
        }
        responders[r].assigned = -1
        becomeIdle(r)
    }

    mutating func attemptDone(_ r: Int, barrier b: Int, generation: UInt32, cause: Int32) {
        guard responders[r].generation == generation else { return }
        let attempt = Int(responders[r].attempt)
        if mitigationAttemptWorks(b, attempt: attempt) {
            barriers[b].heldOnce = true
            let held = record(.barrier, b, .held, cause: cause, detail: Int32(r), detailSubject: .responder)
            responders[r].cause = held
            let i = Int(responders[r].assigned)
            if i >= 0, injections[i].assignedTo == Int32(r) {
                injections[i].assignedTo = -1
                refreshAvailability(i)
            }
            responders[r].assigned = -1
            responders[r].idle = true
            idleResponders += 1
            applyMitigation(b, cause: held)
            tryStartDiagnosis(r)
        } else {
            barriers[b].failedOnce = true
            responders[r].cause = record(.barrier, b, .failed, cause: cause, detail: Int32(r), detailSubject: .responder)
            let i = Int(responders[r].assigned)
            if i < 0 || !isActive(i) {
                releaseCause(r)
                return
            }
            startAttempt(r, from: Int(responders[r].usesPosition) + 1)
        }
    }

    // MARK: Drill hooks

    /// Starts a dormant injection now (a drill action's `adds`).
    public mutating func addInjection(_ i: Int) {
        guard injections[i].status == .notOccurred else { return }
        schedule(now, .occur, phase: 0, sub: 0, element: Int32(i), a: Int32(i), cause: -1)
    }

    /// Starts one attempt of a mitigation now, run by a person in a drill, with the same draw
    /// addresses a modelled responder would use. Returns the attempt's completion time.
    @discardableResult
    public mutating func attemptMitigation(_ b: Int) -> Double {
        barriers[b].attempts += 1
        let attempt = barriers[b].attempts
        let takes = drawTime(site: tables.barriers[b].takesSite, repeat: attempt, sampler: tables.barriers[b].takes, factors: tables.barriers[b].takesFactors)
        let attempted = record(.barrier, b, .fired, cause: -1)
        schedule(now + takes, .drillAttemptDone, phase: 2, sub: 5, element: Int32(b), a: Int32(b), b: Int32(attempt), cause: attempted)
        return now + takes
    }

    mutating func drillAttemptDone(_ b: Int, attempt: Int, cause: Int32) {
        if mitigationAttemptWorks(b, attempt: attempt) {
            barriers[b].heldOnce = true
            let held = record(.barrier, b, .held, cause: cause)
            applyMitigation(b, cause: held)
        } else {
            barriers[b].failedOnce = true
            record(.barrier, b, .failed, cause: cause)
        }
    }
}

// MARK: - Workspace containers

/// The pending events of a trial: a binary min-heap on (time, order).
///
/// Every event's order key is unique (it ends with a sequence number), so events leave in one
/// well-defined order whatever the heap's shape: the same order any priority queue gives.
struct EventQueue {
    private var heap: ContiguousArray<TrialEngine.Event> = []

    /// The next event, if any.
    var min: TrialEngine.Event? { heap.first }
    var isEmpty: Bool { heap.isEmpty }
    var count: Int { heap.count }

    mutating func reserveCapacity(_ n: Int) { heap.reserveCapacity(n) }

    mutating func insert(_ event: TrialEngine.Event) {
        heap.append(event)
        heap.withUnsafeMutableBufferPointer { h in
            var i = h.count - 1
            while i > 0 {
                let parent = (i - 1) >> 1
                guard event < h[parent] else { break }
                h[i] = h[parent]
                i = parent
            }
            h[i] = event
        }
    }

    /// Removes and returns the next event.
    @discardableResult
    mutating func removeMin() -> TrialEngine.Event? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        guard !heap.isEmpty else { return first }
        heap.withUnsafeMutableBufferPointer { h in
            let n = h.count
            var i = 0
            while true {
                var child = 2 * i + 1
                guard child < n else { break }
                if child + 1 < n && h[child + 1] < h[child] { child += 1 }
                guard h[child] < last else { break }
                h[i] = h[child]
                i = child
            }
            h[i] = last
        }
        return first
    }

    /// Same as ``removeMin()``.
    @discardableResult
    mutating func popMin() -> TrialEngine.Event? { removeMin() }

    /// Removes every event, keeping the capacity.
    mutating func removeAll() { heap.removeAll(keepingCapacity: true) }

    /// Removes the events that match, keeping the rest in order.
    mutating func removeAll(where shouldRemove: (TrialEngine.Event) -> Bool) {
        let kept = heap.filter { !shouldRemove($0) }
        heap.removeAll(keepingCapacity: true)
        for event in kept { insert(event) }
    }
}

/// A set of topological positions that yields them smallest first: the worklist of rate
/// propagation. Positions pushed while popping are always after the one popped (dependents come
/// after their dependencies), so a forward scan of the words finds them.
struct PositionSet {
    private var words: [UInt64]
    /// No position below word `lowest` is in the set.
    private var lowest: Int
    private var count = 0

    init(capacity: Int) {
        words = Array(repeating: 0, count: Swift.max(1, (capacity + 63) / 64))
        lowest = words.count
    }

    var isEmpty: Bool { count == 0 }

    mutating func insert(_ position: Int) {
        let w = position >> 6
        let bit = UInt64(1) << UInt64(position & 63)
        guard words[w] & bit == 0 else { return }
        words[w] |= bit
        count += 1
        if w < lowest { lowest = w }
    }

    mutating func popMin() -> Int? {
        guard count > 0 else { return nil }
        while words[lowest] == 0 { lowest += 1 }
        let word = words[lowest]
        let position = lowest << 6 | word.trailingZeroBitCount
        words[lowest] = word & (word - 1)
        count -= 1
        if count == 0 { lowest = words.count }
        return position
    }

    mutating func removeAll() {
        guard count > 0 else { return }
        for w in words.indices { words[w] = 0 }
        count = 0
        lowest = words.count
    }
}

/// A list of service indices that keeps its storage between trials: clearing it costs nothing.
struct IndexList: RandomAccessCollection {
    private var storage: [Int32] = []
    private(set) var count = 0

    var startIndex: Int { 0 }
    var endIndex: Int { count }
    subscript(position: Int) -> Int32 { storage[position] }

    mutating func reserveCapacity(_ n: Int) { storage.reserveCapacity(n) }

    mutating func append(_ value: Int32) {
        if count < storage.count {
            storage[count] = value
        } else {
            storage.append(value)
        }
        count += 1
    }

    mutating func removeAll(keepingCapacity: Bool = true) { count = 0 }

    /// Sorts the list in place (insertion sort: these lists are short, and sorting a slice of
    /// the storage would copy it).
    mutating func sort() {
        let n = count
        storage.withUnsafeMutableBufferPointer { buffer in
            guard n > 1 else { return }
            for i in 1..<n {
                let value = buffer[i]
                var j = i
                while j > 0 && buffer[j - 1] > value {
                    buffer[j] = buffer[j - 1]
                    j -= 1
                }
                buffer[j] = value
            }
        }
    }
}

// MARK: - State types

extension TrialEngine {
    enum InjectionStatus: UInt8 {
        case notOccurred, deciding, active, recovering, finished
    }

    struct InjectionState {
        var status = InjectionStatus.notOccurred
        var level = 0.0
        var occurredAt = 0.0
        var recoverFrom = 0.0
        var link: Int32 = -1
        var generation: UInt32 = 0
        var assignedTo: Int32 = -1
        var prevented = false
        var stoppedWhileDeciding = false
        var tookEffect = false
        var impacting = false
        var triggerDrawn = false
        var cause: Int32 = -1
    }

    struct BarrierState {
        var works: Int8 = -1
        var done = false
        var heldOnce = false
        var failedOnce = false
        var bypassedOnce = false
        var demandedUnresolved = false
        var phase = -1.0
        var burnGeneration: UInt32 = 0
        var burnTail = 0
        var burnCause: Int32 = -1
        var attempts = 0
        var armed = true
        var inProgress = false
        var succeeded = false

        var outcome: BarrierOutcome {
            if failedOnce { return .failed }
            if heldOnce { return .held }
            if bypassedOnce { return .bypassed }
            return .notDemanded
        }
    }

    /// A breakpoint of a burn-rate barrier's watched error rate: from `time` on the rate is
    /// `value`, and `cumulative` is its integral from t = 0 to `time`.
    struct BurnPoint {
        var time: Double
        var value: Double
        var cumulative: Double
    }

    struct ConditionState {
        var cause: Int32 = -1
        var holds = false
        var satisfied = false
        var since = 0.0
        var generation: UInt32 = 0
    }

    struct ResponderState {
        var paged = false
        var acknowledged = false
        var idle = false
        var diagnosing = false
        var diagnoses = 0
        var assigned: Int32 = -1
        var usesPosition: Int32 = 0
        var attempt: Int32 = 0
        var generation: UInt32 = 0
        var cause: Int32 = -1
    }
}

/// What became of an injection in one trial.
public enum InjectionOutcome: Sendable, Hashable {
    /// It did not occur.
    case notOccurred
    /// A prevent barrier stopped it.
    case prevented
    /// It passed every prevent barrier and took effect.
    case tookEffect
    /// It healed or was mitigated while a prevent barrier was still deciding.
    case stoppedWhileDeciding
}

/// What happened to a barrier in one trial (spec section 10).
public enum BarrierOutcome: UInt8, Sendable, CaseIterable {
    /// Did its job when demanded.
    case held
    /// Demanded and did not.
    case failed
    /// Not reached because an earlier barrier already stopped the injection.
    case bypassed
    /// Never demanded.
    case notDemanded

    /// The name used in output: `held`, `failed`, `bypassed`, `not_demanded`.
    public var name: String {
        switch self {
        case .held: return "held"
        case .failed: return "failed"
        case .bypassed: return "bypassed"
        case .notDemanded: return "not_demanded"
        }
    }
}

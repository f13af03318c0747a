import GamedayModel
import GamedayRandom
import GamedaySimulation

/// A drill in progress: the scenario's trial run by the engine with people in place of the
/// modelled responders (spec: drill.md).
///
/// The session owns a ``TrialEngine`` with `modelResponders` off and the trace on, and a
/// simulated clock that moves only when asked (``advance(to:command:)``, ``next()``). While the
/// clock moves it steps the engine from event time to event time and, at each instant, shows the
/// injects that became due (an event address seen in the trace, a time, or a service condition),
/// finishes the actions whose time is up and starts the ones waiting behind them.
///
/// - Actions occupy their participant for their `takes` (one draw at address
///   `drill.actions.ID.takes`, `#k` for the k-th use, under the drill's seed and trial); an action
///   that `uses` a mitigation runs one attempt through ``TrialEngine/attemptMitigation(_:)`` with
///   the draw addresses a modelled responder would use (`barriers.ID.takes#k`, `works#k`), and
///   occupies its participant until the attempt completes. `reveals` is shown and `adds` starts
///   its dormant injection when the action finishes.
/// - A participant who is busy queues further actions; they start, in order, when the current one
///   finishes. ``undo()`` withdraws the last action that has not started.
/// - Every input is logged (``log``) with what came of it, so replaying the inputs reproduces the
///   drill exactly.
///
/// Condition injects (`when: {service, error_rate_above, for}`) are exact: error rates change only
/// at engine events, so the session evaluates them after every event instant and schedules the end
/// of a `for` window as a stop of its own.
public final class DrillSession {
    /// The scenario played.
    public let scenario: Scenario
    /// Its drill section.
    public let drill: Drill
    /// The seed of the trial's draws.
    public let seed: UInt64
    /// The trial index played (the Philox counter).
    public let trial: UInt64
    /// The team.
    public let team: [Participant]
    /// The compiled scenario the engine runs.
    public let compiled: CompiledScenario

    /// The simulated time now, in seconds.
    public private(set) var now: Double = 0
    /// The log so far.
    public private(set) var log: [DrillLogEntry] = []
    /// Whether the drill has ended (``end()``, the horizon, or a hand-over).
    public private(set) var isEnded = false
    /// When the modelled responders took over, if they did.
    public private(set) var handoverAt: Double?
    /// The final metrics, once ``finish()`` has run.
    public private(set) var finalMetrics: TrialMetrics?

    /// Called with the index of each input entry as it is logged (a live drill records wall time).
    public var onInput: ((Int) -> Void)?

    var engine: TrialEngine
    var traceRead = 0
    var shownInjects: [Bool]
    var conditionSince: [Double?]
    var conditionService: [Int]
    var busy: [ActionRun?]
    var queues: [[ActionRun]]
    var uses: [String: Int] = [:]
    var serial = 0
    /// Every action run that started, in start order (for scoring).
    public private(set) var startedRuns: [ActionRun] = []
    lazy var traceNames = TraceNames(scenario)

    /// One action taken by one participant.
    public struct ActionRun: Hashable, Sendable {
        /// Serial number, in the order actions were asked for.
        public var serial: Int
        /// The drill action's id.
        public var action: String
        /// Who takes it (index into the team).
        public var participant: Int
        /// When it was asked for.
        public var requestedAt: Double
        /// When it started (nil while queued).
        public var startedAt: Double?
        /// When it ends (nil while queued).
        public var endsAt: Double?
        /// The mitigation barrier's index, for `uses`.
        public var barrier: Int?
        /// The trace index of the attempt's start, for `uses` (its verdict names it as cause).
        public var attemptTrace: Int?
    }

    /// Prepares a drill on a scenario's trial.
    ///
    /// - Parameters:
    ///   - scenario: a valid scenario with a `drill` section.
    ///   - seed: the seed; default the drill's own `seed` (or 42).
    ///   - trial: the trial index (default 0).
    ///   - team: the participants; default one per role, named after it.
    /// - Throws: ``DrillError`` when the scenario has no drill or the team does not fit it.
    public init(scenario: Scenario, seed: UInt64? = nil, trial: UInt64 = 0, team: [Participant]? = nil) throws(DrillError) {
        guard let drill = scenario.drill else {
            throw DrillError("scenario '\(scenario.id)' has no drill section", help: "add drill: with briefing, roles, injects, actions and rubric (docs/drills.md)")
        }
        let team = team ?? Participant.defaultTeam(for: drill)
        if let problem = Participant.check(team, against: drill) { throw problem }
        self.scenario = scenario
        self.drill = drill
        self.seed = seed ?? drill.seed ?? 42
        self.trial = trial
        self.team = team
        self.compiled = CompiledScenario(scenario)
        var options = TrialEngine.Options()
        options.modelResponders = false
        options.recordTrace = true
        engine = TrialEngine(compiled: compiled, keys: DrawKeys(compiled: compiled, seed: self.seed), options: options)
        shownInjects = Array(repeating: false, count: drill.injects.count)
        conditionSince = Array(repeating: nil, count: drill.injects.count)
        conditionService = drill.injects.map { inject in
            if case .condition(let c) = inject.trigger { return scenario.services.firstIndex { $0.id == c.service.id } ?? 0 }
            return -1
        }
        busy = Array(repeating: nil, count: team.count)
        queues = Array(repeating: [], count: team.count)
        engine.start(trial: trial)
        // What is due at t = 0 (injects at 0m, conditions that hold from the start).
        run(until: 0, stopOnOutput: false)
    }

    /// The drill's horizon: the scenario's.
    public var horizon: Double { compiled.horizon }

    /// The index of a participant by name.
    public func participant(named name: String) -> Int? { team.firstIndex { $0.name == name } }

    /// The engine's trajectory so far.
    public var trace: [TraceEvent] { engine.trace }

    /// The metrics so far (impact up to now).
    public var liveMetrics: TrialMetrics { engine.liveMetrics }

    /// The error rate of a service now.
    public func errorRate(service id: String) -> Double? {
        scenario.services.firstIndex { $0.id == id }.map { engine.errorRate(service: $0) }
    }

    // MARK: What participants see

    /// What one participant is doing.
    public struct ParticipantStatus: Sendable {
        /// The participant.
        public var participant: Participant
        /// The action under way, with its end.
        public var current: (action: String, endsAt: Double)?
        /// Actions waiting behind it, in order.
        public var queued: [String]
    }

    /// Each participant's current and queued actions.
    public var status: [ParticipantStatus] {
        team.indices.map { p in
            ParticipantStatus(participant: team[p],
                              current: busy[p].map { ($0.action, $0.endsAt ?? now) },
                              queued: queues[p].map(\.action))
        }
    }

    /// Whether a participant may take an action (the action's `role`).
    public func mayTake(_ action: DrillAction, participant p: Int) -> Bool {
        action.role == nil || action.role == team[p].role
    }

    // MARK: Inputs

    /// A participant asks to take an action now. It starts at once when they are free, else after
    /// what they are already doing.
    ///
    /// - Returns: the new log entries (the request, and what happened at once).
    @discardableResult
    public func take(_ actionID: String, by name: String) throws(DrillError) -> [DrillLogEntry] {
        guard !isEnded else { throw DrillError("the drill has ended") }
        guard let action = drill.action(actionID) else {
            let ids = drill.actions.map(\.id)
            var help = "actions: " + ids.joined(separator: ", ")
            if let suggestion = Suggestions.closest(to: actionID, in: ids) { help = "did you mean '\(suggestion)'? " + help }
            throw DrillError("there is no action '\(actionID)'", help: help)
        }
        guard let p = participant(named: name) else {
            let names = team.map(\.name)
            var help = "the team: " + team.map(\.description).joined(separator: ", ")
            if let suggestion = Suggestions.closest(to: name, in: names) { help = "did you mean '\(suggestion)'? " + help }
            throw DrillError("nobody called '\(name)' is on the team", help: help)
        }
        guard mayTake(action, participant: p) else {
            let holders = team.filter { $0.role == action.role }.map(\.name)
            throw DrillError("\(team[p]) may not take '\(actionID)': only the \(action.role!) may",
                             help: holders.isEmpty ? "nobody on the team has that role" : "ask " + holders.joined(separator: " or "))
        }
        let mark = log.count
        serial += 1
        let run = ActionRun(serial: serial, action: actionID, participant: p, requestedAt: now)
        let queued = busy[p] != nil
        appendInput(DrillLogEntry(at: now, kind: .action, by: name, role: team[p].role, action: actionID, queued: queued))
        if queued {
            queues[p].append(run)
        } else {
            start(run, logIndex: log.count - 1)
            self.run(until: now, stopOnOutput: false)
        }
        return Array(log[mark...])
    }

    /// Withdraws the most recently asked-for action that has not started.
    ///
    /// - Returns: the `undo` entry.
    @discardableResult
    public func undo() throws(DrillError) -> DrillLogEntry {
        guard !isEnded else { throw DrillError("the drill has ended") }
        var best: (p: Int, i: Int)?
        for p in queues.indices {
            for (i, run) in queues[p].enumerated() where best == nil || run.serial > queues[best!.p][best!.i].serial {
                best = (p, i)
            }
        }
        guard let (p, i) = best else {
            throw DrillError("nothing to undo", help: "only an action that is still waiting for its participant can be withdrawn; every action asked for has started")
        }
        let run = queues[p].remove(at: i)
        let entry = DrillLogEntry(at: now, kind: .undo, by: team[p].name, role: team[p].role, action: run.action)
        appendInput(entry)
        return entry
    }

    /// Moves the clock to `time` (capped at the horizon), showing everything that happens on the way.
    ///
    /// - Parameter command: the facilitator's words, kept in the log (`advance` or `next`).
    /// - Returns: the new log entries.
    @discardableResult
    public func advance(to time: Double, command: String = "advance") -> [DrillLogEntry] {
        guard !isEnded else { return [] }
        let target = min(max(time, now), horizon)
        let mark = log.count
        appendInput(DrillLogEntry(at: now, kind: .advance, until: target, command: command))
        run(until: target, stopOnOutput: false)
        if now >= horizon { endAtHorizon() }
        return Array(log[mark...])
    }

    /// Moves the clock by `duration`.
    @discardableResult
    public func advance(by duration: Double) -> [DrillLogEntry] { advance(to: now + duration) }

    /// The longest `next` moves the clock when nothing is shown and nobody finishes anything.
    public static let nextLimit = 3600.0

    /// Moves the clock to the next moment something is shown or someone finishes an action, or by
    /// ``nextLimit`` when nothing does.
    ///
    /// - Returns: the new log entries.
    @discardableResult
    public func next() -> [DrillLogEntry] {
        guard !isEnded else { return [] }
        // Find where the clock stops without moving it: a dry run on a copy is not possible with a
        // live engine, so move step by step and log the advance with the time it reached.
        let mark = log.count
        appendInput(DrillLogEntry(at: now, kind: .advance, until: nil, command: "next"))
        let index = log.count - 1
        run(until: min(now + Self.nextLimit, horizon), stopOnOutput: true)
        log[index].until = now
        if now >= horizon { endAtHorizon() }
        return Array(log[mark...])
    }

    /// Ends the drill now. What the team set in motion (actions under way, mitigation attempts)
    /// still completes while the trial runs on to the horizon; queued actions are dropped.
    ///
    /// - Returns: the `end` entry.
    @discardableResult
    public func end() -> [DrillLogEntry] {
        guard !isEnded else { return [] }
        let mark = log.count
        appendInput(DrillLogEntry(at: now, kind: .end))
        isEnded = true
        return Array(log[mark...])
    }

    /// Hands the rest of the trial to the modelled responders (`--model-from`): the drill ends for
    /// the team, every responder already paged is paged again now, and their steps are logged.
    ///
    /// - Returns: the `handover` entry.
    @discardableResult
    public func handOver() -> [DrillLogEntry] {
        guard !isEnded else { return [] }
        let mark = log.count
        appendInput(DrillLogEntry(at: now, kind: .handover))
        isEnded = true
        handoverAt = now
        for p in queues.indices { queues[p].removeAll() }
        engine.handOverToModelledResponders()
        return Array(log[mark...])
    }

    /// Runs the trial on to the horizon (after ``end()`` or ``handOver()``; ends the drill first
    /// if needed) and returns its final metrics.
    @discardableResult
    public func finish() -> TrialMetrics {
        if let finalMetrics { return finalMetrics }
        if !isEnded { end() }
        for p in queues.indices { queues[p].removeAll() }
        run(until: horizon, stopOnOutput: false)
        let metrics = engine.finish()
        finalMetrics = metrics
        return metrics
    }

    // MARK: Stepping

    func appendInput(_ entry: DrillLogEntry) {
        log.append(entry)
        onInput?(log.count - 1)
    }

    func endAtHorizon() {
        guard !isEnded else { return }
        appendInput(DrillLogEntry(at: now, kind: .end))
        isEnded = true
    }

    /// Moves engine and session to `target`, stopping at every instant where something can happen.
    /// With `stopOnOutput`, stops after the first instant at which an inject is shown or an action
    /// finishes.
    func run(until target: Double, stopOnOutput: Bool) {
        var produced = false
        while true {
            var t = target
            if let e = engine.nextEventTime, e < t { t = e }
            for p in busy.indices { if let end = busy[p]?.endsAt, end < t { t = end } }
            if !isEnded {
                for (i, inject) in drill.injects.enumerated() where !shownInjects[i] {
                    switch inject.trigger {
                    case .at(let at) where at < t && at >= now: t = at
                    case .condition(let c):
                        if let since = conditionSince[i], since + c.holdFor < t, since + c.holdFor >= now { t = since + c.holdFor }
                    default: break
                    }
                }
            }
            t = max(t, now)
            engine.advance(until: t)
            now = t
            let before = log.count
            settleInstant()
            if log[before...].contains(where: { $0.kind == .inject || $0.kind == .done }) { produced = true }
            // Something scheduled at this very instant (an added injection, an action of zero
            // length) is processed before the clock moves on.
            if let e = engine.nextEventTime, e <= now { continue }
            if busy.contains(where: { $0?.endsAt.map { $0 <= now } ?? false }) { continue }
            if stopOnOutput && produced { return }
            if now >= target { return }
        }
    }

    /// Everything due at the current instant, in a fixed order: trace events (event injects,
    /// pages, modelled steps), condition injects, timed injects, then finished and starting actions.
    func settleInstant() {
        let trace = engine.trace
        while traceRead < trace.count {
            let event = trace[traceRead]
            traceRead += 1
            if handoverAt != nil { logModelStep(event) }
            guard !isEnded else { continue }
            for (i, inject) in drill.injects.enumerated() where !shownInjects[i] {
                if case .event(let address) = inject.trigger, matches(address, event) { show(i) }
            }
            if event.subject == .barrier, event.name == .paged { showUncoveredPage(event) }
        }
        if !isEnded {
            for (i, inject) in drill.injects.enumerated() where !shownInjects[i] {
                switch inject.trigger {
                case .condition(let c):
                    let holds = engine.errorRate(service: conditionService[i]) > c.errorRateAbove + 1e-12
                    if !holds {
                        conditionSince[i] = nil
                    } else {
                        if conditionSince[i] == nil { conditionSince[i] = now }
                        if now >= conditionSince[i]! + c.holdFor { show(i) }
                    }
                case .at(let at):
                    if at <= now { show(i) }
                case .event:
                    break
                }
            }
        }
        // Actions that finish now, then whatever waits behind them.
        for p in busy.indices {
            guard let run = busy[p], let end = run.endsAt, end <= now else { continue }
            busy[p] = nil
            complete(run)
            if !isEnded, !queues[p].isEmpty {
                let next = queues[p].removeFirst()
                start(next, logIndex: nil)
            }
        }
    }

    func matches(_ address: EventAddress, _ event: TraceEvent) -> Bool {
        guard event.name.text == address.event else { return false }
        let index = Int(event.index)
        switch (address.kind, event.subject) {
        case (.injections, .injection): return scenario.injections.indices.contains(index) && scenario.injections[index].id == address.id
        case (.barriers, .barrier): return scenario.barriers.indices.contains(index) && scenario.barriers[index].id == address.id
        case (.responders, .responder): return scenario.responders.indices.contains(index) && scenario.responders[index].id == address.id
        default: return false
        }
    }

    /// A page that no inject turns into words still reaches the on-call: it is shown as a plain
    /// `PAGE [barrier] to responder` line, so that every page the team is scored from (`first_page`)
    /// is one they saw.
    func showUncoveredPage(_ event: TraceEvent) {
        let barrier = scenario.barriers[Int(event.index)].id
        let responder = event.detail >= 0 && Int(event.detail) < scenario.responders.count ? scenario.responders[Int(event.detail)].id : nil
        let covered = drill.injects.contains { inject in
            guard case .event(let address) = inject.trigger, address.event == "paged" else { return false }
            return (address.kind == .barriers && address.id == barrier) || (address.kind == .responders && address.id == responder)
        }
        guard !covered else { return }
        let description = scenario.barriers[Int(event.index)].description.map { ": \($0)" } ?? ""
        log.append(DrillLogEntry(at: now, kind: .inject, text: "PAGE [\(barrier)]" + (responder.map { " to \($0)" } ?? "") + description))
    }

    func show(_ i: Int) {
        shownInjects[i] = true
        let inject = drill.injects[i]
        log.append(DrillLogEntry(at: now, kind: .inject, text: interpolate(inject.show, inject: inject), to: inject.to))
    }

    /// Fills `{error_rate}` (the inject's service, or the first service with traffic),
    /// `{error_rate:SERVICE}`, `{time}`, `{failed_requests}` and `{slo_budget_consumed}` with live values.
    func interpolate(_ text: String, inject: Inject) -> String {
        guard text.contains("{") else { return text }
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            result += placeholder(name, inject: inject) ?? "{\(name)}"
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    func placeholder(_ name: String, inject: Inject) -> String? {
        if name == "error_rate" {
            let service: String
            if case .condition(let c) = inject.trigger { service = c.service.id } else {
                service = scenario.services.first { $0.traffic != nil }?.id ?? scenario.services.first?.id ?? ""
            }
            return errorRate(service: service).map { Scalars.formatPercent($0) }
        }
        if name.hasPrefix("error_rate:") {
            return errorRate(service: String(name.dropFirst("error_rate:".count))).map { Scalars.formatPercent($0) }
        }
        switch name {
        case "time": return Scalars.formatDuration(now.rounded())
        case "failed_requests": return Scalars.formatCount(engine.liveMetrics.failedRequests.rounded())
        case "slo_budget_consumed": return Scalars.formatPercent(engine.liveMetrics.sloBudgetConsumed)
        default: return nil
        }
    }

    /// Starts an action run now. `logIndex` is the request entry when it starts at once; a queued
    /// run gets a `started` entry of its own.
    func start(_ pending: ActionRun, logIndex: Int?) {
        var run = pending
        let action = drill.action(run.action)!
        run.startedAt = now
        if let uses = action.uses, let b = scenario.barriers.firstIndex(where: { $0.id == uses.id }) {
            run.barrier = b
            run.endsAt = engine.attemptMitigation(b)
            run.attemptTrace = engine.trace.count - 1
        } else {
            uses[run.action, default: 0] += 1
            run.endsAt = now + duration(of: action, use: uses[run.action]!)
        }
        busy[run.participant] = run
        startedRuns.append(run)
        if let logIndex {
            log[logIndex].until = run.endsAt
        } else {
            let who = team[run.participant]
            log.append(DrillLogEntry(at: now, kind: .started, by: who.name, role: who.role, action: run.action, until: run.endsAt))
        }
    }

    /// How long one use of an action takes: its `takes` sampled from the drill's own addressed
    /// draw `drill.actions.ID.takes` (`#k` for the k-th use), 0 when it has none.
    func duration(of action: DrillAction, use k: Int) -> Double {
        guard let takes = action.takes else { return 0 }
        let sampler = TimeSampler(takes)
        if case .constant(let c) = sampler { return c }
        let hash = FNV1a64("drill.actions.\(action.id).takes").repeated(k)
        let u = DrawKey(seed: seed, hash: hash).uniform(trial: trial)
        return sampler.quantile(u)
    }

    func complete(_ run: ActionRun) {
        let action = drill.action(run.action)!
        var result: String?
        if let b = run.barrier, let started = run.attemptTrace {
            // The attempt's verdict is the barrier's held or failed event caused by its start.
            for event in engine.trace[(started + 1)...] where event.subject == .barrier && Int(event.index) == b && Int(event.cause) == started {
                if event.name == .held { result = "worked"; break }
                if event.name == .failed { result = "failed"; break }
            }
        }
        if let adds = action.adds, let i = scenario.injections.firstIndex(where: { $0.id == adds.id }) {
            engine.addInjection(i)
        }
        // After the end, what was set in motion still happens, but nobody is watching.
        guard !isEnded else { return }
        let who = team[run.participant]
        log.append(DrillLogEntry(at: now, kind: .done, by: who.name, role: who.role, action: run.action, text: action.reveals, result: result))
    }

    func logModelStep(_ event: TraceEvent) {
        switch (event.subject, event.name) {
        case (.responder, _), (.injection, .mitigated), (.injection, .recovered), (.injection, .healed):
            break
        case (.barrier, .held), (.barrier, .failed):
            guard event.detailSubject == .responder else { return }
        default:
            return
        }
        let address = "\(traceNames.subject(event)).\(event.name.text)"
        log.append(DrillLogEntry(at: event.at, kind: .model, text: TraceFormatter.detail(event, names: traceNames), command: address))
    }
}

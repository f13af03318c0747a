/// Checks what spans elements: unique ids, references, dependency cycles, pins, drill and checks.
struct ScenarioValidator {
    let diagnostics: DiagnosticCollector
    let scenario: Scenario
    /// Where elements were written, including those that failed to decode.
    let index: DocumentIndex

    /// Ids in file order (for messages) and as a set (for lookups: a hostile file may hold many
    /// thousands of elements, and every check must stay linear in the file's size).
    struct IDs {
        let list: [String]
        let set: Set<String>
        init(_ list: [String]) {
            var unique: [String] = []
            var set = Set<String>()
            for id in list where set.insert(id).inserted { unique.append(id) }
            self.list = unique
            self.set = set
        }
        func contains(_ id: String) -> Bool { set.contains(id) }
    }

    private let services: IDs, injections: IDs, barriers: IDs, responders: IDs, controls: IDs, actions: IDs
    private let mitigations: IDs, manualMitigations: IDs, respondersAndBarriers: IDs
    private let serviceByID: [String: Service]
    private let responderByID: [String: Responder]
    private let injectionByID: [String: Injection]
    private let barrierByID: [String: Barrier]

    /// Pins describe the baseline: a variant maps their quantiles through its own distributions
    /// (spec section 8), so they are checked against the baseline only.
    let checkPins: Bool

    init(diagnostics: DiagnosticCollector, scenario: Scenario, checkPins: Bool = true) {
        self.diagnostics = diagnostics
        self.scenario = scenario
        self.checkPins = checkPins
        self.index = DocumentIndex(root: scenario.source.document)
        services = IDs(scenario.services.map(\.id))
        injections = IDs(scenario.injections.map(\.id))
        barriers = IDs(scenario.barriers.map(\.id))
        responders = IDs(scenario.responders.map(\.id))
        controls = IDs(scenario.controls.map(\.id))
        actions = IDs(scenario.drill?.actions.map(\.id) ?? [])
        mitigations = IDs(scenario.barriers.filter { $0.mitigate != nil }.map(\.id))
        manualMitigations = IDs(scenario.barriers.filter { $0.mitigate.map { !$0.automatic } ?? false }.map(\.id))
        respondersAndBarriers = IDs(scenario.responders.map(\.id) + scenario.barriers.map(\.id))
        serviceByID = Dictionary(scenario.services.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        responderByID = Dictionary(scenario.responders.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        injectionByID = Dictionary(scenario.injections.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        barrierByID = Dictionary(scenario.barriers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Whether the element already has an error: checks that read its values would only report
    /// consequences of that error.
    private func isBroken(_ section: String, _ id: String) -> Bool {
        index.hasErrors(section, id: id, in: diagnostics.diagnostics)
    }

    private func error(_ at: SourceLocation, _ message: String, help: String? = nil) {
        diagnostics.error(at, message, help: help)
    }

    func validate() {
        uniqueIDs("service", "services", scenario.services.map { ($0.id, $0.location) })
        uniqueIDs("injection", "injections", scenario.injections.map { ($0.id, $0.location) })
        uniqueIDs("barrier", "barriers", scenario.barriers.map { ($0.id, $0.location) })
        uniqueIDs("responder", "responders", scenario.responders.map { ($0.id, $0.location) })
        uniqueIDs("modifier", "modifiers", scenario.modifiers.map { ($0.id, $0.location) })
        uniqueIDs("control", "controls", scenario.controls.map { ($0.id, $0.location) })
        if let drill = scenario.drill {
            uniqueIDs("drill action", "drill.actions", drill.actions.map { ($0.id, $0.location) })
            uniqueIDs("rubric item", "drill.rubric", drill.rubric.map { ($0.id, $0.location) })
        }
        checkServices()
        checkInjections()
        checkBarriers()
        checkResponders()
        checkModifiers()
        checkChecks()
        checkDrill()
        if checkPins, let observed = scenario.observed {
            PinValidator(diagnostics: diagnostics, scenario: scenario, index: index).validate(observed)
        }
    }

    /// Reports ids used twice in a section, at the second id's value.
    private func uniqueIDs(_ kind: String, _ section: String, _ items: [(String, SourceLocation)]) {
        var first: [String: SourceLocation] = [:]
        for (id, location) in items where !id.isEmpty {
            let idLocation = index.field("id", of: section, at: location)?.location ?? location
            if let previous = first[id] {
                error(idLocation, "duplicate \(kind) id '\(id)'", help: "first defined at line \(previous.line), column \(previous.column); ids are unique within a section")
            } else {
                first[id] = idLocation
            }
        }
    }

    /// Reports a reference to an id that does not exist, with a did-you-mean hint.
    ///
    /// A reference to an element that is written but failed to decode (its own errors are
    /// reported) is not reported again; it still returns `false` so that checks that need the
    /// element are skipped.
    @discardableResult
    private func resolve(_ ref: Reference, among ids: IDs, kind: String, plural: String? = nil,
                         sections: [String], from what: String, verb: String) -> Bool {
        if ids.contains(ref.id) { return true }
        if sections.contains(where: { index.declaredIDs($0).contains(ref.id) }) { return false }
        guard !diagnostics.isFull else { return false }
        var help = "\(plural ?? kind + "s"): " + Suggestions.list(ids.list)
        if let suggestion = Suggestions.closest(to: ref.id, in: ids.list) { help = "did you mean '\(suggestion)'? " + help }
        error(ref.location, "\(what) \(verb) unknown \(kind) '\(ref.id)'", help: help)
        return false
    }

    @discardableResult
    private func resolveService(_ ref: Reference, from what: String, verb: String) -> Bool {
        resolve(ref, among: services, kind: "service", sections: ["services"], from: what, verb: verb)
    }

    @discardableResult
    private func resolveInjection(_ ref: Reference, from what: String, verb: String) -> Bool {
        resolve(ref, among: injections, kind: "injection", sections: ["injections"], from: what, verb: verb)
    }

    @discardableResult
    private func resolveResponder(_ ref: Reference, from what: String, verb: String) -> Bool {
        resolve(ref, among: responders, kind: "responder", sections: ["responders"], from: what, verb: verb)
    }

    private func checkServices() {
        for service in scenario.services {
            var seen = Set<String>()
            for dependency in service.dependsOn {
                resolveService(dependency.service, from: "service '\(service.id)'", verb: "depends on")
                if dependency.service.id == service.id {
                    error(dependency.service.location, "service '\(service.id)' depends on itself", help: "the dependency graph must be acyclic")
                } else if !seen.insert(dependency.service.id).inserted {
                    error(dependency.service.location, "service '\(service.id)' lists dependency '\(dependency.service.id)' twice", help: "list each dependency once, with its weight")
                }
            }
        }
        // Cycles: a depth-first search that reports each cycle once, at the edge that closes it.
        // It keeps its own stack rather than recursing, so a hostile file with a dependency
        // chain thousands of services long cannot overflow the thread's stack.
        var state: [String: Int] = [:]  // 1 = on the path, 2 = done
        let byID = serviceByID
        for root in scenario.services where state[root.id] == nil {
            var path: [(id: String, next: Int)] = [(root.id, 0)]
            state[root.id] = 1
            while let top = path.last {
                let dependencies = byID[top.id]?.dependsOn ?? []
                guard top.next < dependencies.count else {
                    state[top.id] = 2
                    path.removeLast()
                    continue
                }
                path[path.count - 1].next += 1
                let dependency = dependencies[top.next]
                let next = dependency.service.id
                guard next != top.id, byID[next] != nil else { continue }
                if state[next] == 1 {
                    let ids = path.map(\.id)
                    var cycle = Array(ids[ids.lastIndex(of: next)!...] + [next])
                    if cycle.count > 12 { cycle = cycle.prefix(6) + ["...(\(cycle.count - 9) more)"] + cycle.suffix(3) }
                    error(dependency.service.location, "dependency cycle: " + cycle.joined(separator: " -> "),
                          help: "the dependency graph must be acyclic; remove one of these depends_on entries")
                } else if state[next] == nil {
                    state[next] = 1
                    path.append((next, 0))
                }
            }
        }
    }

    private func checkInjections() {
        for injection in scenario.injections {
            let what = "injection '\(injection.id)'"
            resolveService(injection.target, from: what, verb: "targets")
            if injection.isScheduled, injection.at.support.lowerBound >= scenario.horizon {
                diagnostics.warning(injection.location, "\(what) starts at or after the horizon (\(Scalars.formatDuration(scenario.horizon))), so it never occurs",
                                    help: "a trial ends at the horizon: lower 'at' or raise the scenario's horizon")
            }
            if let trigger = injection.triggeredBy {
                resolveService(trigger.when.service, from: "the trigger of \(what)", verb: "watches")
            }
        }
    }

    private func checkBarriers() {
        for barrier in scenario.barriers {
            let what = "barrier '\(barrier.id)'"
            switch barrier.kind {
            case .prevent(let p):
                for ref in p.against { resolveInjection(ref, from: what, verb: "stands against") }
            case .detect(let d):
                if resolveService(d.watches, from: what, verb: "watches"),
                   case .burnRate = d.condition, serviceByID[d.watches.id]?.slo == nil, !isBroken("services", d.watches.id) {
                    error(d.watches.location, "\(what) alerts on burn rate but service '\(d.watches.id)' has no slo",
                          help: "a burn rate is measured against an SLO: add slo: 99.9% to the service")
                }
                if let notifies = d.notifies { resolveResponder(notifies, from: what, verb: "notifies") }
            case .mitigate(let m):
                for ref in m.removes { resolveInjection(ref, from: what, verb: "removes") }
                if let cap = m.caps,
                   resolveService(cap.service, from: "the cap of \(what)", verb: "names"),
                   resolveService(cap.dependency, from: "the cap of \(what)", verb: "names"),
                   let service = serviceByID[cap.service.id],
                   // A dependency list with an unknown entry is already reported; its edges are not reliable.
                   service.dependsOn.allSatisfy({ serviceByID[$0.service.id] != nil }), !isBroken("services", service.id),
                   !service.dependsOn.contains(where: { $0.service.id == cap.dependency.id }) {
                    error(cap.dependency.location, "the cap of \(what) names '\(cap.service.id)' -> '\(cap.dependency.id)', which is not a dependency",
                          help: "'\(cap.service.id)' depends on: " + Suggestions.list(service.dependsOn.map(\.service.id)))
                }
                if let when = m.when { resolveService(when.service, from: "the condition of \(what)", verb: "watches") }
            }
        }
        // Common-cause groups: one beta per group, or the group's single draw would be ambiguous.
        var betas: [String: (Double, SourceLocation)] = [:]
        for barrier in scenario.barriers {
            guard let cc = barrier.commonCause else { continue }
            let location = index.element("barriers", at: barrier.location)?.node["common_cause"]?["beta"]?.location ?? barrier.location
            if let (beta, first) = betas[cc.group], beta != cc.beta {
                error(location, "common-cause group '\(cc.group)' has beta \(Scalars.formatPercent(cc.beta)) here but \(Scalars.formatPercent(beta)) at line \(first.line)",
                      help: "a group fails together with one chance; give every member the same beta")
            } else if betas[cc.group] == nil {
                betas[cc.group] = (cc.beta, location)
            }
        }
    }

    private func checkResponders() {
        let manual = manualMitigations.list
        for responder in scenario.responders {
            let what = "responder '\(responder.id)'"
            if let target = responder.escalatesTo {
                if resolveResponder(target, from: what, verb: "escalates to"), target.id == responder.id {
                    error(target.location, "\(what) escalates to itself", help: "escalate to another responder")
                }
            }
            if let target = responder.forwardsTo {
                if resolveResponder(target, from: what, verb: "forwards to"), target.id == responder.id {
                    error(target.location, "\(what) forwards to itself", help: "forward to the responder who works the incident")
                }
            }
            for ref in responder.uses ?? [] {
                guard let barrier = barrierByID[ref.id] else {
                    resolve(ref, among: manualMitigations, kind: "mitigation", sections: ["barriers"], from: what, verb: "uses")
                    continue
                }
                if let m = barrier.mitigate {
                    if m.automatic {
                        error(ref.location, "\(what) uses automatic mitigation '\(ref.id)'", help: "automatic mitigations run by themselves; responders use manual ones: " + Suggestions.list(manual))
                    }
                } else {
                    error(ref.location, "\(what) uses '\(ref.id)', a \(barrier.typeName) barrier", help: "responders use mitigate barriers: " + Suggestions.list(manual))
                }
            }
        }
        // Forwarding chains must end at someone who works the incident. Each loop is reported
        // once, at the forwards_to that closes it; each responder is walked once.
        var state: [String: Int] = [:]  // 1 = on the current chain, 2 = done
        for responder in scenario.responders where responder.forwardsTo != nil && state[responder.id] == nil {
            var chain: [Responder] = [responder]
            state[responder.id] = 1
            while let target = chain.last!.forwardsTo, let next = responderByID[target.id], next.forwardsTo != nil {
                if state[next.id] == 1, let start = chain.firstIndex(where: { $0.id == next.id }) {
                    var loop = chain[start...].map(\.id) + [next.id]
                    if loop.count > 12 { loop = loop.prefix(6) + ["...(\(loop.count - 9) more)"] + loop.suffix(3) }
                    error(target.location, "forwarding loop: " + loop.joined(separator: " -> "),
                          help: "pages must reach a responder who diagnoses; end the chain at one without forwards_to")
                    break
                }
                if state[next.id] == 2 { break }
                state[next.id] = 1
                chain.append(next)
            }
            for member in chain { state[member.id] = 2 }
        }
    }

    private func checkModifiers() {
        let ids = respondersAndBarriers
        for modifier in scenario.modifiers {
            let what = "modifier '\(modifier.id)'"
            for ref in modifier.appliesTo ?? [] {
                guard ids.contains(ref.id) else {
                    resolve(ref, among: ids, kind: "responder or barrier", plural: "responders and barriers",
                            sections: ["responders", "barriers"], from: what, verb: "applies to")
                    continue
                }
                let isResponder = responderByID[ref.id] != nil
                let fields = modifier.multiply.map(\.field)
                if !fields.isEmpty, !fields.contains(where: { $0.isResponderField == isResponder }) {
                    error(ref.location, "\(what) applies to \(isResponder ? "responder" : "barrier") '\(ref.id)' but multiplies only " + fields.map(\.rawValue).joined(separator: ", "),
                          help: isResponder ? "responder times are acknowledge, diagnose and forward_delay" : "barrier times are takes and delay")
                }
            }
        }
    }

    private func checkChecks() {
        for check in scenario.checks {
            for ref in check.with {
                resolve(ref, among: controls, kind: "control", sections: ["controls"], from: "check '\(check.name)'", verb: "applies")
            }
            for expectation in check.expectations where check.with.isEmpty {
                switch expectation.quantity {
                case .averted, .newHarm, .metricChange:
                    error(expectation.location, "check '\(check.name)': '\(expectation.key)' compares against the baseline, but the check applies no control",
                          help: "add with: [CONTROL]")
                default: break
                }
            }
        }
    }

    private func checkDrill() {
        guard let drill = scenario.drill else { return }
        let actionIDs = actions.list
        let roles = drill.roles
        let roleSet = Set(roles)
        // Roles given in a way that did not decode are already reported; checking names against them would only repeat it.
        let rolesBroken = scenario.source.document["drill"]?["roles"].map { $0.sequence == nil && !$0.isNull } ?? false
        func role(_ name: String, at location: SourceLocation, in what: String) {
            guard !roleSet.contains(name), !rolesBroken, !diagnostics.isFull else { return }
            var help = "roles: " + Suggestions.list(roles)
            if let suggestion = Suggestions.closest(to: name, in: roles) { help = "did you mean '\(suggestion)'? " + help }
            error(location, "\(what) names unknown role '\(name)'", help: help)
        }
        for inject in drill.injects {
            let node = index.element("drill.injects", at: inject.location)?.node
            let roleNodes = node?["to"]?.sequence ?? []
            for (i, name) in (inject.to ?? []).enumerated() {
                role(name, at: i < roleNodes.count ? roleNodes[i].location : inject.location, in: "an inject")
            }
            let whenLocation = node?["when"]?.location ?? inject.location
            switch inject.trigger {
            case .event(let address):
                let ids: IDs
                switch address.kind {
                case .injections: ids = injections
                case .barriers: ids = barriers
                case .responders: ids = responders
                }
                if !ids.contains(address.id), !index.declaredIDs(address.kind.rawValue).contains(address.id) {
                    let list = ids.list
                    var help = "\(address.kind.rawValue): " + Suggestions.list(list)
                    if let suggestion = Suggestions.closest(to: address.id, in: list) { help = "did you mean '\(suggestion)'? " + help }
                    error(whenLocation, "an inject waits for '\(address)', but there is no \(address.kind.rawValue.dropLast()) '\(address.id)'", help: help)
                }
            case .condition(let condition):
                resolveService(condition.service, from: "an inject", verb: "watches")
            case .at:
                break
            }
        }
        for action in drill.actions {
            let what = "drill action '\(action.id)'"
            if let name = action.role {
                role(name, at: index.field("role", of: "drill.actions", at: action.location)?.location ?? action.location, in: what)
            }
            if let uses = action.uses {
                if resolve(uses, among: mitigations, kind: "mitigation", sections: ["barriers"], from: what, verb: "uses"), action.takes != nil {
                    error(uses.location, "\(what) uses '\(uses.id)' and also gives 'takes'", help: "an action that uses a mitigation takes the mitigation's own time; remove 'takes'")
                }
            }
            if let adds = action.adds, resolveInjection(adds, from: what, verb: "adds"),
               let injection = injectionByID[adds.id], !injection.dormant, !isBroken("injections", adds.id) {
                error(adds.location, "\(what) adds injection '\(adds.id)', which is not dormant", help: "mark it dormant: true so it occurs only when this action is taken")
            }
        }
        for item in drill.rubric {
            let what = "rubric item '\(item.id)'"
            if let action = item.action {
                resolve(action, among: actions, kind: "drill action", sections: ["drill.actions"], from: what, verb: "scores")
            }
            if case .action(let ref) = item.from, !actions.contains(ref.id), !index.declaredIDs("drill.actions").contains(ref.id) {
                var help = "from is start, first_page, detection, or a drill action id: " + Suggestions.list(actionIDs)
                if let suggestion = Suggestions.closest(to: ref.id, in: actionIDs + ["start", "first_page", "detection"]) { help = "did you mean '\(suggestion)'? " + help }
                error(ref.location, "\(what) counts from unknown '\(ref.id)'", help: help)
            }
            if item.points < 0 {
                let location = index.field("points", of: "drill.rubric", at: item.location)?.location ?? item.location
                error(location, "\(what) has negative points: \(item.points)", help: "objectives earn points; take points for harmful actions with penalties")
            }
        }
        for penalty in drill.penalties {
            resolve(penalty.action, among: actions, kind: "drill action", sections: ["drill.actions"], from: "a penalty", verb: "names")
            if penalty.points > 0 {
                let location = index.field("points", of: "drill.penalties", at: penalty.location)?.location ?? penalty.location
                error(location, "a penalty has positive points: \(penalty.points)", help: "penalties take points away: write points: -\(penalty.points)")
            }
        }
    }
}

/// Checks what spans elements: unique ids, references, dependency cycles, pins, drill and checks.
struct ScenarioValidator {
    let diagnostics: DiagnosticCollector
    let scenario: Scenario
    /// Pins describe the baseline: a variant maps their quantiles through its own distributions
    /// (spec section 8), so they are checked against the baseline only.
    var checkPins = true

    private func error(_ at: SourceLocation, _ message: String, help: String? = nil) {
        diagnostics.error(at, message, help: help)
    }

    func validate() {
        uniqueIDs("service", scenario.services.map { ($0.id, $0.location) })
        uniqueIDs("injection", scenario.injections.map { ($0.id, $0.location) })
        uniqueIDs("barrier", scenario.barriers.map { ($0.id, $0.location) })
        uniqueIDs("responder", scenario.responders.map { ($0.id, $0.location) })
        uniqueIDs("modifier", scenario.modifiers.map { ($0.id, $0.location) })
        uniqueIDs("control", scenario.controls.map { ($0.id, $0.location) })
        if let drill = scenario.drill {
            uniqueIDs("drill action", drill.actions.map { ($0.id, $0.location) })
            uniqueIDs("rubric item", drill.rubric.map { ($0.id, $0.location) })
        }
        services()
        injections()
        barriers()
        responders()
        modifiers()
        checks()
        drill()
        if checkPins, let observed = scenario.observed { PinValidator(diagnostics: diagnostics, scenario: scenario).validate(observed) }
    }

    private func uniqueIDs(_ kind: String, _ items: [(String, SourceLocation)]) {
        var first: [String: SourceLocation] = [:]
        for (id, location) in items where !id.isEmpty {
            if let previous = first[id] {
                error(location, "duplicate \(kind) id '\(id)'", help: "first defined at line \(previous.line), column \(previous.column); ids are unique within a section")
            } else {
                first[id] = location
            }
        }
    }

    /// Reports a reference to an id that does not exist, with a did-you-mean hint.
    @discardableResult
    private func resolve(_ ref: Reference, among ids: [String], kind: String, from what: String, verb: String) -> Bool {
        if ids.contains(ref.id) { return true }
        var help = "\(kind)s: " + Suggestions.list(ids)
        if let suggestion = Suggestions.closest(to: ref.id, in: ids) { help = "did you mean '\(suggestion)'? " + help }
        error(ref.location, "\(what) \(verb) unknown \(kind) '\(ref.id)'", help: help)
        return false
    }

    private var serviceIDs: [String] { scenario.services.map(\.id) }
    private var injectionIDs: [String] { scenario.injections.map(\.id) }
    private var responderIDs: [String] { scenario.responders.map(\.id) }

    private func services() {
        for service in scenario.services {
            var seen = Set<String>()
            for dependency in service.dependsOn {
                resolve(dependency.service, among: serviceIDs, kind: "service", from: "service '\(service.id)'", verb: "depends on")
                if dependency.service.id == service.id {
                    error(dependency.service.location, "service '\(service.id)' depends on itself", help: "the dependency graph must be acyclic")
                } else if !seen.insert(dependency.service.id).inserted {
                    error(dependency.service.location, "service '\(service.id)' lists dependency '\(dependency.service.id)' twice", help: "list each dependency once, with its weight")
                }
            }
        }
        // Cycles: depth-first search that reports each cycle once, at the edge that closes it.
        var state: [String: Int] = [:]  // 1 = on stack, 2 = done
        var stack: [String] = []
        let byID = Dictionary(scenario.services.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        func visit(_ id: String) {
            state[id] = 1
            stack.append(id)
            for dependency in byID[id]?.dependsOn ?? [] where dependency.service.id != id && byID[dependency.service.id] != nil {
                let next = dependency.service.id
                if state[next] == 1 {
                    let cycle = stack[stack.lastIndex(of: next)!...] + [next]
                    error(dependency.service.location, "dependency cycle: " + cycle.joined(separator: " -> "),
                          help: "the dependency graph must be acyclic; remove one of these depends_on entries")
                } else if state[next] == nil {
                    visit(next)
                }
            }
            stack.removeLast()
            state[id] = 2
        }
        for service in scenario.services where state[service.id] == nil { visit(service.id) }
    }

    private func injections() {
        for injection in scenario.injections {
            let what = "injection '\(injection.id)'"
            resolve(injection.target, among: serviceIDs, kind: "service", from: what, verb: "targets")
            if let trigger = injection.triggeredBy {
                resolve(trigger.when.service, among: serviceIDs, kind: "service", from: "the trigger of \(what)", verb: "watches")
            }
        }
    }

    private func barriers() {
        let mitigations = scenario.barriers.filter { $0.mitigate != nil }
        for barrier in scenario.barriers {
            let what = "barrier '\(barrier.id)'"
            switch barrier.kind {
            case .prevent(let p):
                for ref in p.against { resolve(ref, among: injectionIDs, kind: "injection", from: what, verb: "stands against") }
            case .detect(let d):
                if resolve(d.watches, among: serviceIDs, kind: "service", from: what, verb: "watches"),
                   case .burnRate = d.condition, scenario.service(d.watches.id)?.slo == nil {
                    error(d.watches.location, "\(what) alerts on burn rate but service '\(d.watches.id)' has no slo",
                          help: "a burn rate is measured against an SLO: add slo: 99.9% to the service")
                }
                if let notifies = d.notifies { resolve(notifies, among: responderIDs, kind: "responder", from: what, verb: "notifies") }
            case .mitigate(let m):
                for ref in m.removes { resolve(ref, among: injectionIDs, kind: "injection", from: what, verb: "removes") }
                if let cap = m.caps,
                   resolve(cap.service, among: serviceIDs, kind: "service", from: "the cap of \(what)", verb: "names"),
                   resolve(cap.dependency, among: serviceIDs, kind: "service", from: "the cap of \(what)", verb: "names"),
                   let service = scenario.service(cap.service.id), !service.dependsOn.contains(where: { $0.service.id == cap.dependency.id }) {
                    error(cap.dependency.location, "the cap of \(what) names '\(cap.service.id)' -> '\(cap.dependency.id)', which is not a dependency",
                          help: "'\(cap.service.id)' depends on: " + Suggestions.list(service.dependsOn.map(\.service.id)))
                }
                if let when = m.when { resolve(when.service, among: serviceIDs, kind: "service", from: "the condition of \(what)", verb: "watches") }
            }
        }
        _ = mitigations
        // Common-cause groups: one beta per group, or the group's single draw would be ambiguous.
        var betas: [String: (Double, SourceLocation)] = [:]
        for barrier in scenario.barriers {
            guard let cc = barrier.commonCause else { continue }
            if let (beta, location) = betas[cc.group], beta != cc.beta {
                error(barrier.location, "common-cause group '\(cc.group)' has beta \(Scalars.formatPercent(cc.beta)) here but \(Scalars.formatPercent(beta)) at line \(location.line)",
                      help: "a group fails together with one chance; give every member the same beta")
            } else if betas[cc.group] == nil {
                betas[cc.group] = (cc.beta, barrier.location)
            }
        }
    }

    private func responders() {
        let manual = scenario.barriers.filter { $0.mitigate.map { !$0.automatic } ?? false }.map(\.id)
        for responder in scenario.responders {
            let what = "responder '\(responder.id)'"
            if let target = responder.escalatesTo {
                if resolve(target, among: responderIDs, kind: "responder", from: what, verb: "escalates to"), target.id == responder.id {
                    error(target.location, "\(what) escalates to itself", help: "escalate to another responder")
                }
            }
            if let target = responder.forwardsTo {
                if resolve(target, among: responderIDs, kind: "responder", from: what, verb: "forwards to"), target.id == responder.id {
                    error(target.location, "\(what) forwards to itself", help: "forward to the responder who works the incident")
                }
            }
            for ref in responder.uses ?? [] {
                guard let barrier = scenario.barrier(ref.id) else {
                    resolve(ref, among: manual, kind: "mitigation", from: what, verb: "uses")
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
        // Forwarding chains must end at someone who works the incident.
        for responder in scenario.responders where responder.forwardsTo != nil {
            var seen: [String] = [responder.id]
            var current = responder
            while let next = current.forwardsTo.flatMap({ scenario.responder($0.id) }), next.forwardsTo != nil {
                if seen.contains(next.id) {
                    error(responder.location, "forwarding loop: " + (seen + [next.id]).joined(separator: " -> "), help: "pages must reach a responder who diagnoses")
                    break
                }
                seen.append(next.id)
                current = next
            }
        }
    }

    private func modifiers() {
        for modifier in scenario.modifiers {
            let what = "modifier '\(modifier.id)'"
            let ids = responderIDs + scenario.barriers.map(\.id)
            for ref in modifier.appliesTo ?? [] {
                guard ids.contains(ref.id) else {
                    resolve(ref, among: ids, kind: "responder or barrier", from: what, verb: "applies to")
                    continue
                }
                let isResponder = scenario.responder(ref.id) != nil
                let fields = modifier.multiply.map(\.field)
                if !fields.isEmpty, !fields.contains(where: { $0.isResponderField == isResponder }) {
                    error(ref.location, "\(what) applies to \(isResponder ? "responder" : "barrier") '\(ref.id)' but multiplies only " + fields.map(\.rawValue).joined(separator: ", "),
                          help: isResponder ? "responder times are acknowledge, diagnose and forward_delay" : "barrier times are takes and delay")
                }
            }
        }
    }

    private func checks() {
        let controlIDs = scenario.controls.map(\.id)
        for check in scenario.checks {
            for ref in check.with { resolve(ref, among: controlIDs, kind: "control", from: "check '\(check.name)'", verb: "applies") }
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

    private func drill() {
        guard let drill = scenario.drill else { return }
        let actionIDs = drill.actions.map(\.id)
        let roles = drill.roles
        func role(_ name: String, at location: SourceLocation, in what: String) {
            guard !roles.contains(name) else { return }
            var help = "roles: " + Suggestions.list(roles)
            if let suggestion = Suggestions.closest(to: name, in: roles) { help = "did you mean '\(suggestion)'? " + help }
            error(location, "\(what) names unknown role '\(name)'", help: help)
        }
        for inject in drill.injects {
            for name in inject.to ?? [] { role(name, at: inject.location, in: "an inject") }
            switch inject.trigger {
            case .event(let address):
                let ids: [String]
                switch address.kind {
                case .injections: ids = injectionIDs
                case .barriers: ids = scenario.barriers.map(\.id)
                case .responders: ids = responderIDs
                }
                if !ids.contains(address.id) {
                    var help = "\(address.kind.rawValue): " + Suggestions.list(ids)
                    if let suggestion = Suggestions.closest(to: address.id, in: ids) { help = "did you mean '\(suggestion)'? " + help }
                    error(inject.location, "an inject waits for '\(address)', but there is no \(address.kind.rawValue.dropLast()) '\(address.id)'", help: help)
                }
            case .condition(let condition):
                resolve(condition.service, among: serviceIDs, kind: "service", from: "an inject", verb: "watches")
            case .at:
                break
            }
        }
        for action in drill.actions {
            let what = "drill action '\(action.id)'"
            if let name = action.role { role(name, at: action.location, in: what) }
            if let uses = action.uses {
                let mitigations = scenario.barriers.filter { $0.mitigate != nil }.map(\.id)
                if resolve(uses, among: mitigations, kind: "mitigation", from: what, verb: "uses"), action.takes != nil {
                    error(uses.location, "\(what) uses '\(uses.id)' and also gives 'takes'", help: "an action that uses a mitigation takes the mitigation's own time; remove 'takes'")
                }
            }
            if let adds = action.adds, resolve(adds, among: injectionIDs, kind: "injection", from: what, verb: "adds"),
               let injection = scenario.injection(adds.id), !injection.dormant {
                error(adds.location, "\(what) adds injection '\(adds.id)', which is not dormant", help: "mark it dormant: true so it occurs only when this action is taken")
            }
        }
        for item in drill.rubric {
            let what = "rubric item '\(item.id)'"
            if let action = item.action { resolve(action, among: actionIDs, kind: "drill action", from: what, verb: "scores") }
            if case .action(let ref) = item.from {
                var help = "from is start, first_page, detection, or a drill action id: " + Suggestions.list(actionIDs)
                if !actionIDs.contains(ref.id) {
                    if let suggestion = Suggestions.closest(to: ref.id, in: actionIDs + ["start", "first_page", "detection"]) { help = "did you mean '\(suggestion)'? " + help }
                    error(ref.location, "\(what) counts from unknown '\(ref.id)'", help: help)
                }
            }
            if item.points < 0 { error(item.location, "\(what) has negative points", help: "objectives earn points; use penalties for harmful actions") }
        }
        for penalty in drill.penalties {
            resolve(penalty.action, among: actionIDs, kind: "drill action", from: "a penalty", verb: "names")
            if penalty.points > 0 { error(penalty.location, "a penalty has positive points (\(penalty.points))", help: "penalties take points away: write points: -10") }
        }
    }
}

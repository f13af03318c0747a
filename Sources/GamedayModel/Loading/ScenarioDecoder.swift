/// Decodes a scenario document into a ``Scenario``, reporting every problem.
///
/// Decoding checks each value where it stands (types, ranges, keys); ``ScenarioValidator`` then
/// checks what spans elements (ids, references, cycles, pins, controls).
struct ScenarioDecoder {
    let reader: NodeReader
    let file: String
    /// Variants may leave a list empty after a control removed what it named.
    let lenient: Bool

    init(diagnostics: DiagnosticCollector, file: String, lenient: Bool = false) {
        self.reader = NodeReader(diagnostics: diagnostics)
        self.file = file
        self.lenient = lenient
    }

    private func error(_ at: SourceLocation, _ message: String, help: String? = nil) {
        reader.error(at, message, help: help)
    }

    /// Decodes the whole document. Returns `nil` only when the top level is unusable.
    func decode(_ root: YAMLNode, source: ScenarioSource) -> Scenario? {
        guard let top = reader.fields(root, .root, what: "the scenario file") else { return nil }
        let header = top["scenario"].flatMap { reader.fields($0, .header, what: "the 'scenario' section") }

        var scenario = Scenario(
            id: reader.id(header?["id"], what: "scenario id") ?? "",
            title: reader.string(header?["title"], what: "scenario title") ?? "",
            description: reader.string(header?["description"], what: "scenario description"),
            category: reader.string(header?["category"], what: "scenario category"),
            tags: reader.list(header?["tags"], what: "tags").compactMap { reader.scalarText($0, what: "a tag") },
            horizon: 86_400,
            incidentWhen: .default,
            services: [], injections: [], barriers: [], responders: [], modifiers: [], controls: [],
            observed: nil, drill: nil, checks: [], controlsApplied: [], source: source)
        if let node = header?["horizon"], let horizon = reader.duration(node, what: "horizon") {
            if horizon <= 0 {
                error(node.location, "horizon must be above zero", help: "a trial needs time to run: write, e.g., 8h")
            } else {
                scenario.horizon = horizon
            }
        }
        if let node = header?["incident_when"] { scenario.incidentWhen = incidentCriterion(node) ?? .default }

        scenario.services = reader.list(top["services"], what: "services").compactMap(service)
        scenario.injections = reader.list(top["injections"], what: "injections").compactMap(injection)
        scenario.barriers = reader.list(top["barriers"], what: "barriers").compactMap(barrier)
        scenario.responders = reader.list(top["responders"], what: "responders").compactMap(responder)
        scenario.modifiers = reader.list(top["modifiers"], what: "modifiers").compactMap(modifier)
        scenario.controls = reader.list(top["controls"], what: "controls").compactMap(control)
        scenario.observed = top["observed"].flatMap(observed)
        scenario.drill = top["drill"].flatMap(drill)
        scenario.checks = reader.list(top["checks"], what: "checks").compactMap(check)
        return scenario
    }

    private func incidentCriterion(_ node: YAMLNode) -> IncidentCriterion? {
        let before = errorCount
        guard let f = reader.fields(node, .incidentWhen, what: "incident_when") else { return nil }
        let given = ScenarioFormat.keys(.incidentWhen).filter { f.has($0) }
        guard given.count == 1 else {
            if given.isEmpty, errorCount > before { return nil }
            error(node.location, given.isEmpty ? "incident_when is empty" : "incident_when gives both \(given.joined(separator: " and "))",
                  help: "give one of failed_requests_above: N or slo_budget_consumed_above: 5%")
            return nil
        }
        if let n = f["failed_requests_above"] {
            guard let value = reader.number(n, what: "'failed_requests_above' of incident_when") else { return nil }
            guard value >= 0 else {
                error(n.location, "failed_requests_above must be zero or more", help: "0 means any failed request is an incident")
                return nil
            }
            return .failedRequestsAbove(value)
        }
        return reader.share(f["slo_budget_consumed_above"], what: "'slo_budget_consumed_above' of incident_when").map(IncidentCriterion.sloBudgetConsumedAbove)
    }

    // MARK: Services

    private func elementID(_ f: NodeReader.Fields, _ kind: String) -> String? {
        reader.id(f["id"], what: "\(kind) id")
    }

    private func label(_ kind: String, _ node: YAMLNode, index: Int? = nil) -> String {
        if let id = node["id"]?.scalar?.text { return "\(kind) '\(id)'" }
        return ("aeiou".contains(kind.first ?? "x") ? "an " : "a ") + kind
    }

    /// The number of errors reported so far: a check that compares it before and after reading a
    /// part of the file knows whether that part was already reported, and stays quiet about
    /// consequences (an "empty" effect whose only key was misspelt).
    private var errorCount: Int { reader.diagnostics.errorCount }

    private func service(_ node: YAMLNode) -> Service? {
        let what = label("service", node)
        guard let f = reader.fields(node, .service, what: what), let id = elementID(f, "service") else { return nil }
        var service = Service(id: id, traffic: nil, slo: nil, sloWindow: 30 * 86_400, dependsOn: [],
                              description: reader.string(f["description"], what: "description"), location: node.location)
        service.traffic = reader.traffic(f["traffic"], what: "'traffic' of \(what)")
        if let node = f["slo"], let slo = reader.probability(node, what: "'slo' of \(what)") {
            if slo >= 1 || slo <= 0 {
                error(node.location, "slo of \(what) must lie strictly between 0% and 100%",
                      help: "an SLO of 100% leaves no error budget; write, e.g., 99.9%")
            } else {
                service.slo = slo
            }
        }
        if let node = f["slo_window"], let window = reader.duration(node, what: "'slo_window' of \(what)") {
            if window <= 0 { error(node.location, "slo_window of \(what) must be above zero", help: "the default is 30d") }
            else { service.sloWindow = window }
        }
        for item in reader.list(f["depends_on"], what: "'depends_on' of \(what)") {
            if item.scalar != nil {
                if let ref = reader.reference(item, what: "a dependency of \(what)") { service.dependsOn.append(Dependency(service: ref, weight: 1)) }
            } else if let d = reader.fields(item, .dependency, what: "a dependency of \(what)"),
                      let ref = reader.reference(d["service"], what: "'service' of a dependency of \(what)") {
                let weight = d["weight"].flatMap { reader.probability($0, what: "'weight' of dependency '\(ref.id)' of \(what)") } ?? 1
                service.dependsOn.append(Dependency(service: ref, weight: weight))
            }
        }
        return service
    }

    // MARK: Injections

    private func steps(_ node: YAMLNode?, what: String) -> Steps? {
        guard let node, let f = reader.fields(node, .steps, what: what) else { return nil }
        guard let over = reader.duration(f["over"], what: "'over' of \(what)"),
              let count = reader.integer(f["steps"], what: "'steps' of \(what)", minimum: 1) else { return nil }
        return Steps(over: over, steps: count)
    }

    func serviceCondition(_ node: YAMLNode?, what: String, object: ScenarioFormat.Object = .serviceCondition) -> ServiceCondition? {
        guard let node, let f = reader.fields(node, object, what: what) else { return nil }
        guard let service = reader.reference(f["service"], what: "'service' of \(what)"),
              let above = reader.probability(f["error_rate_above"], what: "'error_rate_above' of \(what)") else { return nil }
        let holdFor = f["for"].flatMap { reader.duration($0, what: "'for' of \(what)") } ?? 0
        return ServiceCondition(service: service, errorRateAbove: above, holdFor: holdFor)
    }

    private func injection(_ node: YAMLNode) -> Injection? {
        let what = label("injection", node)
        guard let f = reader.fields(node, .injection, what: what), let id = elementID(f, "injection"),
              let target = reader.reference(f["target"], what: "'target' of \(what)") else { return nil }
        var injection = Injection(id: id, target: target, at: .constant(0), probability: .one, errorRate: 1,
                                  ramp: nil, lasts: .untilMitigated, recovers: nil, triggeredBy: nil, dormant: false,
                                  description: reader.string(f["description"], what: "description"), location: node.location)
        let beforeEffect = errorCount
        if let effect = f["effect"], let e = reader.fields(effect, .effect, what: "'effect' of \(what)") {
            switch (e["error_rate"], e["down"]) {
            case (let rate?, nil):
                injection.errorRate = reader.probability(rate, what: "'error_rate' of \(what)") ?? 1
            case (nil, let down?):
                if let isDown = reader.bool(down, what: "'down' of \(what)"), !isDown {
                    error(down.location, "effect 'down: false' of \(what) has no effect", help: "write {down: true} or {error_rate: 40%}")
                }
            case (nil, nil):
                if errorCount == beforeEffect {
                    error(effect.location, "effect of \(what) is empty", help: "write {error_rate: 40%} or {down: true}")
                }
            case (_?, _?):
                error(effect.location, "effect of \(what) gives both error_rate and down", help: "give one: {error_rate: 40%} or {down: true}")
            }
        }
        injection.probability = f["probability"].flatMap { reader.probabilityValue($0, what: "'probability' of \(what)") } ?? .one
        injection.ramp = steps(f["ramp"], what: "'ramp' of \(what)")
        injection.recovers = steps(f["recovers"], what: "'recovers' of \(what)")
        if let dormant = f["dormant"] { injection.dormant = reader.bool(dormant, what: "'dormant' of \(what)") ?? false }
        if let trigger = f["triggered_by"], let t = reader.fields(trigger, .trigger, what: "'triggered_by' of \(what)") {
            if let when = serviceCondition(t["when"], what: "the trigger condition of \(what)") {
                injection.triggeredBy = Trigger(when: when, probability: t["probability"].flatMap { reader.probabilityValue($0, what: "trigger probability of \(what)") } ?? .one)
            }
        }
        if let at = f["at"] {
            if f.has("triggered_by") {
                error(f.keyLocation("at"), "\(what) has both 'at' and 'triggered_by'",
                      help: "a triggered injection starts when its condition holds; remove 'at'")
            } else if injection.dormant {
                error(f.keyLocation("at"), "\(what) is dormant and also has 'at'",
                      help: "a dormant injection starts only when a drill action adds it; remove 'at'")
            }
            injection.at = reader.timeDistribution(at, what: "'at' of \(what)") ?? .constant(0)
        }
        if injection.dormant, f.has("triggered_by") {
            error(f.keyLocation("dormant"), "\(what) is both dormant and triggered_by", help: "choose one: a cascade (triggered_by) or a drill consequence (dormant)")
        }
        if let lasts = f["lasts"] {
            switch lasts.scalar?.text {
            case "until_mitigated": injection.lasts = .untilMitigated
            case "while_triggered":
                if f.has("triggered_by") { injection.lasts = .whileTriggered } else {
                    error(lasts.location, "\(what) lasts while_triggered but has no triggered_by", help: "add triggered_by, or use until_mitigated or a duration")
                }
            default:
                if let text = lasts.scalar?.text, Suggestions.closest(to: text, in: ["until_mitigated", "while_triggered"]) != nil,
                   case .failure = Scalars.duration(text) {
                    error(lasts.location, "lasts of \(what): '\(text)' is not a duration or a known value",
                          help: "did you mean '\(Suggestions.closest(to: text, in: ["until_mitigated", "while_triggered"])!)'? lasts is until_mitigated, while_triggered, or a duration")
                } else if let d = reader.timeDistribution(lasts, what: "'lasts' of \(what)") {
                    injection.lasts = .duration(d)
                }
            }
        }
        return injection
    }

    // MARK: Barriers

    private func barrier(_ node: YAMLNode) -> Barrier? {
        let what = label("barrier", node)
        guard node.mapping != nil else {
            error(node.location, "\(what) must be a mapping, not \(node.kindDescription)", help: "a barrier has id, type and its type's keys")
            return nil
        }
        let types = ["prevent", "detect", "mitigate"]
        guard let typeNode = node["type"], let typeText = typeNode.scalar?.text else {
            error(node.location, "\(what) is missing 'type'", help: "type is prevent, detect or mitigate")
            return nil
        }
        let object: ScenarioFormat.Object
        switch typeText {
        case "prevent": object = .preventBarrier
        case "detect": object = .detectBarrier
        case "mitigate": object = .mitigateBarrier
        default:
            var help = "type is prevent, detect or mitigate"
            if let suggestion = Suggestions.closest(to: typeText, in: types) { help = "did you mean '\(suggestion)'? " + help }
            error(typeNode.location, "\(what) has unknown type '\(typeText)'", help: help)
            return nil
        }
        // Keys of the other barrier types get a message that names the right type.
        var alsoKnown: [String: String] = [:]
        for (otherType, otherObject) in [("prevent", ScenarioFormat.Object.preventBarrier), ("detect", .detectBarrier), ("mitigate", .mitigateBarrier)] where otherType != typeText {
            for key in ScenarioFormat.keys(otherObject) where !ScenarioFormat.keys(object).contains(key) {
                alsoKnown[key] = "'\(key)' belongs to \(otherType) barriers; a \(typeText) barrier takes " + ScenarioFormat.keys(object).joined(separator: ", ")
            }
        }
        guard let f = reader.fields(node, object, what: "\(typeText) \(what)", alsoKnown: alsoKnown), let id = elementID(f, "barrier") else { return nil }
        let full = "\(typeText) \(what)"
        var barrier = Barrier(id: id, kind: .prevent(Prevent(against: [], effectiveness: .one, exposure: 0, takes: .constant(0))),
                              reliability: f["reliability"].flatMap { reader.probabilityValue($0, what: "'reliability' of \(full)") } ?? .one,
                              commonCause: nil, description: reader.string(f["description"], what: "description"), location: node.location)
        if let cc = f["common_cause"], let c = reader.fields(cc, .commonCause, what: "'common_cause' of \(full)"),
           let group = reader.string(c["group"], what: "'group' of 'common_cause' of \(full)"),
           let beta = reader.probability(c["beta"], what: "'beta' of 'common_cause' of \(full)") {
            barrier.commonCause = CommonCause(group: group, beta: beta)
        }
        switch typeText {
        case "prevent":
            let beforeAgainst = errorCount
            let against = reader.references(f["against"], what: "'against' of \(full)")
            if f.has("against"), against.isEmpty, !lenient, errorCount == beforeAgainst {
                error(f["against"]!.location, "\(full) stands against no injection", help: "list the injections it prevents: against: [bad-config]")
            }
            barrier.kind = .prevent(Prevent(
                against: against,
                effectiveness: f["effectiveness"].flatMap { reader.probabilityValue($0, what: "'effectiveness' of \(full)") } ?? .one,
                exposure: f["exposure"].flatMap { reader.probability($0, what: "'exposure' of \(full)") } ?? 0,
                takes: f["takes"].flatMap { reader.timeDistribution($0, what: "'takes' of \(full)") } ?? .constant(0)))
        case "detect":
            guard let watches = reader.reference(f["watches"], what: "'watches' of \(full)") else { return nil }
            var condition = DetectCondition.errorRate(above: 0, holdFor: 0)
            let beforeWhen = errorCount
            if let whenNode = f["when"], let w = reader.fields(whenNode, .detectWhen, what: "the condition of \(full)") {
                switch (w.has("error_rate_above"), w.has("burn_rate_above")) {
                case (true, false):
                    if w.has("window") { error(w.keyLocation("window"), "'window' in the condition of \(full) goes with burn_rate_above, not error_rate_above", help: "use 'for' to require the error rate to hold for a time") }
                    condition = .errorRate(above: reader.probability(w["error_rate_above"], what: "'error_rate_above' of \(full)") ?? 0,
                                           holdFor: w["for"].flatMap { reader.duration($0, what: "'for' of \(full)") } ?? 0)
                case (false, true):
                    if w.has("for") { error(w.keyLocation("for"), "'for' in the condition of \(full) goes with error_rate_above, not burn_rate_above", help: "a burn-rate alert averages over its 'window'") }
                    let threshold = reader.positiveNumber(w["burn_rate_above"], what: "'burn_rate_above' of \(full)") ?? 1
                    var window = 3600.0
                    if let node = w["window"] {
                        if let value = reader.duration(node, what: "'window' of \(full)") {
                            if value > 0 { window = value } else { error(node.location, "window of \(full) must be above zero", help: "write, e.g., window: 1h") }
                        }
                    } else if !w.mentions("window") {
                        error(whenNode.location, "the condition of \(full) has burn_rate_above but no window", help: "add the window your alert averages over, like window: 1h")
                    }
                    condition = .burnRate(above: threshold, window: window)
                case (true, true):
                    error(whenNode.location, "the condition of \(full) gives both error_rate_above and burn_rate_above", help: "give one: {error_rate_above: 5%, for: 5m} or {burn_rate_above: 14.4, window: 1h}")
                case (false, false):
                    guard errorCount == beforeWhen else { break }
                    error(whenNode.location, "the condition of \(full) names no threshold", help: "give {error_rate_above: 5%, for: 5m} or {burn_rate_above: 14.4, window: 1h}")
                }
            }
            var every: Double?
            if let node = f["every"], let value = reader.duration(node, what: "'every' of \(full)") {
                if value > 0 { every = value } else { error(node.location, "every of \(full) must be above zero", help: "a probe checks every so often: write, e.g., every: 5m") }
            }
            if f.has("chance_per_check"), !f.has("every") {
                error(f.keyLocation("chance_per_check"), "chance_per_check of \(full) needs 'every'", help: "a chance per check applies to periodic checks: add every: 5m")
            }
            barrier.kind = .detect(Detect(
                watches: watches, condition: condition, every: every,
                chancePerCheck: f["chance_per_check"].flatMap { reader.probabilityValue($0, what: "'chance_per_check' of \(full)") } ?? .one,
                delay: f["delay"].flatMap { reader.timeDistribution($0, what: "'delay' of \(full)") } ?? .constant(0),
                notifies: reader.reference(f["notifies"], what: "'notifies' of \(full)")))
        default:
            let automatic = f["automatic"].flatMap { reader.bool($0, what: "'automatic' of \(full)") } ?? false
            var caps: DependencyCap?
            if let capNode = f["caps"], let c = reader.fields(capNode, .cap, what: "'caps' of \(full)"),
               let service = reader.reference(c["service"], what: "'service' of 'caps' of \(full)"),
               let dependency = reader.reference(c["dependency"], what: "'dependency' of 'caps' of \(full)"),
               let weight = reader.probability(c["weight"], what: "'weight' of 'caps' of \(full)") {
                caps = DependencyCap(service: service, dependency: dependency, weight: weight)
            }
            let beforeRemoves = errorCount
            let removes = reader.references(f["removes"], what: "'removes' of \(full)")
            if !f.mentions("removes") && !f.mentions("caps") {
                error(node.location, "\(full) neither removes an injection nor caps a dependency", help: "add removes: [INJECTION] or caps: {service, dependency, weight}")
            } else if f.has("removes"), removes.isEmpty, !f.mentions("caps"), !lenient, errorCount == beforeRemoves {
                // As with an empty 'against': in a file it is a mistake; in a variant, a control removed what it named.
                error(f["removes"]!.location, "\(full) removes no injection", help: "list the injections it removes: removes: [bad-config], or give caps")
            }
            var when: ServiceCondition?
            if automatic {
                if f.has("when") { when = serviceCondition(f["when"], what: "the condition of \(full)") } else if !f.mentions("when") {
                    error(node.location, "automatic \(full) has no 'when'", help: "an automatic mitigation starts when its condition holds: when: {service: payments, error_rate_above: 50%, for: 1m}")
                }
            } else if f.has("when") {
                error(f.keyLocation("when"), "'when' of \(full) applies only to automatic mitigations", help: "add automatic: true, or remove 'when': responders decide when to run a manual mitigation")
            }
            barrier.kind = .mitigate(Mitigate(
                removes: removes, caps: caps,
                takes: f["takes"].flatMap { reader.timeDistribution($0, what: "'takes' of \(full)") } ?? .constant(0),
                automatic: automatic, when: when))
        }
        return barrier
    }

    // MARK: Responders and modifiers

    private func responder(_ node: YAMLNode) -> Responder? {
        let what = label("responder", node)
        guard let f = reader.fields(node, .responder, what: what), let id = elementID(f, "responder") else { return nil }
        let responder = Responder(
            id: id,
            acknowledge: reader.timeDistribution(f["acknowledge"], what: "'acknowledge' of \(what)") ?? .constant(0),
            escalateAfter: f["escalate_after"].flatMap { reader.duration($0, what: "'escalate_after' of \(what)") },
            escalatesTo: reader.reference(f["escalates_to"], what: "'escalates_to' of \(what)"),
            diagnose: reader.timeDistribution(f["diagnose"], what: "'diagnose' of \(what)"),
            accuracy: f["accuracy"].flatMap { reader.probabilityValue($0, what: "'accuracy' of \(what)") } ?? .one,
            uses: f.has("uses") ? reader.references(f["uses"], what: "'uses' of \(what)") : nil,
            forwardsTo: reader.reference(f["forwards_to"], what: "'forwards_to' of \(what)"),
            forwardDelay: reader.timeDistribution(f["forward_delay"], what: "'forward_delay' of \(what)") ?? .constant(0),
            description: reader.string(f["description"], what: "description"), location: node.location)
        if f.mentions("escalate_after") != f.mentions("escalates_to") {
            let (given, missing) = f.has("escalate_after") ? ("escalate_after", "escalates_to") : ("escalates_to", "escalate_after")
            error(f.keyLocation(given), "\(what) has '\(given)' but no '\(missing)'", help: "escalation needs both: escalate_after: 15m and escalates_to: RESPONDER")
        }
        if f.has("forwards_to") {
            for key in ["diagnose", "accuracy", "uses"] where f.has(key) {
                error(f.keyLocation(key), "\(what) forwards pages and does not \(key == "uses" ? "run mitigations" : "diagnose"); '\(key)' has no effect",
                      help: "remove '\(key)', or remove forwards_to to make this responder work the incident")
            }
        } else {
            if !f.mentions("diagnose"), !f.mentions("forwards_to"), f.has("acknowledge") {
                error(node.location, "\(what) has neither 'diagnose' nor 'forwards_to'", help: "a responder either diagnoses, with diagnose: {lognormal: {median: 12m, p90: 45m}}, or relays pages, with forwards_to: RESPONDER")
            }
            if f.has("forward_delay") {
                error(f.keyLocation("forward_delay"), "\(what) has 'forward_delay' but no 'forwards_to'", help: "forward_delay applies to responders that relay pages")
            }
        }
        return responder
    }

    private func modifier(_ node: YAMLNode) -> Modifier? {
        let what = label("modifier", node)
        guard let f = reader.fields(node, .modifier, what: what), let id = elementID(f, "modifier") else { return nil }
        var multiply: [(field: ModifiedField, factor: Double)] = []
        if let m = f["multiply"], let mf = reader.fields(m, .multiply, what: "'multiply' of \(what)") {
            for pair in m.mapping ?? [] {
                guard let key = pair.key.scalar?.text, let field = ModifiedField(rawValue: key), mf.values[key] != nil,
                      let factor = reader.positiveNumber(pair.value, what: "\(key) factor of \(what)") else { continue }
                multiply.append((field, factor))
            }
            if (m.mapping ?? []).isEmpty { error(m.location, "multiply of \(what) is empty", help: "give factors such as {acknowledge: 2.0, diagnose: 1.5}") }
        }
        return Modifier(id: id,
                        probability: f["probability"].flatMap { reader.probabilityValue($0, what: "'probability' of \(what)") },
                        multiply: multiply,
                        appliesTo: f.has("applies_to") ? reader.references(f["applies_to"], what: "'applies_to' of \(what)") : nil,
                        description: reader.string(f["description"], what: "description"), location: node.location)
    }

    // MARK: Controls

    private func control(_ node: YAMLNode) -> Control? {
        let what = label("control", node)
        let before = errorCount
        guard let f = reader.fields(node, .control, what: what), let id = elementID(f, "control") else { return nil }
        var control = Control(id: id, actionItem: reader.string(f["action_item"], what: "'action_item' of \(what)"),
                              description: reader.string(f["description"], what: "description"),
                              add: [], set: [], remove: [], location: node.location)
        if let addNode = f["add"], let a = reader.fields(addNode, .controlAdd, what: "'add' of \(what)") {
            for pair in addNode.mapping ?? [] {
                guard let section = pair.key.scalar?.text, a.values[section] != nil else { continue }
                for element in reader.list(pair.value, what: "add.\(section) of \(what)") {
                    control.add.append((section, element))
                }
            }
        }
        if let setNode = f["set"] {
            if let pairs = setNode.mapping {
                for pair in pairs {
                    guard let text = reader.scalarText(pair.key, what: "a set path of \(what)") else { continue }
                    control.set.append((ElementPath(parsing: text, at: pair.key.location), pair.value))
                }
            } else {
                error(setNode.location, "set of \(what) must be a mapping of paths to values, not \(setNode.kindDescription)", help: "write set: {barriers.ID.FIELD: VALUE}")
            }
        }
        for item in reader.list(f["remove"], what: "'remove' of \(what)") {
            if let text = reader.scalarText(item, what: "a remove path of \(what)") {
                control.remove.append(ElementPath(parsing: text, at: item.location))
            }
        }
        if control.add.isEmpty && control.set.isEmpty && control.remove.isEmpty && errorCount == before {
            error(node.location, "\(what) changes nothing", help: "a control has add, set or remove")
        }
        return control
    }

    // MARK: Observed

    static let pinValueHelp = "pin a yes/no draw with true or false, a time with a duration like 4m, an uncertain probability with 0.9 or 90%"

    private func observed(_ node: YAMLNode) -> Observed? {
        guard let f = reader.fields(node, .observed, what: "the 'observed' section") else { return nil }
        var observed = Observed(postmortem: reader.string(f["postmortem"], what: "postmortem"), started: nil, pins: [], timeline: [:])
        if let started = f["started"], let text = reader.scalarText(started, what: "started") {
            if ISO8601.parse(text) == nil {
                error(started.location, "started '\(text)' is not an ISO-8601 date and time", help: "write, e.g., 2025-07-14T13:58:00Z")
            } else {
                observed.started = text
            }
        }
        if let pins = f["pins"] {
            if let pairs = pins.mapping {
                for pair in pairs {
                    guard let key = reader.scalarText(pair.key, what: "a pin address") else { continue }
                    guard let address = DrawAddress(parsing: key) else {
                        error(pair.key.location, "pin address '\(key)' has a malformed repeat suffix", help: "the k-th repeat of a draw is ADDRESS#k with k >= 2")
                        continue
                    }
                    guard let text = reader.scalarText(pair.value, what: "pin '\(key)'", help: Self.pinValueHelp) else { continue }
                    let value: Pin.Value
                    if case .success(let b) = Scalars.bool(text) {
                        value = .bool(b)
                    } else if case .success(let t) = Scalars.duration(text) {
                        value = .time(t)
                    } else if case .success(let p) = Scalars.probability(text) {
                        value = .probability(p)
                    } else {
                        error(pair.value.location, "pin '\(key)': '\(text)' is not true, false, a duration or a probability", help: Self.pinValueHelp)
                        continue
                    }
                    observed.pins.append(Pin(address: address, value: value, location: pair.key.location))
                }
            } else if !pins.isNull {
                error(pins.location, "pins must be a mapping of draw addresses to values, not \(pins.kindDescription)", help: "write pins: {responders.primary-oncall.acknowledge: 4m}")
            }
        }
        if let timeline = f["timeline"], let t = reader.fields(timeline, .timeline, what: "the observed timeline") {
            for milestone in Milestone.allCases {
                if let value = reader.duration(t[milestone.rawValue], what: "'\(milestone.rawValue)' of the observed timeline") {
                    observed.timeline[milestone] = value
                }
            }
        }
        return observed
    }

    // MARK: Drill

    private func drill(_ node: YAMLNode) -> Drill? {
        guard let f = reader.fields(node, .drill, what: "the 'drill' section") else { return nil }
        var drill = Drill(briefing: reader.string(f["briefing"], what: "briefing") ?? "",
                          roles: reader.list(f["roles"], what: "roles").compactMap { reader.id($0, what: "a role") },
                          seed: f["seed"].flatMap { reader.unsignedInteger($0, what: "drill seed") },
                          injects: [], actions: [], rubric: [], penalties: [],
                          debrief: reader.list(f["debrief"], what: "debrief").compactMap { reader.scalarText($0, what: "a debrief question") },
                          location: node.location)
        for item in reader.list(f["injects"], what: "injects") {
            guard let i = reader.fields(item, .inject, what: "an inject") else { continue }
            let show = reader.string(i["show"], what: "'show' of an inject") ?? ""
            var trigger: InjectTrigger?
            switch (i["when"], i["at"]) {
            case (let when?, nil):
                if let text = when.scalar?.text {
                    trigger = eventAddress(text, at: when.location).map(InjectTrigger.event)
                } else if let condition = serviceCondition(when, what: "the inject condition", object: .injectCondition) {
                    trigger = .condition(condition)
                }
            case (nil, let at?):
                trigger = reader.duration(at, what: "'at' of an inject").map(InjectTrigger.at)
            case (nil, nil):
                error(item.location, "an inject has neither 'when' nor 'at'", help: "give an event, like when: barriers.ID.paged, a condition, like when: {service: web, error_rate_above: 30%}, or a time, like at: 12m")
            case (_?, _?):
                error(i.keyLocation("at"), "an inject has both 'when' and 'at'", help: "give one of them: an inject is shown on an event or condition, or at a time")
            }
            guard let trigger else { continue }
            drill.injects.append(Inject(trigger: trigger, show: show,
                                        to: i.has("to") ? reader.list(i["to"], what: "to").compactMap { reader.id($0, what: "a role") } : nil,
                                        location: item.location))
        }
        for item in reader.list(f["actions"], what: "drill actions") {
            let what = label("drill action", item)
            guard let a = reader.fields(item, .drillAction, what: what), let id = elementID(a, "drill action") else { continue }
            drill.actions.append(DrillAction(
                id: id, label: reader.string(a["label"], what: "'label' of \(what)") ?? id,
                takes: a["takes"].flatMap { reader.timeDistribution($0, what: "'takes' of \(what)") },
                role: a["role"].flatMap { reader.id($0, what: "'role' of \(what)") },
                reveals: reader.string(a["reveals"], what: "'reveals' of \(what)"),
                uses: reader.reference(a["uses"], what: "'uses' of \(what)"),
                harmful: a["harmful"].flatMap { reader.bool($0, what: "'harmful' of \(what)") } ?? false,
                adds: reader.reference(a["adds"], what: "'adds' of \(what)"),
                location: item.location))
        }
        for item in reader.list(f["rubric"], what: "rubric") {
            let what = label("rubric item", item)
            guard let r = reader.fields(item, .rubricItem, what: what), let id = elementID(r, "rubric item") else { continue }
            var rubric = RubricItem(id: id, objective: reader.string(r["objective"], what: "'objective' of \(what)") ?? "",
                                    action: reader.reference(r["action"], what: "'action' of \(what)"),
                                    within: r["within"].flatMap { reader.duration($0, what: "'within' of \(what)") },
                                    from: .start, metric: nil,
                                    points: reader.integer(r["points"], what: "'points' of \(what)") ?? 0, location: item.location)
            if let from = r["from"], let text = reader.scalarText(from, what: "'from' of \(what)") {
                switch text {
                case "start": rubric.from = .start
                case "first_page": rubric.from = .firstPage
                case "detection": rubric.from = .detection
                default: rubric.from = .action(Reference(text, at: from.location))
                }
            }
            if let metric = r["metric"] {
                let parsed = expectations(metric, what: "'metric' of \(what)", owner: what, singleTrial: true)
                if parsed.count > 1 { error(metric.location, "metric of \(what) gives more than one threshold", help: "one rubric item scores one threshold") }
                rubric.metric = parsed.first
            }
            switch (r.mentions("action"), r.mentions("metric")) {
            case (false, false):
                error(item.location, "\(what) has neither 'action' nor 'metric'", help: "score an action taken in time with action, within and from, or an outcome with metric: {slo_budget_consumed_below: 5%}")
            case (true, true):
                error(item.location, "\(what) has both 'action' and 'metric'", help: "split it into two rubric items")
            default: break
            }
            if r.has("within"), rubric.action == nil {
                error(r.keyLocation("within"), "'within' of \(what) needs an 'action'", help: "within is measured from 'from' to the action's start")
            }
            drill.rubric.append(rubric)
        }
        for item in reader.list(f["penalties"], what: "penalties") {
            guard let p = reader.fields(item, .penalty, what: "a penalty"),
                  let action = reader.reference(p["action"], what: "'action' of a penalty") else { continue }
            drill.penalties.append(Penalty(action: action, points: reader.integer(p["points"], what: "'points' of a penalty") ?? 0,
                                           feedback: reader.string(p["feedback"], what: "'feedback' of a penalty") ?? "", location: item.location))
        }
        return drill
    }

    /// Parses `SUBJECT.EVENT` such as `barriers.checkout-5xx-alert.paged`.
    func eventAddress(_ text: String, at location: SourceLocation) -> EventAddress? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let kinds = EventAddress.SubjectKind.allCases.map(\.rawValue)
        guard parts.count == 3, let kind = EventAddress.SubjectKind(rawValue: parts[0]) else {
            var help = "an event address is SUBJECT.EVENT: injections.ID.occurred, barriers.ID.paged, responders.ID.acknowledged"
            if parts.count >= 1, let suggestion = Suggestions.closest(to: parts[0], in: kinds), suggestion != parts[0] {
                help = "did you mean '\(suggestion)'? " + help
            }
            error(location, "'\(text)' is not an event address", help: help)
            return nil
        }
        guard kind.events.contains(parts[2]) else {
            var help = "events of \(kind.rawValue): " + kind.events.joined(separator: ", ")
            if let suggestion = Suggestions.closest(to: parts[2], in: kind.events) { help = "did you mean '\(suggestion)'? " + help }
            error(location, "unknown event '\(parts[2])' in '\(text)'", help: help)
            return nil
        }
        return EventAddress(kind: kind, id: parts[1], event: parts[2])
    }

    // MARK: Checks

    private func check(_ node: YAMLNode) -> Check? {
        guard let f = reader.fields(node, .check, what: node["name"]?.scalar.map { "check '\($0.text)'" } ?? "a check") else { return nil }
        let name = reader.string(f["name"], what: "check name") ?? ""
        let what = "check '\(name)'"
        let expectations = f["expect"].map { self.expectations($0, what: "'expect' of \(what)", owner: what, singleTrial: false) } ?? []
        if let expect = f["expect"], expect.mapping?.isEmpty ?? false {
            error(expect.location, "expect of \(what) is empty", help: "give e.g. {incident_probability_below: 25%}")
        }
        return Check(name: name, with: reader.references(f["with"], what: "'with' of \(what)"), expectations: expectations, location: node.location)
    }

    /// Parses expectation keys such as `incident_probability_below` or `time_to_detect_p90_below`.
    func expectations(_ node: YAMLNode, what: String, owner: String, singleTrial: Bool) -> [Expectation] {
        guard let pairs = node.mapping else {
            error(node.location, "\(what) must be a mapping, not \(node.kindDescription)", help: "write {incident_probability_below: 25%}")
            return []
        }
        var result: [Expectation] = []
        for pair in pairs {
            guard let key = reader.scalarText(pair.key, what: "a key of \(what)", help: "write QUANTITY_below: VALUE, like incident_probability_below: 25%") else { continue }
            switch ExpectationGrammar.parse(key, singleTrial: singleTrial) {
            case .failure(let failure):
                error(pair.key.location, "\(what): \(failure.message)", help: failure.help)
            case .success(let (quantity, comparison)):
                let threshold: Double?
                switch ExpectationGrammar.unit(of: quantity) {
                case .probability: threshold = reader.probability(pair.value, what: "'\(key)' of \(owner)")
                case .share: threshold = reader.share(pair.value, what: "'\(key)' of \(owner)")
                case .duration: threshold = reader.duration(pair.value, what: "'\(key)' of \(owner)")
                case .signedDuration: threshold = reader.signedDuration(pair.value, what: "'\(key)' of \(owner)")
                case .number: threshold = reader.number(pair.value, what: "'\(key)' of \(owner)")
                }
                if let threshold {
                    result.append(Expectation(quantity: quantity, comparison: comparison, threshold: threshold, key: key, location: pair.key.location))
                }
            }
        }
        return result
    }
}

/// Every random draw a scenario can make, by address (spec section 9).
///
/// Used to validate pins, to list the draws that no pin constrains in a factual replay, and to
/// document what a scenario's randomness is.
public struct DrawSite: Hashable, Sendable {
    /// The address without a repeat suffix.
    public var base: String
    /// What the draw decides.
    public var kind: Kind
    /// Whether the draw repeats within a trial (`#k` suffixes).
    public var repeats: Bool

    /// What a draw decides.
    public enum Kind: Hashable, Sendable {
        /// A yes/no outcome that happens with this probability.
        case event(ProbabilityValue)
        /// A time from this distribution, possibly multiplied by modifiers.
        case time(TimeDistribution, field: ModifiedField?, owner: String)
        /// A uniform offset in [0, every).
        case phase(every: Double)
        /// The value of an uncertain probability.
        case probability(ProbabilityValue)
    }
}

extension Scenario {
    /// Every draw site of this scenario, in a stable order.
    public var drawSites: [DrawSite] {
        var sites: [DrawSite] = []
        func uncertain(_ path: String, _ value: ProbabilityValue?) {
            if let value, !value.isFixed { sites.append(DrawSite(base: path, kind: .probability(value), repeats: false)) }
        }
        for injection in injections {
            let p = "injections.\(injection.id)"
            if injection.isScheduled {
                sites.append(DrawSite(base: "\(p).occurs", kind: .event(injection.probability), repeats: false))
                sites.append(DrawSite(base: "\(p).at", kind: .time(injection.at, field: nil, owner: injection.id), repeats: false))
                uncertain("\(p).probability", injection.probability)
            }
            if case .duration(let d) = injection.lasts {
                sites.append(DrawSite(base: "\(p).lasts", kind: .time(d, field: nil, owner: injection.id), repeats: false))
            }
            if let trigger = injection.triggeredBy {
                sites.append(DrawSite(base: "\(p).triggers", kind: .event(trigger.probability), repeats: false))
                uncertain("\(p).triggered_by.probability", trigger.probability)
            }
        }
        var groups = Set<String>()
        for barrier in barriers {
            let p = "barriers.\(barrier.id)"
            switch barrier.kind {
            case .prevent(let prevent):
                for injection in prevent.against {
                    sites.append(DrawSite(base: "\(p).works.\(injection.id)", kind: .event(barrier.stopChance), repeats: false))
                    sites.append(DrawSite(base: "\(p).takes.\(injection.id)", kind: .time(prevent.takes, field: .takes, owner: barrier.id), repeats: false))
                }
                uncertain("\(p).effectiveness", prevent.effectiveness)
            case .detect(let detect):
                sites.append(DrawSite(base: "\(p).works", kind: .event(barrier.reliability), repeats: false))
                sites.append(DrawSite(base: "\(p).delay", kind: .time(detect.delay, field: .delay, owner: barrier.id), repeats: false))
                if let every = detect.every {
                    sites.append(DrawSite(base: "\(p).phase", kind: .phase(every: every), repeats: false))
                    sites.append(DrawSite(base: "\(p).check", kind: .event(detect.chancePerCheck), repeats: true))
                    uncertain("\(p).chance_per_check", detect.chancePerCheck)
                }
            case .mitigate(let mitigate):
                sites.append(DrawSite(base: "\(p).works", kind: .event(barrier.reliability), repeats: true))
                sites.append(DrawSite(base: "\(p).takes", kind: .time(mitigate.takes, field: .takes, owner: barrier.id), repeats: true))
            }
            uncertain("\(p).reliability", barrier.reliability)
            if let cc = barrier.commonCause, groups.insert(cc.group).inserted {
                sites.append(DrawSite(base: "common_cause.\(cc.group).fails", kind: .event(.fixed(cc.beta)), repeats: false))
            }
        }
        for responder in responders {
            let p = "responders.\(responder.id)"
            sites.append(DrawSite(base: "\(p).acknowledge", kind: .time(responder.acknowledge, field: .acknowledge, owner: responder.id), repeats: false))
            if responder.forwardsTo != nil {
                sites.append(DrawSite(base: "\(p).forward_delay", kind: .time(responder.forwardDelay, field: .forwardDelay, owner: responder.id), repeats: false))
            }
            if let diagnose = responder.diagnose, responder.forwardsTo == nil {
                sites.append(DrawSite(base: "\(p).diagnose", kind: .time(diagnose, field: .diagnose, owner: responder.id), repeats: true))
                sites.append(DrawSite(base: "\(p).diagnosis_correct", kind: .event(responder.accuracy), repeats: true))
                uncertain("\(p).accuracy", responder.accuracy)
            }
        }
        for modifier in modifiers {
            if let probability = modifier.probability {
                sites.append(DrawSite(base: "modifiers.\(modifier.id).active", kind: .event(probability), repeats: false))
                uncertain("modifiers.\(modifier.id).probability", probability)
            }
        }
        return sites
    }

    /// The range of factors that modifiers can apply to one element's time field: the smallest and
    /// largest products over every combination of modifiers that may be active.
    public func modifierFactorRange(field: ModifiedField, owner: String) -> ClosedRange<Double> {
        var low = 1.0, high = 1.0
        for modifier in modifiers where modifier.applies(to: owner) {
            let factor = modifier.factor(for: field)
            if modifier.probability == nil {
                low *= factor
                high *= factor
            } else {
                low *= min(1, factor)
                high *= max(1, factor)
            }
        }
        return low...high
    }
}

extension Barrier {
    /// A prevent barrier's chance to stop one injection, before common cause: its reliability
    /// times its effectiveness (the mean of each when they are beliefs).
    ///
    /// The spec gives a prevent barrier one draw per injection (`works.INJECTION`), so a prevent
    /// barrier's reliability is folded into that draw: it stops with reliability × effectiveness.
    public var stopChance: ProbabilityValue {
        guard let prevent else { return reliability }
        switch (reliability, prevent.effectiveness) {
        case (.fixed(let r), .fixed(let e)): return .fixed(r * e)
        case (.fixed(1), let e): return e
        case (let r, .fixed(1)): return r
        default: return .fixed(reliability.mean * prevent.effectiveness.mean)
        }
    }
}

/// Checks the `observed` pins against the scenario's draw sites (spec section 8).
struct PinValidator {
    let diagnostics: DiagnosticCollector
    let scenario: Scenario
    let index: DocumentIndex
    private let decodedIDs: [String: Set<String>]

    init(diagnostics: DiagnosticCollector, scenario: Scenario, index: DocumentIndex) {
        self.diagnostics = diagnostics
        self.scenario = scenario
        self.index = index
        decodedIDs = [
            "injections": Set(scenario.injections.map(\.id)), "barriers": Set(scenario.barriers.map(\.id)),
            "responders": Set(scenario.responders.map(\.id)), "modifiers": Set(scenario.modifiers.map(\.id)),
        ]
    }

    /// Whether the pin's element (or, for a prevent draw, its injection) already has errors or did
    /// not decode: its draws are then unknown or wrong, and a pin error would only repeat them.
    private func concernsBrokenElement(_ base: String) -> Bool {
        let parts = base.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3 else { return false }
        var subjects = [(parts[0], parts[1])]
        if parts[0] == "barriers", parts.count == 4, parts[2] == "works" || parts[2] == "takes" {
            subjects.append(("injections", parts[3]))
        }
        return subjects.contains { section, id in
            guard let ids = decodedIDs[section] else { return false }
            let decoded = ids.contains(id)
            return (!decoded && index.declaredIDs(section).contains(id)) || index.hasErrors(section, id: id, in: diagnostics.diagnostics)
        }
    }

    func validate(_ observed: Observed) {
        let sites = scenario.drawSites
        let byBase = Dictionary(sites.map { ($0.base, $0) }, uniquingKeysWith: { a, _ in a })
        var seen: [DrawAddress: SourceLocation] = [:]
        for pin in observed.pins {
            let text = pin.address.description
            if let previous = seen[pin.address] {
                diagnostics.error(pin.location, "pin '\(text)' is given twice", help: "first at line \(previous.line)")
                continue
            }
            seen[pin.address] = pin.location
            if concernsBrokenElement(pin.address.base) { continue }
            guard let site = byBase[pin.address.base] else {
                var help = "pins name draw addresses such as responders.ID.acknowledge; this scenario's draws: " + Suggestions.list(sites.map(\.base), limit: 8)
                if let suggestion = Suggestions.closest(to: pin.address.base, in: sites.map(\.base)) {
                    help = "did you mean '\(suggestion)'? pins name this scenario's draw addresses"
                }
                diagnostics.error(pin.location, "pin '\(text)' names no draw of this scenario", help: help)
                continue
            }
            if pin.address.repeatIndex > 1, !site.repeats {
                diagnostics.error(pin.location, "pin '\(text)': '\(site.base)' is drawn once per trial and has no repeat #\(pin.address.repeatIndex)",
                                  help: "only mitigation attempts, diagnoses and periodic checks repeat")
                continue
            }
            switch (site.kind, pin.value) {
            case (.event(let probability), .bool(let happened)):
                let range = probability.range
                if happened && range.upperBound == 0 {
                    diagnostics.error(pin.location, "pin '\(text)': true is impossible, its probability is 0", help: "a pin must be an outcome the model allows")
                } else if !happened && range.lowerBound == 1 {
                    diagnostics.error(pin.location, "pin '\(text)': false is impossible, its probability is 100%", help: "a pin must be an outcome the model allows; lower the probability if it can fail")
                }
            case (.time(let distribution, let field, let owner), .time(let value)):
                let factors = field.map { scenario.modifierFactorRange(field: $0, owner: owner) } ?? 1...1
                let support = distribution.support
                let low = support.lowerBound * factors.lowerBound
                let high = support.upperBound * factors.upperBound
                if low == high, value != low {
                    diagnostics.error(pin.location, "pin '\(text)': \(Scalars.formatDuration(value)) differs from its fixed time \(Scalars.formatDuration(low))",
                                      help: "a constant time can only be pinned to its own value; give it a distribution to allow others")
                } else if value < low * (1 - 1e-12) || value > high * (1 + 1e-12) {
                    diagnostics.error(pin.location, "pin '\(text)': \(Scalars.formatDuration(value)) lies outside its distribution \(distribution.yamlText)",
                                      help: "possible values run from \(Scalars.formatDuration(low)) to \(high.isFinite ? Scalars.formatDuration(high) : "no limit")")
                }
            case (.phase(let every), .time(let value)):
                if value >= every {
                    diagnostics.error(pin.location, "pin '\(text)': a phase of \(Scalars.formatDuration(value)) is not below every (\(Scalars.formatDuration(every)))", help: "the first check falls in [0, every)")
                }
            case (.probability(let belief), .probability(let value)):
                if !belief.range.contains(value) {
                    diagnostics.error(pin.location, "pin '\(text)': \(Scalars.formatPercent(value)) lies outside the belief \(belief.yamlText)", help: "pin an uncertain probability to a value in its range")
                }
            case (.event, _):
                diagnostics.error(pin.location, "pin '\(text)' decides a yes/no draw", help: "pin it with true or false")
            case (.time, _), (.phase, _):
                diagnostics.error(pin.location, "pin '\(text)' decides a time", help: "pin it with a duration, like 4m")
            case (.probability, _):
                diagnostics.error(pin.location, "pin '\(text)' decides an uncertain probability", help: "pin it with a probability, like 90%")
            }
        }
    }
}

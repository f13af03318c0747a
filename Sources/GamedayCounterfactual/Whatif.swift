import GamedayModel
import GamedaySimulation
import GamedayStatistics

/// What `gameday whatif` is asked.
public struct WhatifRequest: Sendable {
    /// The controls to weigh, in order (`nil`: every control of the scenario, in file order).
    public var controls: [String]?
    /// The attribution method (`nil`: Shapley up to ten controls, leave-one-out above).
    public var attribution: AttributionMethod?
    /// The metric the attribution splits.
    public var metric: AttributionMetric
    /// The seed.
    public var seed: UInt64
    /// The number of trials (`nil`: ``Whatif/defaultTrials(runsPerTrial:)``).
    public var trials: Int?
    /// Concurrent workers.
    public var threads: Int
    /// Sequential stopping instead of a fixed number of trials.
    public var precision: StoppingRule?
    /// Called with the number of trials finished.
    public var progress: (@Sendable (Int) -> Void)?

    /// A request with the defaults: every control, automatic attribution of failed requests, seed 42.
    public init(controls: [String]? = nil, attribution: AttributionMethod? = nil, metric: AttributionMetric = .metric(.failedRequests),
                seed: UInt64 = 42, trials: Int? = nil, threads: Int = 1) {
        self.controls = controls
        self.attribution = attribution
        self.metric = metric
        self.seed = seed
        self.trials = trials
        self.threads = threads
    }
}

/// One variant of a whatif: a set of controls and why it is run.
public struct VariantPlan: Sendable, Hashable {
    /// Why a variant is run.
    public enum Role: String, Sendable, Hashable {
        /// One control alone.
        case single
        /// Every control together.
        case all
        /// Another subset, needed by the attribution.
        case subset
    }

    /// The subset as a bit mask over the request's controls.
    public var mask: Int
    /// The controls, in the request's order.
    public var controls: [String]
    /// Why it is run.
    public var role: Role
}

/// A combination of controls that cannot be made, and why.
public struct Refusal: Sendable, Hashable {
    /// The controls.
    public var controls: [String]
    /// Why (for example two controls that change the same path).
    public var reason: String
}

/// An honest caveat about a comparison, printed with the report.
public struct Caveat: Sendable, Hashable {
    /// What kind of caveat.
    public enum Kind: String, Sendable, Hashable {
        /// An effect whose 95% interval includes zero.
        case notDistinguishable = "not-distinguishable"
        /// Too few baseline incidents for precise averted shares.
        case fewIncidents = "few-incidents"
        /// A control turns some trials without an incident into incidents.
        case newHarm = "new-harm"
        /// A control changes whether a milestone happens, so time differences compare fewer trials.
        case censoring
        /// Controls overlap or reinforce each other: their effects do not add up.
        case interaction
        /// The attribution metric is a time, compared over different trials per subset.
        case timeMetric = "time-metric"
        /// Combinations of controls that could not be run.
        case refused
    }

    /// What kind.
    public var kind: Kind
    /// The controls concerned (empty: the whole comparison).
    public var controls: [String]
    /// The caveat in words.
    public var message: String

    /// The caveat's JSON.
    public func json() -> JSONValue {
        ["kind": .string(kind.rawValue), "controls": .array(controls.map { .string($0) }), "message": .string(message)]
    }
}

/// Why a whatif or replay could not be run.
public enum CounterfactualError: Error, Sendable, CustomStringConvertible {
    /// The request does not fit the scenario (unknown control, no controls, too many for Shapley).
    case usage(String)
    /// A variant could not be made: located diagnostics.
    case invalid(DiagnosticError)
    /// The simulation failed.
    case run(RunError)

    public var description: String {
        switch self {
        case .usage(let message): return message
        case .invalid(let error): return error.diagnostics.map(\.description).joined(separator: "\n")
        case .run(let error): return error.description
        }
    }
}

/// One trial shown as trajectories: the baseline's and each variant's on the same trial index.
public struct RepresentativeTrial: Sendable {
    /// The trial index.
    public var trial: Int
    /// Why this trial was chosen.
    public var reason: String
    /// Each shown run's controls (empty for the baseline), metrics and trajectory.
    public var runs: [(controls: [String], metrics: TrialMetrics, events: [TraceEvent], names: TraceNames)]
}

/// The result of `gameday whatif`.
public struct WhatifResult: Sendable {
    /// The baseline scenario.
    public var scenario: Scenario
    /// The controls weighed, in order.
    public var controls: [String]
    /// The variants run, in output order.
    public var plan: [VariantPlan]
    /// The paired run: the baseline and every variant of ``plan``.
    public var run: PairedRun
    /// The attribution, unless the method is `none`.
    public var attribution: Attribution?
    /// Combinations that could not be run.
    public var refused: [Refusal]
    /// Honest caveats.
    public var caveats: [Caveat]
    /// The baseline's median incident trial, and the same trial under each control and all together.
    public var representative: RepresentativeTrial?
    /// The seed.
    public var seed: UInt64

    /// The comparison of the variant with these controls.
    public func comparison(_ controls: [String]) -> (plan: VariantPlan, result: RunResult, paired: PairedComparison)? {
        guard let i = plan.firstIndex(where: { $0.controls == controls }) else { return nil }
        return (plan[i], run.variants[i], run.comparisons[i])
    }

    /// The variants shown in reports: each control alone and all together.
    public var shownVariants: [Int] { plan.indices.filter { plan[$0].role != .subset } }

    /// The JSON of spec/output.md (`gameday whatif --format json`), with extra keys for charts.
    public func json(engineVersion: String) -> JSONValue {
        var object = JSONObject()
        object["scenario"] = ["id": .string(scenario.id), "path": .string(scenario.source.path), "sha256": .string(scenario.source.sha256)]
        object["title"] = .string(scenario.title)
        object["seed"] = .number(Double(seed))
        object["trials"] = .int(run.trials)
        object["controls"] = .array(controls.map { .string($0) })
        object["control_details"] = controlDetails(scenario, controls)
        object["baseline"] = run.baseline.json(engineVersion: engineVersion)
        object["baseline_distributions"] = distributionsJSON(run.baseline)
        object["variants"] = .array(plan.indices.map { i in
            var v = JSONObject()
            v["controls"] = .array(plan[i].controls.map { .string($0) })
            v["role"] = .string(plan[i].role.rawValue)
            v["result"] = run.variants[i].json(engineVersion: engineVersion)
            v["paired"] = run.comparisons[i].json()
            v["distributions"] = distributionsJSON(run.variants[i])
            return .object(v)
        })
        if let attribution { object["attribution"] = attribution.json() }
        object["refused"] = .array(refused.map { ["controls": .array($0.controls.map { .string($0) }), "reason": .string($0.reason)] })
        object["caveats"] = .array(caveats.map { $0.json() })
        if let representative {
            object["representative_trial"] = [
                "trial": .int(representative.trial), "reason": .string(representative.reason),
                "runs": .array(representative.runs.map { run in
                    ["controls": .array(run.controls.map { .string($0) }), "metrics": trialMetricsJSON(run.metrics),
                     "timeline": TraceFormatter.json(run.events, names: run.names)]
                }),
            ]
        }
        object["elements"] = elementsJSON([scenario] + shownVariants.compactMap { i in try? scenario.variant(with: plan[i].controls) })
        object["provenance"] = [
            "engine": .string("gameday \(engineVersion)"),
            "note": "paired: the baseline and every variant ran on the same trial indices with the same seed (common random numbers); intervals are Monte Carlo error (95%)",
        ]
        return .object(object)
    }
}

/// Weighs a scenario's controls against its baseline on the same trials (`gameday whatif`).
public enum Whatif {
    /// The default number of trials: 10,000, lowered when more than 65 runs per trial (Shapley
    /// over seven or more controls) to keep about 650,000 simulated trials, and never below 1,000.
    public static func defaultTrials(runsPerTrial: Int) -> Int {
        if runsPerTrial <= 65 { return 10_000 }
        return max(1000, 650_000 / runsPerTrial / 100 * 100)
    }

    /// The variants a method needs for `k` controls, in output order: each control alone, all
    /// together, then the other subsets (by size, then by position).
    public static func masks(controls k: Int, method: AttributionMethod) -> [Int] {
        let full = (1 << k) - 1
        var masks = (0..<k).map { 1 << $0 }
        if !masks.contains(full) { masks.append(full) }
        var others: [Int] = []
        switch method {
        case .shapley:
            others = (1..<full).filter { $0.nonzeroBitCount > 1 }
        case .leaveOneOut:
            others = (0..<k).map { full & ~(1 << $0) }.filter { $0.nonzeroBitCount > 1 }
        case .none:
            break
        }
        others = Array(Set(others)).sorted { a, b in
            a.nonzeroBitCount != b.nonzeroBitCount ? a.nonzeroBitCount < b.nonzeroBitCount : bitOrder(a).lexicographicallyPrecedes(bitOrder(b))
        }
        return masks + others.filter { !masks.contains($0) }
    }

    /// Sorts subsets of equal size by their members' positions (lexicographically).
    static func bitOrder(_ mask: Int) -> [Int] { (0..<Int.bitWidth).filter { mask & (1 << $0) != 0 } }

    /// Pairs of controls that touch overlapping paths (they cannot be applied together).
    public static func conflicts(_ scenario: Scenario, _ controls: [String]) -> [(Int, Int, String)] {
        var result: [(Int, Int, String)] = []
        let defined = controls.map { scenario.control($0) }
        for i in controls.indices {
            for j in controls.indices where j > i {
                guard let a = defined[i], let b = defined[j] else { continue }
                if let path = b.touchedPaths.first(where: { p in a.touchedPaths.contains { $0.overlaps(p) } }) {
                    result.append((i, j, path.description))
                }
            }
        }
        return result
    }

    /// Checks the requested controls against the scenario.
    static func resolveControls(_ scenario: Scenario, _ requested: [String]?) throws(CounterfactualError) -> [String] {
        let known = scenario.controls.map(\.id)
        guard !known.isEmpty else {
            throw .usage("scenario '\(scenario.id)' has no controls: add a `controls:` section with the changes to weigh (docs/counterfactuals.md)")
        }
        let controls = requested ?? known
        guard !controls.isEmpty else { throw .usage("--controls names no control; controls: \(known.joined(separator: ", "))") }
        var seen: Set<String> = []
        for id in controls {
            guard known.contains(id) else {
                let hint = Suggestions.closest(to: id, in: known).map { "did you mean '\($0)'? " } ?? ""
                throw .usage("no control '\(id)' in scenario '\(scenario.id)' (\(hint)controls: \(known.joined(separator: ", ")))")
            }
            guard seen.insert(id).inserted else { throw .usage("control '\(id)' is listed twice") }
        }
        return controls
    }

    /// Runs the baseline and the variants on the same trials and attributes the effect.
    public static func run(_ scenario: Scenario, request: WhatifRequest) async throws(CounterfactualError) -> WhatifResult {
        let controls = try resolveControls(scenario, request.controls)
        let k = controls.count
        let method = request.attribution ?? (k <= Attribution.maximumShapleyControls ? .shapley : .leaveOneOut)
        if method == .shapley && k > Attribution.maximumShapleyControls {
            throw .usage("exact Shapley values need 2^k runs per trial: at most \(Attribution.maximumShapleyControls) controls (\(k) given); use --attribution leave-one-out or fewer --controls")
        }

        // Variants, refusing combinations of controls that touch the same path.
        let conflicts = conflicts(scenario, controls)
        var plan: [VariantPlan] = []
        var refused: [Refusal] = []
        var variants: [CompiledScenario] = []
        let full = (1 << k) - 1
        for mask in masks(controls: k, method: method) {
            let members = (0..<k).filter { mask & (1 << $0) != 0 }.map { controls[$0] }
            let role: VariantPlan.Role = mask.nonzeroBitCount == 1 ? .single : mask == full ? .all : .subset
            if let conflict = conflicts.first(where: { mask & (1 << $0.0) != 0 && mask & (1 << $0.1) != 0 }) {
                refused.append(Refusal(controls: members, reason: "controls '\(controls[conflict.0])' and '\(controls[conflict.1])' both change '\(conflict.2)', so they cannot be applied together"))
                continue
            }
            do {
                let variant = try scenario.variant(with: members)
                plan.append(VariantPlan(mask: mask, controls: members, role: role))
                variants.append(CompiledScenario(variant))
            } catch {
                if role == .single { throw .invalid(error) }
                refused.append(Refusal(controls: members, reason: error.diagnostics.map(\.message).joined(separator: "; ")))
            }
        }

        // Attribution: every needed subset must have been made.
        let needed = masks(controls: k, method: method).filter { _ in method != .none }
        let runIndex: [Int: Int] = Dictionary(uniqueKeysWithValues: plan.enumerated().map { ($0.element.mask, $0.offset + 1) })
        let attributionRefusal = needed.contains { runIndex[$0] == nil } && method != .none
            ? refused.first.map { "the \(method == .shapley ? "Shapley values need every combination" : "leave-one-out effects need all controls together and all but each one") of the controls, but \($0.reason); pass --controls without one of them" }
            : nil

        var configuration = PairedConfiguration(seed: request.seed, trials: request.trials ?? defaultTrials(runsPerTrial: variants.count + 1), threads: request.threads)
        configuration.precision = request.precision
        configuration.progress = request.progress
        configuration.keep = .baseline
        let metric = request.metric
        if method != .none, attributionRefusal == nil, metric.isDefinedOnEveryTrial {
            let indexByMask = runIndex
            configuration.perTrial = PerTrialStatistics(count: k) { runs, values in
                func v(_ mask: Int) -> Double {
                    if mask == 0 { return 0 }
                    let r = indexByMask[mask]!
                    return (metric.value(runs[r]) ?? 0) - (metric.value(runs[0]) ?? 0)
                }
                let phi = method == .shapley ? Attribution.shapley(players: k, value: v) : Attribution.leaveOneOut(players: k, value: v)
                for i in 0..<k { values[i] = phi[i] }
            }
        }
        let baseline = CompiledScenario(scenario)
        let run: PairedRun
        do {
            run = try await PairedRunner.run(baseline: baseline, variants: variants, configuration: configuration)
        } catch {
            throw .run(error)
        }

        var attribution: Attribution?
        if method != .none {
            if let attributionRefusal {
                attribution = Attribution(method: method, metric: metric, controls: controls, values: [], intervals: [], allControls: 0, refused: attributionRefusal)
            } else {
                func v(_ mask: Int) -> Double {
                    if mask == 0 { return 0 }
                    return run.comparisons[runIndex[mask]! - 1].change(metric).mean ?? 0
                }
                let values = method == .shapley ? Attribution.shapley(players: k, value: v) : Attribution.leaveOneOut(players: k, value: v)
                let intervals: [ConfidenceInterval?] = metric.isDefinedOnEveryTrial
                    ? run.statistics.map { $0.meanInterval(confidence: 0.95) }
                    : Array(repeating: nil, count: k)
                attribution = Attribution(method: method, metric: metric, controls: controls, values: values, intervals: intervals, allControls: v(full))
            }
        }

        let result = WhatifResult(scenario: scenario, controls: controls, plan: plan, run: run, attribution: attribution, refused: refused,
                                  caveats: [], representative: nil, seed: request.seed)
        var final = result
        final.caveats = caveats(result, metric: metric)
        final.representative = representativeTrial(result, baseline: baseline, variants: variants, configuration: configuration)
        return final
    }

    /// The baseline's median incident trial by failed requests (ties by trial index), traced under
    /// the baseline, each control alone and all together.
    static func representativeTrial(_ result: WhatifResult, baseline: CompiledScenario, variants: [CompiledScenario], configuration: PairedConfiguration) -> RepresentativeTrial? {
        let kept = result.run.kept[0]
        guard !kept.isEmpty else { return nil }
        var candidates = kept.indices.filter { kept[$0].outcome == .incident }
        var reason = "the baseline's median incident trial by failed requests"
        if candidates.isEmpty {
            candidates = kept.indices.filter { kept[$0].failedRequests > 0 }
            reason = "no baseline incident: the median trial with failed requests"
        }
        if candidates.isEmpty {
            candidates = Array(kept.indices)
            reason = "no baseline trial had failed requests: trial 0"
        }
        let trial = medianTrial(candidates, by: { kept[$0].failedRequests })
        var runs: [(controls: [String], metrics: TrialMetrics, events: [TraceEvent], names: TraceNames)] = []
        for r in [0] + result.shownVariants.map({ $0 + 1 }) {
            let traced = PairedRunner.trace(baseline: baseline, variants: variants, run: r, trial: trial, configuration: configuration)
            let scenario = r == 0 ? baseline.scenario : variants[r - 1].scenario
            runs.append((scenario.controlsApplied, traced.metrics, traced.events, TraceNames(scenario)))
        }
        return RepresentativeTrial(trial: trial, reason: reason, runs: runs)
    }

    /// The caveats a reviewer should read next to the numbers.
    static func caveats(_ result: WhatifResult, metric: AttributionMetric) -> [Caveat] {
        var caveats: [Caveat] = []
        let baselineIncidents = result.run.baseline.count(.incident)
        if baselineIncidents < 30 {
            caveats.append(Caveat(kind: .fewIncidents, controls: [],
                                  message: "only \(baselineIncidents) of \(Scalars.formatCount(Double(result.run.trials))) baseline trials were incidents: averted shares and incident changes rest on few trials; run more trials (--trials)"))
        }
        for i in result.shownVariants {
            let plan = result.plan[i]
            let paired = result.run.comparisons[i]
            let label = plan.controls.count == 1 ? plan.controls[0] : "all controls together"
            var flat: [String] = []
            let metrics: [AttributionMetric] = metric == .incidentProbability ? [.incidentProbability] : [metric, .incidentProbability]
            var unchanged: [String] = []
            for m in metrics {
                let change = paired.change(m)
                if let interval = change.interval, interval.lower == 0, interval.upper == 0 {
                    unchanged.append(describe(m))
                } else if let interval = change.interval, interval.lower <= 0, interval.upper >= 0 {
                    flat.append("\(describe(m)) (95% interval \(formatChange(m, interval.lower)) to \(formatChange(m, interval.upper)))")
                } else if change.interval == nil {
                    flat.append("\(describe(m)) (too few trials for an interval)")
                }
            }
            if !flat.isEmpty {
                caveats.append(Caveat(kind: .notDistinguishable, controls: plan.controls,
                                      message: "\(label): the change in \(flat.joined(separator: " and in ")) is not distinguishable from zero"))
            }
            if !unchanged.isEmpty {
                caveats.append(Caveat(kind: .notDistinguishable, controls: plan.controls,
                                      message: "\(label) does not change \(unchanged.joined(separator: " or ")) in any trial"))
            }
            if paired.incident.newHarm > 0 || paired.incident.gained > 0 {
                let harm = paired.incident.newHarmShare()
                var message = "\(label) causes new harm: \(Scalars.formatCount(Double(paired.incident.newHarm))) of \(Scalars.formatCount(Double(paired.incident.atRiskWithoutEvent))) baseline trials with a fault but no incident become incidents"
                if let share = harm.share {
                    message += " (\(percent(share)), 95% interval \(percent(harm.interval.lower)) to \(percent(harm.interval.upper)))"
                }
                let faultless = paired.incident.gained - paired.incident.newHarm
                if faultless > 0 { message += "; \(faultless) trials without any fault in the baseline become incidents" }
                caveats.append(Caveat(kind: .newHarm, controls: plan.controls, message: message))
            }
            for milestone in [Metric.timeToDetect, .timeToMitigate] {
                let counts = paired.milestones[milestone] ?? PairedEventCounts()
                if let interval = counts.changeInterval(), interval.upper < 0 {
                    caveats.append(Caveat(kind: .censoring, controls: plan.controls,
                                          message: "\(label) makes \(spaced(milestone.rawValue)) happen less often (\(points(counts.change)) of trials with impact): its time difference compares only the trials where both runs reach it"))
                }
            }
        }
        if let attribution = result.attribution, attribution.refused == nil {
            if !metric.isDefinedOnEveryTrial {
                caveats.append(Caveat(kind: .timeMetric, controls: [],
                                      message: "\(metric.name) is a time: each combination is compared with the baseline over the trials where both reach the milestone, so the values have no interval and can mislead when a control changes whether the milestone happens"))
            }
            if attribution.controls.count > 1 {
                let singles = attribution.controls.indices.compactMap { i in result.comparison([attribution.controls[i]])?.paired.change(metric).mean }
                let sum = singles.reduce(0, +)
                let together = attribution.allControls
                let scale = max(abs(sum), abs(together))
                if singles.count == attribution.controls.count, scale > 0, abs(sum - together) > 0.1 * scale {
                    caveats.append(Caveat(kind: .interaction, controls: attribution.controls,
                                          message: "the controls interact: alone their changes in \(describe(metric)) add up to \(formatChange(metric, sum)), together they give \(formatChange(metric, together)); \(attribution.method == .shapley ? "Shapley values split the overlap between them" : "leave-one-out effects do not add up to the total")"))
                }
            }
        }
        for refusal in result.refused {
            caveats.append(Caveat(kind: .refused, controls: refusal.controls, message: "not run: " + refusal.reason))
        }
        return caveats
    }

    static func describe(_ metric: AttributionMetric) -> String {
        switch metric {
        case .incidentProbability: return "P(incident)"
        case .metric(let m): return spaced(m.rawValue)
        }
    }

    static func formatChange(_ metric: AttributionMetric, _ value: Double) -> String {
        switch metric {
        case .incidentProbability: return points(value)
        case .metric(let m):
            switch m {
            case .failedRequests: return (value > 0 ? "+" : "") + Scalars.formatCount(value)
            case .sloBudgetConsumed, .peakErrorRate: return points(value)
            default: return (value < 0 ? "-" : "+") + Scalars.formatDuration(abs(value).rounded())
            }
        }
    }

    static func percent(_ p: Double) -> String { Scalars.formatPercent(p) }

    static func points(_ p: Double) -> String {
        let v = p * 100
        return (v > 0 ? "+" : "") + Scalars.formatSignificant(v, digits: 3) + " pp"
    }
}

/// The trial with the median value (the lower median; ties by trial index).
func medianTrial(_ trials: [Int], by value: (Int) -> Double) -> Int {
    let sorted = trials.sorted { a, b in
        let va = value(a), vb = value(b)
        return va != vb ? va < vb : a < b
    }
    return sorted[(sorted.count - 1) / 2]
}

/// One trial's metrics as JSON: outcome, absolute milestone times and impact.
func trialMetricsJSON(_ m: TrialMetrics) -> JSONValue {
    var object = JSONObject()
    object["outcome"] = .string(m.outcome.name)
    for metric in Metric.allCases { object[metric.rawValue] = .number(m.value(metric)) }
    var at = JSONObject()
    at["first_impact"] = .number(m.firstImpactAt)
    for milestone in Milestone.allCases { at[milestone.rawValue] = .number(m.time(of: milestone)) }
    object["at"] = .object(at)
    return .object(object)
}

/// Points of the empirical distribution of the metrics the charts draw, from a run's histograms:
/// `[p, x]` pairs at p = 0, 0.02, ..., 0.98, 0.99, 1 (nearest rank).
func distributionsJSON(_ result: RunResult) -> JSONValue {
    var object = JSONObject()
    let probabilities = stride(from: 0, through: 98, by: 2).map { Double($0) / 100 } + [0.99, 1]
    for metric in [Metric.timeToDetect, .timeToMitigate, .failedRequests, .sloBudgetConsumed] {
        let k = Metric.allCases.firstIndex(of: metric)!
        let histogram = result.histograms.metrics[k]
        let summary = result.summary(metric)
        var m = JSONObject()
        m["n"] = .int(summary.n)
        if let censored = summary.censored { m["censored"] = .int(censored) }
        m["points"] = .array(histogram.count == 0 ? [] : probabilities.map { p in .array([.number(p), .number(histogram.quantile(p))]) })
        object[metric.rawValue] = .object(m)
    }
    return .object(object)
}

/// What charts need to know of the scenarios (the baseline and its variants, whose controls may
/// add elements): services, injection targets, responders, barriers and the lane each acts on.
func elementsJSON(_ scenarios: [Scenario]) -> JSONValue {
    var merged = scenarios[0]
    for variant in scenarios.dropFirst() {
        for s in variant.services where merged.service(s.id) == nil { merged.services.append(s) }
        for i in variant.injections where merged.injection(i.id) == nil { merged.injections.append(i) }
        for b in variant.barriers where merged.barrier(b.id) == nil { merged.barriers.append(b) }
        for r in variant.responders where merged.responder(r.id) == nil { merged.responders.append(r) }
    }
    let scenario = merged
    var object = JSONObject()
    object["services"] = .array(scenario.services.map { s in
        ["id": .string(s.id), "traffic": .number(s.traffic)]
    })
    object["injections"] = .object(JSONObject(scenario.injections.map { ($0.id, ["target": .string($0.target.id)]) }))
    object["barriers"] = .object(JSONObject(scenario.barriers.map { b in
        var o = JSONObject()
        o["type"] = .string(b.typeName)
        if let detect = b.detect { o["watches"] = .string(detect.watches.id) }
        // The service lane a timeline draws the barrier's events on.
        var lane: String?
        switch b.kind {
        case .detect(let detect): lane = detect.watches.id
        case .prevent(let prevent): lane = prevent.against.first.flatMap { scenario.injection($0.id)?.target.id }
        case .mitigate(let mitigate):
            lane = mitigate.caps?.service.id ?? mitigate.removes.first.flatMap { scenario.injection($0.id)?.target.id }
        }
        if let lane { o["lane"] = .string(lane) }
        return (b.id, .object(o))
    }))
    object["responders"] = .array(scenario.responders.map { .string($0.id) })
    return .object(object)
}

/// Each control's action item and description.
func controlDetails(_ scenario: Scenario, _ controls: [String]) -> JSONValue {
    .object(JSONObject(controls.compactMap { id in
        guard let control = scenario.control(id) else { return nil }
        return (id, ["action_item": control.actionItem.map { .string($0) } ?? .null, "description": control.description.map { .string($0) } ?? .null])
    }))
}

/// `time_to_detect` as `time to detect`.
func spaced(_ name: String) -> String { String(name.map { $0 == "_" ? " " : $0 }) }

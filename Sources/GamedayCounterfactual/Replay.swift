import GamedayModel
import GamedaySimulation
import GamedayStatistics

/// What `gameday replay` is asked.
public struct ReplayRequest: Sendable {
    /// The sets of controls to replay the incident with (`nil`: each control alone and all together).
    public var sets: [[String]]?
    /// The seed.
    public var seed: UInt64
    /// The number of trials of the factual replay and of each counterfactual.
    public var trials: Int
    /// Concurrent workers.
    public var threads: Int
    /// How far a model milestone may be from the observed one and still match, in seconds.
    public var tolerance: Double
    /// Called with the number of trials finished.
    public var progress: (@Sendable (Int) -> Void)?

    /// The defaults: each control alone and all together, 10,000 trials, seed 42, 1 minute tolerance.
    public init(sets: [[String]]? = nil, seed: UInt64 = 42, trials: Int = 10_000, threads: Int = 1, tolerance: Double = 60) {
        self.sets = sets
        self.seed = seed
        self.trials = trials
        self.threads = threads
        self.tolerance = tolerance
    }
}

/// One row of the calibration table: a milestone's model time against the postmortem's.
public struct CalibrationRow: Sendable, Hashable {
    /// The milestone.
    public var milestone: Milestone
    /// The postmortem's time from t = 0, if it gives one.
    public var observed: Double?
    /// The median factual trial's time from t = 0 (`nil`: it did not happen before the horizon).
    public var model: Double?
    /// The earliest and latest time across the factual trials in which it happened.
    public var range: ClosedRange<Double>?
    /// The factual trials in which it happened.
    public var happened: Int
    /// Whether the model is within the tolerance of the observed time (`nil` when not observed).
    public var matches: Bool?

    /// Model minus observed.
    public var difference: Double? {
        guard let model, let observed else { return nil }
        return model - observed
    }
}

/// A prevent barrier that a control added, and how often it stopped this incident.
public struct NewBarrier: Sendable, Hashable {
    /// Its id.
    public var id: String
    /// Trials in which it held (stopped an injection).
    public var held: Int
    /// The share of trials, with its Wilson 95% interval.
    public var share: Double
    /// The interval.
    public var interval: ConfidenceInterval
    /// The share of the effect let through while it decides.
    public var exposure: Double
    /// How long it decides.
    public var takes: TimeDistribution
}

/// The incident replayed with a set of controls (abduction, action, prediction: spec section 8).
public struct CounterfactualReplay: Sendable {
    /// The controls.
    public var controls: [String]
    /// The run over this incident's trials.
    public var result: RunResult
    /// Against the factual trials, trial by trial.
    public var paired: PairedComparison
    /// The median trial by failed requests (ties by index).
    public var medianTrial: Int
    /// Its metrics.
    public var medianMetrics: TrialMetrics
    /// Its trajectory.
    public var medianEvents: [TraceEvent]
    /// Names of the variant's elements.
    public var names: TraceNames
    /// Prevent barriers the controls added.
    public var newBarriers: [NewBarrier]
    /// The postmortem-style sentence.
    public var summary: String
}

/// The result of `gameday replay`.
public struct ReplayResult: Sendable {
    /// The scenario.
    public var scenario: Scenario
    /// The observed incident.
    public var observed: Observed
    /// The factual trials (baseline with the pins) and the counterfactuals, paired.
    public var run: PairedRun
    /// The median factual trial (by failed requests; ties by index).
    public var factualTrial: Int
    /// Its metrics.
    public var factualMetrics: TrialMetrics
    /// Its trajectory.
    public var factualEvents: [TraceEvent]
    /// Whether every factual trial had the same outcome, impact and milestones (every draw on the
    /// factual path that matters was pinned).
    public var identical: Bool
    /// Milestones against the postmortem.
    public var calibration: [CalibrationRow]
    /// The tolerance used, in seconds.
    public var tolerance: Double
    /// Draws on the factual path that no pin constrains, with the number of factual trials that made them.
    public var unpinnedDraws: [(address: String, trials: Int)]
    /// Pins no factual trial used (the draw is not on the factual path).
    public var unusedPins: [String]
    /// The counterfactuals, in the order asked.
    public var counterfactuals: [CounterfactualReplay]
    /// Sets of controls that could not be combined.
    public var refused: [Refusal]
    /// The seed.
    public var seed: UInt64

    /// Whether every observed milestone matches within the tolerance.
    public var calibrated: Bool { calibration.allSatisfy { $0.matches != false } }

    /// The JSON of spec/output.md (`gameday replay --format json`), with extra keys for charts.
    public func json(engineVersion: String) -> JSONValue {
        var object = JSONObject()
        object["scenario"] = ["id": .string(scenario.id), "path": .string(scenario.source.path), "sha256": .string(scenario.source.sha256)]
        object["title"] = .string(scenario.title)
        object["postmortem"] = observed.postmortem.map { .string($0) } ?? .null
        object["started"] = observed.started.map { .string($0) } ?? .null
        object["seed"] = .number(Double(seed))
        object["trials"] = .int(run.trials)
        var factual = JSONObject()
        factual["timeline"] = TraceFormatter.json(factualEvents, names: TraceNames(scenario))
        var milestones = JSONObject()
        for row in calibration {
            var m = JSONObject()
            m["model"] = .number(row.model)
            m["observed"] = .number(row.observed)
            m["difference"] = .number(row.difference)
            m["matches"] = row.matches.map { .bool($0) } ?? .null
            m["range"] = row.range.map { .array([.number($0.lowerBound), .number($0.upperBound)]) } ?? .null
            m["happened"] = .int(row.happened)
            milestones[row.milestone.rawValue] = .object(m)
        }
        factual["milestones"] = .object(milestones)
        factual["tolerance"] = .number(tolerance)
        factual["calibrated"] = .bool(calibrated)
        var metrics = JSONObject()
        for metric in Metric.allCases { metrics[metric.rawValue] = .number(factualMetrics.value(metric)) }
        factual["metrics"] = .object(metrics)
        factual["median_trial"] = .int(factualTrial)
        factual["trial_metrics"] = trialMetricsJSON(factualMetrics)
        factual["identical"] = .bool(identical)
        factual["unpinned_draws"] = .array(unpinnedDraws.map { ["address": .string($0.address), "trials": .int($0.trials)] })
        factual["unused_pins"] = .array(unusedPins.map { .string($0) })
        factual["result"] = run.baseline.json(engineVersion: engineVersion)
        factual["distributions"] = distributionsJSON(run.baseline)
        object["factual"] = .object(factual)
        object["counterfactuals"] = .array(counterfactuals.map { c in
            var o = JSONObject()
            o["controls"] = .array(c.controls.map { .string($0) })
            o["trials"] = .int(c.result.trials)
            o["result"] = c.result.json(engineVersion: engineVersion)
            o["paired"] = c.paired.json()
            o["median_trial"] = .int(c.medianTrial)
            o["median_metrics"] = trialMetricsJSON(c.medianMetrics)
            o["median_timeline"] = TraceFormatter.json(c.medianEvents, names: c.names)
            o["new_barriers"] = .array(c.newBarriers.map { b in
                ["id": .string(b.id), "held": .int(b.held), "share": .number(b.share), "ci95": intervalJSON(b.interval),
                 "exposure": .number(b.exposure), "takes": .string(b.takes.yamlText)]
            })
            o["summary"] = .string(c.summary)
            o["distributions"] = distributionsJSON(c.result)
            return .object(o)
        })
        object["refused"] = .array(refused.map { ["controls": .array($0.controls.map { .string($0) }), "reason": .string($0.reason)] })
        object["control_details"] = controlDetails(scenario, scenario.controls.map(\.id))
        object["elements"] = elementsJSON([scenario] + counterfactuals.compactMap { try? scenario.variant(with: $0.controls) })
        object["provenance"] = [
            "engine": .string("gameday \(engineVersion)"),
            "note": "factual: the baseline with every observed pin; counterfactuals keep the factual trial's pinned uniforms (abduction), apply the controls (action) and sample the rest (prediction); intervals are Monte Carlo error (95%)",
        ]
        return .object(object)
    }
}

/// Replays a scenario's observed incident, factual and with controls (`gameday replay`).
public enum Replay {
    /// Runs the factual replay and the counterfactuals.
    ///
    /// The factual trials are the baseline with `observed.pins`; every trial index shares the
    /// pins and differs only in the draws no pin constrains. Each counterfactual runs trial `t`
    /// of the variant with the uniforms that factual trial `t`'s pinned draws used (abduction),
    /// so the incident keeps its luck where the controls do not change it.
    public static func run(_ scenario: Scenario, request: ReplayRequest) async throws(CounterfactualError) -> ReplayResult {
        guard let observed = scenario.observed else {
            throw .usage("scenario '\(scenario.id)' has no `observed` section: replay needs the real incident's pins and timeline (spec section 8); `gameday whatif` compares controls without one")
        }
        guard request.trials >= 1 else { throw .usage("--trials must be at least 1") }
        let known = scenario.controls.map(\.id)
        var sets: [[String]]
        var refused: [Refusal] = []
        var explicit = false
        if let requested = request.sets {
            explicit = true
            sets = requested
            for set in sets {
                for id in set where !known.contains(id) {
                    let hint = Suggestions.closest(to: id, in: known).map { "did you mean '\($0)'? " } ?? ""
                    throw .usage("no control '\(id)' in scenario '\(scenario.id)' (\(hint)controls: \(known.isEmpty ? "none" : known.joined(separator: ", ")))")
                }
            }
        } else {
            sets = known.map { [$0] }
            if known.count > 1 { sets.append(known) }
        }
        var variants: [CompiledScenario] = []
        var kept: [[String]] = []
        for set in sets {
            do {
                variants.append(CompiledScenario(try scenario.variant(with: set)))
                kept.append(set)
            } catch {
                if explicit { throw .invalid(error) }
                let conflicts = Whatif.conflicts(scenario, set)
                let reason = conflicts.first.map { "controls '\(set[$0.0])' and '\(set[$0.1])' both change '\($0.2)', so they cannot be applied together" }
                    ?? error.diagnostics.map(\.message).joined(separator: "; ")
                refused.append(Refusal(controls: set, reason: reason))
            }
        }
        sets = kept

        let baseline = CompiledScenario(scenario)
        var configuration = PairedConfiguration(seed: request.seed, trials: request.trials, threads: request.threads)
        configuration.baselinePins = PinSet(observed: observed, compiled: baseline)
        configuration.abduction = true
        configuration.keep = .all
        configuration.recordDraws = true
        configuration.progress = request.progress
        let run: PairedRun
        do {
            run = try await PairedRunner.run(baseline: baseline, variants: variants, configuration: configuration)
        } catch {
            throw .run(error)
        }

        // The factual median trial and the calibration table.
        let factualKept = run.kept[0]
        let trials = Array(factualKept.indices)
        let factualTrial = medianTrial(trials) { factualKept[$0].failedRequests }
        let factual = PairedRunner.trace(baseline: baseline, variants: variants, run: 0, trial: factualTrial, configuration: configuration)
        let identical = factualKept.allSatisfy { $0 == factualKept[0] }
        var calibration: [CalibrationRow] = []
        let ranges = milestoneRanges(baseline: baseline, configuration: configuration, trials: run.trials, identical: identical, median: factual.metrics)
        for milestone in Milestone.allCases {
            let observedTime = observed.timeline[milestone]
            let model = factual.metrics.time(of: milestone)
            var matches: Bool?
            if let observedTime { matches = model.map { abs($0 - observedTime) <= request.tolerance + 1e-9 } ?? false }
            let range = ranges[milestone]
            calibration.append(CalibrationRow(milestone: milestone, observed: observedTime, model: model, range: range?.range,
                                              happened: range?.happened ?? 0, matches: matches))
        }

        // Draws on the factual path: unpinned ones, and pins never used.
        let unpinned = run.unpinnedDraws.map { (address: address(baseline, $0.key), trials: $0.value) }
            .sorted { $0.trials != $1.trials ? $0.trials > $1.trials : $0.address < $1.address }
        var unusedPins: [String] = []
        for pin in observed.pins {
            guard let site = baseline.site(for: pin.address.base) else {
                unusedPins.append(pin.address.description)
                continue
            }
            if run.usedPins[PinKey(site: Int32(site), repeat: pin.address.repeatIndex)] == nil { unusedPins.append(pin.address.description) }
        }

        // The counterfactuals.
        var counterfactuals: [CounterfactualReplay] = []
        for (v, set) in sets.enumerated() {
            let r = v + 1
            let keptTrials = run.kept[r]
            let median = medianTrial(trials) { keptTrials[$0].failedRequests }
            let traced = PairedRunner.trace(baseline: baseline, variants: variants, run: r, trial: median, configuration: configuration)
            let variant = variants[v].scenario
            let result = run.variants[v]
            var newBarriers: [NewBarrier] = []
            for (b, barrier) in variant.barriers.enumerated() where scenario.barrier(barrier.id) == nil {
                guard let prevent = barrier.prevent else { continue }
                let held = result.barrierCounts(b)[.held] ?? 0
                newBarriers.append(NewBarrier(id: barrier.id, held: held, share: Double(held) / Double(max(1, result.trials)),
                                              interval: Wilson.interval(successes: held, trials: result.trials), exposure: prevent.exposure, takes: prevent.takes))
            }
            var replay = CounterfactualReplay(controls: set, result: result, paired: run.comparisons[v], medianTrial: median,
                                              medianMetrics: traced.metrics, medianEvents: traced.events, names: TraceNames(variant),
                                              newBarriers: newBarriers, summary: "")
            replay.summary = summary(replay, factual: run.baseline, factualMedian: factual.metrics, observed: observed)
            counterfactuals.append(replay)
        }
        return ReplayResult(scenario: scenario, observed: observed, run: run, factualTrial: factualTrial, factualMetrics: factual.metrics,
                            factualEvents: factual.events, identical: identical, calibration: calibration, tolerance: request.tolerance,
                            unpinnedDraws: unpinned, unusedPins: unusedPins, counterfactuals: counterfactuals, refused: refused, seed: request.seed)
    }

    /// A draw's address as written: `base` or `base#k`.
    static func address(_ compiled: CompiledScenario, _ key: PinKey) -> String {
        DrawAddress(compiled.siteAddresses[Int(key.site)], repeat: key.repeatIndex).description
    }

    /// Each milestone's earliest and latest time over the factual trials, and how many had it.
    static func milestoneRanges(baseline: CompiledScenario, configuration: PairedConfiguration, trials: Int, identical: Bool,
                                median: TrialMetrics) -> [Milestone: (range: ClosedRange<Double>, happened: Int)] {
        var lows: [Milestone: Double] = [:], highs: [Milestone: Double] = [:], counts: [Milestone: Int] = [:]
        if identical {
            for milestone in Milestone.allCases {
                if let t = median.time(of: milestone) { lows[milestone] = t; highs[milestone] = t; counts[milestone] = trials }
            }
        } else {
            var engine = TrialEngine(compiled: baseline, keys: DrawKeys(compiled: baseline, seed: configuration.seed))
            for t in 0..<trials {
                let m = engine.run(trial: UInt64(t), pins: configuration.baselinePins)
                for milestone in Milestone.allCases {
                    guard let time = m.time(of: milestone) else { continue }
                    lows[milestone] = min(lows[milestone] ?? time, time)
                    highs[milestone] = max(highs[milestone] ?? time, time)
                    counts[milestone, default: 0] += 1
                }
            }
        }
        var result: [Milestone: (range: ClosedRange<Double>, happened: Int)] = [:]
        for milestone in Milestone.allCases {
            if let low = lows[milestone], let high = highs[milestone] { result[milestone] = (low...high, counts[milestone] ?? 0) }
        }
        return result
    }

    /// The postmortem paragraph: "With canary-deploys, this incident is stopped by the new canary
    /// in 80% of trials (95% CI ...), with 5% of traffic exposed for 15m; median failed requests
    /// fall from 41,000 to 1,100."
    static func summary(_ c: CounterfactualReplay, factual: RunResult, factualMedian: TrialMetrics, observed: Observed) -> String {
        let who = c.controls.count == 1 ? c.controls[0] : c.controls.dropLast().joined(separator: ", ") + " and " + c.controls.last!
        let trials = c.result.trials
        func ci(_ i: ConfidenceInterval) -> String { "95% CI \(Scalars.formatPercent(i.lower))–\(Scalars.formatPercent(i.upper))" }
        var first: String
        let stopping = c.newBarriers.filter { $0.held > 0 }
        if let best = stopping.max(by: { $0.held < $1.held }) {
            first = "this incident is stopped by the new \(best.id) in \(Scalars.formatPercent(best.share)) of trials (\(ci(best.interval)))"
            if best.exposure > 0 {
                let takes = best.takes.isConstant ? Scalars.formatDuration(best.takes.mean) : "about \(Scalars.formatDuration(best.takes.mean.rounded()))"
                first += ", with \(Scalars.formatPercent(best.exposure)) of traffic exposed for \(takes)"
            }
        } else {
            let averted = c.paired.incident.avertedShare()
            if c.paired.incident.baselineEvents == 0 {
                first = "this incident (not an incident under the scenario's incident_when in the factual replay) stays below it in \(Scalars.formatPercent(1 - c.result.probability(.incident).estimate)) of trials"
            } else if let share = averted.share, share > 0 {
                first = "this incident is no longer an incident in \(Scalars.formatPercent(share)) of trials (\(ci(averted.interval)))"
            } else {
                first = "this incident is still an incident in every trial"
            }
        }
        let incident = c.result.probability(.incident)
        if !stopping.isEmpty || (c.paired.incident.avertedShare().share ?? 0) > 0 {
            if incident.estimate > 0 {
                first += "; it remains an incident in \(Scalars.formatPercent(incident.estimate)) (\(ci(incident.interval)))"
            } else {
                first += "; it is never an incident in \(Scalars.formatCount(Double(trials))) trials"
            }
        }
        var text = "With \(who), \(first); median " + change("failed requests", from: factualMedian.failedRequests, to: c.medianMetrics.failedRequests,
                                                              format: { Scalars.formatCount($0.rounded()) })
        if let mitigated = c.medianMetrics.value(.timeToMitigate), let factualMitigated = factualMedian.value(.timeToMitigate),
           Scalars.formatDuration(mitigated.rounded()) != Scalars.formatDuration(factualMitigated.rounded()) {
            text += " (the median trial is mitigated \(Scalars.formatDuration(mitigated.rounded())) after first impact instead of \(Scalars.formatDuration(factualMitigated.rounded())))"
        }
        return text + "."
    }

    static func change(_ name: String, from a: Double, to b: Double, format: (Double) -> String) -> String {
        let fa = format(a), fb = format(b)
        if fa == fb { return "\(name) stay\(name.hasSuffix("s") ? "" : "s") at \(fa)" }
        let verb = name.hasSuffix("s") ? (b < a ? "fall" : "rise") : (b < a ? "falls" : "rises")
        return "\(name) \(verb) from \(fa) to \(fb)"
    }
}

import GamedayModel
import GamedaySimulation
import GamedayStatistics

/// How a paired run is made: the baseline and several variants on the same trials.
public struct PairedConfiguration: Sendable {
    /// The seed.
    public var seed: UInt64
    /// The number of trials (ignored with ``precision``).
    public var trials: Int
    /// Concurrent workers; results do not depend on it.
    public var threads: Int
    /// Sequential stopping: the targets apply to the baseline and to every variant.
    public var precision: StoppingRule?
    /// Pins applied to every baseline trial (the factual replay's observed pins).
    public var baselinePins: PinSet?
    /// Counterfactual replay (spec section 8): each variant trial keeps the uniforms that the
    /// baseline trial's pinned draws used (abduction), re-keyed by address onto the variant.
    public var abduction: Bool
    /// Which runs keep a compact summary of every trial (for medians and representative trials).
    public var keep: KeptRuns
    /// Record the baseline's unpinned draws and used pins (factual replay).
    public var recordDraws: Bool
    /// Extra per-trial statistics over all runs' metrics, averaged with their intervals
    /// (attribution's per-trial Shapley values).
    public var perTrial: PerTrialStatistics?
    /// Called with the number of trials finished, for progress bars.
    public var progress: (@Sendable (Int) -> Void)?

    /// A run of `trials` paired trials with `seed` on `threads` workers.
    public init(seed: UInt64 = 42, trials: Int = 10_000, threads: Int = 1) {
        self.seed = seed
        self.trials = trials
        self.threads = threads
        self.abduction = false
        self.keep = .none
        self.recordDraws = false
    }

    /// Which runs keep per-trial summaries.
    public enum KeptRuns: Sendable, Hashable {
        /// None.
        case none
        /// The baseline only.
        case baseline
        /// The baseline and every variant.
        case all
    }
}

/// Statistics computed from every run's metrics in one trial, then averaged over trials with a
/// 95% interval (each value is skipped in trials where it is `nil`).
public struct PerTrialStatistics: Sendable {
    /// How many values each trial yields.
    public var count: Int
    /// Computes a trial's values from the runs' metrics (index 0 the baseline, then the variants).
    public var compute: @Sendable (_ runs: [TrialMetrics], _ values: inout [Double?]) -> Void

    /// Creates statistics.
    public init(count: Int, compute: @escaping @Sendable (_ runs: [TrialMetrics], _ values: inout [Double?]) -> Void) {
        self.count = count
        self.compute = compute
    }
}

/// The compact per-trial summary a paired run keeps (for medians and representative trials).
public struct TrialSummary: Sendable, Hashable {
    /// The trial's outcome.
    public var outcome: TrialOutcome
    /// Failed requests.
    public var failedRequests: Double
    /// SLO budget consumed.
    public var sloBudgetConsumed: Double
    /// Time to detect from first impact, if it happened.
    public var timeToDetect: Double?
    /// Time to mitigate from first impact, if it happened.
    public var timeToMitigate: Double?

    /// The summary of a trial's metrics.
    public init(_ m: TrialMetrics) {
        outcome = m.outcome
        failedRequests = m.failedRequests
        sloBudgetConsumed = m.sloBudgetConsumed
        timeToDetect = m.value(.timeToDetect)
        timeToMitigate = m.value(.timeToMitigate)
    }
}

/// One variant against the baseline, paired trial by trial (spec section 11).
public struct PairedComparison: Sendable {
    /// The variant's controls.
    public var controls: [String]
    /// Incidents: averted, new harm and the paired change in P(incident).
    public var incident: PairedEventCounts
    /// `variant - baseline` per metric, over the trials where both are defined.
    public var differences: [Metric: PairedDifference]
    /// Whether each milestone happened, over the trials with customer impact in both runs.
    public var milestones: [Metric: PairedEventCounts]

    /// The `paired` object of spec/output.md.
    public func json() -> JSONValue {
        var object = JSONObject()
        let change = incident.changeInterval()
        object["incident_probability_change"] = ["mean": .number(incident.change), "ci95": intervalJSON(change)]
        let averted = incident.avertedShare()
        object["averted"] = ["share": .number(averted.share), "ci95": intervalJSON(averted.interval), "of": .int(incident.baselineEvents)]
        let harm = incident.newHarmShare()
        object["new_harm"] = ["share": .number(harm.share), "ci95": intervalJSON(harm.interval), "of": .int(incident.atRiskWithoutEvent)]
        var differences = JSONObject()
        for metric in Metric.allCases {
            let d = self.differences[metric] ?? PairedDifference()
            differences[metric.rawValue] = [
                "mean": d.count > 0 ? .number(d.mean) : .null, "ci95": intervalJSON(d.meanInterval()), "n": .int(d.count),
            ]
        }
        object["difference"] = .object(differences)
        var milestones = JSONObject()
        for metric in Metric.allCases where metric.isMilestone {
            let m = self.milestones[metric] ?? PairedEventCounts()
            milestones[metric.rawValue] = [
                "mean": m.trials > 0 ? .number(m.change) : .null, "ci95": intervalJSON(m.changeInterval()), "n": .int(m.trials),
            ]
        }
        object["milestone_probability_change"] = .object(milestones)
        object["trials_changed"] = ["averted": .int(incident.averted), "gained": .int(incident.gained), "new_harm": .int(incident.newHarm)]
        return .object(object)
    }

    /// The paired mean change of an attribution metric (`nil` without trials where both are defined).
    public func change(_ metric: AttributionMetric) -> (mean: Double?, interval: ConfidenceInterval?, n: Int) {
        switch metric {
        case .incidentProbability:
            return (incident.trials > 0 ? incident.change : nil, incident.changeInterval(), incident.trials)
        case .metric(let m):
            let d = differences[m] ?? PairedDifference()
            return (d.count > 0 ? d.mean : nil, d.meanInterval(), d.count)
        }
    }
}

/// An interval as `[low, high]`, or `null`.
func intervalJSON(_ interval: ConfidenceInterval?) -> JSONValue {
    guard let interval else { return .null }
    return .array([.number(interval.lower), .number(interval.upper)])
}

/// The result of a paired run.
public struct PairedRun: Sendable {
    /// The baseline's run (with the baseline pins, for a replay).
    public var baseline: RunResult
    /// Each variant's run, in the order given.
    public var variants: [RunResult]
    /// Each variant against the baseline.
    public var comparisons: [PairedComparison]
    /// The per-trial statistics' moments (``PairedConfiguration/perTrial``).
    public var statistics: [MomentAccumulator]
    /// Kept per-trial summaries by run (index 0 the baseline), empty for runs not kept.
    public var kept: [[TrialSummary]]
    /// How many baseline trials sampled each unpinned draw (``PairedConfiguration/recordDraws``).
    public var unpinnedDraws: [PinKey: Int]
    /// How many baseline trials used each pinned draw.
    public var usedPins: [PinKey: Int]
    /// The number of trials.
    public var trials: Int
    /// Why a sequential run stopped.
    public var stopping: StoppingDecision?
}

/// The per-block, order-dependent accumulators of a paired run.
struct PairedBlock: Sendable {
    var runs: [RunBlock]
    var incident: [PairedEventCounts]
    var differences: [[PairedDifference]]
    var milestones: [[PairedEventCounts]]
    var statistics: [MomentAccumulator]
    var kept: [[TrialSummary]]
    var draws: [PinKey: Int] = [:]
    var pins: [PinKey: Int] = [:]

    init(barrierCounts: [Int], statistics: Int) {
        runs = barrierCounts.map { RunBlock(barrierCount: $0) }
        let variants = max(0, barrierCounts.count - 1)
        incident = Array(repeating: PairedEventCounts(), count: variants)
        differences = Array(repeating: Array(repeating: PairedDifference(), count: Metric.allCases.count), count: variants)
        milestones = Array(repeating: Array(repeating: PairedEventCounts(), count: Metric.allCases.count), count: variants)
        self.statistics = Array(repeating: MomentAccumulator(), count: statistics)
        kept = Array(repeating: [], count: barrierCounts.count)
    }
}

/// Runs a baseline and its variants on the same trial indices with the same seed.
///
/// Draws are addressed (spec section 9), so running every variant on trial `t` gives common
/// random numbers: a draw that a control does not touch has the same value in every run. Each
/// variant is compiled once and gets its own engine per worker. Per-block accumulators are folded
/// in block order, so results are bit-identical on any thread count, and each run's
/// ``RunResult`` equals what ``MonteCarlo`` gives for the same scenario, seed and trials.
public enum PairedRunner {
    struct Worker: Sendable {
        var engines: [TrialEngine]
        var histograms: [RunHistograms]
    }

    /// Runs the baseline and the variants.
    ///
    /// - Throws: ``RunError`` when a trial runs away or the configuration is invalid.
    public static func run(baseline: CompiledScenario, variants: [CompiledScenario], configuration: PairedConfiguration) async throws(RunError) -> PairedRun {
        let compiled = [baseline] + variants
        let keys = compiled.map { DrawKeys(compiled: $0, seed: configuration.seed) }
        let barrierCounts = compiled.map { $0.scenario.barriers.count }
        let runCount = compiled.count
        let metricCount = Metric.allCases.count
        let milestoneIndices = Metric.allCases.indices.filter { Metric.allCases[$0].isMilestone }
        let statisticCount = configuration.perTrial?.count ?? 0
        let configurationCopy = configuration

        func runBlocks(_ range: Range<Int>, trials: Int) async -> ([PairedBlock], [RunHistograms]) {
            let (blocks, workers) = await ParallelBlocks.run(
                blocks: range, threads: configurationCopy.threads,
                makeWorker: {
                    Worker(engines: compiled.indices.map { r in
                        var options = TrialEngine.Options()
                        options.recordDraws = r == 0 && configurationCopy.recordDraws
                        return TrialEngine(compiled: compiled[r], keys: keys[r], options: options)
                    }, histograms: Array(repeating: RunHistograms(), count: runCount))
                },
                runBlock: { worker, b in
                    let configuration = configurationCopy
                    var block = PairedBlock(barrierCounts: barrierCounts, statistics: statisticCount)
                    var metrics = [TrialMetrics](repeating: TrialMetrics(), count: runCount)
                    var values = [Double?](repeating: nil, count: statisticCount)
                    let trialRange = BlockReduction.trialRange(block: b, trials: trials)
                    for t in trialRange {
                        let m0 = worker.engines[0].run(trial: UInt64(t), pins: configuration.baselinePins)
                        metrics[0] = m0
                        let uniforms = configuration.abduction ? worker.engines[0].pinnedUniforms : []
                        if configuration.recordDraws {
                            for key in Set(worker.engines[0].unpinnedDraws) { block.draws[key, default: 0] += 1 }
                            for key in Set(worker.engines[0].pinnedUniforms.map(\.key)) { block.pins[key, default: 0] += 1 }
                        }
                        block.runs[0].add(m0, trial: t, engine: worker.engines[0], barrierCount: barrierCounts[0], histograms: &worker.histograms[0])
                        for r in 1..<runCount {
                            let pins: PinSet? = configuration.abduction ? PinSet(uniforms: uniforms, from: compiled[0], onto: compiled[r]) : nil
                            let m = worker.engines[r].run(trial: UInt64(t), pins: pins)
                            metrics[r] = m
                            block.runs[r].add(m, trial: t, engine: worker.engines[r], barrierCount: barrierCounts[r], histograms: &worker.histograms[r])
                            let v = r - 1
                            block.incident[v].add(baseline: m0.outcome == .incident, variant: m.outcome == .incident, atRisk: m0.outcome != .noFault)
                            for k in 0..<metricCount {
                                let metric = Metric.allCases[k]
                                block.differences[v][k].add(variant: m.value(metric), baseline: m0.value(metric))
                            }
                            if m0.firstImpactAt != nil && m.firstImpactAt != nil {
                                for k in milestoneIndices {
                                    let metric = Metric.allCases[k]
                                    block.milestones[v][k].add(baseline: m0.value(metric) != nil, variant: m.value(metric) != nil)
                                }
                            }
                        }
                        switch configuration.keep {
                        case .none: break
                        case .baseline: block.kept[0].append(TrialSummary(m0))
                        case .all: for r in 0..<runCount { block.kept[r].append(TrialSummary(metrics[r])) }
                        }
                        if let perTrial = configuration.perTrial {
                            for i in values.indices { values[i] = nil }
                            perTrial.compute(metrics, &values)
                            for i in values.indices { if let x = values[i] { block.statistics[i].add(x) } }
                        }
                    }
                    configuration.progress?(trialRange.count)
                    return block
                })
            var histograms = Array(repeating: RunHistograms(), count: runCount)
            for w in workers {
                for r in 0..<runCount { histograms[r].merge(w.histograms[r]) }
            }
            return (blocks, histograms)
        }

        var allBlocks: [PairedBlock] = []
        var histograms = Array(repeating: RunHistograms(), count: runCount)
        var trials = 0
        var stopping: StoppingDecision?
        if let rule = configuration.precision {
            while true {
                let next = min(rule.nextCheckpoint(after: trials), rule.maximumTrials)
                let (blocks, h) = await runBlocks(BlockReduction.blockCount(trials: trials)..<BlockReduction.blockCount(trials: next), trials: next)
                allBlocks += blocks
                for r in 0..<runCount { histograms[r].merge(h[r]) }
                trials = next
                var targets: [MetricPrecision] = []
                var baselineIncidents = 0
                for r in 0..<runCount {
                    let totals = BlockReduction.fold(allBlocks.map { $0.runs[r] })
                    if r == 0 { baselineIncidents = totals.outcomes[TrialOutcome.incident.rawValue] }
                    let label = r == 0 ? "" : compiled[r].scenario.controlsApplied.joined(separator: "+") + ": "
                    targets += MonteCarlo.precisionTargets(totals).map { var p = $0; p.name = label + p.name; return p }
                }
                let decision = rule.decide(trials: trials, incidents: baselineIncidents, metrics: targets)
                if decision.shouldStop || trials >= rule.maximumTrials {
                    stopping = decision
                    break
                }
            }
        } else {
            guard configuration.trials > 0 else { throw RunError.invalid("--trials must be at least 1") }
            trials = configuration.trials
            let (blocks, h) = await runBlocks(0..<BlockReduction.blockCount(trials: trials), trials: trials)
            allBlocks = blocks
            histograms = h
        }

        // Each run's result, exactly as a plain run builds it.
        var results: [RunResult] = []
        for r in 0..<runCount {
            let states = BlockStates(firstBlock: 0, blocks: allBlocks.map { $0.runs[r] })
            results.append(RunResult(scenario: compiled[r].scenario, seed: configuration.seed, trials: trials,
                                     blocks: states, histograms: histograms[r], stopping: stopping))
        }
        for r in 0..<runCount {
            let totals = results[r].totals
            if totals.runaway > 0, let trial = totals.firstRunawayTrial {
                let replayed = replay(compiled: compiled, keys: keys, run: r, trial: trial, configuration: configuration, trace: false)
                throw RunError.runaway(trial: trial, at: replayed.metrics.runawayAt ?? 0, events: TrialEngine.Options().eventCap, trials: totals.runaway)
            }
        }

        // The paired accumulators, folded in block order.
        var comparisons: [PairedComparison] = []
        for v in 0..<(runCount - 1) {
            var incident = PairedEventCounts()
            var differences = [PairedDifference](repeating: PairedDifference(), count: metricCount)
            var milestones = [PairedEventCounts](repeating: PairedEventCounts(), count: metricCount)
            for block in allBlocks {
                incident.merge(block.incident[v])
                for k in 0..<metricCount {
                    differences[k].merge(block.differences[v][k])
                    milestones[k].merge(block.milestones[v][k])
                }
            }
            var byMetric: [Metric: PairedDifference] = [:]
            var byMilestone: [Metric: PairedEventCounts] = [:]
            for (k, metric) in Metric.allCases.enumerated() {
                byMetric[metric] = differences[k]
                if metric.isMilestone { byMilestone[metric] = milestones[k] }
            }
            comparisons.append(PairedComparison(controls: compiled[v + 1].scenario.controlsApplied, incident: incident,
                                                differences: byMetric, milestones: byMilestone))
        }
        var statistics = [MomentAccumulator](repeating: MomentAccumulator(), count: statisticCount)
        var kept = [[TrialSummary]](repeating: [], count: runCount)
        var draws: [PinKey: Int] = [:]
        var pins: [PinKey: Int] = [:]
        for block in allBlocks {
            for i in 0..<statisticCount { statistics[i].merge(block.statistics[i]) }
            for r in 0..<runCount { kept[r] += block.kept[r] }
            for (key, n) in block.draws { draws[key, default: 0] += n }
            for (key, n) in block.pins { pins[key, default: 0] += n }
        }
        return PairedRun(baseline: results[0], variants: Array(results.dropFirst()), comparisons: comparisons,
                         statistics: statistics, kept: kept, unpinnedDraws: draws, usedPins: pins, trials: trials, stopping: stopping)
    }

    /// One trial of one run again, with its trajectory: for a variant under abduction, the
    /// baseline trial runs first to recover its pinned uniforms.
    static func replay(compiled: [CompiledScenario], keys: [DrawKeys], run r: Int, trial: Int, configuration: PairedConfiguration, trace: Bool) -> (metrics: TrialMetrics, events: [TraceEvent]) {
        var options = TrialEngine.Options()
        options.recordTrace = trace
        var baseline = TrialEngine(compiled: compiled[0], keys: keys[0], options: options)
        let m0 = baseline.run(trial: UInt64(trial), pins: configuration.baselinePins)
        if r == 0 { return (m0, baseline.trace) }
        let pins: PinSet? = configuration.abduction ? PinSet(uniforms: baseline.pinnedUniforms, from: compiled[0], onto: compiled[r]) : nil
        var engine = TrialEngine(compiled: compiled[r], keys: keys[r], options: options)
        let m = engine.run(trial: UInt64(trial), pins: pins)
        return (m, engine.trace)
    }

    /// The trajectory of one trial of one run of a paired run (index 0 the baseline), exactly as
    /// the paired run made it.
    public static func trace(baseline: CompiledScenario, variants: [CompiledScenario], run r: Int, trial: Int,
                             configuration: PairedConfiguration) -> (metrics: TrialMetrics, events: [TraceEvent]) {
        let compiled = [baseline] + variants
        let keys = compiled.map { DrawKeys(compiled: $0, seed: configuration.seed) }
        return replay(compiled: compiled, keys: keys, run: r, trial: trial, configuration: configuration, trace: true)
    }
}

import GamedayModel
import GamedayStatistics

extension RunResult {
    /// A run's result assembled from its per-block accumulators and histograms, for runners other
    /// than ``MonteCarlo`` (paired runs of several variants on the same trials).
    ///
    /// Built from the same blocks in the same order, it is identical to what
    /// ``MonteCarlo/run(_:configuration:)`` returns for the same scenario, seed and trials, so
    /// its ``json(mergeable:engineVersion:)`` prints the same bytes as `gameday run`.
    ///
    /// - Parameters:
    ///   - scenario: the scenario that was run (the baseline or a variant).
    ///   - seed: the seed.
    ///   - trials: the number of trials.
    ///   - blocks: the blocks' accumulators in block order from block 0.
    ///   - histograms: the histograms over every trial.
    ///   - stopping: why a sequential run stopped, if it was one.
    public init(scenario: Scenario, seed: UInt64, trials: Int, blocks: BlockStates<RunBlock>, histograms: RunHistograms,
                stopping: StoppingDecision? = nil) {
        self.init(
            scenarioID: scenario.id, scenarioPath: scenario.source.path, scenarioSHA256: scenario.source.sha256,
            barrierIDs: scenario.barriers.map(\.id), names: TraceNames(scenario), controls: scenario.controlsApplied,
            seed: seed, trials: trials, totalTrials: trials, shard: nil, blocks: blocks, histograms: histograms,
            trace: nil, stopping: stopping)
    }
}

extension MonteCarlo {
    /// The estimates `--precision` targets for a run's totals: P(incident) and the mean of each
    /// metric with data. Paired runners apply the same targets to every variant.
    public static func precisionTargets(_ totals: RunBlock) -> [MetricPrecision] {
        precisionMetrics(totals)
    }
}

import GamedayModel
import GamedayStatistics

extension TrialEngine: @unchecked Sendable {}
// A TrialEngine is a value type whose stored properties are value types or Sendable
// references; it is moved between tasks, never shared.

/// Runs fixed blocks of trials on several tasks (spec section 11).
///
/// Which worker computes a block never matters to the result: each block starts from nothing
/// and blocks are folded in index order; workers hold only state that merges exactly in any
/// order (histograms, integer counts).
public enum ParallelBlocks {
    /// Runs `blocks` with `threads` workers and returns every block's result in block order,
    /// plus each worker's order-independent state. For runs too long to keep every block, use
    /// ``runInOrder(blocks:threads:makeWorker:runBlock:consume:)``, which this collects.
    ///
    /// - Parameters:
    ///   - blocks: the block indices to run.
    ///   - threads: the number of concurrent workers (at least 1).
    ///   - makeWorker: creates a worker's state (its engine workspace and accumulators).
    ///   - runBlock: runs one block on a worker and returns the block's result.
    public static func run<Worker: Sendable, Block: Sendable>(
        blocks: Range<Int>,
        threads: Int,
        makeWorker: @escaping @Sendable () -> Worker,
        runBlock: @escaping @Sendable (inout Worker, Int) -> Block
    ) async -> (blocks: [Block], workers: [Worker]) {
        var collected: [Block] = []
        collected.reserveCapacity(blocks.count)
        let workers = await runInOrder(blocks: blocks, threads: threads, makeWorker: makeWorker, runBlock: runBlock) { _, block in
            collected.append(block)
        }
        return (collected, workers)
    }
}

extension ParallelBlocks {
    /// Runs `blocks` with up to `threads` workers and hands each block's result to `consume` in
    /// block order, as soon as that block and every block before it are done.
    ///
    /// Unlike ``run(blocks:threads:makeWorker:runBlock:)`` it keeps no result longer than the
    /// blocks still running need: memory does not grow with the number of blocks. A worker takes
    /// the next block to start whenever it finishes one; which worker computes a block never
    /// matters (each block starts from nothing), and `consume` sees the same blocks in the same
    /// order on any number of threads.
    ///
    /// - Returns: the workers, with their order-independent state.
    public static func runInOrder<Worker: Sendable, Block: Sendable>(
        blocks: Range<Int>,
        threads: Int,
        makeWorker: @escaping @Sendable () -> Worker,
        runBlock: @escaping @Sendable (inout Worker, Int) -> Block,
        consume: (Int, Block) -> Void
    ) async -> [Worker] {
        let workerCount = max(1, min(threads, blocks.count))
        if blocks.isEmpty { return [makeWorker()] }
        typealias Box = WorkerBox<Worker>
        return await withTaskGroup(of: (block: Int, result: Block, slot: Int, box: Box).self) { group in
            var nextToStart = blocks.lowerBound
            for slot in 0..<workerCount {
                let b = nextToStart
                nextToStart += 1
                group.addTask {
                    let box = Box(makeWorker())
                    return (b, runBlock(&box.worker, b), slot, box)
                }
            }
            var pending: [Int: Block] = [:]
            var nextToConsume = blocks.lowerBound
            var finished: [Box?] = Array(repeating: nil, count: workerCount)
            while let done = await group.next() {
                pending[done.block] = done.result
                while let ready = pending.removeValue(forKey: nextToConsume) {
                    consume(nextToConsume, ready)
                    nextToConsume += 1
                }
                if nextToStart < blocks.upperBound {
                    let b = nextToStart
                    nextToStart += 1
                    let box = done.box
                    group.addTask { (b, runBlock(&box.worker, b), done.slot, box) }
                } else {
                    finished[done.slot] = done.box
                }
            }
            return finished.map { $0!.worker }
        }
    }
}

/// A worker's state moving between tasks: boxed so that its workspace is never copied. Only the
/// task running the worker's current block touches it.
private final class WorkerBox<Worker>: @unchecked Sendable {
    var worker: Worker
    init(_ worker: Worker) { self.worker = worker }
}

/// How a Monte Carlo run is made.
public struct RunConfiguration: Sendable {
    /// The seed.
    public var seed: UInt64
    /// The number of trials (ignored with ``precision``, which decides it).
    public var trials: Int
    /// Concurrent workers; results do not depend on it.
    public var threads: Int
    /// This run's part of a sharded run: shard `index` of `count` (0-based).
    public var shard: (index: Int, count: Int)?
    /// Sequential stopping instead of a fixed number of trials.
    public var precision: StoppingRule?
    /// Record the trajectory of this trial index.
    public var traceTrial: Int?
    /// Pins applied to every trial (factual replay).
    public var pins: PinSet?
    /// Called with the number of trials finished, for progress bars.
    public var progress: (@Sendable (Int) -> Void)?

    /// A run of `trials` trials with `seed` on `threads` workers.
    public init(seed: UInt64 = 42, trials: Int = 10_000, threads: Int = 1) {
        self.seed = seed
        self.trials = trials
        self.threads = threads
    }
}

/// The per-block, order-dependent part of a run: counts and floating-point moments.
public struct RunBlock: Sendable, Hashable {
    /// Trials by outcome, in ``TrialOutcome`` order.
    public var outcomes = [Int](repeating: 0, count: TrialOutcome.allCases.count)
    /// Moments per metric, in ``Metric/allCases`` order, over the trials where the metric is defined.
    public var moments = [MomentAccumulator](repeating: MomentAccumulator(), count: Metric.allCases.count)
    /// Censored trials per metric (time metrics only).
    public var censored = [Int](repeating: 0, count: Metric.allCases.count)
    /// Of the censored trials, those whose impact ended without the milestone (time metrics only).
    public var notNeeded = [Int](repeating: 0, count: Metric.allCases.count)
    /// Trials with customer impact.
    public var impacted = 0
    /// Barrier outcome counts: barrier × ``BarrierOutcome``.
    public var barrierCounts: [Int]
    /// Trials stopped by the event cap, and the first of them.
    public var runaway = 0
    /// The first runaway trial's index.
    public var firstRunawayTrial: Int?

    /// An empty block for a scenario with `barrierCount` barriers.
    public init(barrierCount: Int) {
        barrierCounts = Array(repeating: 0, count: barrierCount * BarrierOutcome.allCases.count)
    }
}

extension RunBlock {
    /// Adds one trial (its outcome, each metric's moments or censoring, each barrier's state as
    /// the engine left it) and records its defined metrics in `histograms`: the one place a
    /// trial is counted, for plain and paired runs alike.
    @inline(__always)
    public mutating func add(_ m: TrialMetrics, trial: Int, engine: borrowing TrialEngine, barrierCount: Int,
                      histograms: inout RunHistograms) {
        outcomes[m.outcome.rawValue] += 1
        if m.firstImpactAt != nil { impacted += 1 }
        for k in 0..<RunBlock.metrics.count {
            let metric = RunBlock.metrics[k]
            if let v = m.value(metric) {
                moments[k].add(v)
                histograms.metrics[k].add(v)
            } else if metric.isMilestone && m.firstImpactAt != nil {
                censored[k] += 1
                if m.isNotNeeded(metric) { notNeeded[k] += 1 }
            }
        }
        let states = BarrierOutcome.allCases.count
        barrierCounts.withUnsafeMutableBufferPointer { counts in
            for b in 0..<barrierCount {
                counts[b * states + Int(engine.barriers[b].outcome.rawValue)] += 1
            }
        }
        if m.runaway {
            runaway += 1
            if firstRunawayTrial == nil { firstRunawayTrial = trial }
        }
    }

    /// ``Metric/allCases``, once.
    static let metrics = Metric.allCases
}

/// The order-independent part of a run: histograms per metric (integer counts merge exactly).
public struct RunHistograms: Sendable, Hashable {
    /// One histogram per metric, in ``Metric/allCases`` order.
    public var metrics = [LogLinearHistogram](repeating: LogLinearHistogram(), count: Metric.allCases.count)

    /// Empty histograms.
    public init() {}

    /// Merges another set (exact).
    public mutating func merge(_ other: RunHistograms) {
        for k in metrics.indices { metrics[k].merge(other.metrics[k]) }
    }
}

/// The result of a Monte Carlo run: everything the reports need, and everything a merge needs.
public struct RunResult: Sendable {
    /// The scenario's id.
    public var scenarioID: String
    /// The scenario's path as given.
    public var scenarioPath: String
    /// The scenario file's SHA-256.
    public var scenarioSHA256: String
    /// Barrier ids in file order.
    public var barrierIDs: [String]
    /// Ids of every section, to name trace subjects.
    public var names: TraceNames
    /// The controls applied.
    public var controls: [String]
    /// The seed.
    public var seed: UInt64
    /// Trials in this result.
    public var trials: Int
    /// Trials of the whole run this result is part of (equal to `trials` unless sharded).
    public var totalTrials: Int
    /// The shard, when this is one part of a sharded run.
    public var shard: (index: Int, count: Int)?
    /// The moments of each block, in order (the merge refolds them). Only shards keep them: a
    /// whole run folds its blocks in order as they complete (``blockFold``).
    public var blocks: BlockStates<RunBlock>
    /// The histograms.
    public var histograms: RunHistograms
    /// The trajectory of the traced trial, with its index.
    public var trace: (trial: Int, events: [TraceEvent], metrics: TrialMetrics)?
    /// Why a sequential run stopped.
    public var stopping: StoppingDecision?
    /// The fold, in block order, of every block of a run that kept no per-block states (a run
    /// that is not a shard), so that its memory does not grow with the number of trials. `nil`
    /// when ``blocks`` holds the states.
    public var blockFold: RunBlock? = nil

    /// The blocks folded in order: the run's counts and moments.
    public var totals: RunBlock { blockFold ?? blocks.folded() }
}

extension RunBlock: BlockAccumulator {
    /// An empty block with no barriers (the fold's identity; merging sizes up the barrier counts).
    public init() { self.init(barrierCount: 0) }

    public mutating func merge(_ other: RunBlock) {
        if barrierCounts.count < other.barrierCounts.count {
            barrierCounts += Array(repeating: 0, count: other.barrierCounts.count - barrierCounts.count)
        }
        for k in outcomes.indices { outcomes[k] += other.outcomes[k] }
        for k in moments.indices { moments[k].merge(other.moments[k]) }
        for k in censored.indices { censored[k] += other.censored[k] }
        for k in notNeeded.indices { notNeeded[k] += other.notNeeded[k] }
        for k in other.barrierCounts.indices { barrierCounts[k] += other.barrierCounts[k] }
        impacted += other.impacted
        if firstRunawayTrial == nil { firstRunawayTrial = other.firstRunawayTrial }
        runaway += other.runaway
    }
}

/// Monte Carlo runs of one scenario (baseline or variant).
public enum MonteCarlo {
    /// The worker state of a plain run.
    struct Worker: Sendable {
        var engine: TrialEngine
        var histograms = RunHistograms()
    }

    /// Runs a scenario.
    ///
    /// - Throws: ``RunError`` when a trial runs away (event cap) or the configuration is invalid.
    public static func run(_ scenario: Scenario, configuration: RunConfiguration) async throws(RunError) -> RunResult {
        let compiled = CompiledScenario(scenario)
        return try await run(compiled, configuration: configuration)
    }

    /// Runs a compiled scenario.
    public static func run(_ compiled: CompiledScenario, configuration: RunConfiguration) async throws(RunError) -> RunResult {
        let keys = DrawKeys(compiled: compiled, seed: configuration.seed)
        let scenario = compiled.scenario
        let barrierCount = compiled.barriers.count
        let pins = configuration.pins
        var result = RunResult(
            scenarioID: scenario.id, scenarioPath: scenario.source.path, scenarioSHA256: scenario.source.sha256,
            barrierIDs: scenario.barriers.map(\.id), names: TraceNames(scenario), controls: scenario.controlsApplied, seed: configuration.seed,
            trials: 0, totalTrials: configuration.trials, shard: configuration.shard,
            blocks: BlockStates(), histograms: RunHistograms(), trace: nil, stopping: nil)

        /// Runs blocks and hands them to `consume` in block order; returns the merged histograms.
        func runBlocks(_ range: Range<Int>, trials: Int, consume: (RunBlock) -> Void) async -> RunHistograms {
            let workers = await ParallelBlocks.runInOrder(
                blocks: range, threads: configuration.threads,
                makeWorker: { Worker(engine: TrialEngine(compiled: compiled, keys: keys)) },
                runBlock: { [progress = configuration.progress] worker, b in
                    var block = RunBlock(barrierCount: barrierCount)
                    let trialRange = BlockReduction.trialRange(block: b, trials: trials)
                    for t in trialRange {
                        let m = worker.engine.run(trial: UInt64(t), pins: pins)
                        block.add(m, trial: t, engine: worker.engine, barrierCount: barrierCount, histograms: &worker.histograms)
                    }
                    progress?(trialRange.count)
                    return block
                },
                consume: { _, block in consume(block) })
            var histograms = RunHistograms()
            for w in workers { histograms.merge(w.histograms) }
            return histograms
        }

        if let rule = configuration.precision {
            if configuration.shard != nil { throw RunError.invalid("--precision decides the number of trials as it goes, so it cannot be split into shards; give --trials with --shard") }
            var trials = 0
            while true {
                let next = min(rule.nextCheckpoint(after: trials), rule.maximumTrials)
                let firstBlock = BlockReduction.blockCount(trials: trials)
                let endBlock = BlockReduction.blockCount(trials: next)
                // Folded in block order as they complete, continuing the fold of earlier batches:
                // the same merges in the same order as folding every block at the end.
                var fold = result.blockFold ?? RunBlock()
                let histograms = await runBlocks(firstBlock..<endBlock, trials: next) { fold.merge($0) }
                result.blockFold = fold
                result.histograms.merge(histograms)
                trials = next
                let totals = result.totals
                let decision = rule.decide(trials: trials, incidents: totals.outcomes[TrialOutcome.incident.rawValue],
                                           metrics: precisionMetrics(totals))
                if decision.shouldStop || trials >= rule.maximumTrials {
                    result.stopping = decision
                    break
                }
            }
            result.trials = trials
            result.totalTrials = trials
        } else {
            guard configuration.trials > 0 else { throw RunError.invalid("--trials must be at least 1") }
            let blockCount = BlockReduction.blockCount(trials: configuration.trials)
            var range = 0..<blockCount
            if let shard = configuration.shard {
                guard shard.count >= 1, shard.index >= 0, shard.index < shard.count else {
                    throw RunError.invalid("--shard K/N needs 0 <= K < N")
                }
                range = BlockReduction.blocks(ofShard: shard.index, of: shard.count, blockCount: blockCount)
            }
            result.blocks = BlockStates(firstBlock: range.lowerBound)
            if configuration.shard != nil {
                // A shard keeps every block's state: the merge refolds all shards' blocks in order.
                var states = BlockStates<RunBlock>(firstBlock: range.lowerBound)
                result.histograms = await runBlocks(range, trials: configuration.trials) { states.append($0) }
                result.blocks = states
            } else {
                var fold = RunBlock()
                result.histograms = await runBlocks(range, trials: configuration.trials) { fold.merge($0) }
                result.blockFold = fold
            }
            result.trials = range.reduce(0) { $0 + BlockReduction.trialRange(block: $1, trials: configuration.trials).count }
        }

        let totals = result.totals
        if totals.runaway > 0, let trial = totals.firstRunawayTrial {
            var engine = TrialEngine(compiled: compiled, keys: keys)
            let m = engine.run(trial: UInt64(trial), pins: pins)
            throw RunError.runaway(trial: trial, at: m.runawayAt ?? 0, events: engine.options.eventCap, trials: totals.runaway)
        }
        if let k = configuration.traceTrial {
            // The trials this result covers: a shard's blocks, or every trial of a whole run.
            let covered = configuration.shard == nil
                ? 0..<result.totalTrials
                : (result.blocks.firstBlock * BlockReduction.blockSize)..<(result.blocks.endBlock * BlockReduction.blockSize)
            let inRange = covered.contains(k) && k < result.totalTrials
            if k < 0 || k >= result.totalTrials { throw RunError.invalid("--trace \(k) is not a trial of this run (0 to \(result.totalTrials - 1))") }
            if inRange {
                var options = TrialEngine.Options()
                options.recordTrace = true
                var engine = TrialEngine(compiled: compiled, keys: keys, options: options)
                let m = engine.run(trial: UInt64(k), pins: pins)
                result.trace = (k, engine.trace, m)
            }
        }
        return result
    }

    /// The metrics `--precision` targets: P(incident) and the mean of each metric with data.
    static func precisionMetrics(_ totals: RunBlock) -> [MetricPrecision] {
        let trials = totals.outcomes.reduce(0, +)
        var proportion = ProportionCounter(successes: totals.outcomes[TrialOutcome.incident.rawValue], trials: trials)
        if trials == 0 { proportion = ProportionCounter() }
        var metrics = [MetricPrecision(name: "incident_probability", proportion: proportion)]
        for (k, metric) in Metric.allCases.enumerated() where totals.moments[k].count >= 2 && totals.moments[k].mean != 0 {
            metrics.append(MetricPrecision(name: metric.rawValue, moments: totals.moments[k]))
        }
        return metrics
    }
}

/// Why a run could not produce a result.
public enum RunError: Error, Sendable, CustomStringConvertible {
    /// A trial hit the event cap: the scenario probably loops.
    case runaway(trial: Int, at: Double, events: Int, trials: Int)
    /// The configuration is not usable.
    case invalid(String)

    public var description: String {
        switch self {
        case .runaway(let trial, let at, let events, let trials):
            return "trial \(trial) (and \(trials - 1) other\(trials == 2 ? "" : "s")) processed more than \(events) events, the last at \(Scalars.formatDuration(at)); "
                + "the scenario probably loops (an automatic mitigation or probe with no time between attempts?); trace it with --trace \(trial) --trials \(trial + 1)"
        case .invalid(let message):
            return message
        }
    }
}

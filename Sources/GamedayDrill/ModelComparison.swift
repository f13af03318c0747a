import GamedayModel
import GamedaySimulation

/// The team's outcome next to the modelled responders' (spec: drill.md, "Outcome comparison").
///
/// - **Distribution**: the modelled responders run `trials` trials of the same scenario with the
///   drill's seed (trials 0, 1, ...). The team's time to mitigate and failed requests are placed in
///   that distribution over the trials in which a fault got past prevention (outcome contained or
///   incident: trials where someone had to respond; a prevented fault's exposure is not a
///   response): the percentile is the share of those trials with a smaller value, ties counted
///   half (mid-rank), so 0.22 means the team did better than 78% of modelled responses. A time to
///   mitigate that never happened (censored at the horizon) counts as longer than every finite
///   one. No percentile is given when the drill's own trial had no fault past prevention.
/// - **Same trial**: the modelled responders on the drill's very trial (same seed, same index,
///   same draws): "on this exact trial the model would have mitigated at 19m".
public struct ModelComparison: Hashable, Sendable {
    /// Monte Carlo trials run.
    public var trials: Int
    /// Those in which a fault got past prevention (the distribution's size).
    public var withFault: Int
    /// The modelled responders on the drill's own trial.
    public var sameTrial: TrialMetrics
    /// The team's percentile of time to mitigate (nil without impact on the drill's trial).
    public var timeToMitigatePercentile: Double?
    /// The team's percentile of failed requests.
    public var failedRequestsPercentile: Double?
    /// The model's median time to mitigate over those trials (nil when more than half never mitigated).
    public var medianTimeToMitigate: Double?
    /// The model's median failed requests over those trials.
    public var medianFailedRequests: Double?
    /// The share of those trials that mitigated before the horizon.
    public var mitigatedShare: Double?

    /// The default number of Monte Carlo trials.
    public static let defaultTrials = 2000

    /// Runs the modelled responders and places the team's metrics.
    ///
    /// - Parameters:
    ///   - compiled: the scenario as the drill ran it.
    ///   - seed: the drill's seed.
    ///   - trial: the drill's trial index.
    ///   - team: the drill's final metrics.
    ///   - trials: Monte Carlo trials (default 2000).
    ///   - threads: concurrent workers; the result does not depend on it.
    public static func compute(compiled: CompiledScenario, seed: UInt64, trial: UInt64, team: TrialMetrics,
                               trials: Int = defaultTrials, threads: Int = 1) async -> ModelComparison {
        let keys = DrawKeys(compiled: compiled, seed: seed)
        var engine = TrialEngine(compiled: compiled, keys: keys)
        let same = engine.run(trial: trial)
        let blockSize = 250
        let blockCount = (max(0, trials) + blockSize - 1) / blockSize
        let (blocks, _) = await ParallelBlocks.run(
            blocks: 0..<blockCount, threads: threads,
            makeWorker: { TrialEngine(compiled: compiled, keys: keys) },
            runBlock: { engine, b -> [(ttm: Double, failed: Double)] in
                var values: [(ttm: Double, failed: Double)] = []
                for t in (b * blockSize)..<min(trials, (b + 1) * blockSize) {
                    let m = engine.run(trial: UInt64(t))
                    // Only trials where a fault got past prevention: someone had something to do.
                    guard m.outcome == .incident || m.outcome == .contained else { continue }
                    values.append((m.value(.timeToMitigate) ?? .infinity, m.failedRequests))
                }
                return values
            })
        let all = blocks.flatMap { $0 }
        let ttm = all.map(\.ttm).sorted()
        let failed = all.map(\.failed).sorted()
        var result = ModelComparison(trials: trials, withFault: all.count, sameTrial: same)
        if !all.isEmpty {
            result.medianTimeToMitigate = median(ttm).flatMap { $0.isFinite ? $0 : nil }
            result.medianFailedRequests = median(failed)
            result.mitigatedShare = Double(ttm.filter(\.isFinite).count) / Double(ttm.count)
            if team.outcome == .incident || team.outcome == .contained {
                result.timeToMitigatePercentile = percentile(team.value(.timeToMitigate) ?? .infinity, in: ttm)
                result.failedRequestsPercentile = percentile(team.failedRequests, in: failed)
            }
        }
        return result
    }

    init(trials: Int, withFault: Int, sameTrial: TrialMetrics) {
        self.trials = trials
        self.withFault = withFault
        self.sameTrial = sameTrial
    }

    /// Mid-rank position of `x` among sorted values, in [0, 1].
    static func percentile(_ x: Double, in sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        var below = 0, equal = 0
        for v in sorted {
            if v < x { below += 1 } else if v == x { equal += 1 } else { break }
        }
        return (Double(below) + 0.5 * Double(equal)) / Double(sorted.count)
    }

    /// The median of sorted values (the lower middle for an even count, so it is an observed value).
    static func median(_ sorted: [Double]) -> Double? {
        guard !sorted.isEmpty else { return nil }
        return sorted[(sorted.count - 1) / 2]
    }
}

/// Looks at a drill's trial before it is played.
public enum DrillTrials {
    /// The modelled responders' metrics on a trial (what the drill's trial holds).
    public static func preview(_ compiled: CompiledScenario, seed: UInt64, trial: UInt64) -> TrialMetrics {
        var engine = TrialEngine(compiled: compiled, keys: DrawKeys(compiled: compiled, seed: seed))
        return engine.run(trial: trial)
    }

    /// The first trial from `start` on with customer impact, looking at most `limit` trials.
    public static func firstWithImpact(_ compiled: CompiledScenario, seed: UInt64, from start: UInt64 = 0, limit: Int = 1000) -> UInt64? {
        var engine = TrialEngine(compiled: compiled, keys: DrawKeys(compiled: compiled, seed: seed))
        for t in start..<(start + UInt64(limit)) where engine.run(trial: t).firstImpactAt != nil { return t }
        return nil
    }
}

import GamedayModel
import GamedayStatistics

extension RunResult {
    /// The state a shard carries so that a merge reproduces the single run exactly: every block's
    /// counts and moments (refolded in order), and the histograms (merged exactly).
    var mergeState: JSONValue {
        var object = JSONObject()
        object["blocks"] = .array(blocks.blocks.map { block in
            var b = JSONObject()
            b["outcomes"] = .array(block.outcomes.map { .int($0) })
            b["moments"] = .array(block.moments.map { .array([.int($0.count), .number($0.mean), .number($0.m2)]) })
            b["censored"] = .array(block.censored.map { .int($0) })
            b["not_needed"] = .array(block.notNeeded.map { .int($0) })
            b["impacted"] = .int(block.impacted)
            b["barriers"] = .array(block.barrierCounts.map { .int($0) })
            b["runaway"] = .int(block.runaway)
            b["first_runaway"] = block.firstRunawayTrial.map { .int($0) } ?? .null
            return .object(b)
        })
        object["histograms"] = .array(histograms.metrics.map { h in
            let state = h.state
            return [
                "count": .number(Double(state.count)), "zero": .number(Double(state.zeroCount)),
                "min": .number(state.minimum), "max": .number(state.maximum),
                "keys": .array(state.binKeys.map { .int($0) }), "counts": .array(state.binCounts.map { .number(Double($0)) }),
            ]
        })
        if let trace {
            object["trace_metrics"] = Self.traceMetricsJSON(trace.metrics)
        }
        return .object(object)
    }

    static func traceMetricsJSON(_ m: TrialMetrics) -> JSONValue {
        func t(_ v: Double?) -> JSONValue { v.map { .number($0) } ?? .null }
        return [
            "outcome": .int(m.outcome.rawValue), "occurred": .int(m.occurred), "prevented": .int(m.prevented),
            "first_impact": t(m.firstImpactAt), "detected": t(m.detectedAt), "acknowledged": t(m.acknowledgedAt),
            "diagnosed": t(m.diagnosedAt), "mitigated": t(m.mitigatedAt), "recovered": t(m.recoveredAt),
            "failed_requests": .number(m.failedRequests), "impact_duration": .number(m.impactDuration),
            "peak_error_rate": .number(m.peakErrorRate), "slo_budget_consumed": .number(m.sloBudgetConsumed), "events": .int(m.events),
        ]
    }
}

/// Combines the outputs of `gameday run --shard K/N` into the single-run result.
public enum ShardMerge {
    /// Why shards cannot be merged.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What is wrong.
        public var message: String
        public var description: String { message }
    }

    /// One shard's parsed output.
    public struct Shard: Sendable {
        var result: RunResult
        var names: TraceNames
        var traceEvents: JSONValue?
        /// Where the shard came from, for messages.
        public var source: String
    }

    /// Reads one shard's JSON output.
    public static func parse(_ json: JSONValue, source: String) throws(Failure) -> Shard {
        func fail(_ message: String) -> Failure { Failure(message: "\(source): \(message)") }
        guard let shard = json["shard"]?.object, let state = json["merge_state"]?.object else {
            throw fail("not the output of a sharded run (run with --shard K/N --format json)")
        }
        guard let scenario = json["scenario"]?.object, let id = scenario["id"]?.string, let path = scenario["path"]?.string,
              let sha = scenario["sha256"]?.string, let seed = json["seed"]?.uint64,
              let index = shard["index"]?.int, let count = shard["count"]?.int, let total = shard["of_trials"]?.int,
              let firstBlock = shard["first_block"]?.int, let trials = json["trials"]?.int,
              let barrierObject = json["barriers"]?.object, let blocksJSON = state["blocks"]?.array,
              let histogramsJSON = state["histograms"]?.array, histogramsJSON.count == Metric.allCases.count else {
            throw fail("missing or malformed keys (scenario, seed, trials, shard, merge_state)")
        }
        var blocks: [RunBlock] = []
        for (i, b) in blocksJSON.enumerated() {
            guard let outcomes = b["outcomes"]?.array?.compactMap(\.int), outcomes.count == TrialOutcome.allCases.count,
                  let moments = b["moments"]?.array, moments.count == Metric.allCases.count,
                  let censored = b["censored"]?.array?.compactMap(\.int), censored.count == Metric.allCases.count,
                  let impacted = b["impacted"]?.int, let barriers = b["barriers"]?.array?.compactMap(\.int),
                  let runaway = b["runaway"]?.int else {
                throw fail("block \(i) of merge_state is malformed")
            }
            var block = RunBlock(barrierCount: barrierObject.keys.count)
            block.outcomes = outcomes
            block.censored = censored
            if let notNeeded = b["not_needed"]?.array?.compactMap(\.int), notNeeded.count == Metric.allCases.count {
                block.notNeeded = notNeeded
            }
            block.impacted = impacted
            block.barrierCounts = barriers
            block.runaway = runaway
            block.firstRunawayTrial = b["first_runaway"]?.int
            for (k, m) in moments.enumerated() {
                guard let values = m.array, values.count == 3, let n = values[0].int, let mean = values[1].double, let m2 = values[2].double else {
                    throw fail("moments of block \(i) are malformed")
                }
                block.moments[k] = MomentAccumulator(count: n, mean: mean, m2: m2)
            }
            blocks.append(block)
        }
        var histograms = RunHistograms()
        for (k, h) in histogramsJSON.enumerated() {
            guard let count = h["count"]?.uint64, let zero = h["zero"]?.uint64, let keys = h["keys"]?.array?.compactMap(\.int),
                  let counts = h["counts"]?.array?.compactMap(\.uint64) else {
                throw fail("histogram \(k) of merge_state is malformed")
            }
            let state = LogLinearHistogram.State(count: count, zeroCount: zero, minimum: h["min"]?.double, maximum: h["max"]?.double,
                                                 binKeys: keys, binCounts: counts)
            do {
                histograms.metrics[k] = try LogLinearHistogram(state: state)
            } catch {
                throw fail("histogram \(k) of merge_state is inconsistent: \(error)")
            }
        }
        let controls = json["controls"]?.array?.compactMap(\.string) ?? []
        var result = RunResult(
            scenarioID: id, scenarioPath: path, scenarioSHA256: sha, barrierIDs: barrierObject.keys,
            names: TraceNames(injections: [], barriers: barrierObject.keys, responders: []),
            controls: controls, seed: seed, trials: trials, totalTrials: total, shard: (index, count),
            blocks: BlockStates(firstBlock: firstBlock, blocks: blocks), histograms: histograms, trace: nil, stopping: nil)
        var traceEvents: JSONValue?
        if let trace = json["trace"]?.object, let trial = trace["trial"]?.int, let events = trace["events"] {
            traceEvents = events
            result.trace = (trial, [], TrialMetrics())
        }
        return Shard(result: result, names: result.names, traceEvents: traceEvents, source: source)
    }

    /// Merges shards into the JSON a single run would have printed, byte for byte.
    public static func merge(_ shards: [Shard], engineVersion: String) throws(Failure) -> JSONValue {
        guard let first = shards.first else { throw Failure(message: "no shards given") }
        let count = first.result.shard?.count ?? 0
        for shard in shards {
            let r = shard.result
            if r.scenarioSHA256 != first.result.scenarioSHA256 || r.scenarioID != first.result.scenarioID {
                throw Failure(message: "\(shard.source): a different scenario (\(r.scenarioID), sha256 \(r.scenarioSHA256.prefix(12))) than \(first.source)")
            }
            if r.seed != first.result.seed { throw Failure(message: "\(shard.source): seed \(r.seed), but \(first.source) has seed \(first.result.seed)") }
            if r.controls != first.result.controls { throw Failure(message: "\(shard.source): controls \(r.controls), but \(first.source) has \(first.result.controls)") }
            if r.totalTrials != first.result.totalTrials { throw Failure(message: "\(shard.source): a run of \(r.totalTrials) trials, but \(first.source) is part of \(first.result.totalTrials)") }
            if r.shard?.count != count { throw Failure(message: "\(shard.source): shard of \(r.shard?.count ?? 0), but \(first.source) is a shard of \(count)") }
        }
        let indices = shards.compactMap { $0.result.shard?.index }
        let missing = (0..<count).filter { !indices.contains($0) }
        if !missing.isEmpty { throw Failure(message: "missing shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(count)" }.joined(separator: ", ")) of \(count)") }
        if Set(indices).count != indices.count { throw Failure(message: "a shard is given twice") }
        let ordered = shards.sorted { $0.result.blocks.firstBlock < $1.result.blocks.firstBlock }
        var merged = ordered[0].result
        do {
            merged.blocks = try BlockStates.concatenate(ordered.map(\.result.blocks))
        } catch {
            throw Failure(message: "the shards' blocks do not line up: \(error)")
        }
        if merged.blocks.firstBlock != 0 || merged.blocks.endBlock != BlockReduction.blockCount(trials: merged.totalTrials) {
            throw Failure(message: "the shards do not cover the run's \(merged.totalTrials) trials")
        }
        merged.histograms = RunHistograms()
        for shard in ordered { merged.histograms.merge(shard.result.histograms) }
        merged.trials = merged.totalTrials
        merged.shard = nil
        merged.trace = nil
        var json = merged.json(engineVersion: engineVersion)
        // The traced trial lives in one shard: carry its events over unchanged.
        if let traced = ordered.first(where: { $0.traceEvents != nil }), let trial = traced.result.trace?.trial, case .object(var object) = json {
            var reordered = JSONObject()
            for (key, value) in object.pairs {
                if key == "provenance" { reordered["trace"] = .object(["trial": .int(trial), "events": traced.traceEvents!]) }
                reordered[key] = value
            }
            object = reordered
            json = .object(object)
        }
        return json
    }
}

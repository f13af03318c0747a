import Benchmark
import Foundation
import GamedayModel
import GamedaySimulation

// Engine benchmarks (docs/performance.md). Run from the repository root:
//
//   swift package --package-path Benchmarks benchmark
//   swift package --package-path Benchmarks benchmark --filter 'reference'
//
// One iteration of a "trials" benchmark runs `scalingFactor` consecutive trials on one reused
// TrialEngine, so the per-iteration metrics marked * are per trial: Malloc (total) * is the
// number of allocations per trial after warm-up (the target is 0), Throughput * is trials per
// second on one core.

/// Where the benchmark scenarios live: Benchmarks/scenarios, found from this file's path so the
/// benchmarks run from any working directory.
let scenarioDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("scenarios")

func loadCompiled(_ name: String) -> CompiledScenario {
    let path = scenarioDirectory.appendingPathComponent(name).path
    do {
        return CompiledScenario(try ScenarioLoader.load(path: path))
    } catch {
        fatalError("cannot load \(path): \(error.diagnostics.map(\.description).joined(separator: "\n"))")
    }
}

/// A trial engine and the next trial index, carried from one iteration to the next (trial
/// indices keep increasing, so every iteration runs new trials, as a Monte Carlo run does).
final class EngineBox: @unchecked Sendable {
    var engine: TrialEngine
    var nextTrial: UInt64 = 0
    var events = 0
    var trials = 0

    init(_ compiled: CompiledScenario, seed: UInt64 = 42) {
        engine = TrialEngine(compiled: compiled, keys: DrawKeys(compiled: compiled, seed: seed))
    }

    /// Runs `count` trials and returns the sum of a metric so the optimiser keeps the work.
    @inline(never)
    func run(_ count: Int) -> Double {
        var sum = 0.0
        for _ in 0..<count {
            let m = engine.run(trial: nextTrial)
            nextTrial &+= 1
            sum += m.failedRequests
            events += m.events
        }
        trials += count
        return sum
    }
}

/// Events per trial so far, as a custom metric (×100 so that small scenarios keep two decimals).
let eventsPerTrialX100 = BenchmarkMetric.custom("events per trial ×100", polarity: .prefersSmaller, useScalingFactor: false)

let trialMetrics: [BenchmarkMetric] = [
    .wallClock, .cpuTotal, .throughput, .instructions,
    .mallocCountTotal, .memoryLeakedBytes, .peakMemoryResident,
]

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(maxDuration: .seconds(5), maxIterations: 1_000_000)

    // The reference scenario, 1,000 trials per iteration on one core: per-trial time, trials/s
    // and allocations per trial (after the warm-up iteration sized the workspace).
    let reference = loadCompiled("reference.yaml")
    let referenceBox = EngineBox(reference)
    _ = referenceBox.run(10_000)  // warm-up: the workspace reaches its working sizes
    Benchmark(
        "reference: trials on one engine",
        configuration: .init(metrics: trialMetrics + [eventsPerTrialX100], warmupIterations: 5, scalingFactor: .kilo)
    ) { benchmark in
        blackHole(referenceBox.run(benchmark.scaledIterations.count))
        benchmark.measurement(eventsPerTrialX100, referenceBox.events * 100 / max(1, referenceBox.trials))
    }

    // The whole Monte Carlo run (blocks, moments, histograms) on one and two workers.
    for threads in [1, 2] {
        Benchmark(
            "reference: MonteCarlo.run 100k trials, \(threads) thread\(threads == 1 ? "" : "s")",
            configuration: .init(metrics: [.wallClock, .cpuTotal, .throughput, .mallocCountTotal, .peakMemoryResident],
                                 warmupIterations: 1, scalingFactor: .one, maxDuration: .seconds(10), maxIterations: 10)
        ) { benchmark async in
            let result = try? await MonteCarlo.run(reference, configuration: RunConfiguration(seed: 42, trials: 100_000, threads: threads))
            blackHole(result?.trials)
        }
    }

    // Scaling: 10, 100 and 1,000 services (Benchmarks/scenarios/services-N.yaml). Time per
    // trial should grow with events per trial, not faster.
    for n in [10, 100, 1000] {
        let compiled = loadCompiled("services-\(n).yaml")
        let box = EngineBox(compiled)
        // Warm-up: long enough for the workspace's buffers (event heap, burn-rate points, lists)
        // to reach their high-water marks, after which a trial allocates nothing.
        _ = box.run(n == 1000 ? 5_000 : 20_000)
        Benchmark(
            "services-\(n): trials on one engine",
            configuration: .init(metrics: trialMetrics + [eventsPerTrialX100], warmupIterations: 2, scalingFactor: .kilo)
        ) { benchmark in
            blackHole(box.run(benchmark.scaledIterations.count))
            benchmark.measurement(eventsPerTrialX100, box.events * 100 / max(1, box.trials))
        }
    }
}

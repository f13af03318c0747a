// Prints how the engine's cost per trial grows with scenario size (docs/performance.md):
//
//   swift run --package-path Benchmarks -c release engine-scaling
//   swift run --package-path Benchmarks -c release engine-scaling --seconds 3 Benchmarks/scenarios/services-1000.yaml
//
// For each scenario: events per trial, CPU time per trial and per event on one core (the best of
// three timed rounds after a warm-up, measured with this thread's CPU clock so that other load on
// the machine matters less), and trials per second.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GamedayModel
import GamedaySimulation

/// This thread's CPU time in seconds.
func threadCPUTime() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

var arguments = Array(CommandLine.arguments.dropFirst())
var secondsPerRound = 1.0
if let k = arguments.firstIndex(of: "--seconds"), k + 1 < arguments.count, let s = Double(arguments[k + 1]) {
    secondsPerRound = s
    arguments.removeSubrange(k...(k + 1))
}
let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let paths = arguments.isEmpty
    ? ["reference", "services-10", "services-100", "services-1000"].map { root.appendingPathComponent("scenarios/\($0).yaml").path }
    : arguments

print("| scenario | services | events/trial | µs/trial | ns/event | trials/s (one core) |")
print("| --- | ---: | ---: | ---: | ---: | ---: |")
for path in paths {
    let scenario: Scenario
    do {
        scenario = try ScenarioLoader.load(path: path)
    } catch {
        FileHandle.standardError.write(Data("\(path): \(error.diagnostics.map(\.description).joined(separator: "\n"))\n".utf8))
        exit(1)
    }
    let compiled = CompiledScenario(scenario)
    var engine = TrialEngine(compiled: compiled, keys: DrawKeys(compiled: compiled, seed: 42))
    var trial: UInt64 = 0
    // Warm-up: the workspace reaches its working sizes; also sizes a round to secondsPerRound.
    var batch = 100
    var started = threadCPUTime()
    while threadCPUTime() - started < 0.2 {
        for _ in 0..<batch { _ = engine.run(trial: trial); trial += 1 }
        batch *= 2
    }
    let warmRate = Double(trial) / max(1e-9, threadCPUTime() - started)
    let trialsPerRound = max(1_000, Int(warmRate * secondsPerRound))
    var best = Double.infinity
    var events = 0
    var trials = 0
    var sink = 0.0
    for _ in 0..<3 {
        var roundEvents = 0
        started = threadCPUTime()
        for _ in 0..<trialsPerRound {
            let m = engine.run(trial: trial)
            trial += 1
            roundEvents += m.events
            sink += m.failedRequests
        }
        best = min(best, threadCPUTime() - started)
        events += roundEvents
        trials += trialsPerRound
    }
    let eventsPerTrial = Double(events) / Double(trials)
    let secondsPerTrial = best / Double(trialsPerRound)
    let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
    print("| \(name) | \(scenario.services.count) | \(String(format: "%.1f", eventsPerTrial)) | \(String(format: "%.2f", secondsPerTrial * 1e6)) | "
        + "\(String(format: "%.0f", secondsPerTrial * 1e9 / eventsPerTrial)) | \(String(format: "%.0f", 1 / secondsPerTrial)) |")
    if sink.isNaN { print("") }  // keeps the work observable
}

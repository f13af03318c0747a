import ArgumentParser
import Foundation
import GamedayModel
import GamedayRecords
import GamedaySimulation
import GamedayStatistics

/// Options shared by the commands that run Monte Carlo trials.
struct SamplingOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Number of trials (default 10000).")
    var trials: Int?

    @Option(help: ArgumentHelp("Run until every 95% interval's half-width is within this share of its estimate (e.g. 0.02 or 2%); decides the number of trials: checked every 16,384 trials, after at least 4,096 trials and 100 incidents, stopping at 8,192,000 at most.", valueName: "share"))
    var precision: String?

    @Option(parsing: .unconditional, help: "Seed of the addressed random draws (0 to 2^64-1): same seed, same result.")
    var seed: UInt64 = 42

    @Option(parsing: .unconditional, help: "Concurrent workers (default: the number of cores); results do not depend on it.")
    var threads: Int?

    func validate() throws {
        if trials != nil && precision != nil { throw ValidationError("give --trials or --precision, not both") }
        if let trials, trials < 1 { throw ValidationError("--trials must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let precision {
            guard case .success(let p) = Scalars.probability(precision), p > 0, p < 1 else {
                throw ValidationError("--precision takes a share between 0 and 1, such as 0.02 or 2%")
            }
        }
    }

    var threadCount: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }

    /// The run configuration these options describe.
    func configuration(defaultTrials: Int = 10_000) -> RunConfiguration {
        var configuration = RunConfiguration(seed: seed, trials: trials ?? defaultTrials, threads: threadCount)
        if let precision, case .success(let p) = Scalars.probability(precision) {
            configuration.precision = StoppingRule(relativePrecision: p, minimumTrials: 4096, minimumIncidents: 100,
                                                   maximumTrials: 4096 * 2_000, batchTrials: 4096 * 4)
        }
        return configuration
    }
}

/// Output formats of the commands that print results.
enum ResultFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown, html
}

/// Loads a scenario for a command, turning load errors into located diagnostics (exit 1).
func loadScenario(_ path: String) throws -> Scenario {
    let result = ScenarioLoader.check(path: path)
    guard let scenario = result.scenario else {
        for d in result.diagnostics { Terminal.printDiagnostic(d) }
        throw ExitCode(1)
    }
    return scenario
}

/// Splits `a,b,c` into control ids.
func controlList(_ text: String?) -> [String] {
    guard let text else { return [] }
    return text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// Applies controls, turning errors into located diagnostics (exit 1).
func variant(of scenario: Scenario, with controls: [String]) throws -> Scenario {
    do {
        return try scenario.variant(with: controls)
    } catch {
        for d in error.diagnostics { Terminal.printDiagnostic(d) }
        throw ExitCode(1)
    }
}

/// Writes a command's output to stdout or, with `--out`, atomically to a file.
enum Output {
    static func emit(_ text: String, to path: String?) throws {
        let body = text.hasSuffix("\n") ? text : text + "\n"
        guard let path else {
            FileHandle.standardOutput.write(Data(body.utf8))
            return
        }
        try AtomicFile.write(body, to: path)
        Terminal.writeErr("wrote \(path)")
    }
}

/// Writes files atomically: a temporary file in the same folder, flushed, then renamed over the
/// target (GamedayModel's `OutputFile`). The folder must exist.
enum AtomicFile {
    /// - Throws: ``CommandFailure`` (exit 1) saying plainly what is wrong: "cannot write
    ///   out/x.xml: the folder out does not exist", "... permission denied: ...".
    static func write(_ text: String, to path: String, createFolders: Bool = false) throws {
        do {
            try OutputFile.write(text, to: path, createFolders: createFolders)
        } catch {
            throw CommandFailure.failed(OutputFile.message(error))
        }
    }
}

/// A progress bar on stderr when it is a terminal; silent when piped.
final class ProgressBar: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private let total: Int
    private let label: String
    private var lastDraw = Date.distantPast
    private let enabled: Bool

    init(total: Int, label: String) {
        self.total = total
        self.label = label
        self.enabled = Terminal.stderrIsTerminal && total >= 20_000
    }

    var callback: (@Sendable (Int) -> Void)? {
        guard enabled else { return nil }
        return { [self] trials in self.advance(by: trials) }
    }

    func advance(by trials: Int) {
        lock.lock()
        defer { lock.unlock() }
        done += trials
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 || done >= total else { return }
        lastDraw = now
        let fraction = total > 0 ? min(1, Double(done) / Double(total)) : 1
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) \(bar) \(Int(fraction * 100))% \(done)/\(total) trials".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}

/// Options of the commands that run a fixed number of trials (replay, check): no `--precision`.
struct FixedSamplingOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Number of trials per run (default 10000).")
    var trials: Int?

    @Option(parsing: .unconditional, help: "Seed of the addressed random draws (0 to 2^64-1): same seed, same result.")
    var seed: UInt64 = 42

    @Option(parsing: .unconditional, help: "Concurrent workers (default: the number of cores); results do not depend on it.")
    var threads: Int?

    func validate() throws {
        if let trials, trials < 1 { throw ValidationError("--trials must be at least 1") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    var threadCount: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }
}

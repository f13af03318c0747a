import ArgumentParser
import Foundation
import GamedayModel
import GamedayReports
import GamedaySimulation

/// `gameday run SCENARIO`: Monte Carlo of the baseline or a variant.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Monte Carlo of a scenario's baseline (or --with CONTROL,...).",
        discussion: """
        Prints outcome probabilities with Wilson 95% intervals, each metric's n, censored count, mean with \
        its interval and p50/p90/p99, and each barrier's held/failed/bypassed/not-demanded shares. \
        Intervals are Monte Carlo error: more trials narrow them.

        Shards: `--shard K/N` runs the K-th of N parts (0-based) of a run of --trials trials and prints \
        JSON that `gameday merge` combines into exactly the single-run result (docs/sharding.md).
        """
    )

    @Argument(help: "The scenario file.", completion: .file(extensions: ["yaml", "yml"]))
    var scenario: String

    @Option(name: .customLong("with"), help: ArgumentHelp("Controls to apply, comma-separated.", valueName: "controls"))
    var controls: String?

    @OptionGroup var sampling: SamplingOptions

    @Option(help: ArgumentHelp("Run shard K of N (0-based), e.g. 0/4; prints mergeable JSON.", valueName: "K/N"))
    var shard: String?

    @Option(help: ArgumentHelp("Include the trajectory of trial K, with the cause of every event.", valueName: "K"))
    var trace: Int?

    @Option(help: "Output format: text, json or markdown.")
    var format: RunFormat = .text

    @Option(help: "Write the output to this file (atomically) instead of stdout.")
    var out: String?

    @OptionGroup var saving: SaveOptions

    func validate() throws {
        if shard != nil && sampling.precision != nil {
            throw ValidationError("--precision decides the number of trials as it goes, so it cannot be split into shards; give --trials with --shard")
        }
        if let shard, parseShard(shard) == nil { throw ValidationError("--shard takes K/N with 0 <= K < N, such as 0/4") }
        if let trace, trace < 0 || trace >= (sampling.trials ?? 10_000), sampling.precision == nil {
            throw ValidationError("--trace \(trace) is not a trial of this run (0 to \((sampling.trials ?? 10_000) - 1))")
        }
    }

    func parseShard(_ text: String) -> (index: Int, count: Int)? {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 0, k < n else { return nil }
        return (k, n)
    }

    func run() async throws {
        let base = try loadScenario(scenario)
        let variant = try variant(of: base, with: controlList(controls))
        var configuration = sampling.configuration()
        configuration.shard = shard.flatMap(parseShard)
        configuration.traceTrial = trace
        let total = configuration.precision?.maximumTrials ?? configuration.trials
        let progress = ProgressBar(total: configuration.shard == nil ? total : total / max(1, configuration.shard!.count),
                                   label: configuration.precision == nil ? "run" : "run (until precise; bar against the cap)")
        configuration.progress = progress.callback
        let result: RunResult
        do {
            result = try await MonteCarlo.run(variant, configuration: configuration)
        } catch {
            progress.finish()
            throw CommandFailure.failed("\(scenario): \(error)")
        }
        progress.finish()
        if let shard = configuration.shard, result.trials == 0 {
            Terminal.writeErr("note: shard \(shard.index)/\(shard.count) holds no trials: trials are split in blocks of 4,096, and \(configuration.trials) trials make \((configuration.trials + 4095) / 4096) block\(configuration.trials > 4096 ? "s" : ""); its JSON still merges, but fewer shards would do")
        }
        let text: String
        switch format {
        case .json:
            text = result.json(mergeable: configuration.shard != nil, engineVersion: GamedayVersion.current).pretty
        case .markdown:
            text = RunReport.markdown(result, title: base.title)
        case .text:
            if configuration.shard != nil && out == nil {
                Terminal.writeErr("note: a shard's text report covers its own trials only; use --format json to merge shards")
            }
            text = RunReport.text(result, title: base.title, style: Terminal.reportStyle(forStdout: out == nil))
        }
        try Output.emit(text, to: out)
        try saving.saveIfAsked(command: "run", scenario: base, seed: configuration.seed, trials: result.totalTrials,
                               controls: controlList(controls), json: result.json(mergeable: configuration.shard != nil, engineVersion: GamedayVersion.current))
    }
}

/// `gameday merge SHARD.json...`: combines sharded runs into the single-run result.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine `run --shard K/N --format json` outputs into exactly the single-run result.",
        discussion: "The merged JSON is byte-identical to what one `gameday run` with the same seed and --trials prints (docs/sharding.md)."
    )

    @Argument(help: "The shards' JSON files (every shard of the run, in any order).", completion: .file(extensions: ["json"]))
    var shards: [String]

    @Option(help: "Write the output to this file (atomically) instead of stdout.")
    var out: String?

    func run() throws {
        var parsed: [ShardMerge.Shard] = []
        for path in shards {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw CommandFailure.usage("\(path): cannot read the file")
            }
            let json: JSONValue
            do {
                json = try JSONParser.parse(text)
            } catch {
                throw CommandFailure.failed("\(path):\(error.line):\(error.column): error: not JSON: \(error.message)")
            }
            do {
                parsed.append(try ShardMerge.parse(json, source: path))
            } catch {
                throw CommandFailure.failed(error.message)
            }
        }
        let merged: JSONValue
        do {
            merged = try ShardMerge.merge(parsed, engineVersion: GamedayVersion.current)
        } catch {
            throw CommandFailure.failed(error.message)
        }
        try Output.emit(merged.pretty, to: out)
    }
}

/// Output formats of `run`.
enum RunFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}

import ArgumentParser
import Foundation
import GamedayCounterfactual
import GamedayModel
import GamedayRecords
import GamedayReports

/// `gameday check PATH...`: runs every scenario's checks; exit status and JUnit XML for CI.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run scenario checks; one line per check, JUnit XML for CI, exit 1 on any failure.",
        discussion: """
        Each expectation is decided by its 95% interval: proportions by Wilson, means by the mean \
        interval, quantiles by the distribution-free interval from order-statistic ranks, averted and \
        new harm by Wilson from a paired run against the baseline, METRIC_change by the paired interval. \
        A check passes only when the whole interval is on the right side; when the interval straddles the \
        threshold it is inconclusive, which fails unless --allow-inconclusive; with too few trials to \
        decide at all (a p90 with no data) it fails.

        PATH may be files or folders (searched recursively for .yaml and .yml scenarios). Default: \
        10,000 trials per run, seed 42. Exit status: 0 all pass, 1 any failure or invalid file, 2 usage.
        """
    )

    @Argument(help: "Scenario files or folders.", completion: .file(extensions: ["yaml", "yml"]))
    var paths: [String]

    @Option(help: ArgumentHelp("Also write JUnit XML to this file (atomically).", valueName: "file"))
    var junit: String?

    @Flag(help: "Let checks whose interval straddles the threshold pass (they are reported as skipped in JUnit).")
    var allowInconclusive = false

    @OptionGroup var sampling: FixedSamplingOptions

    @OptionGroup var recording: RecordOptions

    @Option(help: "Output format: text (one line per check) or json.")
    var format: CheckFormat = .text

    func run() async throws {
        var files: [(path: String, explicit: Bool)] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CommandFailure.usage("\(path): no such file or directory")
            }
            files += try FileCollector.yamlFiles(in: [path]).map { ($0, !isDirectory.boolValue) }
        }
        if files.isEmpty { throw CommandFailure.failed("no scenario files under \(paths.joined(separator: ", "))") }
        let trials = sampling.trials ?? Checks.defaultTrials
        let style = Terminal.reportStyle(forStdout: true)
        var results: [ScenarioCheckResults] = []
        for file in files {
            // Folders may hold other gameday files (postmortem records, drill scripts): skip them.
            if !file.explicit, !GamedayFileKind.detect(path: file.path).isScenario { continue }
            let loaded = ScenarioLoader.check(path: file.path)
            let result: ScenarioCheckResults
            if let scenario = loaded.scenario {
                result = await Checks.run(scenario, seed: sampling.seed, trials: trials, threads: sampling.threadCount)
            } else {
                for d in loaded.diagnostics where d.severity == .error { Terminal.printDiagnostic(d) }
                result = ScenarioCheckResults(path: file.path, diagnostics: loaded.diagnostics.filter { $0.severity == .error }, seed: sampling.seed, trials: trials)
            }
            results.append(result)
            if format == .text {
                for line in CheckReport.lines(result, allowInconclusive: allowInconclusive, style: style) { print(line) }
            } else if result.diagnostics.isEmpty, result.checks.isEmpty {
                Terminal.writeErr("note: \(file.path) has no checks to run")
            }
        }
        switch format {
        case .text: print(CheckReport.summary(results, allowInconclusive: allowInconclusive))
        case .json: print(Checks.json(results, allowInconclusive: allowInconclusive).pretty)
        }
        if let junit {
            try AtomicFile.write(Checks.junit(results, allowInconclusive: allowInconclusive), to: junit)
            Terminal.writeErr("wrote \(junit)")
        }
        try recording.append { parsed, loaded in
            try EvidenceFeedback.check(Checks.json(results, allowInconclusive: allowInconclusive), record: parsed,
                                       action: recording.action, scenarioSHA256: loaded.scenario?.source.sha256,
                                       provenance: recording.provenance(seed: sampling.seed))
        }
        if results.contains(where: { $0.fails(allowInconclusive: allowInconclusive) }) { throw ExitCode(1) }
    }
}

enum CheckFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

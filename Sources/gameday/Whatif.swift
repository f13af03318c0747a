import ArgumentParser
import Foundation
import GamedayCounterfactual
import GamedayModel
import GamedayRecords
import GamedayReports
import GamedaySimulation

/// `gameday whatif SCENARIO`: the baseline against each control, all together, and attribution.
struct WhatifCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Baseline against each control, all together, and how much of the effect each control earns.",
        discussion: """
        Runs the baseline and every variant (each control alone, all together, and the subsets the \
        attribution needs) on the same trials with the same draws, so every comparison is paired: \
        averted = share of baseline incidents that are not incidents with the controls; new harm = \
        share of baseline trials with a fault and no incident that become incidents; mean changes per \
        trial with 95% intervals. Attribution splits the all-controls change of --metric between the \
        controls: exact Shapley values (2^k runs per trial, up to 10 controls) or leave-one-out.

        Default trials: 10,000 (lowered above 6 controls under Shapley to about 650,000 simulated \
        trials). For large runs build with `swift run -c release`. See docs/counterfactuals.md.
        """
    )

    @Argument(help: "The scenario file.", completion: .file(extensions: ["yaml", "yml"]))
    var scenario: String

    @Option(name: [.customLong("controls"), .customLong("with")],
            help: ArgumentHelp("Controls to weigh, comma-separated (default: every control of the scenario); --with is the same.", valueName: "controls"))
    var controls: String?

    @OptionGroup var sampling: SamplingOptions

    @Option(help: "Attribution: shapley (default up to 10 controls), leave-one-out (default above), or none.")
    var attribution: AttributionChoice?

    @Option(help: ArgumentHelp("The metric the attribution splits: incident_probability or a metric name (default failed_requests).", valueName: "name"))
    var metric: String = "failed_requests"

    @Option(help: "Output format: text, json, markdown or html (one self-contained file).")
    var format: ResultFormat = .text

    @Option(help: "Write the output to this file (atomically) instead of stdout.")
    var out: String?

    @OptionGroup var recording: RecordOptions

    func validate() throws {
        guard AttributionMetric(name: metric) != nil else {
            let hint = Suggestions.closest(to: metric, in: AttributionMetric.names).map { "did you mean '\($0)'? " } ?? ""
            throw ValidationError("--metric '\(metric)' is not a metric (\(hint)metrics: \(AttributionMetric.names.joined(separator: ", ")))")
        }
    }

    func run() async throws {
        let base = try loadScenario(scenario)
        var request = WhatifRequest(controls: controls.map { controlList($0) }, attribution: attribution?.method,
                                    metric: AttributionMetric(name: metric)!, seed: sampling.seed, trials: sampling.trials,
                                    threads: sampling.threadCount)
        request.precision = sampling.configuration().precision
        let progress = ProgressBar(total: sampling.trials ?? 10_000, label: "whatif")
        if request.precision == nil { request.progress = progress.callback }
        let result = try await runCounterfactual(progress: progress, path: scenario) { () async throws(CounterfactualError) in
            try await Whatif.run(base, request: request)
        }
        let json = result.json(engineVersion: GamedayVersion.current)
        try emitCounterfactual(format: format, json: json, out: out, markdown: { WhatifReport.markdown(result) },
                               html: { HTMLReport.whatif(json) }, text: { WhatifReport.text(result, style: $0) })
        try recording.append { parsed, _ in
            try EvidenceFeedback.whatif(json, record: parsed, action: recording.action, provenance: recording.provenance(seed: sampling.seed))
        }
    }
}

/// `--attribution` values.
enum AttributionChoice: String, ExpressibleByArgument, CaseIterable {
    case shapley
    case leaveOneOut = "leave-one-out"
    case none

    var method: AttributionMethod {
        switch self {
        case .shapley: return .shapley
        case .leaveOneOut: return .leaveOneOut
        case .none: return .none
        }
    }
}

/// Runs a counterfactual computation behind a progress bar, mapping its errors to exit codes.
func runCounterfactual<T>(progress: ProgressBar, path: String,
                          _ body: () async throws(CounterfactualError) -> T) async throws -> T {
    do {
        let result = try await body()
        progress.finish()
        return result
    } catch {
        progress.finish()
        throw counterfactualFailure(error, path: path)
    }
}

/// Writes a whatif or replay result in the chosen format to stdout or `--out`.
func emitCounterfactual(format: ResultFormat, json: JSONValue, out: String?, markdown: () -> String, html: () -> String,
                        text: (ReportStyle) -> String) throws {
    let rendered: String
    switch format {
    case .json: rendered = json.pretty
    case .markdown: rendered = markdown()
    case .html: rendered = html()
    case .text: rendered = text(Terminal.reportStyle(forStdout: out == nil))
    }
    try Output.emit(rendered, to: out)
}

/// Maps a counterfactual error to the command's output and exit code.
func counterfactualFailure(_ error: CounterfactualError, path: String) -> Error {
    switch error {
    case .usage(let message): return CommandFailure.failed("\(path): \(message)")
    case .invalid(let diagnostics):
        for d in diagnostics.diagnostics { Terminal.printDiagnostic(d) }
        return ExitCode(1)
    case .run(let run): return CommandFailure.failed("\(path): \(run)")
    }
}

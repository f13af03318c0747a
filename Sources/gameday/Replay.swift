import ArgumentParser
import Foundation
import GamedayCounterfactual
import GamedayModel
import GamedayRecords
import GamedayReports

/// `gameday replay SCENARIO`: the observed incident, factual and with controls.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay the observed incident: the factual trial against the postmortem, then with controls.",
        discussion: """
        The factual trial is the baseline with every pin of the scenario's `observed` section; its \
        milestones are compared with the postmortem's timeline (--tolerance). Draws on the factual path \
        that no pin constrains are listed: they make the replay a distribution, whose median trial (by \
        failed requests) is shown.

        Each --with set (default: each control alone and all together) replays this very incident with \
        those controls: every trial keeps the factual trial's luck for the pinned draws (abduction), \
        applies the controls (action) and samples what they add, such as a new canary (prediction). \
        Repeat --with for several sets. See docs/counterfactuals.md.
        """
    )

    @Argument(help: "The scenario file (with an `observed` section).", completion: .file(extensions: ["yaml", "yml"]))
    var scenario: String

    @Option(name: .customLong("with"), help: ArgumentHelp("A set of controls, comma-separated; repeat for several sets.", valueName: "controls"))
    var with: [String] = []

    @OptionGroup var sampling: FixedSamplingOptions

    @Option(help: ArgumentHelp("How far a model milestone may be from the observed one and still match (default 1m).", valueName: "duration"))
    var tolerance: String = "1m"

    @Option(help: "Output format: text, json, markdown or html (one self-contained file).")
    var format: ResultFormat = .text

    @Option(help: "Write the output to this file (atomically) instead of stdout.")
    var out: String?

    @OptionGroup var recording: RecordOptions

    func validate() throws {
        guard case .success = Scalars.duration(tolerance) else {
            throw ValidationError("--tolerance takes a duration such as 1m, 90s or 0m")
        }
    }

    func run() async throws {
        let base = try loadScenario(scenario)
        guard case .success(let toleranceSeconds) = Scalars.duration(tolerance) else { throw CommandFailure.usage("--tolerance takes a duration") }
        var sets: [[String]]? = nil
        if !with.isEmpty {
            sets = with.map { controlList($0) }
            if sets!.contains(where: \.isEmpty) { throw CommandFailure.usage("--with names no control") }
        }
        let trials = sampling.trials ?? 10_000
        var request = ReplayRequest(sets: sets, seed: sampling.seed, trials: trials, threads: sampling.threadCount, tolerance: toleranceSeconds)
        let progress = ProgressBar(total: trials, label: "replay")
        request.progress = progress.callback
        let result = try await runCounterfactual(progress: progress, path: scenario) { () async throws(CounterfactualError) in
            try await Replay.run(base, request: request)
        }
        let json = result.json(engineVersion: GamedayVersion.current)
        try emitCounterfactual(format: format, json: json, out: out, markdown: { ReplayReport.markdown(result) },
                               html: { HTMLReport.replay(json) }, text: { ReplayReport.text(result, style: $0) })
        try recording.append { parsed, _ in
            try EvidenceFeedback.replay(json, record: parsed, action: recording.action, provenance: recording.provenance(seed: sampling.seed))
        }
    }
}

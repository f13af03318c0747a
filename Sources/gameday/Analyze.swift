import ArgumentParser
import Foundation
import GamedayAnalysis
import GamedayModel

/// `gameday analyze SCENARIO`: the exact barrier numbers of each injection before any simulation.
struct Analyze: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Exact barrier numbers before any simulation: bow-tie and LOPA per injection, findings, diagrams.",
        discussion: """
        For each injection: how likely it occurs, the preventive barriers on its path in the order they act, the \
        exact chance it passes them (common-cause groups counted exactly), each barrier's effectiveness, risk \
        reduction factor and marginal value, the detect barriers watching its blast radius and the chance at least \
        one works, the mitigations that remove it, and findings a reviewer can act on (docs/analyze.md explains \
        every number). Timing is ignored: these are the chances that barriers work at all.

        --diagram prints a diagram instead of the report: each selected injection's bow-tie and blast radius, in \
        one Mermaid flowchart or one Graphviz digraph. --format markdown embeds the Mermaid diagrams in the report.

        Examples:
          gameday analyze scenarios/checkout-config-push.yaml
          gameday analyze scenarios/checkout-config-push.yaml --with canary-deploys --format json
          gameday analyze scenarios/checkout-config-push.yaml --injection bad-config --diagram dot | dot -Tsvg > bowtie.svg

        Exit status: 0 success, 1 the scenario is invalid (or a finding reached --fail-on), 2 usage error.
        """
    )

    @Argument(help: "The scenario file.", completion: .file(extensions: ["yaml", "yml"]))
    var scenario: String

    @Option(name: .customLong("with"), parsing: .singleValue,
            help: ArgumentHelp("Controls to apply, comma-separated or repeated (default: none, the baseline).", valueName: "controls"))
    var controls: [String] = []

    @Option(name: .customLong("injection"), parsing: .singleValue,
            help: ArgumentHelp("Only these injections, comma-separated or repeated (default: all).", valueName: "ids"))
    var injections: [String] = []

    @Option(help: "Report format: text, json or markdown (default: text).")
    var format: AnalyzeFormat?

    @Option(help: "Print a diagram instead of the report: mermaid or dot.")
    var diagram: AnalyzeDiagram?

    @Option(help: ArgumentHelp("Write to this file (replaced atomically) instead of standard output.", valueName: "file"))
    var out: String?

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a finding of this severity or higher exists: high, medium or low.")
    var failOn: AnalyzeSeverity?

    func validate() throws {
        if diagram != nil, format != nil {
            throw ValidationError("--diagram prints only the diagram; leave out --format (markdown already embeds Mermaid diagrams)")
        }
    }

    func run() throws {
        let result = ScenarioLoader.check(path: scenario)
        for diagnostic in result.diagnostics where diagnostic.severity == .warning { Terminal.printDiagnostic(diagnostic) }
        guard let baseline = result.scenario else {
            throw DiagnosticError(result.diagnostics.filter { $0.severity == .error })
        }
        let controlIDs = Self.splitList(controls)
        let variant = try baseline.variant(with: controlIDs)
        var analysis = ScenarioAnalysis(scenario: variant)

        let selected = Self.splitList(injections)
        if !selected.isEmpty {
            let known = analysis.injections.map(\.id)
            for id in selected where !known.contains(id) {
                var message = "no injection '\(id)' in scenario '\(analysis.scenarioID)' (injections: \(known.joined(separator: ", ")))"
                if let suggestion = Suggestions.closest(to: id, in: known) { message += "; did you mean '\(suggestion)'?" }
                throw CommandFailure.usage(message)
            }
            analysis.injections = analysis.injections.filter { selected.contains($0.id) }
        }

        let toTerminal = out == nil
        let text: String
        if let diagram {
            let syntax: DiagramSyntax = diagram == .dot ? .dot : .mermaid
            text = Diagrams.document(analysis, injections: analysis.injections, syntax: syntax)
        } else {
            switch format ?? .text {
            case .text:
                let color = toTerminal && Terminal.useColor(forStdout: true)
                text = analysis.text(paint: color ? { severity, tag in
                    switch severity {
                    case .high: return tag.red.bold
                    case .medium: return tag.yellow.bold
                    case .low: return tag.cyan
                    }
                } : nil)
            case .json:
                text = analysis.json.pretty + "\n"
            case .markdown:
                text = analysis.markdown
            }
        }
        if let out {
            try AtomicFile.write(text, to: out)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }

        if let failOn {
            let threshold: Finding.Severity = failOn == .high ? .high : failOn == .medium ? .medium : .low
            if analysis.allFindings.contains(where: { $0.severity >= threshold }) { throw ExitCode(1) }
        }
    }

    /// `a,b` and repeated options, flattened; empty items dropped.
    static func splitList(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
    }
}

enum AnalyzeFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}

enum AnalyzeDiagram: String, ExpressibleByArgument, CaseIterable {
    case mermaid, dot
}

enum AnalyzeSeverity: String, ExpressibleByArgument, CaseIterable {
    case high, medium, low
}

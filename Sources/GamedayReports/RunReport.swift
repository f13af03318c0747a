import GamedayModel
import GamedaySimulation
import GamedayStatistics

/// Reports of `gameday run`: a compact table for the terminal and Markdown for documents.
public enum RunReport {
    /// The three tables of a run report: outcomes, metrics and barriers.
    public struct Tables: Sendable {
        /// Outcome shares with intervals and counts.
        public var outcomes: TextTable
        /// Each metric's n, censored count, mean with interval and quantiles.
        public var metrics: TextTable
        /// Each barrier's shares of held, failed, bypassed and not demanded (nil without barriers).
        public var barriers: TextTable?
    }

    /// The tables of a run, with barrier ids passed through `name` (Markdown wraps them in backticks).
    public static func tables(_ result: RunResult, name: (String) -> String = { $0 }) -> Tables {
        var outcomes = TextTable(["Outcome", "Share", "95% interval", "Trials"])
        for outcome in [TrialOutcome.incident, .contained, .prevented, .noFault] {
            let p = result.probability(outcome)
            outcomes.add([outcome.name, Format.percent(p.estimate), Format.interval(p.interval, Format.percent), Format.count(Double(result.count(outcome)))])
        }
        var metrics = TextTable(["Metric", "n", "Censored", "Not needed", "Mean", "95% interval", "p50", "p90", "p99"])
        for metric in Metric.allCases {
            let s = result.summary(metric)
            metrics.add([Format.name(metric), Format.count(Double(s.n)), s.censored.map { Format.count(Double($0)) } ?? "",
                         s.notNeeded.map { Format.count(Double($0)) } ?? "",
                         Format.metric(metric, s.mean), Format.interval(s.meanInterval) { Format.metric(metric, $0) },
                         Format.metric(metric, s.p50), Format.metric(metric, s.p90), Format.metric(metric, s.p99)])
        }
        var barriers: TextTable?
        if !result.barrierIDs.isEmpty {
            var table = TextTable(["Barrier", "Held", "Failed", "Bypassed", "Not demanded"])
            let n = Double(max(1, result.trials))
            for (b, id) in result.barrierIDs.enumerated() {
                let counts = result.barrierCounts(b)
                table.add([name(id)] + [BarrierOutcome.held, .failed, .bypassed, .notDemanded].map { Format.percent(Double(counts[$0] ?? 0) / n) })
            }
            barriers = table
        }
        return Tables(outcomes: outcomes, metrics: metrics, barriers: barriers)
    }

    /// The terminal report.
    public static func text(_ result: RunResult, title: String? = nil, style: ReportStyle = .plain) -> String {
        var out: [String] = []
        out.append(style.bold("\(result.scenarioID)") + (title.map { " — \($0)" } ?? ""))
        let variant = result.controls.isEmpty ? "baseline (no controls)" : "with " + result.controls.joined(separator: ", ")
        var line = "\(Format.count(Double(result.trials))) trials · seed \(result.seed) · \(variant)"
        if let shard = result.shard { line += " · shard \(shard.index)/\(shard.count) of \(Format.count(Double(result.totalTrials)))" }
        out.append(line)
        if let stopping = result.stopping { out.append("stopped: \(stopping.reason.rawValue)" + (stopping.unmet.isEmpty ? "" : " (not yet precise: \(stopping.unmet.joined(separator: ", ")))")) }
        let tables = tables(result)
        out.append("")
        out.append(style.bold("Outcomes") + style.dim("  (95% intervals are Monte Carlo error)"))
        out.append(tables.outcomes.render())
        out.append("")
        out.append(style.bold("Metrics") + style.dim("  (times from the first customer impact; censored: impact but no milestone before the horizon; not needed: of those, impact ended first)"))
        out.append(tables.metrics.render())
        if let barriers = tables.barriers {
            out.append("")
            out.append(style.bold("Barriers") + style.dim("  (share of trials)"))
            out.append(barriers.render())
        }
        if let trace = result.trace {
            out.append("")
            out.append(style.bold("Trial \(trace.trial)") + style.dim("  (trajectory with causes)"))
            out.append(TraceReport.text(trace.events, names: result.names))
        }
        return out.joined(separator: "\n")
    }

    /// The Markdown report.
    public static func markdown(_ result: RunResult, title: String? = nil) -> String {
        var out: [String] = []
        out.append("## \(result.scenarioID)" + (title.map { ": \($0)" } ?? ""))
        out.append("")
        let variant = result.controls.isEmpty ? "baseline (no controls)" : "with " + result.controls.map { "`\($0)`" }.joined(separator: ", ")
        out.append("\(Format.count(Double(result.trials))) trials, seed \(result.seed), \(variant). Intervals are 95% Monte Carlo error.")
        let tables = tables(result) { "`\($0)`" }
        for table in [tables.outcomes, tables.metrics] + (tables.barriers.map { [$0] } ?? []) {
            out.append("")
            out.append(table.markdown())
        }
        if let trace = result.trace {
            out.append("")
            out.append("### Trial \(trace.trial)")
            out.append("")
            out.append("```")
            out.append(TraceReport.text(trace.events, names: result.names))
            out.append("```")
        }
        return out.joined(separator: "\n") + "\n"
    }
}

/// Terminal styling: bold and dim on a color terminal, nothing otherwise.
public struct ReportStyle: Sendable {
    /// Makes text bold.
    public var bold: @Sendable (String) -> String
    /// Makes text dim.
    public var dim: @Sendable (String) -> String
    /// Colors good news.
    public var good: @Sendable (String) -> String
    /// Colors bad news.
    public var bad: @Sendable (String) -> String

    /// Creates a style.
    public init(bold: @escaping @Sendable (String) -> String, dim: @escaping @Sendable (String) -> String,
                good: @escaping @Sendable (String) -> String, bad: @escaping @Sendable (String) -> String) {
        self.bold = bold
        self.dim = dim
        self.good = good
        self.bad = bad
    }

    /// No styling (pipes, files, NO_COLOR).
    public static let plain = ReportStyle(bold: { $0 }, dim: { $0 }, good: { $0 }, bad: { $0 })
}

/// Trajectories as text: one line per event with its time, subject, event and cause.
public enum TraceReport {
    /// The trajectory, e.g. `  [3]   10m00s  barriers.checkout-5xx-alert  fired  ← [2]`.
    public static func text(_ events: [TraceEvent], names: TraceNames) -> String {
        var table = TextTable(["#", "at", "subject", "event", "detail", "cause"], alignments: [.right, .right, .left, .left, .left, .left])
        for (i, event) in events.enumerated() {
            table.add(["\(i)", Format.duration(event.at), names.subject(event), event.name.text,
                       TraceFormatter.detail(event, names: names) ?? "", event.cause >= 0 ? "← \(event.cause)" : ""])
        }
        return table.render()
    }
}

import GamedayCounterfactual
import GamedayModel
import GamedaySimulation
import GamedayStatistics

/// Reports of `gameday replay`: the factual trial against the postmortem, then what the same
/// incident would have become with each set of controls, in a postmortem's words.
public enum ReplayReport {
    /// The wall-clock time of a model time, when the incident's start is known: `13:45:00`.
    static func clock(_ at: Double?, started: String?) -> String? {
        guard let at, let started, let t0 = ISO8601.parse(started) else { return nil }
        let text = ISO8601.format((t0 + at).rounded())
        return String(text.dropFirst(11).prefix(8))
    }

    static func time(_ at: Double?, started: String?) -> String {
        guard let at else { return "–" }
        if let clock = clock(at, started: started) { return "\(Format.duration(at)) (\(clock))" }
        return Format.duration(at)
    }

    /// The terminal report.
    public static func text(_ result: ReplayResult, style: ReportStyle = .plain) -> String {
        var out: [String] = []
        let s = result.scenario
        let started = result.observed.started
        out.append(style.bold(s.id) + " — " + s.title)
        var line = "replay of \(result.observed.postmortem ?? "the observed incident")"
        if let started { line += " · t = 0 at \(started)" }
        line += " · \(Format.count(Double(result.run.trials))) trials · seed \(result.seed)"
        out.append(line)
        out.append("")
        out.append(style.bold("Factual trial") + style.dim("  (the baseline with every pin of `observed`)"))
        out.append("  " + factualSentence(result))
        out.append("")
        out.append(style.bold("Calibration against the postmortem") + style.dim("  (tolerance \(Format.duration(result.tolerance)))"))
        out.append(calibrationTable(result, style: style).render())
        out.append("")
        out.append(style.bold("Factual timeline") + style.dim("  (trial \(result.factualTrial); cause ← the event that led to it)"))
        out.append(timeline(result.factualEvents, names: TraceNames(s), started: started))
        if !result.unpinnedDraws.isEmpty {
            out.append("")
            out.append(style.bold("Unpinned draws on the factual path") + style.dim("  (sampled per trial: pin them to make the replay one trajectory)"))
            var table = TextTable(["draw", "factual trials"], alignments: [.left, .right])
            for draw in result.unpinnedDraws {
                table.add([draw.address, Format.percent(Double(draw.trials) / Double(max(1, result.run.trials)))])
            }
            out.append(table.render())
        }
        if !result.unusedPins.isEmpty {
            out.append("")
            out.append(style.bold("Pins the factual path never used") + style.dim("  (the draw was never made: check the scenario or the pin)"))
            for pin in result.unusedPins { out.append("  - " + pin) }
        }
        if !result.counterfactuals.isEmpty {
            out.append("")
            out.append(style.bold("Counterfactuals") + style.dim("  (each trial keeps the factual trial's pinned luck; what the controls add is sampled)"))
            for c in result.counterfactuals { out.append(contentsOf: wrap(c.summary, indent: "  ")) }
            out.append("")
            out.append(comparisonTable(result).render())
            for c in result.counterfactuals {
                out.append("")
                out.append(style.bold("With \(c.controls.joined(separator: " + "))") + style.dim("  (median trial \(c.medianTrial) by failed requests, next to the factual one)"))
                out.append(milestoneTable(result, c).render())
                out.append(timeline(c.medianEvents, names: c.names, started: started))
            }
        }
        for refusal in result.refused {
            out.append("")
            out.append("not replayed with \(refusal.controls.joined(separator: " + ")): \(refusal.reason)")
        }
        return out.joined(separator: "\n")
    }

    /// The Markdown report: the calibration and the postmortem paragraphs, for pasting into a postmortem.
    public static func markdown(_ result: ReplayResult) -> String {
        var out: [String] = []
        let s = result.scenario
        out.append("## Replay: \(s.id)")
        out.append("")
        out.append("\(s.title). Replay of \(result.observed.postmortem ?? "the observed incident")\(result.observed.started.map { ", t = 0 at \($0)" } ?? ""); \(Format.count(Double(result.run.trials))) trials, seed \(result.seed). Intervals are 95% Monte Carlo error.")
        out.append("")
        out.append(factualSentence(result))
        out.append("")
        out.append("### Calibration")
        out.append("")
        out.append(calibrationTable(result, style: .plain).markdown())
        if !result.counterfactuals.isEmpty {
            out.append("")
            out.append("### Counterfactuals")
            out.append("")
            for c in result.counterfactuals {
                out.append("- " + c.summary)
            }
            out.append("")
            out.append(comparisonTable(result).markdown())
        }
        out.append("")
        out.append("### Factual timeline")
        out.append("")
        out.append("```")
        out.append(timeline(result.factualEvents, names: TraceNames(s), started: result.observed.started))
        out.append("```")
        return out.joined(separator: "\n") + "\n"
    }

    static func factualSentence(_ result: ReplayResult) -> String {
        let m = result.factualMetrics
        var text = "The factual trial is \(m.outcome == .incident ? "an incident" : "a \(m.outcome.name) trial")"
        text += " with \(Format.count(m.failedRequests)) failed requests"
        if m.sloBudgetConsumed > 0 { text += " (\(Format.percent(m.sloBudgetConsumed)) of the SLO budget)" }
        text += " over \(Format.duration(m.impactDuration)) of impact."
        if result.identical {
            text += " Every one of the \(Format.count(Double(result.run.trials))) factual trials is the same: the pins fix every draw that matters."
        } else {
            text += " The factual replay is a distribution: \(result.unpinnedDraws.count) draw\(result.unpinnedDraws.count == 1 ? "" : "s") on the factual path \(result.unpinnedDraws.count == 1 ? "is" : "are") not pinned; shown is the median trial (\(result.factualTrial)) by failed requests."
        }
        let misses = result.calibration.filter { $0.matches == false }.map(\.milestone.rawValue)
        let observed = result.calibration.filter { $0.observed != nil }.count
        if observed > 0 {
            text += misses.isEmpty ? " All \(observed) observed milestones match within \(Format.duration(result.tolerance))."
                : " \(misses.count) of \(observed) observed milestones do not match within \(Format.duration(result.tolerance)): \(misses.joined(separator: ", "))."
        }
        return text
    }

    static func calibrationTable(_ result: ReplayResult, style: ReportStyle) -> TextTable {
        var table = TextTable(["milestone", "observed", "model", "difference", "", "range over trials"], alignments: [.left, .right, .right, .right, .left, .right])
        let started = result.observed.started
        for row in result.calibration {
            let verdict: String
            switch row.matches {
            case true?: verdict = style.good("matches")
            case false?: verdict = style.bad("does not match")
            case nil: verdict = style.dim("not observed")
            }
            var range = ""
            if let r = row.range, r.lowerBound != r.upperBound { range = "\(Format.duration(r.lowerBound)) to \(Format.duration(r.upperBound))" }
            if row.happened < result.run.trials && row.happened > 0 { range += (range.isEmpty ? "" : ", ") + "in \(Format.percent(Double(row.happened) / Double(result.run.trials)))" }
            table.add([row.milestone.rawValue, time(row.observed, started: started), time(row.model, started: started),
                       row.difference.map(Format.signedDuration) ?? "", verdict, range])
        }
        return table
    }

    static func comparisonTable(_ result: ReplayResult) -> TextTable {
        var table = TextTable(["", "incident", "95% interval", "prevented", "median failed requests", "median time to mitigate"])
        let f = result.run.baseline
        table.add(["factual", Format.percent(f.probability(.incident).estimate), Format.interval(f.probability(.incident).interval, Format.percent),
                   Format.percent(f.probability(.prevented).estimate), Format.count(result.factualMetrics.failedRequests),
                   Format.duration(f.summary(.timeToMitigate).p50)])
        for c in result.counterfactuals {
            let r = c.result
            table.add(["with " + c.controls.joined(separator: " + "), Format.percent(r.probability(.incident).estimate),
                       Format.interval(r.probability(.incident).interval, Format.percent), Format.percent(r.probability(.prevented).estimate),
                       Format.count(c.medianMetrics.failedRequests), r.summary(.timeToMitigate).n > 0 ? Format.duration(r.summary(.timeToMitigate).p50) : "–"])
        }
        return table
    }

    static func milestoneTable(_ result: ReplayResult, _ c: CounterfactualReplay) -> TextTable {
        let started = result.observed.started
        var table = TextTable(["", "factual", "with " + c.controls.joined(separator: " + ")])
        table.add(["outcome", result.factualMetrics.outcome.name, c.medianMetrics.outcome.name])
        table.add(["first impact", time(result.factualMetrics.firstImpactAt, started: started), time(c.medianMetrics.firstImpactAt, started: started)])
        for milestone in Milestone.allCases {
            table.add([milestone.rawValue, time(result.factualMetrics.time(of: milestone), started: started), time(c.medianMetrics.time(of: milestone), started: started)])
        }
        table.add(["failed requests", Format.count(result.factualMetrics.failedRequests), Format.count(c.medianMetrics.failedRequests)])
        table.add(["impact", Format.duration(result.factualMetrics.impactDuration), Format.duration(c.medianMetrics.impactDuration)])
        return table
    }

    /// A trajectory with wall-clock times when the start is known.
    static func timeline(_ events: [TraceEvent], names: TraceNames, started: String?) -> String {
        var table = TextTable(["#", "at", "clock", "subject", "event", "detail", "cause"], alignments: [.right, .right, .right, .left, .left, .left, .left])
        for (i, event) in events.enumerated() {
            table.add(["\(i)", Format.duration(event.at), clock(event.at, started: started) ?? "", names.subject(event), event.name.text,
                       TraceFormatter.detail(event, names: names) ?? "", event.cause >= 0 ? "← \(event.cause)" : ""])
        }
        return table.render()
    }

    /// Wraps a paragraph at 100 columns.
    static func wrap(_ text: String, indent: String, width: Int = 100) -> [String] {
        var lines: [String] = []
        var line = indent
        for word in text.split(separator: " ") {
            if line.count + word.count + 1 > width && line.count > indent.count {
                lines.append(line)
                line = indent + "  "
            }
            line += (line.hasSuffix(" ") || line == indent ? "" : " ") + word
        }
        if line.count > indent.count { lines.append(line) }
        return lines
    }
}

/// Reports of `gameday check`: one line per check.
public enum CheckReport {
    /// One line per check: `PASS  scenario: name  (quantity estimate [low, high]: verdict)`.
    public static func lines(_ file: ScenarioCheckResults, allowInconclusive: Bool, style: ReportStyle = .plain) -> [String] {
        var out: [String] = []
        let id = file.scenarioID ?? file.path
        if !file.diagnostics.isEmpty {
            out.append(style.bad("ERROR") + "  \(file.path): the scenario does not load (\(file.diagnostics.count) error\(file.diagnostics.count == 1 ? "" : "s") above)")
            return out
        }
        if file.checks.isEmpty {
            out.append("NONE   \(id): no checks to run (\(file.path) has no checks: section; docs/scenario-format.md, \"Checks\")")
            return out
        }
        for check in file.checks {
            let tag: String
            switch check.status {
            case .pass: tag = style.good("PASS ")
            case .inconclusive: tag = allowInconclusive ? style.dim("INCON") : style.bad("INCON")
            case .fail: tag = style.bad("FAIL ")
            case .insufficient: tag = style.bad("NODAT")
            case .error: tag = style.bad("ERROR")
            }
            let detail = check.error ?? check.expectations.map(\.message).joined(separator: "; ")
            let with = check.check.with.isEmpty ? "baseline" : "with " + check.check.with.map(\.id).joined(separator: ", ")
            out.append("\(tag)  \(id): \(check.check.name)  " + style.dim("(\(with): \(detail))"))
        }
        return out
    }

    /// The closing summary line: `37 passed, 0 failed` (with inconclusive and error counts when any).
    public static func summary(_ files: [ScenarioCheckResults], allowInconclusive: Bool) -> String {
        var passed = 0, failed = 0, inconclusive = 0
        for file in files {
            if !file.diagnostics.isEmpty { failed += 1 }
            for check in file.checks {
                switch check.status {
                case .pass: passed += 1
                case .inconclusive: if allowInconclusive { inconclusive += 1 } else { failed += 1; inconclusive += 1 }
                default: failed += 1
                }
            }
        }
        var text = "\(passed) passed, \(failed) failed"
        if inconclusive > 0 { text += " (\(inconclusive) inconclusive\(allowInconclusive ? ", allowed" : ""))" }
        let checked = files.filter { $0.diagnostics.isEmpty }.count
        let empty = files.filter { $0.diagnostics.isEmpty && $0.checks.isEmpty }.count
        if empty > 0 { text += ", \(empty) scenario\(empty == 1 ? "" : "s") without checks" }
        return text + " — \(files.count) scenario file\(files.count == 1 ? "" : "s"), \(checked) loaded"
    }
}

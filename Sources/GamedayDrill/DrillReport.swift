import Foundation
import GamedayModel
import GamedayReports
import GamedaySimulation

/// A finished drill as a scorecard: text for a terminal, Markdown for a postmortem or a wiki.
public enum DrillReport {
    /// The scorecard as text.
    public static func text(_ r: DrillResult, style: DrillStyle = .plain) -> String {
        var lines: [String] = []
        lines.append(style.bold("Drill \(r.id): \(r.scenario.title)") + style.dim("  (\(r.scenario.id), seed \(r.seed), trial \(r.trial), \(r.mode.rawValue))"))
        lines.append("Team: " + r.team.map(\.description).joined(separator: ", "))
        if let handover = r.handoverAt { lines.append(style.dim("The modelled responders took over at \(Format.duration(handover)).")) }
        if let from = r.derivedFrom {
            lines.append(style.dim("Derived from drill \(from.drill)" + (from.at.map { " at \(Format.duration($0))" } ?? "") + "."))
        }
        lines.append("")
        let total = "Score: \(r.scorecard.points) / \(r.scorecard.maximum)"
        lines.append(style.bold(total))
        lines.append("")
        var table = TextTable(["objective", "status", "at", "target", "points"], alignments: [.left, .left, .right, .left, .right])
        for o in r.scorecard.objectives {
            table.add([o.objective, statusText(o), (o.at ?? o.earlyAt).map(Format.duration) ?? "–", target(o, r), "\(o.points)/\(o.maxPoints)"])
        }
        var rendered = table.render().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for (i, o) in r.scorecard.objectives.enumerated() {
            let row = i + 1
            switch o.status {
            case .met: rendered[row] = rendered[row].replacingFirst(" met ", with: " " + style.good("met") + " ")
            case .late: rendered[row] = rendered[row].replacingFirst(" late", with: " " + style.warn("late"))
            case .missed: rendered[row] = rendered[row].replacingFirst(" missed", with: " " + style.bad("missed"))
            case .notApplicable: rendered[row] = style.dim(rendered[row])
            }
        }
        rendered[0] = style.dim(rendered[0])
        lines += rendered
        if !r.scorecard.penalties.isEmpty {
            lines.append("")
            lines.append(style.bold("Penalties"))
            for p in r.scorecard.penalties {
                lines.append("  " + style.bad("\(p.points)") + "  “\(r.label(of: p.action))” by \(p.by) (\(p.role)) at \(Format.duration(p.at))")
            }
        }
        lines.append("")
        lines.append(style.bold("Outcome"))
        lines += outcomeLines(r).map { "  " + $0 }
        if !r.feedback.isEmpty {
            lines.append("")
            lines.append(style.bold("Feedback"))
            for item in r.feedback { lines += wrap(item.text, width: 96, first: "  - ", rest: "    ") }
        }
        if !r.debrief.isEmpty {
            lines.append("")
            lines.append(style.bold("Debrief"))
            for a in r.debrief {
                lines.append("  Q: \(a.question)")
                lines.append("  A: " + (a.answer.isEmpty ? style.dim("(no answer)") : a.answer))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The scorecard as Markdown.
    public static func markdown(_ r: DrillResult) -> String {
        var lines: [String] = []
        lines.append("# Drill \(r.id): \(r.scenario.title)")
        lines.append("")
        lines.append("Scenario `\(r.scenario.id)`, seed \(r.seed), trial \(r.trial) (\(r.mode.rawValue)). Team: " + r.team.map { "\($0.name) (\($0.role))" }.joined(separator: ", ") + ".")
        if let handover = r.handoverAt { lines.append("The modelled responders took over at \(Format.duration(handover)).") }
        lines.append("")
        lines.append("**Score: \(r.scorecard.points) / \(r.scorecard.maximum)**")
        lines.append("")
        var table = TextTable(["objective", "status", "at", "target", "points"], alignments: [.left, .left, .right, .left, .right])
        for o in r.scorecard.objectives {
            table.add([o.objective, statusText(o), (o.at ?? o.earlyAt).map(Format.duration) ?? "–", target(o, r), "\(o.points)/\(o.maxPoints)"])
        }
        lines.append(table.markdown())
        if !r.scorecard.penalties.isEmpty {
            lines.append("")
            lines.append("## Penalties")
            lines.append("")
            for p in r.scorecard.penalties {
                lines.append("- \(p.points): “\(r.label(of: p.action))” by \(p.by) (\(p.role)) at \(Format.duration(p.at))")
            }
        }
        lines.append("")
        lines.append("## Outcome")
        lines.append("")
        lines += outcomeLines(r).map { "- " + $0 }
        if !r.feedback.isEmpty {
            lines.append("")
            lines.append("## Feedback")
            lines.append("")
            lines += r.feedback.map { "- " + $0.text }
        }
        if !r.debrief.isEmpty {
            lines.append("")
            lines.append("## Debrief")
            lines.append("")
            for a in r.debrief {
                lines.append("- **\(a.question)** " + (a.answer.isEmpty ? "_(no answer)_" : a.answer))
            }
        }
        lines.append("")
        lines.append("## Log")
        lines.append("")
        var log = TextTable(["at", "who", "what"], alignments: [.right, .left, .left])
        for e in r.log where e.kind != .advance {
            log.add([Format.duration(e.at), e.by.map { name in e.role.map { "\(name) (\($0))" } ?? name } ?? "", describe(e, r)])
        }
        lines.append(log.markdown())
        return lines.joined(separator: "\n")
    }

    static func statusText(_ o: ObjectiveResult) -> String {
        switch o.status {
        case .met: return "met"
        case .late: return "late +\(Format.duration(o.lateBy ?? 0))"
        case .missed: return o.earlyAt == nil ? "missed" : "missed (too early)"
        case .notApplicable: return o.earlyAt == nil ? "n/a" : "n/a (taken anyway)"
        }
    }

    static func target(_ o: ObjectiveResult, _ r: DrillResult) -> String {
        if let metric = o.metric {
            let value = o.value.map { DrillFeedback.formatMetric(metric, $0) } ?? "–"
            let threshold = o.threshold.map { DrillFeedback.formatMetric(metric, $0) } ?? "?"
            return "\(DrillFeedback.comparisonWords(metric)) \(threshold) (was \(value))"
        }
        guard let within = o.within else { return "" }
        let from: String
        switch o.from ?? "start" {
        case "start": from = "start"
        case "first_page": from = "first page"
        case "detection": from = "detection"
        case let action: from = action
        }
        return "\(Format.duration(within)) from \(from)"
    }

    static func outcomeLines(_ r: DrillResult) -> [String] {
        let m = r.metrics
        guard m.firstImpactAt != nil else {
            return ["No customer impact on this trial (\(m.outcome.name))."]
        }
        var mitigation = "Time to mitigate: " + (r.timeToMitigate.map(Format.duration) ?? "not mitigated before the horizon")
        var failed = "Failed requests: " + Format.count(m.failedRequests) + " (SLO budget used \(Format.percent(m.sloBudgetConsumed)))"
        guard let c = r.comparison else { return [mitigation, failed] }
        var extra: [String] = []
        if r.timeToMitigate != nil, let p = c.timeToMitigatePercentile {
            extra.append("faster than \(Format.percent(1 - p)) of modelled responses")
        } else if r.timeToMitigate == nil, let share = c.mitigatedShare {
            extra.append("\(Format.percent(share)) of modelled responses mitigated")
        }
        if let median = c.medianTimeToMitigate { extra.append("model median \(Format.duration(median))") }
        extra.append("the model on this trial: " + (c.sameTrial.value(.timeToMitigate).map(Format.duration) ?? "not mitigated"))
        mitigation += " — " + extra.joined(separator: "; ")
        var failedExtra: [String] = []
        if let p = c.failedRequestsPercentile { failedExtra.append("fewer than \(Format.percent(1 - p)) of modelled responses") }
        if let median = c.medianFailedRequests { failedExtra.append("model median \(Format.count(median))") }
        failedExtra.append("the model on this trial: \(Format.count(c.sameTrial.failedRequests))")
        failed += " — " + failedExtra.joined(separator: "; ")
        return [mitigation, failed,
                "Model: \(c.trials) trials with the drill's seed, \(c.withFault) with a fault past prevention (the distribution compared with)."]
    }

    static func describe(_ e: DrillLogEntry, _ r: DrillResult) -> String {
        let label = e.action.map { r.label(of: $0) } ?? ""
        switch e.kind {
        case .inject: return "▸ " + (e.text ?? "") + (e.to.map { " (to " + $0.joined(separator: ", ") + ")" } ?? "")
        case .action: return (e.queued ? "asks for " : "starts ") + "“\(label)”"
        case .started: return "starts “\(label)”"
        case .done: return "finished “\(label)”" + (e.result.map { ": \($0)" } ?? "") + (e.text.map { " — \($0)" } ?? "")
        case .advance: return "clock → \(Format.duration(e.until))"
        case .undo: return "withdrew “\(label)”"
        case .end: return "the drill ends"
        case .handover: return "the modelled responders take over"
        case .model: return "model: " + (e.command ?? "") + (e.text.map { " (\($0))" } ?? "")
        }
    }

    static func wrap(_ text: String, width: Int, first: String, rest: String) -> [String] {
        var lines: [String] = []
        var current = first
        var empty = true
        for word in text.split(separator: " ") {
            if !empty, current.count + 1 + word.count > width {
                lines.append(current)
                current = rest
                empty = true
            }
            current += (empty ? "" : " ") + word
            empty = false
        }
        lines.append(current)
        return lines
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}

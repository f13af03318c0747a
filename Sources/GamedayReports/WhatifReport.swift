import GamedayCounterfactual
import GamedayModel
import GamedaySimulation
import GamedayStatistics

/// Reports of `gameday whatif`: the baseline against each control and all together, paired,
/// with the attribution and the caveats a reviewer should read.
public enum WhatifReport {
    /// The metrics whose paired mean changes the reports show.
    static let changeMetrics: [Metric] = [.failedRequests, .timeToDetect, .timeToMitigate]

    /// A variant's label: its control, or "all N controls".
    static func label(_ plan: VariantPlan, of total: Int) -> String {
        if plan.controls.count == 1 { return plan.controls[0] }
        if plan.role == .all { return "all \(total) together" }
        return plan.controls.joined(separator: " + ")
    }

    /// The terminal report.
    public static func text(_ result: WhatifResult, style: ReportStyle = .plain) -> String {
        var out: [String] = []
        let s = result.scenario
        out.append(style.bold(s.id) + " — " + s.title)
        let runs = result.plan.count + 1
        out.append("whatif: \(result.controls.count) control\(result.controls.count == 1 ? "" : "s") · \(Format.count(Double(result.run.trials))) paired trials · seed \(result.seed) · \(runs) runs per trial")
        out.append(style.dim("paired: the baseline and every variant ran on the same trials with the same draws (common random numbers)"))
        if let stopping = result.run.stopping { out.append("stopped: \(stopping.reason.rawValue)") }
        out.append("")
        out.append(style.bold("Controls"))
        var controls = TextTable(["", "action item", "what it changes"], alignments: [.left, .left, .left])
        for id in result.controls {
            let control = s.control(id)
            controls.add([id, control?.actionItem ?? "", control?.description ?? ""])
        }
        out.append(controls.render())
        out.append("")
        out.append(style.bold("Outcomes") + style.dim("  (95% intervals are Monte Carlo error; changes are paired, variant − baseline)"))
        out.append(outcomeTable(result).render())
        out.append("")
        out.append(style.bold("Mean change per trial") + style.dim("  (variant − baseline over the n trials where both runs have the metric)"))
        out.append(changeTable(result, markdown: false).render())
        if let attribution = result.attribution {
            out.append("")
            out.append(contentsOf: attributionLines(attribution, style: style))
        }
        if !result.caveats.isEmpty {
            out.append("")
            out.append(style.bold("Caveats"))
            for caveat in result.caveats { out.append("  - " + caveat.message) }
        }
        if let representative = result.representative {
            out.append("")
            out.append(style.bold("Trial \(representative.trial)") + style.dim("  (\(representative.reason), under each variant)"))
            out.append(representativeTable(representative).render())
            out.append(style.dim("  trajectories: --format json (representative_trial) or --format html"))
        }
        return out.joined(separator: "\n")
    }

    /// The Markdown report, for a postmortem or a review.
    public static func markdown(_ result: WhatifResult) -> String {
        var out: [String] = []
        let s = result.scenario
        out.append("## What if: \(s.id)")
        out.append("")
        out.append("\(s.title). \(Format.count(Double(result.run.trials))) paired trials, seed \(result.seed): the baseline and every variant ran on the same trials with the same draws (common random numbers). Intervals are 95% Monte Carlo error.")
        out.append("")
        var controls = TextTable(["Control", "Action item", "What it changes"], alignments: [.left, .left, .left])
        for id in result.controls {
            let control = s.control(id)
            controls.add(["`\(id)`", control?.actionItem ?? "", control?.description ?? ""])
        }
        out.append(controls.markdown())
        out.append("")
        out.append("### Outcomes")
        out.append("")
        out.append(outcomeTable(result).markdown())
        out.append("")
        out.append("### Mean change per trial")
        out.append("")
        out.append(changeTable(result, markdown: true).markdown())
        if let attribution = result.attribution {
            out.append("")
            out.append("### Attribution")
            out.append("")
            if let refused = attribution.refused {
                out.append("No attribution: \(refused).")
            } else {
                out.append(attributionSentence(attribution))
                out.append("")
                var table = TextTable(["Rank", "Control", "Value", "95% interval", ""], alignments: [.right, .left, .right, .right, .left])
                for (rank, i) in ranked(attribution).enumerated() {
                    table.add(["\(rank + 1)", "`\(attribution.controls[i])`", change(attribution.metric, attribution.values[i]),
                               Format.interval(attribution.intervals[i]) { change(attribution.metric, $0) },
                               attribution.distinguishable(i) == false ? "not distinguishable from zero" : ""])
                }
                out.append(table.markdown())
            }
        }
        if !result.caveats.isEmpty {
            out.append("")
            out.append("### Caveats")
            out.append("")
            for caveat in result.caveats { out.append("- " + caveat.message) }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func outcomeTable(_ result: WhatifResult) -> TextTable {
        var table = TextTable(["", "P(incident)", "95% interval", "change", "95% interval", "averted", "new harm"])
        let baseline = result.run.baseline.probability(.incident)
        table.add(["baseline", Format.percent(baseline.estimate), Format.interval(baseline.interval, Format.percent), "", "", "", ""])
        for i in result.shownVariants {
            let plan = result.plan[i]
            let p = result.run.variants[i].probability(.incident)
            let paired = result.run.comparisons[i].incident
            let averted = paired.avertedShare()
            let harm = paired.newHarmShare()
            table.add([label(plan, of: result.controls.count), Format.percent(p.estimate), Format.interval(p.interval, Format.percent),
                       Format.points(paired.change), Format.interval(paired.changeInterval(), Format.points),
                       averted.share.map { "\(Format.percent($0)) \(Format.interval(averted.interval, Format.percent))" } ?? "–",
                       harm.share.map { "\(Format.percent($0)) \(Format.interval(harm.interval, Format.percent))" } ?? "–"])
        }
        return table
    }

    static func changeTable(_ result: WhatifResult, markdown: Bool) -> TextTable {
        var table = TextTable([""] + changeMetrics.map { Format.name($0) })
        for i in result.shownVariants {
            let paired = result.run.comparisons[i]
            var row = [label(result.plan[i], of: result.controls.count)]
            for metric in changeMetrics {
                let d = paired.differences[metric] ?? PairedDifference()
                if d.count == 0 {
                    row.append("– (n = 0)")
                } else {
                    row.append("\(Format.metricChange(metric, d.mean)) \(Format.interval(d.meanInterval()) { Format.metricChange(metric, $0) }) n=\(Format.count(Double(d.count)))")
                }
            }
            table.add(row)
        }
        return table
    }

    /// Controls by the size of their effect, largest first.
    static func ranked(_ attribution: Attribution) -> [Int] {
        attribution.controls.indices.sorted { a, b in
            let va = abs(attribution.values[a]), vb = abs(attribution.values[b])
            return va != vb ? va > vb : a < b
        }
    }

    static func change(_ metric: AttributionMetric, _ value: Double?) -> String {
        switch metric {
        case .incidentProbability: return Format.points(value)
        case .metric(let m): return Format.metricChange(m, value)
        }
    }

    static func metricName(_ metric: AttributionMetric) -> String {
        switch metric {
        case .incidentProbability: return "P(incident)"
        case .metric(let m): return Format.name(m)
        }
    }

    static func attributionSentence(_ attribution: Attribution) -> String {
        let method = attribution.method == .shapley ? "Shapley values" : "leave-one-out effects (each control's change when it is removed from all of them)"
        var text = "Attribution of \(metricName(attribution.metric)) by \(method)"
        if attribution.method == .shapley {
            text += "; they add up to the all-controls change of \(change(attribution.metric, attribution.allControls))"
        } else {
            text += "; all controls together: \(change(attribution.metric, attribution.allControls))"
        }
        return text + "."
    }

    static func attributionLines(_ attribution: Attribution, style: ReportStyle) -> [String] {
        var out: [String] = []
        out.append(style.bold("Attribution") + style.dim("  (\(attribution.method.rawValue), \(attribution.metric.name))"))
        if let refused = attribution.refused {
            out.append("  no attribution: " + refused)
            return out
        }
        out.append("  " + attributionSentence(attribution))
        let largest = attribution.values.map(abs).max() ?? 0
        var table = TextTable(["#", "control", "value", "95% interval", "", ""], alignments: [.right, .left, .right, .right, .left, .left])
        for (rank, i) in ranked(attribution).enumerated() {
            let width = largest > 0 ? Int((abs(attribution.values[i]) / largest * 24).rounded()) : 0
            let bar = String(repeating: "█", count: width)
            let note: String
            switch attribution.distinguishable(i) {
            case false?: note = style.dim("not distinguishable from zero")
            case nil: note = style.dim("no interval for a time metric")
            default: note = ""
            }
            table.add(["\(rank + 1)", attribution.controls[i], change(attribution.metric, attribution.values[i]),
                       Format.interval(attribution.intervals[i]) { change(attribution.metric, $0) }, bar, note])
        }
        out.append(table.render())
        return out
    }

    static func representativeTable(_ representative: RepresentativeTrial) -> TextTable {
        var table = TextTable(["run", "outcome", "failed requests", "time to detect", "time to mitigate", "events"])
        for run in representative.runs {
            let label = run.controls.isEmpty ? "baseline" : run.controls.count == 1 ? run.controls[0] : "all \(run.controls.count) together"
            table.add([label, run.metrics.outcome.name,
                       Format.count(run.metrics.failedRequests), Format.duration(run.metrics.value(.timeToDetect)),
                       Format.duration(run.metrics.value(.timeToMitigate)), "\(run.events.count)"])
        }
        return table
    }
}

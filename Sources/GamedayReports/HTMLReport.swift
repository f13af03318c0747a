import GamedayModel
import RealModule

/// Self-contained HTML reports of `whatif` and `replay`: one file with inline CSS and SVG, no
/// network and no script needed to draw, readable without color (every series also has its own
/// dash pattern and marker, and every chart a table or text beside it) and fit to print.
///
/// Every chart is drawn from the JSON the CLI prints with `--format json`, which the file also
/// carries (`<script type="application/json" id="gameday-data">`), so the numbers in a report can
/// always be traced to the machine-readable result.
public enum HTMLReport {
    // MARK: Reports

    /// The report of `gameday whatif --format html`, from its JSON.
    public static func whatif(_ json: JSONValue) -> String {
        let id = json["scenario"]?["id"]?.string ?? "scenario"
        let title = json["title"]?.string ?? id
        var body = ""
        body += "<header><p class=\"kicker\">gameday whatif</p><h1>What if: \(escape(title))</h1>\n"
        body += "<p class=\"meta\">\(meta(json))</p></header>\n<main>\n"

        let variants = (json["variants"]?.array ?? []).filter { $0["role"]?.string != "subset" }
        let controlCount = json["controls"]?.array?.count ?? 0
        var rows: [(label: String, result: JSONValue, controls: [String])] = [("baseline", json["baseline"] ?? .null, [])]
        for v in variants {
            let controls = v["controls"]?.array?.compactMap(\.string) ?? []
            rows.append((variantLabel(controls, role: v["role"]?.string, total: controlCount), v["result"] ?? .null, controls))
        }

        body += section("summary", "Summary", whatifSummary(json, variants: variants, total: controlCount))
        body += section("controls", "Controls", controlsTable(json, ids: json["controls"]?.array?.compactMap(\.string) ?? []))

        var outcomes = outcomeChart(rows.map { ($0.label, $0.result) }, caption: "Outcome probabilities per variant: dot = estimate, bar = 95% interval (Monte Carlo error).")
        outcomes += pairedTable(json, variants: variants, total: controlCount)
        body += section("outcomes", "Outcomes against the baseline", outcomes)

        var distributions = ""
        let series: [(String, JSONValue)] = [("baseline", json["baseline_distributions"] ?? .null)] + variants.map { v in
            (variantLabel(v["controls"]?.array?.compactMap(\.string) ?? [], role: v["role"]?.string, total: controlCount), v["distributions"] ?? .null)
        }
        distributions += cdfChart(series, metric: "time_to_mitigate", title: "Time to mitigate",
                                  caption: "Cumulative share of the trials with a mitigation, by time from first impact to mitigation (the axis ends at the largest 99th percentile). n = trials mitigated; censored = impact but no mitigation before the horizon.")
        distributions += cdfChart(series, metric: "failed_requests", title: "Failed requests",
                                  caption: "Cumulative share of all trials by failed requests (logarithmic axis; 0 at the left edge).")
        body += section("distributions", "Distributions", distributions)

        if let representative = json["representative_trial"], let runs = representative["runs"]?.array {
            let panels: [(String, JSONValue)] = runs.map { run in
                let controls = run["controls"]?.array?.compactMap(\.string) ?? []
                let label = controls.isEmpty ? "baseline" : variantLabel(controls, role: controls.count == controlCount && controlCount > 1 ? "all" : "single", total: controlCount)
                return (label, run)
            }
            let intro = "<p>Trial \(representative["trial"]?.int ?? 0): \(escape(representative["reason"]?.string ?? "")). The same trial, with the same draws, under each variant: what changes is what the controls change.</p>\n"
            body += section("timeline", "One trial, with and without the controls", intro + gantt(panels, elements: json["elements"] ?? .null, started: nil))
        }

        if let attribution = json["attribution"] {
            body += section("attribution", "Attribution", attributionChart(attribution))
        }
        body += section("caveats", "Caveats", caveatList(json["caveats"]?.array ?? []))
        return page(title: "What if: \(id)", body: body + "</main>\n" + footer(json), data: json)
    }

    /// The report of `gameday replay --format html`, from its JSON.
    public static func replay(_ json: JSONValue) -> String {
        let id = json["scenario"]?["id"]?.string ?? "scenario"
        let title = json["title"]?.string ?? id
        let factual = json["factual"] ?? .null
        let started = json["started"]?.string
        var body = ""
        body += "<header><p class=\"kicker\">gameday replay</p><h1>Replay: \(escape(title))</h1>\n"
        var meta = meta(json)
        if let pm = json["postmortem"]?.string { meta = "postmortem <strong>\(escape(pm))</strong> · " + meta }
        if let started { meta += " · t = 0 at \(escape(started))" }
        body += "<p class=\"meta\">\(meta)</p></header>\n<main>\n"

        let counterfactuals = json["counterfactuals"]?.array ?? []
        var summary = "<p>\(escape(factualSentence(factual)))</p>\n"
        if !counterfactuals.isEmpty {
            summary += "<ul class=\"paragraphs\">\n"
            for c in counterfactuals { summary += "<li>\(escape(c["summary"]?.string ?? ""))</li>\n" }
            summary += "</ul>\n"
        }
        body += section("summary", "Summary", summary)
        body += section("calibration", "Calibration against the postmortem", calibrationTable(factual, started: started))

        var rows: [(String, JSONValue)] = [("factual", factual["result"] ?? .null)]
        for c in counterfactuals { rows.append(("with " + setLabel(c["controls"]), c["result"] ?? .null)) }
        if !counterfactuals.isEmpty {
            body += section("outcomes", "What this incident would have become",
                             outcomeChart(rows, caption: "Outcome probabilities over this incident's trials: the factual replay and each set of controls (dot = estimate, bar = 95% interval)."))
            let series: [(String, JSONValue)] = [("factual", factual["distributions"] ?? .null)] + counterfactuals.map { ("with " + setLabel($0["controls"]), $0["distributions"] ?? .null) }
            var distributions = cdfChart(series, metric: "time_to_mitigate", title: "Time to mitigate",
                                         caption: "Cumulative share of the trials with a mitigation, by time from first impact to mitigation (the axis ends at the largest 99th percentile).")
            distributions += cdfChart(series, metric: "failed_requests", title: "Failed requests",
                                      caption: "Cumulative share of this incident's trials by failed requests (logarithmic axis; 0 at the left edge).")
            body += section("distributions", "Distributions", distributions)
        }
        var panels: [(String, JSONValue)] = [("factual (trial \(factual["median_trial"]?.int ?? 0))", ["timeline": factual["timeline"] ?? .array([]), "metrics": factual["trial_metrics"] ?? .null])]
        for c in counterfactuals {
            panels.append(("with \(setLabel(c["controls"])) (median trial \(c["median_trial"]?.int ?? 0))", ["timeline": c["median_timeline"] ?? .array([]), "metrics": c["median_metrics"] ?? .null]))
        }
        body += section("timeline", "Factual against counterfactual timelines",
                        "<p>The factual trial next to each counterfactual's median trial (by failed requests). Times from t = 0\(started.map { " (\(escape($0)))" } ?? "").</p>\n" + gantt(panels, elements: json["elements"] ?? .null, started: started))
        var draws = ""
        if let unpinned = factual["unpinned_draws"]?.array, !unpinned.isEmpty {
            draws += "<p>Draws on the factual path that no pin constrains (sampled per trial):</p>\n<ul>\n"
            let trials = Double(max(1, json["trials"]?.int ?? 1))
            for d in unpinned {
                draws += "<li><code>\(escape(d["address"]?.string ?? ""))</code>: in \(Format.percent(Double(d["trials"]?.int ?? 0) / trials)) of the factual trials</li>\n"
            }
            draws += "</ul>\n"
        }
        if let unused = factual["unused_pins"]?.array, !unused.isEmpty {
            draws += "<p>Pins the factual path never used (the draw was never made):</p>\n<ul>\n"
            for pin in unused { draws += "<li><code>\(escape(pin.string ?? ""))</code></li>\n" }
            draws += "</ul>\n"
        }
        if !draws.isEmpty { body += section("draws", "Draws", draws) }
        if let refused = json["refused"]?.array, !refused.isEmpty {
            body += section("refused", "Not replayed", "<ul>\n" + refused.map { "<li>\(escape(setLabel($0["controls"]))): \(escape($0["reason"]?.string ?? ""))</li>\n" }.joined() + "</ul>\n")
        }
        return page(title: "Replay: \(id)", body: body + "</main>\n" + footer(json), data: json)
    }

    // MARK: Page

    static func page(title: String, body: String, data: JSONValue) -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        html += "<meta name=\"generator\" content=\"gameday\">\n"
        html += "<title>\(escape(title))</title>\n<style>\n\(css)</style>\n</head>\n<body>\n"
        html += svgDefinitions
        html += body
        // The data the charts were drawn from: JSON, not a script that runs.
        html += "<script type=\"application/json\" id=\"gameday-data\">\(data.compact.replacingScriptEnd)</script>\n"
        html += "</body>\n</html>\n"
        return html
    }

    static func section(_ id: String, _ title: String, _ content: String) -> String {
        "<section id=\"\(id)\" aria-labelledby=\"\(id)-title\">\n<h2 id=\"\(id)-title\">\(escape(title))</h2>\n\(content)</section>\n"
    }

    static func meta(_ json: JSONValue) -> String {
        var parts: [String] = []
        if let id = json["scenario"]?["id"]?.string { parts.append("scenario <code>\(escape(id))</code>") }
        if let path = json["scenario"]?["path"]?.string { parts.append("file <code>\(escape(path))</code>") }
        if let sha = json["scenario"]?["sha256"]?.string { parts.append("sha256 <code>\(escape(String(sha.prefix(12))))</code>") }
        if let trials = json["trials"]?.double { parts.append("\(Format.count(trials)) trials") }
        if let seed = json["seed"]?.uint64 { parts.append("seed \(seed)") }
        return parts.joined(separator: " · ")
    }

    static func footer(_ json: JSONValue) -> String {
        let engine = json["provenance"]?["engine"]?.string ?? "gameday"
        let note = json["provenance"]?["note"]?.string ?? ""
        return "<footer><p>\(escape(engine)). \(escape(note)). The data behind every chart is embedded in this file as JSON (<code>#gameday-data</code>).</p></footer>\n"
    }

    static let css = """
    :root { --ink: #1b1f24; --muted: #57606a; --rule: #d0d7de; --panel: #f6f8fa; --accent: #0072b2; --bad: #b3261e; --good: #1a7f37; }
    * { box-sizing: border-box; }
    body { font: 15px/1.5 -apple-system, "Segoe UI", "DejaVu Sans", Helvetica, Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1080px; padding: 24px 28px 48px; background: #fff; }
    header { border-bottom: 2px solid var(--ink); margin-bottom: 8px; }
    .kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; color: var(--muted); margin: 0; }
    h1 { font-size: 26px; margin: 2px 0 6px; }
    h2 { font-size: 19px; margin: 28px 0 8px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
    .meta { color: var(--muted); font-size: 13px; margin: 0 0 12px; }
    code { font: 13px/1.3 "DejaVu Sans Mono", Menlo, Consolas, monospace; background: var(--panel); padding: 0 3px; border-radius: 3px; }
    table { border-collapse: collapse; width: 100%; font-size: 13.5px; margin: 8px 0 4px; }
    th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
    th { background: var(--panel); font-weight: 600; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    td:first-child { white-space: nowrap; }
    figure { margin: 12px 0 18px; }
    figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
    svg.chart { width: 100%; height: auto; display: block; font-family: inherit; }
    svg.chart text { font-size: 12px; fill: var(--ink); }
    svg.chart .axis text, svg.chart text.muted { fill: var(--muted); font-size: 11px; }
    svg.chart .grid line { stroke: #e6e9ed; }
    svg.chart .axis line, svg.chart .axis path { stroke: #8c959f; }
    .lead { font-size: 16px; }
    .badge { display: inline-block; font-size: 12px; padding: 0 6px; border-radius: 8px; border: 1px solid var(--rule); }
    .badge.ok { color: var(--good); border-color: var(--good); }
    .badge.no { color: var(--bad); border-color: var(--bad); }
    ul.paragraphs li { margin-bottom: 6px; }
    .caveats li { margin-bottom: 4px; }
    .caveat-kind { font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); margin-right: 4px; }
    footer { margin-top: 36px; border-top: 1px solid var(--rule); color: var(--muted); font-size: 12px; }
    .legend { display: flex; flex-wrap: wrap; gap: 4px 18px; font-size: 12.5px; margin: 4px 0; padding: 0; list-style: none; }
    .legend li { display: flex; align-items: center; gap: 6px; }
    @media print {
      body { max-width: none; padding: 0; font-size: 11pt; }
      section, figure, table { break-inside: avoid; }
      h2 { break-after: avoid; }
      a { color: inherit; text-decoration: none; }
    }

    """

    /// Patterns and markers shared by every chart.
    static let svgDefinitions = """
    <svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false">
    <defs>
    <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#8c959f" stroke-width="2.5"/></pattern>
    <pattern id="hatch-light" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#c9ced4" stroke-width="2"/></pattern>
    </defs>
    </svg>

    """

    // MARK: Series styles

    /// A series' look: color (Okabe–Ito, safe for color blindness), dash pattern and marker, so
    /// that series stay apart in grey print.
    struct SeriesStyle {
        var color: String
        var dash: String
        var marker: Int
    }

    static let palette = ["#1b1f24", "#e69f00", "#0072b2", "#009e73", "#d55e00", "#cc79a7", "#56b4e9", "#8c6d00"]
    static let dashes = ["", "7 4", "2 3", "9 3 2 3", "4 2", "12 4", "1 2", "6 2 1 2"]

    static func style(_ i: Int) -> SeriesStyle {
        SeriesStyle(color: palette[i % palette.count], dash: dashes[i % dashes.count], marker: i % 6)
    }

    /// A marker shape centred on (x, y).
    static func marker(_ kind: Int, x: Double, y: Double, color: String, size: Double = 4) -> String {
        let (cx, cy, s) = (n(x), n(y), size)
        switch kind {
        case 0: return "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"\(n(s))\" fill=\"\(color)\"/>"
        case 1: return "<rect x=\"\(n(x - s))\" y=\"\(n(y - s))\" width=\"\(n(2 * s))\" height=\"\(n(2 * s))\" fill=\"\(color)\"/>"
        case 2: return "<path d=\"M\(cx) \(n(y - s - 1))L\(n(x + s + 1)) \(n(y + s))L\(n(x - s - 1)) \(n(y + s))Z\" fill=\"\(color)\"/>"
        case 3: return "<path d=\"M\(cx) \(n(y - s - 1))L\(n(x + s + 1)) \(cy)L\(cx) \(n(y + s + 1))L\(n(x - s - 1)) \(cy)Z\" fill=\"\(color)\"/>"
        case 4: return "<circle cx=\"\(cx)\" cy=\"\(cy)\" r=\"\(n(s))\" fill=\"#fff\" stroke=\"\(color)\" stroke-width=\"2\"/>"
        default: return "<path d=\"M\(n(x - s)) \(n(y - s))L\(n(x + s)) \(n(y + s))M\(n(x - s)) \(n(y + s))L\(n(x + s)) \(n(y - s))\" stroke=\"\(color)\" stroke-width=\"2.2\"/>"
        }
    }

    static func legend(_ labels: [String], styles: [SeriesStyle], notes: [String]) -> String {
        var html = "<ul class=\"legend\">\n"
        for (i, label) in labels.enumerated() {
            let st = styles[i]
            html += "<li><svg width=\"34\" height=\"12\" aria-hidden=\"true\"><line x1=\"1\" y1=\"6\" x2=\"33\" y2=\"6\" stroke=\"\(st.color)\" stroke-width=\"2.4\"\(st.dash.isEmpty ? "" : " stroke-dasharray=\"\(st.dash)\"")/>\(marker(st.marker, x: 17, y: 6, color: st.color, size: 3.2))</svg>"
            html += "\(escape(label))\(notes[i].isEmpty ? "" : " <span class=\"muted\">(\(escape(notes[i])))</span>")</li>\n"
        }
        return html + "</ul>\n"
    }

    // MARK: Outcome chart

    /// Outcome probabilities with interval bars: a row per variant, a panel per outcome.
    static func outcomeChart(_ rows: [(String, JSONValue)], caption: String) -> String {
        let outcomes = [("incident", "P(incident)"), ("contained", "P(contained)"), ("prevented", "P(prevented)")]
        let labelWidth = 210.0, panelWidth = 240.0, gap = 44.0, rowHeight = 28.0, top = 34.0
        let width = labelWidth + Double(outcomes.count) * (panelWidth + gap)
        let height = top + Double(rows.count) * rowHeight + 26
        var svg = "<svg class=\"chart\" data-chart=\"outcomes\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-labelledby=\"outcomes-chart-title outcomes-chart-desc\">\n"
        svg += "<title id=\"outcomes-chart-title\">Outcome probabilities per variant with 95% intervals</title>\n"
        var description: [String] = []
        for (label, result) in rows {
            let p = result["outcome_probabilities"]?["incident"]
            description.append("\(label): P(incident) \(Format.percent(p?["estimate"]?.double))")
        }
        svg += "<desc id=\"outcomes-chart-desc\">\(escape(description.joined(separator: "; ")))</desc>\n"
        for (k, outcome) in outcomes.enumerated() {
            let x0 = labelWidth + Double(k) * (panelWidth + gap)
            svg += "<g class=\"panel\" data-outcome=\"\(outcome.0)\">\n"
            svg += "<text x=\"\(n(x0))\" y=\"16\" font-weight=\"600\">\(outcome.1)</text>\n"
            svg += "<g class=\"grid axis\">"
            for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
                let x = x0 + tick * panelWidth
                svg += "<line x1=\"\(n(x))\" y1=\"\(n(top - 6))\" x2=\"\(n(x))\" y2=\"\(n(top + Double(rows.count) * rowHeight))\"/>"
                svg += "<text x=\"\(n(x))\" y=\"\(n(height - 8))\" text-anchor=\"middle\">\(Int(tick * 100))%</text>"
            }
            svg += "</g>\n</g>\n"
        }
        for (r, (label, result)) in rows.enumerated() {
            let y = top + Double(r) * rowHeight + rowHeight / 2
            let st = style(r)
            svg += "<g class=\"variant-row\" data-label=\"\(escape(label))\">\n"
            svg += "<text x=\"0\" y=\"\(n(y + 4))\">\(escape(truncate(label, 30)))</text>\n"
            for (k, outcome) in outcomes.enumerated() {
                let x0 = labelWidth + Double(k) * (panelWidth + gap)
                let p = result["outcome_probabilities"]?[outcome.0]
                guard let estimate = p?["estimate"]?.double else { continue }
                let lo = p?["ci95"]?[0]?.double ?? estimate, hi = p?["ci95"]?[1]?.double ?? estimate
                let xe = x0 + estimate * panelWidth, xl = x0 + lo * panelWidth, xh = x0 + hi * panelWidth
                svg += "<g class=\"interval\"><title>\(escape(label)): \(outcome.1) \(Format.percent(estimate)), 95% interval \(Format.percent(lo)) to \(Format.percent(hi))</title>"
                svg += "<rect x=\"\(n(x0))\" y=\"\(n(y - 7))\" width=\"\(n(max(0, xe - x0)))\" height=\"14\" fill=\"\(st.color)\" fill-opacity=\"0.14\"/>"
                svg += "<line x1=\"\(n(xl))\" y1=\"\(n(y))\" x2=\"\(n(xh))\" y2=\"\(n(y))\" stroke=\"\(st.color)\" stroke-width=\"2.5\"/>"
                svg += "<line x1=\"\(n(xl))\" y1=\"\(n(y - 5))\" x2=\"\(n(xl))\" y2=\"\(n(y + 5))\" stroke=\"\(st.color)\" stroke-width=\"1.5\"/>"
                svg += "<line x1=\"\(n(xh))\" y1=\"\(n(y - 5))\" x2=\"\(n(xh))\" y2=\"\(n(y + 5))\" stroke=\"\(st.color)\" stroke-width=\"1.5\"/>"
                svg += marker(st.marker, x: xe, y: y, color: st.color)
                let textX = min(xe + 8, x0 + panelWidth - 2)
                svg += "<text x=\"\(n(textX))\" y=\"\(n(y - 6))\" class=\"muted\"\(textX > x0 + panelWidth - 40 ? " text-anchor=\"end\"" : "")>\(Format.percent(estimate))</text>"
                svg += "</g>\n"
            }
            svg += "</g>\n"
        }
        svg += "</svg>\n"
        return "<figure>\n\(svg)<figcaption>\(escape(caption))</figcaption>\n</figure>\n"
    }

    // MARK: Cumulative distributions

    /// A cumulative distribution chart of one metric, a step line per series, from the JSON's
    /// `distributions` quantile points.
    static func cdfChart(_ series: [(String, JSONValue)], metric: String, title: String, caption: String) -> String {
        let isCount = metric == "failed_requests"
        let width = 900.0, height = 300.0, left = 56.0, right = 16.0, top = 12.0, bottom = 40.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        var all: [(label: String, points: [(p: Double, x: Double)], n: Int, censored: Int?)] = []
        for (label, distributions) in series {
            let m = distributions[metric]
            let points = (m?["points"]?.array ?? []).compactMap { pair -> (p: Double, x: Double)? in
                guard let p = pair[0]?.double, let x = pair[1]?.double else { return nil }
                return (p, x)
            }
            all.append((label, points, m?["n"]?.int ?? 0, m?["censored"]?.int))
        }
        // Times: the axis ends at the largest p99, so that a long tail does not squeeze the body
        // (the lines run off the right edge); counts are on a log axis up to the maximum.
        let ends = all.flatMap { s in s.points.filter { isCount ? true : $0.p <= 0.99 }.map(\.x) }
        let maxX = max(ends.max() ?? 0, isCount ? 10 : 60)
        // Counts on a log axis with 0 at the left edge; times on a linear axis.
        func scale(_ x: Double) -> Double {
            if isCount { return left + plotWidth * log10(1 + max(0, x)) / log10(1 + maxX) }
            return left + plotWidth * min(x, maxX) / maxX
        }
        func yOf(_ p: Double) -> Double { top + plotHeight * (1 - p) }
        var svg = "<svg class=\"chart\" data-chart=\"cdf-\(metric)\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-labelledby=\"cdf-\(metric)-title cdf-\(metric)-desc\">\n"
        svg += "<title id=\"cdf-\(metric)-title\">\(escape(title)): cumulative distribution per variant</title>\n"
        let medians = all.map { s -> String in
            let median = s.points.first { $0.p >= 0.5 }?.x
            return "\(s.label): median \(isCount ? Format.count(median) : Format.duration(median)) (n = \(s.n))"
        }
        svg += "<desc id=\"cdf-\(metric)-desc\">\(escape(medians.joined(separator: "; ")))</desc>\n"
        svg += "<g class=\"grid axis\">"
        for p in [0.0, 0.25, 0.5, 0.75, 1.0] {
            svg += "<line x1=\"\(n(left))\" y1=\"\(n(yOf(p)))\" x2=\"\(n(width - right))\" y2=\"\(n(yOf(p)))\"/>"
            svg += "<text x=\"\(n(left - 6))\" y=\"\(n(yOf(p) + 4))\" text-anchor=\"end\">\(Int(p * 100))%</text>"
        }
        let ticks = isCount ? countTicks(maxX) : timeTicks(maxX)
        for tick in ticks {
            let x = scale(tick)
            svg += "<line x1=\"\(n(x))\" y1=\"\(n(top))\" x2=\"\(n(x))\" y2=\"\(n(top + plotHeight))\"/>"
            svg += "<text x=\"\(n(x))\" y=\"\(n(height - 22))\" text-anchor=\"middle\">\(isCount ? compactCount(tick) : Format.duration(tick))</text>"
        }
        svg += "<text x=\"\(n(left + plotWidth / 2))\" y=\"\(n(height - 4))\" text-anchor=\"middle\">\(escape(isCount ? "failed requests" : "time from first impact"))</text>"
        svg += "</g>\n"
        for (i, s) in all.enumerated() where !s.points.isEmpty {
            let st = style(i)
            var d = ""
            var previousY = yOf(0)
            for (j, point) in s.points.enumerated() {
                let x = scale(point.x), y = yOf(point.p)
                d += j == 0 ? "M\(n(x)) \(n(previousY))" : ""
                d += "L\(n(x)) \(n(previousY))L\(n(x)) \(n(y))"
                previousY = y
            }
            d += "L\(n(width - right)) \(n(previousY))"
            svg += "<g class=\"series\" data-label=\"\(escape(s.label))\"><title>\(escape(medians[i]))</title>"
            svg += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(st.color)\" stroke-width=\"2.2\"\(st.dash.isEmpty ? "" : " stroke-dasharray=\"\(st.dash)\"")/>"
            for q in [0.25, 0.5, 0.75] {
                if let point = s.points.first(where: { $0.p >= q }) { svg += marker(st.marker, x: scale(point.x), y: yOf(point.p), color: st.color, size: 3.5) }
            }
            svg += "</g>\n"
        }
        svg += "</svg>\n"
        let notes = all.map { s -> String in
            var note = "n = \(Format.count(Double(s.n)))"
            if let censored = s.censored, censored > 0 { note += ", \(Format.count(Double(censored))) censored" }
            if s.points.isEmpty { note += ", no data" }
            return note
        }
        return "<figure>\n<h3>\(escape(title))</h3>\n\(legend(all.map(\.label), styles: all.indices.map(style), notes: notes))\(svg)<figcaption>\(escape(caption)) Markers at the quartiles.</figcaption>\n</figure>\n"
    }

    static func timeTicks(_ maximum: Double) -> [Double] {
        let steps: [Double] = [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172_800]
        let step = steps.first { maximum / $0 <= 8 } ?? 172_800
        return stride(from: 0, through: maximum, by: step).map { $0 }
    }

    static func countTicks(_ maximum: Double) -> [Double] {
        var ticks = [0.0]
        var t = 1.0
        let stride = maximum > 1e9 ? 100.0 : 10.0
        while t <= maximum {
            ticks.append(t)
            t *= stride
        }
        return ticks
    }

    static func compactCount(_ x: Double) -> String {
        if x >= 1e9 { return Scalars.formatSignificant(x / 1e9, digits: 3) + "B" }
        if x >= 1e6 { return Scalars.formatSignificant(x / 1e6, digits: 3) + "M" }
        if x >= 1e3 { return Scalars.formatSignificant(x / 1e3, digits: 3) + "k" }
        return Scalars.formatSignificant(x, digits: 3)
    }

    static func log10(_ x: Double) -> Double { Double.log10(x) }

    // MARK: Timelines

    /// Gantt-style lanes per service and responder, one panel per run, on a shared time axis.
    static func gantt(_ panels: [(String, JSONValue)], elements: JSONValue, started: String?) -> String {
        let injectionTargets: [String: String] = Dictionary(uniqueKeysWithValues: (elements["injections"]?.object?.pairs ?? []).compactMap { pair in
            pair.1["target"]?.string.map { (pair.0, $0) }
        })
        let barrierLanes: [String: String] = Dictionary(uniqueKeysWithValues: (elements["barriers"]?.object?.pairs ?? []).compactMap { pair in
            (pair.1["lane"]?.string ?? pair.1["watches"]?.string).map { (pair.0, $0) }
        })
        let serviceOrder = elements["services"]?.array?.compactMap { $0["id"]?.string } ?? []
        let responderOrder = elements["responders"]?.array?.compactMap(\.string) ?? []

        struct Event { var at: Double; var event: String; var kind: String; var id: String; var detail: String? }
        func events(_ run: JSONValue) -> [Event] {
            (run["timeline"]?.array ?? []).compactMap { e in
                guard let at = e["at"]?.double, let event = e["event"]?.string, let subject = e["subject"]?.string else { return nil }
                let parts = subject.split(separator: ".", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { return nil }
                return Event(at: at, event: event, kind: parts[0], id: parts[1], detail: e["detail"]?.string)
            }
        }
        let runs = panels.map { (label: $0.0, events: events($0.1), metrics: $0.1["metrics"] ?? .null) }
        // Lanes: services hit by an injection in any run, then responders who were paged, in scenario order.
        var services = Set<String>(), responders = Set<String>()
        var end = 600.0
        for run in runs {
            for e in run.events {
                end = max(end, e.at)
                if e.kind == "injections", let target = injectionTargets[e.id] { services.insert(target) }
                if e.kind == "barriers", let lane = barrierLanes[e.id] { services.insert(lane) }
                if e.kind == "responders" { responders.insert(e.id) }
            }
        }
        end *= 1.04
        let lanes = serviceOrder.filter(services.contains).map { ("service", $0) } + responderOrder.filter(responders.contains).map { ("responder", $0) }
        let width = 960.0, left = 150.0, right = 14.0, laneHeight = 22.0, header = 32.0, gapBetween = 16.0, axis = 28.0
        let plotWidth = width - left - right
        let panelHeight = header + Double(max(1, lanes.count)) * laneHeight
        let height = Double(runs.count) * (panelHeight + gapBetween) + axis
        func x(_ t: Double) -> Double { left + plotWidth * min(t, end) / end }

        var svg = "<svg class=\"chart\" data-chart=\"timeline\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-labelledby=\"timeline-title timeline-desc\">\n"
        svg += "<title id=\"timeline-title\">Timelines: lanes per service and responder, one panel per run</title>\n"
        let description = runs.map { run -> String in
            let outcome = run.metrics["outcome"]?.string ?? "?"
            let mitigated = run.metrics["at"]?["mitigated"]?.double
            return "\(run.label): \(outcome), \(run.events.count) events, mitigated at \(Format.duration(mitigated))"
        }
        svg += "<desc id=\"timeline-desc\">\(escape(description.joined(separator: "; ")))</desc>\n"
        for (p, run) in runs.enumerated() {
            let y0 = Double(p) * (panelHeight + gapBetween)
            let st = style(p)
            svg += "<g class=\"timeline-panel\" data-label=\"\(escape(run.label))\">\n"
            let outcome = run.metrics["outcome"]?.string ?? ""
            let failed = run.metrics["failed_requests"]?.double
            svg += "<text x=\"0\" y=\"\(n(y0 + 15))\" font-weight=\"600\" fill=\"\(st.color)\">\(escape(run.label))</text>"
            svg += "<text x=\"\(n(width - right))\" y=\"\(n(y0 + 15))\" text-anchor=\"end\" class=\"muted\">\(escape(outcome)) · \(Format.count(failed)) failed requests</text>\n"
            // Lane backgrounds and labels.
            for (l, lane) in lanes.enumerated() {
                let ly = y0 + header + Double(l) * laneHeight
                svg += "<rect x=\"\(n(left))\" y=\"\(n(ly + 1))\" width=\"\(n(plotWidth))\" height=\"\(n(laneHeight - 2))\" fill=\"\(l % 2 == 0 ? "#f6f8fa" : "#ffffff")\"/>"
                svg += "<text x=\"\(n(left - 8))\" y=\"\(n(ly + 15))\" text-anchor=\"end\"\(lane.0 == "responder" ? " font-style=\"italic\"" : "")>\(escape(truncate(lane.1, 20)))</text>\n"
            }
            func laneY(_ kind: String, _ id: String) -> Double? {
                guard let l = lanes.firstIndex(where: { $0.0 == kind && $0.1 == id }) else { return nil }
                return y0 + header + Double(l) * laneHeight
            }
            func bar(_ kind: String, _ lane: String, from a: Double, to b: Double, fill: String, label: String, cssClass: String) {
                guard let ly = laneY(kind, lane) else { return }
                let xa = x(a), xb = max(x(b), xa + 2)
                svg += "<rect class=\"\(cssClass)\" x=\"\(n(xa))\" y=\"\(n(ly + 4))\" width=\"\(n(xb - xa))\" height=\"\(n(laneHeight - 8))\" fill=\"\(fill)\" stroke=\"#1b1f24\" stroke-width=\"0.6\"><title>\(escape(label))</title></rect>"
            }
            // Injections on their target service: deciding (hatched), active (solid), recovering (light hatch).
            var injectionState: [String: (phase: String, since: Double)] = [:]
            for e in run.events where e.kind == "injections" {
                guard let target = injectionTargets[e.id] else { continue }
                let current = injectionState[e.id]
                switch e.event {
                case "occurred":
                    injectionState[e.id] = ("deciding", e.at)
                case "exposed":
                    break
                case "took-effect":
                    if let c = current, c.phase == "deciding", e.at > c.since {
                        bar("service", target, from: c.since, to: e.at, fill: "url(#hatch)", label: "\(e.id) deciding (prevent barriers) from \(Format.duration(c.since)) to \(Format.duration(e.at))", cssClass: "bar deciding")
                    }
                    injectionState[e.id] = ("active", e.at)
                case "prevented", "mitigated", "healed":
                    if let c = current {
                        let label = c.phase == "active" ? "\(e.id) active on \(target)" : "\(e.id) deciding"
                        bar("service", target, from: c.since, to: e.at, fill: c.phase == "active" ? "#d55e00" : "url(#hatch)",
                            label: "\(label) from \(Format.duration(c.since)) to \(Format.duration(e.at)) (\(e.event))", cssClass: c.phase == "active" ? "bar active" : "bar deciding")
                    }
                    injectionState[e.id] = ("recovering", e.at)
                case "recovered":
                    if let c = current, c.phase == "recovering" {
                        bar("service", target, from: c.since, to: e.at, fill: "url(#hatch-light)", label: "\(e.id) recovering from \(Format.duration(c.since)) to \(Format.duration(e.at))", cssClass: "bar recovering")
                    }
                    injectionState[e.id] = nil
                default:
                    break
                }
            }
            // Still in action at the end of the run (a recovery always ends in a `recovered` event,
            // and an injection stopped at level 0 has none, so recovering states are not open).
            for (id, state) in injectionState.sorted(by: { $0.key < $1.key }) where state.phase != "recovering" {
                guard let target = injectionTargets[id] else { continue }
                let fill = state.phase == "active" ? "#d55e00" : "url(#hatch)"
                bar("service", target, from: state.since, to: end, fill: fill, label: "\(id) \(state.phase) from \(Format.duration(state.since)) to the end", cssClass: "bar \(state.phase)")
            }
            // Responders: paged → acknowledged (waiting), diagnosing, attempting a mitigation.
            var responderState: [String: (phase: String, since: Double)] = [:]
            for e in run.events where e.kind == "responders" {
                let current = responderState[e.id]
                func close(_ until: Double) {
                    guard let c = current else { return }
                    let fill = c.phase == "waiting" ? "#ffffff" : c.phase == "diagnosing" ? "#56b4e9" : c.phase == "forwarding" ? "url(#hatch-light)" : "#0072b2"
                    bar("responder", e.id, from: c.since, to: until, fill: fill, label: "\(e.id) \(c.phase) from \(Format.duration(c.since)) to \(Format.duration(until))", cssClass: "bar \(c.phase)")
                }
                switch e.event {
                case "paged":
                    if current == nil { responderState[e.id] = ("waiting", e.at) }
                case "acknowledged":
                    close(e.at)
                    responderState[e.id] = ("diagnosing", e.at)
                case "forwarded":
                    close(e.at)
                    responderState[e.id] = ("done", e.at)
                case "misdiagnosed", "diagnosed":
                    close(e.at)
                    responderState[e.id] = e.event == "diagnosed" ? ("idle", e.at) : ("diagnosing", e.at)
                case "attempted":
                    if let c = current, c.phase == "diagnosing" { close(e.at) }
                    responderState[e.id] = ("mitigating", e.at)
                default:
                    break
                }
            }
            // Attempts end when the mitigation holds or fails (a barrier event naming the responder).
            for e in run.events where e.kind == "barriers" && (e.event == "held" || e.event == "failed") {
                guard let detail = e.detail, detail.hasPrefix("responders.") else { continue }
                let responder = String(detail.dropFirst("responders.".count))
                if let c = responderState[responder], c.phase == "mitigating", c.since <= e.at {
                    bar("responder", responder, from: c.since, to: e.at, fill: "#0072b2",
                        label: "\(responder) running \(e.id) from \(Format.duration(c.since)) to \(Format.duration(e.at)) (\(e.event))", cssClass: "bar mitigating")
                    responderState[responder] = ("idle", e.at)
                }
            }
            // Work still open at the end (a page after impact ended starts no work: not drawn).
            for (id, state) in responderState.sorted(by: { $0.key < $1.key }) where state.phase == "diagnosing" || state.phase == "mitigating" {
                let fill = state.phase == "waiting" ? "#ffffff" : state.phase == "diagnosing" ? "#56b4e9" : "#0072b2"
                bar("responder", id, from: state.since, to: end, fill: fill, label: "\(id) \(state.phase) from \(Format.duration(state.since))", cssClass: "bar \(state.phase)")
            }
            // Barrier events as markers on the lane of the service they act on.
            for e in run.events where e.kind == "barriers" {
                guard let service = barrierLanes[e.id], let ly = laneY("service", service) else { continue }
                let shape: Int
                switch e.event {
                case "fired": shape = 3
                case "paged": shape = 4
                case "held": shape = 1
                case "failed": shape = 5
                default: continue
                }
                svg += "<g class=\"event-marker\" data-event=\"\(e.event)\"><title>\(escape("\(e.id) \(e.event) at \(Format.duration(e.at))"))</title>\(marker(shape, x: x(e.at), y: ly + laneHeight / 2, color: "#1b1f24", size: 3.2))</g>"
            }
            // The milestones of this run as vertical ticks.
            if let at = run.metrics["at"] {
                for (name, glyph) in [("detected", "D"), ("mitigated", "M"), ("recovered", "R")] {
                    guard let t = at[name]?.double else { continue }
                    let xt = x(t)
                    svg += "<g class=\"milestone\" data-milestone=\"\(name)\"><title>\(name) at \(Format.duration(t))</title><line x1=\"\(n(xt))\" y1=\"\(n(y0 + header - 2))\" x2=\"\(n(xt))\" y2=\"\(n(y0 + panelHeight))\" stroke=\"\(st.color)\" stroke-dasharray=\"3 2\" stroke-width=\"1.2\"/><text x=\"\(n(xt + 2))\" y=\"\(n(y0 + header - 3))\" class=\"muted\">\(glyph)</text></g>"
                }
            }
            svg += "\n</g>\n"
        }
        // The shared time axis.
        let axisY = Double(runs.count) * (panelHeight + gapBetween)
        svg += "<g class=\"axis\">"
        for tick in timeTicks(end) {
            let xt = x(tick)
            var label = Format.duration(tick)
            if let started, let t0 = ISO8601.parse(started) { label += " " + String(ISO8601.format((t0 + tick).rounded()).dropFirst(11).prefix(5)) }
            svg += "<line x1=\"\(n(xt))\" y1=\"\(n(axisY - gapBetween))\" x2=\"\(n(xt))\" y2=\"\(n(axisY - gapBetween + 4))\"/><text x=\"\(n(xt))\" y=\"\(n(axisY + 4))\" text-anchor=\"middle\">\(escape(label))</text>"
        }
        svg += "</g>\n</svg>\n"
        let key = """
        <ul class="legend" aria-label="timeline key">
        <li><svg width="26" height="12" aria-hidden="true"><rect x="1" y="1" width="24" height="10" fill="#d55e00" stroke="#1b1f24" stroke-width="0.6"/></svg>injection active</li>
        <li><svg width="26" height="12" aria-hidden="true"><rect x="1" y="1" width="24" height="10" fill="url(#hatch)" stroke="#1b1f24" stroke-width="0.6"/></svg>deciding (prevent barrier, exposure)</li>
        <li><svg width="26" height="12" aria-hidden="true"><rect x="1" y="1" width="24" height="10" fill="url(#hatch-light)" stroke="#1b1f24" stroke-width="0.6"/></svg>recovering</li>
        <li><svg width="26" height="12" aria-hidden="true"><rect x="1" y="1" width="24" height="10" fill="#ffffff" stroke="#1b1f24" stroke-width="0.6"/></svg>paged, not acknowledged</li>
        <li><svg width="26" height="12" aria-hidden="true"><rect x="1" y="1" width="24" height="10" fill="#56b4e9" stroke="#1b1f24" stroke-width="0.6"/></svg>diagnosing</li>
        <li><svg width="26" height="12" aria-hidden="true"><rect x="1" y="1" width="24" height="10" fill="#0072b2" stroke="#1b1f24" stroke-width="0.6"/></svg>running a mitigation</li>
        <li><svg width="14" height="12" aria-hidden="true">\(marker(3, x: 7, y: 6, color: "#1b1f24", size: 3.2))</svg>alert fired</li>
        <li><svg width="14" height="12" aria-hidden="true">\(marker(4, x: 7, y: 6, color: "#1b1f24", size: 3.2))</svg>page delivered</li>
        <li><svg width="14" height="12" aria-hidden="true">\(marker(1, x: 7, y: 6, color: "#1b1f24", size: 3.2))</svg>barrier held</li>
        <li><svg width="14" height="12" aria-hidden="true">\(marker(5, x: 7, y: 6, color: "#1b1f24", size: 3.2))</svg>barrier failed</li>
        <li>D, M, R: detected, mitigated, recovered</li>
        </ul>

        """
        var details = ""
        for (p, panel) in panels.enumerated() {
            details += "<details><summary>Events: \(escape(runs[p].label))</summary>\n<table><thead><tr><th class=\"num\">#</th><th class=\"num\">at</th><th>subject</th><th>event</th><th>detail</th><th>cause</th></tr></thead><tbody>\n"
            for (i, e) in (panel.1["timeline"]?.array ?? []).enumerated() {
                let cause = e["cause"]?.int.map { "← \($0)" } ?? ""
                details += "<tr><td class=\"num\">\(i)</td><td class=\"num\">\(Format.duration(e["at"]?.double))</td><td><code>\(escape(e["subject"]?.string ?? ""))</code></td><td>\(escape(e["event"]?.string ?? ""))</td><td>\(escape(e["detail"]?.string ?? ""))</td><td>\(cause)</td></tr>\n"
            }
            details += "</tbody></table></details>\n"
        }
        return "<figure>\n\(key)\(svg)<figcaption>Lanes per service (injections on their target, alerts on what they watch) and per responder. Hover for details; every event is listed below.</figcaption>\n</figure>\n" + details
    }

    // MARK: Attribution

    static func attributionChart(_ attribution: JSONValue) -> String {
        let method = attribution["method"]?.string ?? ""
        let metric = attribution["metric"]?.string ?? ""
        if let refused = attribution["refused"]?.string {
            return "<p>No attribution: \(escape(refused)).</p>\n"
        }
        guard let values = attribution["values"]?.object else { return "" }
        let entries = values.pairs.map { (id: $0.0, value: $0.1.double ?? 0, lo: attribution["ci95"]?[$0.0]?[0]?.double, hi: attribution["ci95"]?[$0.0]?[1]?.double,
                                          distinguishable: attribution["distinguishable_from_zero"]?[$0.0]?.bool) }
            .sorted { abs($0.value) != abs($1.value) ? abs($0.value) > abs($1.value) : $0.id < $1.id }
        let total = attribution["all_controls"]?.double ?? 0
        func fmt(_ v: Double?) -> String {
            switch metric {
            case "incident_probability": return Format.points(v)
            case "failed_requests": return Format.signedCount(v.map { $0.rounded() })
            case "slo_budget_consumed", "peak_error_rate": return Format.points(v)
            default: return Format.signedDuration(v)
            }
        }
        let extent = max(entries.map { max(abs($0.value), abs($0.lo ?? 0), abs($0.hi ?? 0)) }.max() ?? 1, 1e-12)
        let hasPositive = entries.contains { max($0.value, $0.hi ?? $0.value) > 0 }
        let hasNegative = entries.contains { min($0.value, $0.lo ?? $0.value) < 0 }
        let width = 900.0, labelWidth = 200.0, valueWidth = 210.0, rowHeight = 30.0, top = 10.0
        let plotWidth = width - labelWidth - valueWidth
        // Zero on the right when every effect is a reduction, on the left when every one is an increase.
        let zero = labelWidth + (hasNegative && hasPositive ? plotWidth / 2 : hasNegative ? plotWidth : 0)
        let scale = (hasNegative && hasPositive ? plotWidth / 2 : plotWidth) / extent
        let height = top + Double(entries.count) * rowHeight + 12
        var svg = "<svg class=\"chart\" data-chart=\"attribution\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-labelledby=\"attribution-title attribution-desc\">\n"
        svg += "<title id=\"attribution-title\">Attribution of \(escape(metric)) by \(escape(method))</title>\n"
        svg += "<desc id=\"attribution-desc\">\(escape(entries.map { "\($0.id): \(fmt($0.value))" }.joined(separator: "; ")))</desc>\n"
        svg += "<line class=\"zero\" x1=\"\(n(zero))\" y1=\"\(n(top - 4))\" x2=\"\(n(zero))\" y2=\"\(n(height - 6))\" stroke=\"#1b1f24\" stroke-width=\"1\"/>\n"
        for (r, e) in entries.enumerated() {
            let y = top + Double(r) * rowHeight
            let x1 = zero + min(0, e.value) * scale, x2 = zero + max(0, e.value) * scale
            let undistinguished = e.distinguishable == false
            svg += "<g class=\"attribution-row\" data-control=\"\(escape(e.id))\">"
            svg += "<title>\(escape(e.id)): \(fmt(e.value))\(e.lo != nil ? ", 95% interval \(fmt(e.lo)) to \(fmt(e.hi))" : "")\(undistinguished ? " (not distinguishable from zero)" : "")</title>"
            svg += "<text x=\"0\" y=\"\(n(y + 19))\">\(escape(truncate(e.id, 28)))</text>"
            svg += "<rect class=\"attribution-bar\" data-control=\"\(escape(e.id))\" x=\"\(n(x1))\" y=\"\(n(y + 6))\" width=\"\(n(max(1, x2 - x1)))\" height=\"18\" fill=\"\(undistinguished ? "url(#hatch)" : e.value <= 0 ? "#0072b2" : "#d55e00")\" stroke=\"#1b1f24\" stroke-width=\"0.6\"/>"
            if let lo = e.lo, let hi = e.hi {
                let xl = zero + lo * scale, xh = zero + hi * scale
                svg += "<line x1=\"\(n(xl))\" y1=\"\(n(y + 15))\" x2=\"\(n(xh))\" y2=\"\(n(y + 15))\" stroke=\"#1b1f24\" stroke-width=\"1.4\"/>"
                svg += "<line x1=\"\(n(xl))\" y1=\"\(n(y + 10))\" x2=\"\(n(xl))\" y2=\"\(n(y + 20))\" stroke=\"#1b1f24\" stroke-width=\"1.2\"/><line x1=\"\(n(xh))\" y1=\"\(n(y + 10))\" x2=\"\(n(xh))\" y2=\"\(n(y + 20))\" stroke=\"#1b1f24\" stroke-width=\"1.2\"/>"
            }
            svg += "<text x=\"\(n(labelWidth + plotWidth + 10))\" y=\"\(n(y + 19))\">\(escape(fmt(e.value)))\(undistinguished ? " · not distinguishable from 0" : "")</text>"
            svg += "</g>\n"
        }
        svg += "</svg>\n"
        let methodText = method == "shapley" ? "Shapley values: each control's average marginal change over every order of adding the controls; they add up to the all-controls change of \(fmt(total))."
            : method == "leave-one-out" ? "Leave-one-out: each control's change when it is removed from all of them (all together: \(fmt(total)))." : ""
        var table = "<table><thead><tr><th>#</th><th>control</th><th class=\"num\">value</th><th class=\"num\">95% interval</th><th></th></tr></thead><tbody>\n"
        for (r, e) in entries.enumerated() {
            table += "<tr><td>\(r + 1)</td><td><code>\(escape(e.id))</code></td><td class=\"num\">\(escape(fmt(e.value)))</td><td class=\"num\">\(e.lo != nil ? "[\(escape(fmt(e.lo))), \(escape(fmt(e.hi)))]" : "–")</td><td>\(e.distinguishable == false ? "not distinguishable from zero" : e.distinguishable == nil ? "no interval (time metric)" : "")</td></tr>\n"
        }
        table += "</tbody></table>\n"
        return "<p>Attribution of <strong>\(escape(metric.replacingUnderscores))</strong>. \(escape(methodText))</p>\n<figure>\n\(svg)<figcaption>Bars: each control's share of the change (blue: a reduction; hatched: not distinguishable from zero), with its 95% interval.</figcaption>\n</figure>\n" + table
    }

    // MARK: Tables and text

    static func whatifSummary(_ json: JSONValue, variants: [JSONValue], total: Int) -> String {
        let baseline = json["baseline"]?["incident_probability"]?["estimate"]?.double
        var html = "<p class=\"lead\">Baseline: an incident in <strong>\(Format.percent(baseline))</strong> of \(Format.count(json["trials"]?.double)) trials. "
        html += "Each variant ran on the same trials with the same draws (common random numbers), so every difference below is paired trial by trial.</p>\n<ul class=\"paragraphs\">\n"
        for v in variants {
            let controls = v["controls"]?.array?.compactMap(\.string) ?? []
            let label = variantLabel(controls, role: v["role"]?.string, total: total)
            let p = v["result"]?["incident_probability"]?["estimate"]?.double
            let averted = v["paired"]?["averted"]
            let harm = v["paired"]?["new_harm"]
            let failed = v["paired"]?["difference"]?["failed_requests"]
            var text = "<strong>\(escape(label))</strong>: P(incident) \(Format.percent(p))"
            if let share = averted?["share"]?.double {
                text += "; averts \(Format.percent(share)) of baseline incidents (95% interval \(Format.percent(averted?["ci95"]?[0]?.double))–\(Format.percent(averted?["ci95"]?[1]?.double)))"
            }
            if let h = harm?["share"]?.double, h > 0 { text += "; <em>new harm in \(Format.percent(h)) of trials at risk</em>" }
            if let mean = failed?["mean"]?.double {
                text += "; failed requests \(Format.signedCount(mean.rounded())) per trial on average"
            }
            html += "<li>\(text).</li>\n"
        }
        return html + "</ul>\n"
    }

    static func pairedTable(_ json: JSONValue, variants: [JSONValue], total: Int) -> String {
        var html = "<table><thead><tr><th>variant</th><th class=\"num\">P(incident)</th><th class=\"num\">change (paired)</th><th class=\"num\">averted</th><th class=\"num\">new harm</th><th class=\"num\">failed requests change</th><th class=\"num\">time to mitigate change</th></tr></thead><tbody>\n"
        let base = json["baseline"]?["incident_probability"]
        html += "<tr data-variant=\"baseline\"><td>baseline</td><td class=\"num\">\(Format.percent(base?["estimate"]?.double)) \(interval(base?["ci95"], Format.percent))</td><td></td><td></td><td></td><td></td><td></td></tr>\n"
        for v in variants {
            let controls = v["controls"]?.array?.compactMap(\.string) ?? []
            let p = v["result"]?["incident_probability"]
            let paired = v["paired"]
            let change = paired?["incident_probability_change"]
            let averted = paired?["averted"], harm = paired?["new_harm"]
            let failed = paired?["difference"]?["failed_requests"], ttm = paired?["difference"]?["time_to_mitigate"]
            html += "<tr data-variant=\"\(escape(controls.joined(separator: ",")))\"><td>\(escape(variantLabel(controls, role: v["role"]?.string, total: total)))</td>"
            html += "<td class=\"num\">\(Format.percent(p?["estimate"]?.double)) \(interval(p?["ci95"], Format.percent))</td>"
            html += "<td class=\"num\">\(Format.points(change?["mean"]?.double)) \(interval(change?["ci95"], Format.points))</td>"
            html += "<td class=\"num\">\(Format.percent(averted?["share"]?.double)) \(interval(averted?["ci95"], Format.percent))</td>"
            html += "<td class=\"num\">\(Format.percent(harm?["share"]?.double)) \(interval(harm?["ci95"], Format.percent))</td>"
            html += "<td class=\"num\">\(Format.signedCount(failed?["mean"]?.double.map { $0.rounded() })) \(interval(failed?["ci95"]) { Format.signedCount($0?.rounded()) })</td>"
            html += "<td class=\"num\">\(Format.signedDuration(ttm?["mean"]?.double)) \(interval(ttm?["ci95"], Format.signedDuration)) <span class=\"muted\">n=\(Format.count(ttm?["n"]?.double))</span></td></tr>\n"
        }
        return html + "</tbody></table>\n<p class=\"meta\">Changes are variant − baseline per trial, over the trials where both are defined; averted = share of baseline incidents that are not incidents in the variant; new harm = share of baseline trials with a fault and no incident that become incidents.</p>\n"
    }

    static func interval(_ json: JSONValue?, _ format: (Double?) -> String) -> String {
        guard let lo = json?[0]?.double, let hi = json?[1]?.double else { return "" }
        return "<br><span class=\"muted\">[\(escape(format(lo))), \(escape(format(hi)))]</span>"
    }

    static func controlsTable(_ json: JSONValue, ids: [String]) -> String {
        var html = "<table><thead><tr><th>control</th><th>action item</th><th>what it changes</th></tr></thead><tbody>\n"
        for id in ids {
            let detail = json["control_details"]?[id]
            html += "<tr><td><code>\(escape(id))</code></td><td>\(escape(detail?["action_item"]?.string ?? ""))</td><td>\(escape(detail?["description"]?.string ?? ""))</td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    static func caveatList(_ caveats: [JSONValue]) -> String {
        if caveats.isEmpty { return "<p>None: every effect is distinguishable from zero, nothing causes new harm, and the baseline has enough incidents.</p>\n" }
        var html = "<ul class=\"caveats\">\n"
        for c in caveats {
            html += "<li><span class=\"caveat-kind\">\(escape(c["kind"]?.string ?? ""))</span>\(escape(c["message"]?.string ?? ""))</li>\n"
        }
        return html + "</ul>\n"
    }

    static func factualSentence(_ factual: JSONValue) -> String {
        let metrics = factual["trial_metrics"]
        var text = "The factual trial (the baseline with every observed pin) is \(metrics?["outcome"]?.string == "incident" ? "an incident" : "a \(metrics?["outcome"]?.string ?? "") trial")"
        text += " with \(Format.count(metrics?["failed_requests"]?.double)) failed requests over \(Format.duration(metrics?["impact_duration"]?.double)) of impact."
        if factual["identical"]?.bool == true {
            text += " Every factual trial is the same: the pins fix every draw that matters."
        } else {
            let unpinned = factual["unpinned_draws"]?.array?.count ?? 0
            text += " It is a distribution: \(unpinned) draw\(unpinned == 1 ? "" : "s") on the factual path are not pinned; shown is the median trial by failed requests."
        }
        return text
    }

    static func calibrationTable(_ factual: JSONValue, started: String?) -> String {
        let tolerance = factual["tolerance"]?.double ?? 60
        var html = "<p>Each milestone's model time in the factual trial against the postmortem's (match within \(Format.duration(tolerance))).</p>\n"
        html += "<table data-table=\"calibration\"><thead><tr><th>milestone</th><th class=\"num\">observed</th><th class=\"num\">model</th><th class=\"num\">difference</th><th>verdict</th></tr></thead><tbody>\n"
        for milestone in Milestone.allCases {
            guard let row = factual["milestones"]?[milestone.rawValue] else { continue }
            let verdict: String
            switch row["matches"]?.bool {
            case true?: verdict = "<span class=\"badge ok\">✓ matches</span>"
            case false?: verdict = "<span class=\"badge no\">✗ does not match</span>"
            default: verdict = "<span class=\"muted\">not observed</span>"
            }
            func time(_ t: Double?) -> String {
                guard let t else { return "–" }
                guard let started, let t0 = ISO8601.parse(started) else { return Format.duration(t) }
                return "\(Format.duration(t)) <span class=\"muted\">(\(String(ISO8601.format((t0 + t).rounded()).dropFirst(11).prefix(8))))</span>"
            }
            html += "<tr data-milestone=\"\(milestone.rawValue)\"><td>\(milestone.rawValue)</td><td class=\"num\">\(time(row["observed"]?.double))</td><td class=\"num\">\(time(row["model"]?.double))</td><td class=\"num\">\(row["difference"]?.double.map(Format.signedDuration) ?? "")</td><td>\(verdict)</td></tr>\n"
        }
        return html + "</tbody></table>\n"
    }

    static func variantLabel(_ controls: [String], role: String?, total: Int) -> String {
        if controls.count == 1 { return controls[0] }
        if role == "all" { return "all \(total) together" }
        return controls.joined(separator: " + ")
    }

    static func setLabel(_ controls: JSONValue?) -> String {
        (controls?.array?.compactMap(\.string) ?? []).joined(separator: " + ")
    }

    static func truncate(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }

    /// A coordinate with one decimal.
    static func n(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        return Scalars.formatFixed(value, decimals: 1)
    }

    /// Escapes text for HTML content and attributes.
    public static func escape(_ text: String) -> String { HTMLText.escape(text) }
}

extension String {
    /// JSON inside a `<script type="application/json">` must not close the element.
    var replacingScriptEnd: String {
        var out = ""
        var iterator = makeIterator()
        var previous: Character?
        while let c = iterator.next() {
            if previous == "<" && c == "/" { out += "\\/" } else { out.append(c) }
            previous = c
        }
        return out
    }
}

import GamedayModel

extension ScenarioAnalysis {
    /// The report for a reviewer at a terminal: per injection, its barriers with effectiveness,
    /// risk reduction factor and marginal value, its coverage, and its findings.
    ///
    /// - Parameter paint: styles a severity tag (the CLI colors it on a terminal); `nil` leaves it plain.
    public func text(paint: ((Finding.Severity, String) -> String)? = nil) -> String {
        let p = AnalysisFormat.probability
        var out = "\(scenarioID): \(title)\n"
        out += "file \(path) (sha256 \(sha256.prefix(12)))\n"
        out += "controls: \(controls.isEmpty ? "none (baseline)" : controls.joined(separator: ", "))\n"
        for a in injections {
            out += "\n== \(a.id): \(a.target) at \(Scalars.formatPercent(a.errorRate)) errors ==\n"
            out += "Occurs       \(p(a.occurrence.probability))\(a.occurrence.probabilityIsUncertain ? " (mean of a belief)" : ""): \(a.occurrence.note)\n"
            if a.occurrence.kind == .triggered {
                out += "             reachable by: \(a.occurrence.reachableBy.isEmpty ? "no single injection" : a.occurrence.reachableBy.joined(separator: ", "))\n"
            }

            var prevention = "Prevention   passes \(p(a.prevention.passes))"
            if a.prevention.barriers.isEmpty {
                prevention += " (no preventive barrier)"
            } else {
                prevention += " (risk reduction \(AnalysisFormat.factor(a.prevention.riskReductionFactor))×"
                if abs(a.prevention.lopaProduct - a.prevention.passes) > 1e-12 {
                    prevention += "; multiplying effectiveness would claim \(p(a.prevention.lopaProduct))"
                }
                prevention += ")"
            }
            out += prevention + "\n"
            if !a.prevention.barriers.isEmpty {
                var rows = [["barrier", "stops", "common cause", "effective", "RRF", "marginal", "notes"]]
                for b in a.prevention.barriers {
                    var notes: [String] = []
                    if b.uncertain { notes.append("mean of a belief") }
                    if b.exposure > 0 { notes.append("lets \(Scalars.formatPercent(b.exposure)) through for \(b.takes.yamlText)") }
                    if let control = b.addedBy { notes.append("added by \(control)") }
                    rows.append([b.id, p(b.stopChance), b.commonCause.map { "\($0.group) beta \(Scalars.formatPercent($0.beta))" } ?? "-",
                                 p(b.effectiveness), AnalysisFormat.factor(b.riskReductionFactor), AnalysisFormat.points(b.marginalValue),
                                 notes.joined(separator: "; ")])
                }
                out += Self.table(rows, indent: "  ")
            }

            out += "Blast radius " + a.blastRadius.map { service in
                var text = "\(service.id) \(p(service.peakErrorRate))"
                if let traffic = service.traffic { text += " (\(Scalars.formatCount(traffic * 60))/min)" }
                return text
            }.joined(separator: ", ") + "\n"

            if a.detection.barriers.isEmpty {
                out += "Detection    none: no detect barrier watches \(a.blastRadius.map(\.id).joined(separator: ", "))\n"
            } else {
                out += "Detection    coverage \(p(a.detection.coverage)), effective \(p(a.detection.effectiveCoverage))"
                if !a.detection.pagedResponders.isEmpty { out += "; pages reach \(a.detection.pagedResponders.joined(separator: ", "))" }
                out += "\n"
                var rows = [["barrier", "watches", "condition", "works", "common cause", "marginal", "pages"]]
                for d in a.detection.barriers {
                    var condition = d.condition
                    if !d.thresholdReachable { condition += " (unreachable: \(p(d.peakErrorRate)))" }
                    rows.append([d.id, d.watches, condition, p(d.reliability) + (d.uncertain ? "~" : ""),
                                 d.commonCause.map { "\($0.group) beta \(Scalars.formatPercent($0.beta))" } ?? "-",
                                 AnalysisFormat.points(d.marginalValue), d.notifies ?? "nobody"])
                }
                out += Self.table(rows, indent: "  ")
            }

            if a.mitigation.removers.isEmpty {
                out += "Mitigation   none removes it; it \(AnalysisFormat.healing(a.lasts))\n"
            } else {
                for (index, m) in a.mitigation.removers.enumerated() {
                    var line = index == 0 ? "Mitigation   " : "             "
                    line += "\(m.id): "
                    if m.automatic {
                        line += "automatic" + (m.condition.map { " when \(AnalysisFormat.condition($0))" } ?? "")
                        if m.conditionReachable == false { line += " (not reached by \(a.id) alone)" }
                    } else {
                        line += "manual, used by \(m.usedBy.isEmpty ? "nobody" : m.usedBy.joined(separator: ", "))"
                        if !m.usedBy.isEmpty { line += m.pagedUsers.isEmpty ? " (none of them is paged about it)" : " (paged: \(m.pagedUsers.joined(separator: ", ")))" }
                    }
                    line += "; works \(p(m.reliability)) per attempt"
                    out += line + "\n"
                }
                out += "             otherwise it \(AnalysisFormat.healing(a.lasts))\n"
            }
            for (index, cap) in a.caps.enumerated() {
                out += (index == 0 ? "Caps         " : "             ")
                out += "\(cap.barrier) caps \(cap.service) on \(cap.dependency) from \(Scalars.formatPercent(cap.weight)) to \(Scalars.formatPercent(cap.cappedWeight))"
                out += cap.automatic ? " (automatic)\n" : " (used by \(cap.usedBy.isEmpty ? "nobody" : cap.usedBy.joined(separator: ", ")))\n"
            }
            out += Self.findingsText(a.findings, paint: paint)
        }
        if !findings.isEmpty {
            out += "\n== Scenario-wide ==\n"
            out += Self.findingsText(findings, paint: paint)
        }
        let counts = Finding.Severity.allCases.map { severity in (severity, allFindings.filter { $0.severity == severity }.count) }
        out += "\n" + counts.map { "\($1) \($0.rawValue)" }.joined(separator: ", ") + " finding\(allFindings.count == 1 ? "" : "s")\n"
        return out
    }

    static func findingsText(_ findings: [Finding], paint: ((Finding.Severity, String) -> String)?) -> String {
        guard !findings.isEmpty else { return "Findings     none\n" }
        var out = "Findings\n"
        for finding in findings {
            let tag = "[\(finding.severity.rawValue)]"
            let painted = paint?(finding.severity, tag) ?? tag
            let lines = wrap("\(finding.code.rawValue): \(finding.message)", width: 96)
            out += "  \(painted) \(lines[0])\n"
            for line in lines.dropFirst() { out += String(repeating: " ", count: 3 + tag.count) + line + "\n" }
        }
        return out
    }

    /// Columns padded to their widest cell; the last column is not padded.
    static func table(_ rows: [[String]], indent: String) -> String {
        guard let columns = rows.map(\.count).max() else { return "" }
        var widths = Array(repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var out = ""
        for row in rows {
            var line = indent
            for (i, cell) in row.enumerated() {
                line += i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 2)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }

    /// Words wrapped to lines of at most `width` characters (a longer word gets its own line).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        lines.append(line)
        return lines
    }

    // MARK: Markdown

    /// The report as Markdown, with each injection's bow-tie and blast radius embedded as
    /// ```mermaid blocks (GitHub and GitLab render them).
    public var markdown: String {
        let p = AnalysisFormat.probability
        var out = "# Barrier analysis: \(scenarioID)\n\n"
        out += "\(Self.cell(title)). File `\(path)` (sha256 `\(sha256.prefix(12))`). "
        out += "Controls: \(controls.isEmpty ? "none (baseline)" : controls.map { "`\($0)`" }.joined(separator: ", ")).\n\n"
        out += "Exact numbers from the barrier model, before any simulation (see docs/analyze.md). Timing is ignored.\n"
        for a in injections {
            out += "\n## \(a.id)\n\n"
            if let description = a.description { out += Self.cell(description) + "\n\n" }
            out += "- **Target:** \(a.target) at \(Scalars.formatPercent(a.errorRate)) errors\n"
            out += "- **Occurs:** \(p(a.occurrence.probability)) (\(Self.cell(a.occurrence.note)))\n"
            out += "- **Passes prevention:** \(p(a.prevention.passes))"
            if !a.prevention.barriers.isEmpty {
                out += " (risk reduction \(AnalysisFormat.factor(a.prevention.riskReductionFactor))×"
                if abs(a.prevention.lopaProduct - a.prevention.passes) > 1e-12 { out += "; multiplying effectiveness would claim \(p(a.prevention.lopaProduct))" }
                out += ")"
            }
            out += "\n"
            out += "- **Blast radius:** " + a.blastRadius.map { "\($0.id) (\(p($0.peakErrorRate)))" }.joined(separator: ", ") + "\n"
            out += "- **Detect coverage:** \(p(a.detection.coverage)) (effective \(p(a.detection.effectiveCoverage)))\n"
            out += "- **Mitigations:** " + (a.mitigation.removers.isEmpty ? "none" : a.mitigation.removers.map { m in
                m.automatic ? "\(m.id) (automatic)" : "\(m.id) (used by \(m.usedBy.isEmpty ? "nobody" : m.usedBy.joined(separator: ", ")))"
            }.joined(separator: ", ")) + "; otherwise it \(AnalysisFormat.healing(a.lasts))\n"
            if !a.caps.isEmpty {
                out += "- **Caps:** " + a.caps.map { "\($0.barrier) caps \($0.service) on \($0.dependency) at \(Scalars.formatPercent($0.cappedWeight))" }.joined(separator: ", ") + "\n"
            }
            if !a.prevention.barriers.isEmpty {
                out += "\n| Preventive barrier | Stops | Common cause | Effective | RRF | Marginal value |\n|---|---|---|---|---|---|\n"
                for b in a.prevention.barriers {
                    out += "| \(b.id) | \(p(b.stopChance)) | \(b.commonCause.map { "\($0.group), beta \(Scalars.formatPercent($0.beta))" } ?? "–") | \(p(b.effectiveness)) | \(AnalysisFormat.factor(b.riskReductionFactor)) | \(AnalysisFormat.points(b.marginalValue)) |\n"
                }
            }
            if !a.detection.barriers.isEmpty {
                out += "\n| Detect barrier | Watches | Condition | Works | Marginal value | Pages |\n|---|---|---|---|---|---|\n"
                for d in a.detection.barriers {
                    out += "| \(d.id) | \(d.watches) | \(Self.cell(d.condition))\(d.thresholdReachable ? "" : " (unreachable)") | \(p(d.reliability)) | \(AnalysisFormat.points(d.marginalValue)) | \(d.notifies ?? "nobody") |\n"
                }
            }
            if !a.findings.isEmpty {
                out += "\n**Findings**\n\n"
                for f in a.findings { out += "- **\(f.severity.rawValue)** `\(f.code.rawValue)`: \(Self.cell(f.message))\n" }
            }
            out += "\n```mermaid\n" + Diagrams.bowTie(a, syntax: .mermaid) + "```\n"
            out += "\n<details><summary>Blast radius of \(a.id)</summary>\n\n```mermaid\n"
            out += Diagrams.serviceGraph(self, blastRadiusOf: a, syntax: .mermaid) + "```\n\n</details>\n"
        }
        if !findings.isEmpty {
            out += "\n## Scenario-wide findings\n\n"
            for f in findings { out += "- **\(f.severity.rawValue)** `\(f.code.rawValue)`: \(Self.cell(f.message))\n" }
        }
        return out
    }

    /// Text safe inside a Markdown table cell or list item: pipes escaped, `<` and `&` as
    /// entities (so a title cannot open an HTML tag), line breaks as spaces.
    static func cell(_ text: String) -> String {
        text.replacingAll("&", with: "&amp;").replacingAll("<", with: "&lt;").replacingAll("|", with: "\\|")
            .replacingAll("\n", with: " ").trimmingWhitespace
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }

    var trimmingWhitespace: String {
        var s = Substring(self)
        while let first = s.first, first.isWhitespace { s.removeFirst() }
        while let last = s.last, last.isWhitespace { s.removeLast() }
        return String(s)
    }
}

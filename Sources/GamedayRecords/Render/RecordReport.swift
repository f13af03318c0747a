import GamedayModel

/// Who a report is for.
public enum Audience: String, Sendable, CaseIterable {
    /// An executive brief: impact, risk posture, recommended changes and what each would buy.
    case exec
    /// The engineering report: timeline, five whys, barrier analysis, event map, evidence.
    case engineering
    /// Front-line guidance: what to look for, what to do, which runbook changed.
    case frontline
}

/// Renders one record for one audience (spec: postmortem.md, "Reports for each audience").
public enum RecordReport {
    /// The report text.
    ///
    /// - Parameters:
    ///   - scenario: the linked scenario, when loaded (adds the modelled barriers to the analysis).
    ///   - asOf: the day overdue actions are counted on (seconds since the epoch).
    public static func render(_ record: Record, audience: Audience, format: ReportFormat, scenario: Scenario? = nil, asOf: Double) -> String {
        document(record, audience: audience, scenario: scenario, asOf: asOf).render(format)
    }

    static func document(_ record: Record, audience: Audience, scenario: Scenario?, asOf: Double) -> ReportDocument {
        let context = Context(record: record, scenario: scenario, asOf: asOf)
        switch audience {
        case .exec: return context.executive()
        case .engineering: return context.engineering()
        case .frontline: return context.frontline()
        }
    }

    /// The Mermaid flowchart of a record's timeline (the event map).
    ///
    /// Each entry is a node. An entry with `caused_by` is linked from those entries; any other
    /// entry is linked from the entry before it. Barriers the analysis says failed, were missing
    /// or held only partly are drawn beside the first entry of the stage they should have acted
    /// in (prevent: the trigger; detect: the first detection; mitigate: the first mitigation).
    public static func eventMap(_ record: Record) -> String {
        var lines = ["flowchart TD"]
        let start = record.times.started?.seconds ?? record.timeline.first?.at.seconds ?? 0
        var nodeIDs: [String] = []
        for (index, entry) in record.timeline.enumerated() {
            let id = "t\(index + 1)"
            nodeIDs.append(id)
            let clock = String(ISO8601.format(entry.at.seconds).dropFirst(11).prefix(5))
            let offset = entry.at.seconds - start
            let offsetText = offset >= 0 ? "+" + Scalars.formatDuration(offset) : "−" + Scalars.formatDuration(-offset)
            let label = "\(clock) UTC (\(offsetText)) \(entry.kind.rawValue)<br/>" + mermaidEscape(entry.text)
            lines.append("  \(id)[\"\(label)\"]:::\(entry.kind.rawValue)")
        }
        for (index, entry) in record.timeline.enumerated() {
            if let causes = entry.causedBy {
                for cause in causes {
                    if let from = record.timeline.firstIndex(where: { $0.id == cause.id }) { lines.append("  \(nodeIDs[from]) --> \(nodeIDs[index])") }
                }
            } else if index > 0 {
                lines.append("  \(nodeIDs[index - 1]) --> \(nodeIDs[index])")
            }
        }
        let stage: [BarrierRole: TimelineKind] = [.prevent: .trigger, .detect: .detection, .mitigate: .mitigation]
        for (index, barrier) in record.analysis.barriers.enumerated() {
            guard let state = barrier.state, [.failed, .missing, .partial].contains(state) else { continue }
            let id = "b\(index + 1)"
            let role = barrier.expected.map { " (\($0.rawValue))" } ?? ""
            lines.append("  \(id){{\"barrier \(mermaidEscape(barrier.barrier))\(role)<br/>\(state.rawValue)\"}}:::barrier")
            if let role = barrier.expected, let kind = stage[role], let target = record.timeline.firstIndex(where: { $0.kind == kind }) {
                lines.append("  \(id) -. \(state.rawValue) .-> \(nodeIDs[target])")
            }
        }
        lines.append("  classDef trigger fill:#ffe3e3,stroke:#c92a2a")
        lines.append("  classDef detection fill:#fff3bf,stroke:#e67700")
        lines.append("  classDef mitigation fill:#d3f9d8,stroke:#2b8a3e")
        lines.append("  classDef resolution fill:#d3f9d8,stroke:#2b8a3e")
        lines.append("  classDef barrier fill:#f1f3f5,stroke:#868e96,stroke-dasharray: 4 2")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Text inside a quoted Mermaid label.
    static func mermaidEscape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "#quot;"
            case "#": out += "#35;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "\n", "\r": out += " "
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// Whether an open action's due date is before the day of `asOf`.
    public static func isOverdue(_ action: Action, asOf: Double) -> Bool {
        guard action.status.isOpen, let due = action.due else { return false }
        return due.seconds < (asOf / 86_400).rounded(.down) * 86_400
    }
}

/// What every view needs.
private struct Context {
    let record: Record
    let scenario: Scenario?
    let asOf: Double
    let verifications: [ActionVerification]

    init(record: Record, scenario: Scenario?, asOf: Double) {
        self.record = record
        self.scenario = scenario
        self.asOf = asOf
        self.verifications = ActionVerification.evaluate(record)
    }

    typealias Inline = ReportDocument.Inline

    func verification(_ action: Action) -> ActionVerification? { verifications.first { $0.action.id == action.id } }

    func when(_ t: Timestamp) -> String {
        let iso = ISO8601.format(t.seconds)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5)) + " UTC"
    }

    func since(_ milestone: RecordMilestone) -> String? { record.times.elapsed(to: milestone).map { Scalars.formatDuration($0) } }

    var header: [Inline] {
        var parts = ["\(record.kind.rawValue)"]
        if let severity = record.severity { parts.append(severity) }
        if let category = record.category { parts.append(category) }
        parts.append("status \(record.status.rawValue)" + (record.revision.map { ", revision \($0)" } ?? ""))
        if let started = record.times.started { parts.append(when(started)) }
        parts.append("owner \(record.owner)")
        return [.text(parts.joined(separator: " · "))]
    }

    /// "done, verified", "open, overdue (due 2025-08-15)", ...
    func stateText(_ action: Action) -> String {
        var text = action.status.rawValue
        if RecordReport.isOverdue(action, asOf: asOf), let due = action.due { text += ", overdue since \(due.day)" }
        if let v = verification(action) {
            switch v.state {
            case .verified: text += ", verified"
            case .supported: text += ", evidence meets its metric"
            case .notMet: text += ", evidence does not meet its metric"
            case .inconclusive: text += ", evidence inconclusive"
            case .stale: text += ", evidence is stale: " + rerun(v.reading?.entry)
            default: break
            }
        }
        return text
    }

    /// "re-run `gameday whatif ...`": how to refresh a stale entry.
    func rerun(_ entry: EvidenceEntry?) -> String {
        guard let entry else { return "re-run it" }
        if let command = entry.command { return "re-run \(command)" }
        return "re-run it (\(EvidenceSummary.provenance(entry)))"
    }

    /// "ran an earlier version of scenarios/x.yaml (sha256 c28c956ed128 then, ed8e5951b2f1 now)".
    func staleness(_ entry: EvidenceEntry) -> String {
        guard let stamp = entry.scenario, let now = entry.currentScenarioSHA256 else { return "ran an earlier version of the scenario" }
        return "ran an earlier version of the scenario \(stamp.path) (sha256 \(stamp.sha256.prefix(12)) then, \(now.prefix(12)) now)"
    }

    func readingText(_ reading: EvidenceReading, _ expectation: MetricExpectation, verdict: Bool = true) -> String {
        var text = "\(reading.entry.id ?? "evidence"): \(EvidenceSummary.label(for: reading.key)) \(expectation.format(reading.value))"
        if let low = reading.low, let high = reading.high { text += " (95% CI \(expectation.format(low)) to \(expectation.format(high)))" }
        text += " against \(expectation.comparison.rawValue.replacingOccurrences(of: "_", with: " ")) \(expectation.format(expectation.threshold))"
        guard verdict else { return text }
        text += ": "
        switch reading.verdict {
        case .met: text += "met"
        case .notMet: text += "not met"
        case .inconclusive: text += "inconclusive (the interval straddles the threshold)"
        }
        return text
    }

    func impactItems() -> [[Inline]] {
        var items: [[Inline]] = []
        if let summary = record.impact?.summary { items.append([.text(summary)]) }
        if let failed = record.impact?.failedRequests { items.append([.text("Failed requests: \(Scalars.formatCount(failed))")]) }
        if let budget = record.impact?.sloBudgetConsumed { items.append([.text("Error budget consumed: \(Scalars.formatPercent(budget))")]) }
        var times: [String] = []
        for milestone in [RecordMilestone.detected, .mitigated, .resolved] {
            if let s = since(milestone) { times.append("\(milestone.rawValue) after \(s)") }
        }
        if !times.isEmpty { items.append([.text("Timing: " + times.joined(separator: ", "))]) }
        if !record.services.isEmpty { items.append([.text("Services: "), .code(record.services.joined(separator: ", "))]) }
        return items
    }

    // MARK: Executive brief

    func executive() -> ReportDocument {
        var doc = ReportDocument(title: "\(record.id): \(record.title)")
        doc.paragraph(header)
        doc.heading(1, "Impact")
        doc.bullets(impactItems())

        doc.heading(1, "Risk posture")
        var posture: [[Inline]] = []
        let repeats = record.related.filter { $0.relation == .recurrenceOf }
        if !repeats.isEmpty {
            posture.append([.strong("This is a repeat"), .text(" of " + repeats.map(\.postmortem).joined(separator: ", ") + (record.fingerprint.map { " (fingerprint \($0))" } ?? "") + ".")])
        }
        let baselines = record.evidence.filter { $0.result?["incident_probability"]?["baseline"]?.double != nil }
        if let baseline = baselines.last(where: { !$0.isStale }) ?? baselines.last,
           let p = baseline.result?["incident_probability"]?["baseline"]?.double {
            var source = baseline.id ?? "evidence"
            if let trials = baseline.trials { source += ", \(Scalars.formatCount(Double(trials))) trials" }
            if baseline.isStale {
                // Never "today": the model has changed since this number was computed.
                posture.append([.text("An earlier version of the scenario put the chance that this failure becomes an incident at \(Scalars.formatPercent(p)) (\(source)); the scenario has changed since, so \(rerun(baseline)) for a current figure.")])
            } else {
                posture.append([.text("The simulation model puts the chance that this failure becomes an incident at \(Scalars.formatPercent(p)) today (\(source)).")])
            }
        }
        let open = record.actions.filter { $0.status.isOpen }
        let overdue = open.filter { RecordReport.isOverdue($0, asOf: asOf) }
        let done = record.actions.filter { $0.status == .done }
        let verified = verifications.filter(\.isVerified)
        if !record.actions.isEmpty {
            var text = "\(record.actions.count) action\(record.actions.count == 1 ? "" : "s"): \(done.count) done (\(verified.count) verified by evidence), \(open.count) open"
            if !overdue.isEmpty { text += ", \(overdue.count) overdue" }
            posture.append([.text(text + " as of \(ISO8601.formatDate(asOf)).")])
        } else {
            posture.append([.text("No actions recorded yet.")])
        }
        doc.bullets(posture)

        doc.heading(1, "Recommended changes")
        let rows: [[[Inline]]] = record.actions.filter { $0.status != .wontDo }.map { action in
            let v = verification(action)
            var buys: [Inline] = []
            let decisive = v?.reading?.entry ?? v?.linked.last(where: { $0.result != nil || $0.score != nil })
            if let entry = decisive, let headline = EvidenceSummary.headline(entry, focus: v?.reading?.key) {
                buys.append(.text(headline + " (\(entry.id ?? "")\(entry.isStale ? ", from an earlier version of the scenario" : ""))"))
            } else {
                buys.append(.emphasis("not simulated yet"))
            }
            if let reading = v?.reading, let expectation = action.metric?.expectation {
                let target = "; target \(expectation.comparison.rawValue.replacingOccurrences(of: "_", with: " ")) \(expectation.format(expectation.threshold)): "
                if reading.entry.isStale {
                    buys.append(.text(target + "not known until the evidence is re-run"))
                } else {
                    buys.append(.text(target + (reading.verdict == .met ? "met" : reading.verdict == .notMet ? "not met" : "inconclusive")))
                }
            }
            return [[.text(action.title)], [.text(action.owner ?? "—")], [.text(action.due?.day ?? "—")], [.text(stateText(action))], buys]
        }
        if rows.isEmpty { doc.paragraph(.emphasis("No recommended changes yet.")) }
        doc.table(["Change", "Owner", "Due", "Status", "What the simulations say it buys"], rows)
        let dropped = record.actions.filter { $0.status == .wontDo }
        if !dropped.isEmpty { doc.paragraph(.text("Not pursued: " + dropped.map(\.title).joined(separator: "; ") + ".")) }
        doc.note(.text("Figures come from the record's evidence entries (simulations and drills); intervals are 95% Monte Carlo intervals. See the engineering report for the numbers behind each change."))
        return doc
    }

    // MARK: Engineering report

    func engineering() -> ReportDocument {
        var doc = ReportDocument(title: "\(record.id): \(record.title)")
        doc.paragraph(header)
        var facts: [[Inline]] = []
        if !record.services.isEmpty { facts.append([.text("Services: "), .code(record.services.joined(separator: ", "))]) }
        if let fingerprint = record.fingerprint { facts.append([.text("Fingerprint: "), .code(fingerprint)]) }
        if let scenario = record.scenario { facts.append([.text("Scenario: "), .code(scenario.path)] + (self.scenario.map { [.text(" (\($0.id), sha256 \($0.source.sha256.prefix(12)))")] } ?? [.text(" (not loaded)")])) }
        if !record.related.isEmpty { facts.append([.text("Related: " + record.related.map { "\($0.postmortem) (\($0.relation.rawValue))" }.joined(separator: ", "))]) }
        if !record.participants.isEmpty { facts.append([.text("Participants: " + record.participants.map { $0.name + ($0.role.map { " (\($0))" } ?? "") }.joined(separator: ", "))]) }
        doc.bullets(facts)

        doc.heading(1, "Impact")
        doc.bullets(impactItems())

        doc.heading(1, "Times")
        doc.table(["Milestone", "Time", "Since start"], RecordMilestone.allCases.compactMap { m in
            record.times[m].map { [[.text(m.rawValue)], [.text(when($0))], [.text(since(m) ?? "—")]] }
        })

        doc.heading(1, "Timeline")
        if record.timeline.isEmpty {
            doc.paragraph(.emphasis("No timeline yet."))
        } else {
            let start = record.times.started?.seconds ?? record.timeline[0].at.seconds
            doc.table(["Time", "Since start", "Kind", "What happened"], record.timeline.map { entry in
                let offset = entry.at.seconds - start
                return [[.text(when(entry.at))], [.text(offset >= 0 ? "+" + Scalars.formatDuration(offset) : "−" + Scalars.formatDuration(-offset))],
                        [.text(entry.kind.rawValue)], [.text(entry.text)]]
            })
            doc.heading(2, "Event map")
            doc.code("mermaid", RecordReport.eventMap(record))
            doc.note(.text("Arrows link each event to its causes ("), .code("caused_by"), .text("), or else to the event before it; hexagons are barriers that failed, were missing or held only in part."))
        }

        doc.heading(1, "Five whys")
        if record.analysis.fiveWhys.isEmpty { doc.paragraph(.emphasis("No five-whys analysis yet.")) }
        for chain in record.analysis.fiveWhys {
            let finding = record.finding(chain.finding.id)
            doc.heading(2, "Toward \(chain.finding.id)" + (finding.map { ": \($0.text)" } ?? ""))
            doc.numbered(chain.whys.enumerated().map { index, why in [.strong(index == 0 ? "What happened?" : "Why?"), .text(" " + why)] })
        }

        doc.heading(1, "Barrier analysis")
        if record.analysis.barriers.isEmpty {
            doc.paragraph(.emphasis("No barrier analysis yet."))
        } else {
            doc.table(["Barrier", "Expected to", "State", "Finding", "Modelled in the scenario"], record.analysis.barriers.map { b in
                [[.code(b.barrier)], [.text(b.expected?.rawValue ?? "—")], [.text(b.state?.rawValue ?? "—")],
                 [.text(b.finding.map { f in f.id + (record.finding(f.id).map { ": " + $0.text } ?? "") } ?? "—")],
                 [.text(modelled(b.barrier) + (b.note.map { "; " + $0 } ?? ""))]]
            })
        }

        doc.heading(1, "Findings")
        doc.table(["Finding", "Kind", "What was found", "Addressed by"], record.findings.map { f in
            let actions = record.actions(for: f.id).map(\.id)
            let addressed = !actions.isEmpty ? actions.joined(separator: ", ") : (record.noAction(for: f.id).map { "no action: " + $0.why } ?? "NOTHING (traceability gap)")
            return [[.text(f.id)], [.text(f.kind ?? "—")], [.text(f.text)], [.text(addressed)]]
        })
        if record.findings.isEmpty { doc.paragraph(.emphasis("No findings yet.")) }

        doc.heading(1, "Actions and the evidence behind them")
        if record.actions.isEmpty { doc.paragraph(.emphasis("No actions yet.")) }
        for action in record.actions {
            doc.heading(2, "\(action.id): \(action.title)")
            var items: [[Inline]] = []
            items.append([.text("Status: \(stateText(action))")])
            items.append([.text("Owner \(action.owner ?? "—"), due \(action.due?.day ?? "—")" + (action.kind.map { ", kind \($0.rawValue)" } ?? "") + (action.finding.map { ", addresses \($0.id)" } ?? ""))])
            if let metric = action.metric {
                var line: [Inline] = metric.expectation.map { $0.description == metric.text } == true ? [.text("Metric: "), .code(metric.text)] : [.text("Metric: \(metric.text)")]
                if let e = metric.expectation, metric.text != e.description { line += [.text(" (checked as "), .code(e.description), .text(")")] }
                items.append(line)
            }
            if let control = action.control { items.append([.text("Modelled by control "), .code(control.id)]) }
            if let ticket = action.ticket {
                let name = [ticket.system, ticket.key].compactMap { $0 }.joined(separator: " ")
                items.append(ticket.url.map { [.text("Ticket: "), .link(name.isEmpty ? $0 : name, url: $0)] } ?? [.text("Ticket: \(name)")])
            }
            let v = verification(action)
            if let reading = v?.reading, let expectation = action.metric?.expectation, reading.entry.isStale {
                items.append([.strong("Verdict:"), .text(" evidence is stale: \(reading.entry.id ?? "the evidence") \(staleness(reading.entry)), so it does not count; "),
                              .text(rerun(reading.entry) + ". On the earlier scenario it read " + readingText(reading, expectation, verdict: false) + ".")])
            } else if let reading = v?.reading, let expectation = action.metric?.expectation {
                items.append([.strong("Verdict:"), .text(" " + readingText(reading, expectation))])
            } else if let v {
                switch v.state {
                case .proseMetric: items.append([.text("The metric is prose; add "), .code("verify: {QUANTITY_below: VALUE}"), .text(" to check it against evidence.")])
                case .noEvidence: items.append([.text("No evidence reports this metric yet.")])
                default: break
                }
            }
            doc.bullets(items)
            let linked = v?.linked ?? []
            if !linked.isEmpty {
                doc.table(["Evidence", "Kind", "Numbers", "Reproduce with"], linked.map(evidenceRow))
            }
        }

        let unlinked = record.evidence.filter { entry in !record.actions.contains { ActionVerification.isLinked(entry, to: $0) } }
        if !unlinked.isEmpty {
            doc.heading(1, "Other evidence")
            doc.table(["Evidence", "Kind", "Numbers", "Reproduce with"], unlinked.map(evidenceRow))
        }
        if !record.noAction.isEmpty {
            doc.heading(1, "Findings left without action")
            doc.bullets(record.noAction.map { [.text("\($0.finding.id): \($0.why)")] })
        }
        if !record.history.isEmpty {
            doc.heading(1, "History")
            doc.table(["Revision", "Date", "By", "Change"], record.history.map { h in
                [[.text(h.revision.map(String.init) ?? "—")], [.text(h.date?.day ?? "—")], [.text(h.by ?? "—")], [.text(h.change ?? "—")]]
            })
        }
        return doc
    }

    func evidenceRow(_ entry: EvidenceEntry) -> [[Inline]] {
        var kind = entry.kind.rawValue
        if let drill = entry.drill { kind += " " + drill }
        if let check = entry.check { kind += ": " + check }
        if entry.isStale { kind += " (stale: \(staleness(entry)))" }
        var numbers: [Inline] = []
        for (i, phrase) in EvidenceSummary.phrases(entry).enumerated() {
            if i > 0 { numbers.append(.text("\n")) }
            numbers.append(.text(phrase))
        }
        if numbers.isEmpty { numbers = [.text("—")] }
        var reproduce: [Inline] = [.text(EvidenceSummary.provenance(entry))]
        if let command = entry.command { reproduce += [.text("\n"), .code(command)] }
        return [[.text(entry.id ?? "—")], [.text(kind)], numbers, reproduce]
    }

    /// What the scenario says about a barrier: "prevent, effectiveness 30%".
    func modelled(_ id: String) -> String {
        guard let scenario else { return record.scenario == nil ? "—" : "scenario not loaded" }
        guard let barrier = scenario.barrier(id) else { return "not in the scenario" }
        func p(_ value: ProbabilityValue) -> String {
            if case .fixed(let x) = value { return Scalars.formatPercent(x) }
            return "uncertain"
        }
        switch barrier.kind {
        case .prevent(let prevent): return "prevent, effectiveness \(p(prevent.effectiveness))"
        case .detect: return "detect, reliability \(p(barrier.reliability))"
        case .mitigate: return "mitigate, reliability \(p(barrier.reliability)) per attempt"
        }
    }

    // MARK: Front-line guidance

    func frontline() -> ReportDocument {
        var doc = ReportDocument(title: "On call: \(record.title) (\(record.id))")
        var intro = [Inline]()
        intro.append(.text("What happened: " + (record.impact?.summary ?? record.title)))
        if !record.services.isEmpty { intro += [.text(" Services: "), .code(record.services.joined(separator: ", ")), .text(".")] }
        doc.paragraph(intro)
        let guidance = record.guidance

        doc.heading(1, "What to look for")
        if let look = guidance?.lookFor, !look.isEmpty {
            doc.bullets(look.map { [.text($0)] })
        } else {
            doc.paragraph(.emphasis("No guidance written yet (add guidance.look_for to the record). How it was noticed last time:"))
            doc.bullets(record.timeline.filter { $0.kind == .detection }.map { [.text($0.text)] })
        }
        let blind = record.analysis.barriers.filter { $0.expected == .detect && [.failed, .missing, .partial].contains($0.state) }
        if !blind.isEmpty {
            doc.note(.text("Last time these alerts did not help: " + blind.map { "\($0.barrier) (\($0.state!.rawValue))" }.joined(separator: ", ") + ". Do not wait for them."))
        }

        doc.heading(1, "What to do")
        if let steps = guidance?.steps, !steps.isEmpty {
            doc.numbered(steps.map { [.text($0)] })
        } else {
            doc.paragraph(.emphasis("No steps written yet (add guidance.do to the record). What fixed it last time:"))
            doc.bullets(record.timeline.filter { $0.kind == .mitigation }.map { [.text($0.text)] })
        }

        doc.heading(1, "Runbooks that changed")
        if let runbooks = guidance?.runbooks, !runbooks.isEmpty {
            doc.bullets(runbooks.map { r in
                var line: [Inline] = r.url.map { [.link(r.runbook, url: $0)] } ?? [.code(r.runbook)]
                if let change = r.change { line.append(.text(": " + change)) }
                return line
            })
        } else {
            doc.paragraph(.emphasis("No runbook changes recorded."))
        }

        let learning = record.actions.filter { ($0.kind == .learn || $0.kind == .process) && $0.status != .wontDo }
        if !learning.isEmpty {
            doc.heading(1, "Changes to how we work")
            doc.bullets(learning.map { [.text("\($0.title) (\(stateText($0)))")] })
        }
        let drills = record.evidence.filter { $0.kind == .drill }
        if !drills.isEmpty {
            doc.heading(1, "Practised in drills")
            doc.bullets(drills.map { entry in [.text((entry.drill ?? entry.id ?? "drill") + ": " + (EvidenceSummary.phrases(entry).first ?? ""))] })
        }
        var contacts: [String] = ["owner \(record.owner)"]
        contacts += record.participants.filter { $0.role == "incident-commander" }.map { "incident commander \($0.name)" }
        doc.paragraph(.text("Questions: " + contacts.joined(separator: ", ") + "."))
        return doc
    }
}

import GamedayModel

/// Response times across records, by category, severity and quarter; drills and near misses
/// apart from incidents (spec: postmortem.md and output.md, `gameday kb metrics`).
///
/// Each time is measured from `times.started`: time to detect (to `detected`), acknowledge,
/// mitigate and resolve. A record counts in a time's `n` only when it has both times.
public struct MetricsReport: Sendable {
    /// The four times, in order.
    public static let timeNames: [(RecordMilestone, String)] = RecordMilestone.allCases.compactMap { m in m.metricName.map { (m, $0) } }

    /// The numbers of one group of records.
    public struct Group: Sendable, Hashable {
        /// How many records.
        public var count: Int
        /// Each time's summary, in ``MetricsReport/timeNames`` order.
        public var times: [String: TimeSummary]
        /// Share of incidents that are repeats (incident groups only).
        public var recurrenceRate: Double?
        /// Repeats that came after the fix (incident groups only).
        public var recurredAfterFix: Int?
    }

    /// Metrics for one kind of record.
    public struct Section: Sendable {
        /// Every record of the kind.
        public var overall: Group
        /// By category (sorted by name).
        public var byCategory: [(String, Group)]
        /// By severity (sorted by name).
        public var bySeverity: [(String, Group)]
        /// By quarter of `times.started` (sorted).
        public var byQuarter: [(String, Group)]
    }

    /// Counts of actions.
    public struct ActionCounts: Sendable, Hashable {
        /// Open or in progress.
        public var open = 0
        /// In progress (also counted in ``open``).
        public var inProgress = 0
        /// Open with a due date before the as-of day.
        public var overdue = 0
        /// Done.
        public var done = 0
        /// Done, with evidence that meets the metric.
        public var verified = 0
        /// Dropped.
        public var wontDo = 0
    }

    /// The day overdue actions are counted on.
    public var asOf: Double
    /// All records counted.
    public var records: Int
    /// Incidents.
    public var incidents: Section
    /// Drills.
    public var drills: Section
    /// Near misses.
    public var nearMisses: Section
    /// Counts of actions across every record.
    public var actions: ActionCounts
    /// Time from opening to closing done actions.
    public var timeToClose: TimeSummary
    /// Findings with neither an action nor a reason.
    public var findingsWithoutAction: [(record: String, finding: String, text: String)]
    /// Files left out or invalid.
    public var problems: [KnowledgeBase.Problem]

    /// Computes the report.
    public init(_ kb: KnowledgeBase, asOf: Double) {
        self.asOf = asOf
        let records = kb.records
        let recurrence = RecurrenceReport(kb)
        self.records = records.count
        func section(_ kind: RecordKind) -> Section {
            let chosen = records.filter { $0.kind == kind }
            func group(_ members: [Record]) -> Group {
                var times: [String: TimeSummary] = [:]
                for (milestone, name) in Self.timeNames {
                    times[name] = TimeSummary(members.compactMap { $0.times.elapsed(to: milestone) })
                }
                var group = Group(count: members.count, times: times)
                if kind == .incident {
                    let repeats = members.filter { recurrence.member($0.id)?.isRepeat ?? false }
                    group.recurrenceRate = members.isEmpty ? 0 : Double(repeats.count) / Double(members.count)
                    group.recurredAfterFix = repeats.filter { recurrence.member($0.id)?.recurredAfterFix ?? false }.count
                }
                return group
            }
            func split(_ key: (Record) -> String) -> [(String, Group)] {
                Dictionary(grouping: chosen, by: key).map { ($0.key, group($0.value)) }.sorted { $0.0 < $1.0 }
            }
            return Section(overall: group(chosen),
                           byCategory: split { $0.category ?? "uncategorized" },
                           bySeverity: split { $0.severity ?? "unrated" },
                           byQuarter: split { KnowledgeBase.quarter(of: $0) ?? "unknown" })
        }
        incidents = section(.incident)
        drills = section(.drill)
        nearMisses = section(.nearMiss)
        let actionsReport = ActionsReport(kb, asOf: asOf)
        actions = actionsReport.counts
        timeToClose = actionsReport.timeToClose
        findingsWithoutAction = kb.findingsWithoutAction.map { ($0.record.id, $0.finding.id, $0.finding.text) }
        problems = kb.problems
    }

    // MARK: Output

    /// JSON (output.md's keys first, then additions).
    public var json: JSONValue {
        func groupJSON(_ g: Group, countKey: String) -> JSONValue {
            var o = JSONObject()
            o[countKey] = .int(g.count)
            for (_, name) in Self.timeNames { o[name] = g.times[name]!.json }
            if let rate = g.recurrenceRate { o["recurrence_rate"] = .number(rate) }
            if let after = g.recurredAfterFix { o["recurred_after_fix"] = .int(after) }
            return .object(o)
        }
        func groups(_ list: [(String, Group)], countKey: String) -> JSONValue {
            .object(JSONObject(list.map { ($0.0, groupJSON($0.1, countKey: countKey)) }))
        }
        func sectionJSON(_ s: Section, countKey: String) -> JSONValue {
            ["overall": groupJSON(s.overall, countKey: countKey), "by_category": groups(s.byCategory, countKey: countKey),
             "by_severity": groups(s.bySeverity, countKey: countKey), "by_quarter": groups(s.byQuarter, countKey: countKey)]
        }
        var o = JSONObject()
        o["records"] = .int(records)
        o["incidents"] = .int(incidents.overall.count)
        o["drills"] = .int(drills.overall.count)
        o["near_misses"] = .int(nearMisses.overall.count)
        o["by_category"] = groups(incidents.byCategory, countKey: "incidents")
        o["actions"] = ["open": .int(actions.open), "overdue": .int(actions.overdue), "done": .int(actions.done), "verified": .int(actions.verified),
                        "in_progress": .int(actions.inProgress), "wont_do": .int(actions.wontDo), "time_to_close": timeToClose.json]
        o["as_of"] = .string(ISO8601.formatDate(asOf))
        o["statistics"] = ["times_from": "started", "times_unit": "seconds", "percentiles": "nearest-rank"]
        o["incident_metrics"] = sectionJSON(incidents, countKey: "incidents")
        o["drill_metrics"] = sectionJSON(drills, countKey: "drills")
        o["near_miss_metrics"] = sectionJSON(nearMisses, countKey: "near_misses")
        o["findings_without_action"] = .array(findingsWithoutAction.map { ["postmortem": .string($0.record), "finding": .string($0.finding), "text": .string($0.text)] })
        o["problems"] = .array(problems.map { ["path": .string($0.path), "counted": .bool($0.counted), "errors": .array($0.diagnostics.map { .string($0.description) })] })
        return .object(o)
    }

    /// Rows for a table: kind, grouping, group, count, then n/median/p90/mean per time.
    func rows(format: (Double?) -> String) -> [[String]] {
        var rows: [[String]] = []
        for (kind, section) in [("incidents", incidents), ("drills", drills), ("near misses", nearMisses)] {
            guard section.overall.count > 0 else { continue }
            let all: [(String, [(String, Group)])] = [("all", [("all", section.overall)]), ("category", section.byCategory),
                                                      ("severity", section.bySeverity), ("quarter", section.byQuarter)]
            for (grouping, groups) in all {
                for (name, group) in groups {
                    var row = [kind, grouping, name, String(group.count)]
                    for (_, time) in Self.timeNames {
                        let s = group.times[time]!
                        row += [String(s.n), format(s.median), format(s.p90), format(s.mean)]
                    }
                    row.append(group.recurrenceRate.map { Scalars.formatPercent($0) } ?? "")
                    row.append(group.recurredAfterFix.map(String.init) ?? "")
                    rows.append(row)
                }
            }
        }
        return rows
    }

    static var columnNames: [String] {
        ["kind", "grouping", "group", "records"] + timeNames.flatMap { ["\($0.1)_n", "\($0.1)_median", "\($0.1)_p90", "\($0.1)_mean"] } + ["recurrence_rate", "recurred_after_fix"]
    }

    /// CSV (RFC 4180): one row per group; times in seconds.
    public var csv: String {
        CSV.write(header: Self.columnNames, rows: rows { $0.map { JSONValue.format($0) } ?? "" })
    }

    /// A text report for the terminal.
    public var text: String {
        var out = "\(Self.plural(records, "record")): \(Self.plural(incidents.overall.count, "incident")), \(Self.plural(drills.overall.count, "drill")), "
        out += "\(Self.plural(nearMisses.overall.count, "near miss", "near misses")) (as of \(ISO8601.formatDate(asOf)))\n"
        out += "Times from start; median and p90 by nearest rank; n counts records with both times.\n"
        for (title, section) in [("Incidents", incidents), ("Drills", drills), ("Near misses", nearMisses)] where section.overall.count > 0 {
            out += "\n\(title)\n"
            var rows: [[String]] = []
            let withRates = section.overall.recurrenceRate != nil
            for (grouping, groups) in [("all", [("all", section.overall)]), ("category", section.byCategory), ("severity", section.bySeverity), ("quarter", section.byQuarter)] {
                if grouping == "severity", !withRates { continue }  // drills and near misses have no severity
                for (name, g) in groups {
                    var row = [grouping == "all" ? "all" : "\(grouping) \(name)", String(g.count)]
                    for (_, time) in Self.timeNames { row.append(Self.cell(g.times[time]!)) }
                    if withRates { row += [g.recurrenceRate.map { Scalars.formatPercent($0) } ?? "", String(g.recurredAfterFix ?? 0)] }
                    rows.append(row)
                }
            }
            var header = ["group", "n", "detect (n: median/p90/mean)", "acknowledge", "mitigate", "resolve"]
            if withRates { header += ["recurrence", "after fix"] }
            out += TextTable.render(header: header, rows: rows)
        }
        out += "\nActions: \(actions.open) open (\(actions.inProgress) in progress), \(actions.overdue) overdue, \(actions.done) done, \(actions.verified) verified, \(actions.wontDo) won't do"
        if let median = timeToClose.median { out += "; median time to close \(Self.days(median)) (n \(timeToClose.n))" }
        out += "\n"
        if !findingsWithoutAction.isEmpty {
            out += "\nFindings without an action or a no_action reason:\n"
            for f in findingsWithoutAction { out += "  \(f.record) \(f.finding): \(f.text)\n" }
        }
        return out
    }

    /// Markdown tables.
    public var markdown: String {
        var doc = ReportDocument(title: "Postmortem metrics")
        doc.paragraph(.text("\(Self.plural(records, "record")): \(Self.plural(incidents.overall.count, "incident")), \(Self.plural(drills.overall.count, "drill")), \(Self.plural(nearMisses.overall.count, "near miss", "near misses")), as of \(ISO8601.formatDate(asOf)). Times are measured from the start; median and p90 by nearest rank."))
        for (title, section) in [("Incidents", incidents), ("Drills", drills), ("Near misses", nearMisses)] where section.overall.count > 0 {
            doc.heading(1, title)
            var rows: [[[ReportDocument.Inline]]] = []
            for (grouping, groups) in [("all", [("all", section.overall)]), ("category", section.byCategory), ("severity", section.bySeverity), ("quarter", section.byQuarter)] {
                if grouping == "severity", section.overall.recurrenceRate == nil { continue }  // drills and near misses have no severity
                for (name, g) in groups {
                    var row: [[ReportDocument.Inline]] = [[.text(grouping == "all" ? "all" : "\(grouping) \(name)")], [.text(String(g.count))]]
                    for (_, time) in Self.timeNames { row.append([.text(Self.cell(g.times[time]!))]) }
                    if section.overall.recurrenceRate != nil { row += [[.text(g.recurrenceRate.map { Scalars.formatPercent($0) } ?? "")], [.text(String(g.recurredAfterFix ?? 0))]] }
                    rows.append(row)
                }
            }
            var header = ["Group", "Records", "Time to detect (n: median / p90 / mean)", "Acknowledge", "Mitigate", "Resolve"]
            if section.overall.recurrenceRate != nil { header += ["Recurrence rate", "Recurred after fix"] }
            doc.table(header, rows)
        }
        doc.heading(1, "Actions")
        doc.paragraph(.text("\(actions.open) open (\(actions.inProgress) in progress), \(actions.overdue) overdue, \(actions.done) done, \(actions.verified) verified, \(actions.wontDo) won't do" + (timeToClose.median.map { "; median time to close \(Self.days($0))" } ?? "") + "."))
        if !findingsWithoutAction.isEmpty {
            doc.heading(1, "Findings without action")
            doc.bullets(findingsWithoutAction.map { [.text("\($0.record) \($0.finding): \($0.text)")] })
        }
        return doc.markdown()
    }

    static func cell(_ s: TimeSummary) -> String {
        guard s.n > 0, let median = s.median, let p90 = s.p90, let mean = s.mean else { return "n 0" }
        return "\(s.n): \(Scalars.formatDuration(median.rounded()))/\(Scalars.formatDuration(p90.rounded()))/\(Scalars.formatDuration(mean.rounded()))"
    }

    static func plural(_ n: Int, _ one: String, _ many: String? = nil) -> String {
        "\(n) " + (n == 1 ? one : many ?? one + "s")
    }

    static func days(_ seconds: Double) -> String {
        let days = seconds / 86_400
        return Scalars.formatSignificant(days, digits: 3) + " day" + (days == 1 ? "" : "s")
    }
}

import GamedayModel

/// Actions across records: open, overdue by owner, done, verified, time to close, and findings
/// left without an action (spec: postmortem.md, "Knowledge base").
///
/// Open counts `open` and `in-progress`. Overdue: open with a due date before the as-of day.
/// Verified: derived from evidence (see ``ActionVerification``). Time to close: from `opened`
/// (default: the record's `resolved`, else `started`, date) to `closed`, over done actions that
/// have a `closed` date.
public struct ActionsReport: Sendable {
    /// One action and its derived state.
    public struct Row: Sendable {
        /// Its record.
        public var record: Record
        /// The action.
        public var action: Action
        /// Its evidence and derived state.
        public var verification: ActionVerification
        /// Whether it is overdue on the as-of day.
        public var overdue: Bool
        /// Seconds from opening to closing, for done actions with a closed date.
        public var timeToClose: Double?
    }

    /// The day overdue actions are counted on.
    public var asOf: Double
    /// Every action, by record start time, then in record order.
    public var rows: [Row]
    /// The counts.
    public var counts: MetricsReport.ActionCounts
    /// Overdue actions per owner, most first.
    public var overdueByOwner: [(owner: String, count: Int)]
    /// Open actions per owner, most first.
    public var openByOwner: [(owner: String, count: Int)]
    /// Time from opening to closing.
    public var timeToClose: TimeSummary
    /// Findings with neither an action nor a reason.
    public var findingsWithoutAction: [(record: Record, finding: Finding)]

    /// Computes the report.
    public init(_ kb: KnowledgeBase, asOf: Double) {
        self.asOf = asOf
        var rows: [Row] = []
        for record in kb.records {
            for action in record.actions {
                let verification = ActionVerification.evaluate(action, in: record)
                var close: Double?
                if action.status == .done, let closed = action.closed {
                    let opened = action.opened?.seconds ?? Self.defaultOpened(record)
                    if let opened { close = closed.seconds - opened }
                }
                rows.append(Row(record: record, action: action, verification: verification,
                                overdue: RecordReport.isOverdue(action, asOf: asOf), timeToClose: close))
            }
        }
        self.rows = rows
        var counts = MetricsReport.ActionCounts()
        for row in rows {
            switch row.action.status {
            case .open: counts.open += 1
            case .inProgress: counts.open += 1; counts.inProgress += 1
            case .done: counts.done += 1
            case .wontDo: counts.wontDo += 1
            }
            if row.overdue { counts.overdue += 1 }
            if row.verification.isVerified { counts.verified += 1 }
        }
        self.counts = counts
        func perOwner(_ chosen: [Row]) -> [(String, Int)] {
            Dictionary(grouping: chosen, by: { $0.action.owner ?? "(no owner)" }).map { ($0.key, $0.value.count) }
                .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
        }
        overdueByOwner = perOwner(rows.filter(\.overdue))
        openByOwner = perOwner(rows.filter { $0.action.status.isOpen })
        timeToClose = TimeSummary(rows.compactMap(\.timeToClose))
        findingsWithoutAction = kb.findingsWithoutAction
    }

    /// The day an action counts as opened when it does not say: the record's resolved date, else its start (midnight UTC).
    static func defaultOpened(_ record: Record) -> Double? {
        guard let t = record.times[.resolved] ?? record.times.started else { return nil }
        return (t.seconds / 86_400).rounded(.down) * 86_400
    }

    /// The state a person reads: `open`, `open, overdue`, `done, verified`, ...
    static func stateText(_ row: Row) -> String {
        var text = row.action.status.rawValue
        if row.overdue { text += ", overdue" }
        switch row.verification.state {
        case .verified: text += ", verified"
        case .supported: text += ", evidence meets metric"
        case .notMet: text += ", evidence misses metric"
        case .inconclusive: text += ", evidence inconclusive"
        case .stale: text += ", evidence is stale (re-run it)"
        default: break
        }
        return text
    }

    // MARK: Output

    /// JSON.
    public var json: JSONValue {
        var o = JSONObject()
        o["as_of"] = .string(ISO8601.formatDate(asOf))
        o["open"] = .int(counts.open)
        o["overdue"] = .int(counts.overdue)
        o["done"] = .int(counts.done)
        o["verified"] = .int(counts.verified)
        o["in_progress"] = .int(counts.inProgress)
        o["wont_do"] = .int(counts.wontDo)
        o["time_to_close"] = timeToClose.json
        o["overdue_by_owner"] = .object(JSONObject(overdueByOwner.map { ($0.owner, .int($0.count)) }))
        o["open_by_owner"] = .object(JSONObject(openByOwner.map { ($0.owner, .int($0.count)) }))
        o["actions"] = .array(rows.map { row in
            let a = row.action
            var item = JSONObject()
            item["postmortem"] = .string(row.record.id)
            item["id"] = .string(a.id)
            item["title"] = .string(a.title)
            item["kind"] = a.kind.map { .string($0.rawValue) } ?? .null
            item["owner"] = a.owner.map { .string($0) } ?? .null
            item["due"] = a.due.map { .string($0.day) } ?? .null
            item["status"] = .string(a.status.rawValue)
            item["overdue"] = .bool(row.overdue)
            item["verified"] = .bool(row.verification.isVerified)
            item["verification"] = .string(row.verification.state.rawValue)
            item["evidence"] = .array(row.verification.linked.compactMap { $0.id.map(JSONValue.string) })
            item["finding"] = a.finding.map { .string($0.id) } ?? .null
            item["metric"] = a.metric.map { .string($0.text) } ?? .null
            item["control"] = a.control.map { .string($0.id) } ?? .null
            item["ticket"] = a.ticket.map { t in ["system": t.system.map(JSONValue.string) ?? .null, "key": t.key.map(JSONValue.string) ?? .null, "url": t.url.map(JSONValue.string) ?? .null] } ?? .null
            item["closed"] = a.closed.map { .string($0.day) } ?? .null
            item["time_to_close"] = .number(row.timeToClose)
            return .object(item)
        })
        o["findings_without_action"] = .array(findingsWithoutAction.map { ["postmortem": .string($0.record.id), "finding": .string($0.finding.id), "text": .string($0.finding.text)] })
        return .object(o)
    }

    /// CSV ready for a ticket tracker's import: one row per action (Jira and GitHub column names
    /// are mapped in the importer; docs/postmortems.md shows how).
    public var csv: String {
        let header = ["Summary", "Description", "Assignee", "Due date", "Status", "Labels", "Postmortem", "Action", "Severity", "Category",
                      "Finding", "Kind", "Metric", "Control", "Ticket", "Overdue", "Verified"]
        let rows = rows.map { row -> [String] in
            let a = row.action, r = row.record
            let finding = a.finding.flatMap { r.finding($0.id) }
            var description = "From postmortem \(r.id): \(r.title)."
            if let finding { description += "\nFinding \(finding.id): \(finding.text)" }
            if let metric = a.metric { description += "\nMetric: \(metric.text)" }
            if let control = a.control { description += "\nModelled by scenario control \(control.id)" + (r.scenario.map { " in \($0.path)" } ?? "") }
            let labels = (["postmortem", r.id] + (r.category.map { [$0] } ?? []) + (a.kind.map { [$0.rawValue] } ?? [])).joined(separator: " ")
            let ticket = a.ticket.map { [$0.system, $0.key, $0.url].compactMap { $0 }.joined(separator: " ") } ?? ""
            return ["[\(r.id) \(a.id)] \(a.title)", description, a.owner ?? "", a.due?.day ?? "", a.status.rawValue, labels, r.id, a.id,
                    r.severity ?? "", r.category ?? "", a.finding?.id ?? "", a.kind?.rawValue ?? "", a.metric?.text ?? "", a.control?.id ?? "",
                    ticket, row.overdue ? "yes" : "no", row.verification.isVerified ? "yes" : "no"]
        }
        return CSV.write(header: header, rows: rows)
    }

    /// iCalendar: one all-day event per open action on its due date, with a reminder
    /// `remindDays` days before. UIDs are stable per record and action, so importing again
    /// updates the events instead of duplicating them.
    public func ics(remindDays: Int = 3) -> String {
        let stamp = ICalendar.dateTime((asOf / 86_400).rounded(.down) * 86_400)
        var components: [[String]] = []
        for row in rows where row.action.status.isOpen {
            guard let due = row.action.due else { continue }
            let a = row.action, r = row.record
            let day = (due.seconds / 86_400).rounded(.down) * 86_400
            var description = "Postmortem \(r.id): \(r.title)\nOwner: \(a.owner ?? "none")"
            if let finding = a.finding.flatMap({ r.finding($0.id) }) { description += "\nFinding \(finding.id): \(finding.text)" }
            if let metric = a.metric { description += "\nMetric: \(metric.text)" }
            if let ticket = a.ticket { description += "\nTicket: " + [ticket.system, ticket.key, ticket.url].compactMap { $0 }.joined(separator: " ") }
            description += "\nStatus: \(Self.stateText(row))"
            let uid = "\(r.id)-\(a.id)@gameday".unicodeScalars.map { $0.isASCIIAlphanumeric || "-.@_".unicodeScalars.contains($0) ? String($0) : "_" }.joined()
            var lines = [
                "BEGIN:VEVENT",
                "UID:" + uid,
                "DTSTAMP:" + stamp,
                "DTSTART;VALUE=DATE:" + ICalendar.date(day),
                "DTEND;VALUE=DATE:" + ICalendar.date(day + 86_400),
                "SUMMARY:" + ICalendar.escape("Due: [\(r.id) \(a.id)] \(a.title)"),
                "DESCRIPTION:" + ICalendar.escape(description),
                "CATEGORIES:" + (["postmortem"] + (r.category.map { [$0] } ?? [])).map(ICalendar.escape).joined(separator: ","),
                "TRANSP:TRANSPARENT",
                "STATUS:CONFIRMED",
            ]
            if let url = a.ticket?.url { lines.append("URL:" + url) }
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:" + ICalendar.escape("\(a.title) is due in \(remindDays) day\(remindDays == 1 ? "" : "s")"),
                      "TRIGGER:-P\(remindDays)D", "END:VALARM", "END:VEVENT"]
            components.append(lines)
        }
        return ICalendar.calendar(name: "Postmortem actions", components: components)
    }

    /// A text report.
    public var text: String {
        var out = "Actions as of \(ISO8601.formatDate(asOf)): \(counts.open) open (\(counts.inProgress) in progress), \(counts.overdue) overdue, "
        out += "\(counts.done) done, \(counts.verified) verified, \(counts.wontDo) won't do"
        if let median = timeToClose.median { out += "; median time to close \(MetricsReport.days(median)) (n \(timeToClose.n))" }
        out += "\n\n"
        out += TextTable.render(header: ["record", "action", "owner", "due", "state", "title"], rows: rows.map { row in
            [row.record.id, row.action.id, row.action.owner ?? "-", row.action.due?.day ?? "-", Self.stateText(row), row.action.title]
        })
        if !overdueByOwner.isEmpty {
            out += "\nOverdue by owner: " + overdueByOwner.map { "\($0.owner) \($0.count)" }.joined(separator: ", ") + "\n"
        }
        if !findingsWithoutAction.isEmpty {
            out += "\nFindings without an action or a no_action reason:\n"
            for f in findingsWithoutAction { out += "  \(f.record.id) \(f.finding.id): \(f.finding.text)\n" }
        }
        return out
    }

    /// Markdown.
    public var markdown: String {
        var doc = ReportDocument(title: "Postmortem actions")
        doc.paragraph(.text("As of \(ISO8601.formatDate(asOf)): \(counts.open) open (\(counts.inProgress) in progress), \(counts.overdue) overdue, \(counts.done) done, \(counts.verified) verified, \(counts.wontDo) won't do" + (timeToClose.median.map { "; median time to close \(MetricsReport.days($0))" } ?? "") + "."))
        doc.table(["Record", "Action", "Owner", "Due", "State", "Title", "Metric"], rows.map { row in
            [[.text(row.record.id)], [.text(row.action.id)], [.text(row.action.owner ?? "—")], [.text(row.action.due?.day ?? "—")],
             [.text(Self.stateText(row))], [.text(row.action.title)], [.text(row.action.metric?.text ?? "—")]]
        })
        if !overdueByOwner.isEmpty {
            doc.heading(1, "Overdue by owner")
            doc.table(["Owner", "Overdue"], overdueByOwner.map { [[.text($0.owner)], [.text(String($0.count))]] })
        }
        if !findingsWithoutAction.isEmpty {
            doc.heading(1, "Findings without action")
            doc.bullets(findingsWithoutAction.map { [.text("\($0.record.id) \($0.finding.id): \($0.finding.text)")] })
        }
        return doc.markdown()
    }
}

extension RecurrenceReport {
    /// JSON.
    public var json: JSONValue {
        var o = JSONObject()
        o["groups"] = .array(groups.map { group in
            ["fingerprint": group.fingerprint.map(JSONValue.string) ?? .null,
             "records": .array(group.members.map { m in
                 ["postmortem": .string(m.postmortem), "kind": .string(m.kind.rawValue), "category": m.category.map(JSONValue.string) ?? .null,
                  "started": m.started.map(JSONValue.string) ?? .null, "repeat": .bool(m.isRepeat),
                  "repeat_of": m.repeatOf.map(JSONValue.string) ?? .null, "recurred_after_fix": .bool(m.recurredAfterFix)]
             })]
        })
        o["by_category"] = .object(JSONObject(byCategory.map { rate in
            (rate.category, ["incidents": .int(rate.incidents), "repeats": .int(rate.repeats), "recurrence_rate": .number(rate.rate),
                             "recurred_after_fix": .int(rate.recurredAfterFix)])
        }))
        o["dangling_links"] = .array(danglingLinks.map { ["postmortem": .string($0.record), "recurrence_of": .string($0.target)] })
        return .object(o)
    }

    /// CSV: one row per record in a group.
    public var csv: String {
        var rows: [[String]] = []
        for (index, group) in groups.enumerated() {
            for m in group.members {
                rows.append([String(index + 1), group.fingerprint ?? "", m.postmortem, m.kind.rawValue, m.category ?? "", m.started ?? "",
                             m.isRepeat ? "yes" : "no", m.repeatOf ?? "", m.recurredAfterFix ? "yes" : "no"])
            }
        }
        return CSV.write(header: ["group", "fingerprint", "postmortem", "kind", "category", "started", "repeat", "repeat_of", "recurred_after_fix"], rows: rows)
    }

    /// A text report.
    public var text: String {
        var out = ""
        if groups.isEmpty { out += "No repeats: no two records share a fingerprint or a recurrence-of link.\n" }
        for group in groups {
            out += "\(group.fingerprint ?? "(linked records)")\n"
            for m in group.members {
                var line = "  \(m.started.map { String($0.prefix(10)) } ?? "?")  \(m.postmortem)  \(m.kind.rawValue)"
                if let of = m.repeatOf { line += "  repeat of \(of)" }
                if m.recurredAfterFix { line += "  RECURRED AFTER THE FIX" }
                out += line + "\n"
            }
        }
        if !byCategory.isEmpty {
            out += "\nRecurrence rate by category (share of incidents that are repeats):\n"
            out += TextTable.render(header: ["category", "incidents", "repeats", "rate", "after fix"], rows: byCategory.map {
                [$0.category, String($0.incidents), String($0.repeats), Scalars.formatPercent($0.rate), String($0.recurredAfterFix)]
            })
        }
        for link in danglingLinks { out += "\nnote: \(link.record) is a recurrence of \(link.target), which is not in this folder\n" }
        return out
    }

    /// Markdown.
    public var markdown: String {
        var doc = ReportDocument(title: "Postmortem recurrence")
        if groups.isEmpty { doc.paragraph(.text("No repeats: no two records share a fingerprint or a recurrence-of link.")) }
        for group in groups {
            doc.heading(1, group.fingerprint ?? "Linked records")
            doc.table(["Started", "Record", "Kind", "Repeat of", "Recurred after the fix"], group.members.map { m in
                [[.text(m.started.map { String($0.prefix(10)) } ?? "—")], [.text(m.postmortem)], [.text(m.kind.rawValue)], [.text(m.repeatOf ?? "—")], [.text(m.recurredAfterFix ? "yes" : "no")]]
            })
        }
        doc.heading(1, "Recurrence rate by category")
        doc.table(["Category", "Incidents", "Repeats", "Rate", "Recurred after the fix"], byCategory.map {
            [[.text($0.category)], [.text(String($0.incidents))], [.text(String($0.repeats))], [.text(Scalars.formatPercent($0.rate))], [.text(String($0.recurredAfterFix))]]
        })
        return doc.markdown()
    }
}

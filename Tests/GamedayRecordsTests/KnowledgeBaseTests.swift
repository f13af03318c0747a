import Foundation
import GamedayModel
import Testing
@testable import GamedayRecords

/// The bundled example records (postmortems/), next to the bundled scenarios they link.
func exampleKnowledgeBase() throws -> (KnowledgeBase, TemporaryFolder) {
    let folder = TemporaryFolder()
    folder.addBundledScenarios()
    for file in try FileManager.default.contentsOfDirectory(atPath: Fixtures.examplesDirectory) where file.hasSuffix(".yaml") {
        folder.write("postmortems/" + file, String(decoding: FileManager.default.contents(atPath: Fixtures.examplesDirectory + "/" + file)!, as: UTF8.self))
    }
    return (KnowledgeBase.load(directory: folder.file("postmortems")), folder)
}

/// The spec's example record with its hand-written evidence (Fixtures/PM-2025-014.yaml), next to
/// the fixture scenario: the rendering tests read it, so their expected text stays put when the
/// bundled examples are re-fed with evidence.
func specExampleRecord() throws -> (Record, Scenario?) {
    let folder = TemporaryFolder()
    folder.addScenario()
    folder.write("postmortems/PM-2025-014.yaml", String(decoding: FileManager.default.contents(atPath: Fixtures.path("PM-2025-014.yaml"))!, as: UTF8.self))
    let kb = KnowledgeBase.load(directory: folder.file("postmortems"))
    let entry = try #require(kb.entries.first { $0.record.id == "PM-2025-014" })
    return (entry.record, entry.scenario)
}

let asOf = ISO8601.parseDate("2025-09-15")!
let minute = 60.0
let day = 86_400.0

@Suite struct KnowledgeBaseMetrics {
    @Test func nearestRankSummaries() {
        let four = TimeSummary([40, 10, 30, 20])
        #expect(four.n == 4 && four.median == 20 && four.p90 == 40 && four.mean == 25)
        let five = TimeSummary([4, 10, 20, 31, 45])
        #expect(five.median == 20 && five.p90 == 45 && five.mean == 22)
        let one = TimeSummary([7])
        #expect(one.median == 7 && one.p90 == 7)
        let none = TimeSummary([])
        #expect(none.n == 0 && none.median == nil && none.mean == nil)
        #expect(none.json == ["n": 0, "median": nil, "p90": nil, "mean": nil])
    }

    @Test func countsAndTimesMatchHandComputedValues() throws {
        let (kb, _) = try exampleKnowledgeBase()
        #expect(kb.problems.isEmpty, "\(kb.problems.map(\.diagnostics))")
        let metrics = MetricsReport(kb, asOf: asOf)
        // Eleven records: nine incidents (PM-2025-003, -009, -014, -021, -024 and the four public
        // ones, AWS-2017-02-28, CF-2019-07-02, GH-2018-10-21, GL-2017-01-31), the drill PM-2025-019
        // and the near miss PM-2025-017.
        #expect(metrics.records == 11)
        #expect(metrics.incidents.overall.count == 9 && metrics.drills.overall.count == 1 && metrics.nearMisses.overall.count == 1)

        // Incidents: time to detect 20m (-003), 10m (-009), 31m (-014), 4m (-021), 45m (-024),
        // 3m (CF 13:42 -> 13:45), 0m (GL 23:27 -> 23:27), 2m (GH 22:52 -> 22:54); AWS publishes no
        // detection time, so n is 8. Sorted 0, 2, 3, 4, 10, 20, 31, 45: the median is rank
        // ceil(0.5 x 8) = 4, 4m; the p90 rank ceil(0.9 x 8) = 8, 45m; the mean 115m / 8 = 14.375m.
        let detect = try #require(metrics.incidents.overall.times["time_to_detect"])
        #expect(detect == TimeSummary([20, 10, 31, 4, 45, 3, 0, 2].map { $0 * minute }))
        #expect(detect.n == 8 && detect.median == 4 * minute && detect.p90 == 45 * minute && detect.mean == 14.375 * minute)

        // change-management incidents: PM-2025-003 (detected 20m, resolved 80m), -014 (31m, 82m),
        // -021 (4m, 150m), CF-2019-07-02 (3m, 27m) and AWS-2017-02-28 (no detection time; resolved
        // 17:37 -> 21:54, 257m). Detect, sorted 3, 4, 20, 31: median rank 2, 4m; p90 rank
        // ceil(3.6) = 4, 31m; mean 58m / 4 = 14.5m = 870 s. Resolve, sorted 27, 80, 82, 150, 257:
        // median rank ceil(2.5) = 3, 82m; p90 rank ceil(4.5) = 5, 257m; mean 596m / 5 = 119.2m.
        let change = try #require(metrics.incidents.byCategory.first { $0.0 == "change-management" }?.1)
        #expect(change.count == 5)
        #expect(change.times["time_to_detect"]!.n == 4)
        #expect(change.times["time_to_detect"]!.median == 4 * minute)
        #expect(change.times["time_to_detect"]!.p90 == 31 * minute)
        #expect(change.times["time_to_detect"]!.mean == 870)
        #expect(change.times["time_to_resolve"]!.median == 82 * minute)
        #expect(change.times["time_to_resolve"]!.p90 == 257 * minute)
        #expect(change.times["time_to_resolve"]!.mean == 7152)
        // One repeat (PM-2025-014 of PM-2025-003) among five incidents.
        #expect(change.recurrenceRate == 1.0 / 5.0)
        #expect(change.recurredAfterFix == 1)
        let capacity = try #require(metrics.incidents.byCategory.first { $0.0 == "capacity" }?.1)
        #expect(capacity.recurrenceRate == 0 && capacity.count == 1)

        let sev2 = try #require(metrics.incidents.bySeverity.first { $0.0 == "SEV2" }?.1)
        #expect(sev2.times["time_to_detect"]! == TimeSummary([20 * minute, 31 * minute]))
        #expect(sev2.times["time_to_detect"]!.mean == 25.5 * minute)
        // GL and AWS start in 2017-Q1, GH in 2018-Q4, CF in 2019-Q3.
        #expect(metrics.incidents.byQuarter.map(\.0) == ["2017-Q1", "2018-Q4", "2019-Q3", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"])
        let q3 = try #require(metrics.incidents.byQuarter.first { $0.0 == "2025-Q3" }?.1)
        #expect(q3.times["time_to_detect"]!.median == 4 * minute && q3.times["time_to_detect"]!.p90 == 31 * minute)

        // Drills and near misses apart. The drill's first page came at 15:15:53, 15m53s after its start.
        #expect(metrics.drills.overall.times["time_to_detect"]!.median == 15 * minute + 53)
        #expect(metrics.drills.overall.recurrenceRate == nil)
        #expect(metrics.nearMisses.overall.times["time_to_resolve"]!.median == 45 * minute)
        #expect(!metrics.incidents.byCategory.contains { $0.0 == "certificates" })
    }

    @Test func actionsMatchHandComputedValues() throws {
        let (kb, _) = try exampleKnowledgeBase()
        let actions = ActionsReport(kb, asOf: asOf)
        // 40 actions: PM-2025-003 2, -009 2, -014 4, -017 1, -019 1, -021 2, -024 2, CF 7, GL 10,
        // GH 4, AWS 5.
        #expect(actions.rows.count == 40)
        // Open: 9 with status open (-014 A3, -017 A1, -019 A1, -021 A1, -024 A1, GL A7 and A9,
        // GH A1 and A4) and 13 in progress (-014 A2, CF A3 to A7, GL A3 and A5, GH A2 and A3,
        // AWS A2, A4 and A5).
        #expect(actions.counts.open == 22 && actions.counts.inProgress == 13)
        // Overdue on 2025-09-15: -014 A2 (due 08-15), -017 A1 (08-20), -019 A1 (08-30), and all 16
        // open actions of the public records (due 2017 to 2019).
        #expect(actions.counts.overdue == 19)
        // Done: -003 2, -009 1, -014 2, -021 1, -024 1, CF 2, GL 6, AWS 2; won't do: -009 A2.
        #expect(actions.counts.done == 17 && actions.counts.wontDo == 1)
        // Verified (done, and the latest linked evidence meets the metric), in record order.
        #expect(actions.counts.verified == 4)
        #expect(actions.rows.filter(\.verification.isVerified).map { "\($0.record.id)#\($0.action.id)" }
                == ["GL-2017-01-31#A6", "AWS-2017-02-28#A1", "CF-2019-07-02#A1", "PM-2025-014#A4"])
        // By count, then by name: firewall-team CF A3-A5; production-engineering GL A3, A5, A7;
        // engineering GH A3, A4; s3-team AWS A2, A5; sam -014 A2, -019 A1; sre CF A6, A7; one each
        // for aws (AWS A4), database-engineering (GH A1), incident-response (GH A2), lee (-017 A1)
        // and product-engineering (GL A9).
        #expect(actions.overdueByOwner.map(\.owner) == ["firewall-team", "production-engineering", "engineering", "s3-team", "sam", "sre",
                                                       "aws", "database-engineering", "incident-response", "lee", "product-engineering"])
        #expect(actions.overdueByOwner.map(\.count) == [3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1])
        // Days to close (from the record's resolved date to `closed`): -003 21 and 14, -009 26,
        // -014 11 and 16, -021 10, -024 7; CF 10 and 10 (07-02 -> 07-12); GL 167 five times
        // (2017-02-01 -> 07-18: 27 + 31 + 30 + 31 + 30 + 18) and 9 (-> 02-10); AWS 2 and 2
        // (02-28 -> 03-02). Sorted: 2, 2, 7, 9, 10, 10, 10, 11, 14, 16, 21, 26, 167 x 5; the
        // median is rank ceil(8.5) = 9, 14; the p90 rank ceil(15.3) = 16, 167; the mean 973 / 17.
        #expect(actions.timeToClose.n == 17)
        #expect(actions.timeToClose.median == 14 * day && actions.timeToClose.p90 == 167 * day)
        #expect(abs(actions.timeToClose.mean! - 973.0 / 17.0 * day) < 1e-6)
        // An as-of day before the first due date (2017-05-11): nothing overdue.
        #expect(ActionsReport(kb, asOf: ISO8601.parseDate("2017-05-01")!).counts.overdue == 0)
    }

    @Test func recurrenceByFingerprintAndLinks() throws {
        let (kb, _) = try exampleKnowledgeBase()
        let recurrence = RecurrenceReport(kb)
        #expect(recurrence.groups.count == 1)
        let group = try #require(recurrence.groups.first)
        #expect(group.fingerprint == "config-push/checkout/wrong-endpoint")
        #expect(group.members.map(\.postmortem) == ["PM-2025-003", "PM-2025-014", "PM-2025-019"])
        #expect(group.members[1].repeatOf == "PM-2025-003" && group.members[1].recurredAfterFix)
        #expect(!group.members[2].isRepeat)  // a drill is practice, not an occurrence
        #expect(recurrence.byCategory.first { $0.category == "change-management" } == .init(category: "change-management", incidents: 5, repeats: 1, recurredAfterFix: 1))
        #expect(recurrence.danglingLinks.isEmpty)
    }

    @Test func recurredAfterTheFixNeedsEveryEarlierActionDoneFirst() throws {
        let (kb, _) = try exampleKnowledgeBase()
        var records = kb.records
        let index = try #require(records.firstIndex { $0.id == "PM-2025-003" })
        // An action closed after the repeat started: the repeat came before the fix.
        records[index].actions[0].closed = CalendarDate(text: "2025-08-01", seconds: ISO8601.parseDate("2025-08-01")!, location: records[index].location)
        #expect(!RecurrenceReport(KnowledgeBase(records: records)).groups[0].members[1].recurredAfterFix)
        records[index].actions[0].status = .open
        records[index].actions[0].closed = nil
        #expect(!RecurrenceReport(KnowledgeBase(records: records)).groups[0].members[1].recurredAfterFix)
        // A recurrence-of link alone also makes a group.
        let linkOnly = records.map { record -> Record in
            var copy = record
            copy.fingerprint = nil
            return copy
        }
        let linked = RecurrenceReport(KnowledgeBase(records: linkOnly))
        #expect(linked.groups.map { $0.members.map(\.postmortem) } == [["PM-2025-003", "PM-2025-014"]])
    }

    @Test func jsonHasTheKeysOfTheSpec() throws {
        let (kb, _) = try exampleKnowledgeBase()
        let json = MetricsReport(kb, asOf: asOf).json
        #expect(json["records"] == 11 && json["incidents"] == 9 && json["drills"] == 1 && json["near_misses"] == 1)
        let change = try #require(json["by_category"]?["change-management"])
        #expect(change["incidents"] == 5)
        // As in countsAndTimesMatchHandComputedValues, in seconds.
        #expect(change["time_to_detect"] == ["n": 4, "median": 240, "p90": 1860, "mean": 870])
        #expect(change["time_to_resolve"] == ["n": 5, "median": 4920, "p90": 15420, "mean": 7152])
        #expect(change["recurrence_rate"]?.double == 1.0 / 5.0)
        #expect(change["recurred_after_fix"] == 1)
        let actions = try #require(json["actions"])
        #expect(actions["open"] == 22 && actions["overdue"] == 19 && actions["done"] == 17 && actions["verified"] == 4)
        #expect(json["drill_metrics"]?["overall"]?["drills"] == 1)
        // Deterministic: the same inputs give the same bytes.
        #expect(MetricsReport(kb, asOf: asOf).json.pretty == json.pretty)
    }

    @Test func findingsWithoutActionAndBrokenRecords() throws {
        let folder = TemporaryFolder()
        folder.addScenario()
        folder.write("postmortems/PM-2025-014.yaml", baseRecord.replacingOccurrences(of: "no_action:\n  - {finding: F2, why: Vendor}\n", with: ""))
        folder.write("postmortems/PM-2025-015.yaml", "postmortem: PM-2025-015\nkind: incidnet\n")
        folder.write("postmortems/not-a-record.yaml", "scenario: {id: x}\n")
        let kb = KnowledgeBase.load(directory: folder.file("postmortems"))
        #expect(kb.records.map(\.id) == ["PM-2025-014"])
        #expect(kb.problems.count == 2)
        #expect(kb.problems.first { $0.path.hasSuffix("PM-2025-014.yaml") }?.counted == true)
        #expect(kb.problems.first { $0.path.hasSuffix("PM-2025-015.yaml") }?.counted == false)
        let missing = MetricsReport(kb, asOf: asOf).findingsWithoutAction
        #expect(missing.count == 1 && missing[0].record == "PM-2025-014" && missing[0].finding == "F2")
        #expect(ActionsReport(kb, asOf: asOf).text.contains("PM-2025-014 F2: Other"))
    }
}

@Suite struct KnowledgeBaseExports {
    /// Parses RFC 4180 CSV.
    func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.unicodeScalars.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\r", chars.first == "\n" {
                chars.removeFirst()
                row.append(field); rows.append(row); row = []; field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        return rows
    }

    @Test func csvFollowsRFC4180() throws {
        #expect(CSV.field("plain") == "plain")
        #expect(CSV.field("a, b") == "\"a, b\"")
        #expect(CSV.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSV.field("two\nlines") == "\"two\nlines\"")
        let (kb, _) = try exampleKnowledgeBase()
        let csv = ActionsReport(kb, asOf: asOf).csv
        #expect(csv.hasSuffix("\r\n"))
        #expect(!csv.replacingOccurrences(of: "\r\n", with: "").replacingOccurrences(of: "\n", with: "").contains("\r"))
        let rows = parseCSV(csv)
        #expect(rows.count == 41)  // a header and 40 actions
        #expect(rows[0].prefix(5) == ["Summary", "Description", "Assignee", "Due date", "Status"])
        #expect(rows.allSatisfy { $0.count == rows[0].count })
        let a2 = try #require(rows.first { $0[0].hasPrefix("[PM-2025-014 A2]") })
        #expect(a2[2] == "sam" && a2[3] == "2025-08-15" && a2[4] == "in-progress" && a2[15] == "yes")
        #expect(a2[1].contains("\nFinding F1: Config pushes skip validation and canarying."))
        let metricsRows = parseCSV(MetricsReport(kb, asOf: asOf).csv)
        #expect(metricsRows.contains { $0.prefix(4) == ["incidents", "category", "change-management", "5"] && $0[5] == "240" })
        #expect(parseCSV(RecurrenceReport(kb).csv).count == 4)
    }

    @Test func icsIsWellFormed() throws {
        #expect(ICalendar.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne")
        let long = "DESCRIPTION:" + String(repeating: "é", count: 60)
        let folded = ICalendar.fold(long)
        #expect(folded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 })
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == long)

        let (kb, _) = try exampleKnowledgeBase()
        let ics = ActionsReport(kb, asOf: asOf).ics(remindDays: 2)
        #expect(ics.hasSuffix("\r\n"))
        let physical = ics.components(separatedBy: "\r\n").dropLast()
        #expect(physical.allSatisfy { !$0.contains("\n") && !$0.contains("\r") })
        #expect(physical.allSatisfy { $0.utf8.count <= 75 }, "a line is longer than 75 octets")
        // Unfold (RFC 5545 section 3.1) and check the structure.
        var lines: [String] = []
        for line in physical {
            if line.hasPrefix(" ") { lines[lines.count - 1] += line.dropFirst() } else { lines.append(line) }
        }
        #expect(lines.first == "BEGIN:VCALENDAR" && lines.last == "END:VCALENDAR")
        #expect(lines.contains("VERSION:2.0") && lines.contains { $0.hasPrefix("PRODID:") })
        var stack: [String] = []
        var events: [[String]] = []
        for line in lines {
            if line.hasPrefix("BEGIN:") {
                stack.append(String(line.dropFirst(6)))
                if stack.last == "VEVENT" { events.append([]) }
            } else if line.hasPrefix("END:") {
                #expect(stack.popLast() == String(line.dropFirst(4)), "unbalanced \(line)")
            } else if stack.last == "VEVENT" || stack.last == "VALARM" {
                events[events.count - 1].append(line)
            }
            #expect(line.contains(":"), "not a content line: \(line)")
        }
        #expect(stack.isEmpty)
        #expect(events.count == 22)  // the open actions with due dates
        for event in events {
            for property in ["UID:", "DTSTAMP:", "DTSTART;VALUE=DATE:", "DTEND;VALUE=DATE:", "SUMMARY:", "ACTION:DISPLAY", "TRIGGER:-P2D"] {
                #expect(event.contains { $0.hasPrefix(property) }, "missing \(property)")
            }
        }
        let uids = events.compactMap { $0.first { $0.hasPrefix("UID:") } }
        #expect(Set(uids).count == 22 && uids.contains("UID:PM-2025-014-A2@gameday"))
        let a2 = try #require(events.first { $0.contains("UID:PM-2025-014-A2@gameday") })
        #expect(a2.contains("DTSTART;VALUE=DATE:20250815") && a2.contains("DTEND;VALUE=DATE:20250816"))
        #expect(a2.contains { $0.hasPrefix("DESCRIPTION:Postmortem PM-2025-014: Checkout outage after config push\\nOwner: sam") })
        #expect(a2.contains { $0 == "DTSTAMP:20250915T000000Z" })
        #expect(ActionsReport(kb, asOf: asOf).ics(remindDays: 2) == ics)
    }
}

import Foundation
import GamedayModel
import Testing
@testable import GamedayRecords

/// The bundled example records (postmortems/), next to the scenario two of them link.
func exampleKnowledgeBase() throws -> (KnowledgeBase, TemporaryFolder) {
    let folder = TemporaryFolder()
    folder.addScenario()
    for file in try FileManager.default.contentsOfDirectory(atPath: Fixtures.examplesDirectory) where file.hasSuffix(".yaml") {
        folder.write("postmortems/" + file, String(decoding: FileManager.default.contents(atPath: Fixtures.examplesDirectory + "/" + file)!, as: UTF8.self))
    }
    return (KnowledgeBase.load(directory: folder.file("postmortems")), folder)
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
        #expect(metrics.records == 7)
        #expect(metrics.incidents.overall.count == 5 && metrics.drills.overall.count == 1 && metrics.nearMisses.overall.count == 1)

        // Incidents: time to detect 20m, 10m, 31m, 4m, 45m.
        let detect = try #require(metrics.incidents.overall.times["time_to_detect"])
        #expect(detect == TimeSummary([20, 10, 31, 4, 45].map { $0 * minute }))
        #expect(detect.median == 20 * minute && detect.p90 == 45 * minute && detect.mean == 22 * minute)

        // change-management incidents: PM-2025-003 (20m, resolved 80m), -014 (31m, 82m), -021 (4m, 150m).
        let change = try #require(metrics.incidents.byCategory.first { $0.0 == "change-management" }?.1)
        #expect(change.count == 3)
        #expect(change.times["time_to_detect"]!.median == 20 * minute)
        #expect(change.times["time_to_detect"]!.p90 == 31 * minute)
        #expect(change.times["time_to_detect"]!.mean == 1100)
        #expect(change.times["time_to_resolve"]!.median == 82 * minute)
        #expect(change.times["time_to_resolve"]!.p90 == 150 * minute)
        #expect(change.times["time_to_resolve"]!.mean == 104 * minute)
        #expect(change.recurrenceRate == 1.0 / 3.0)
        #expect(change.recurredAfterFix == 1)
        let capacity = try #require(metrics.incidents.byCategory.first { $0.0 == "capacity" }?.1)
        #expect(capacity.recurrenceRate == 0 && capacity.count == 1)

        let sev2 = try #require(metrics.incidents.bySeverity.first { $0.0 == "SEV2" }?.1)
        #expect(sev2.times["time_to_detect"]! == TimeSummary([20 * minute, 31 * minute]))
        #expect(sev2.times["time_to_detect"]!.mean == 25.5 * minute)
        #expect(metrics.incidents.byQuarter.map(\.0) == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"])
        let q3 = try #require(metrics.incidents.byQuarter.first { $0.0 == "2025-Q3" }?.1)
        #expect(q3.times["time_to_detect"]!.median == 4 * minute && q3.times["time_to_detect"]!.p90 == 31 * minute)

        // Drills and near misses apart.
        #expect(metrics.drills.overall.times["time_to_detect"]!.median == 6 * minute)
        #expect(metrics.drills.overall.recurrenceRate == nil)
        #expect(metrics.nearMisses.overall.times["time_to_resolve"]!.median == 45 * minute)
        #expect(!metrics.incidents.byCategory.contains { $0.0 == "certificates" })
    }

    @Test func actionsMatchHandComputedValues() throws {
        let (kb, _) = try exampleKnowledgeBase()
        let actions = ActionsReport(kb, asOf: asOf)
        #expect(actions.rows.count == 14)
        #expect(actions.counts.open == 6 && actions.counts.inProgress == 1)
        #expect(actions.counts.overdue == 3)
        #expect(actions.counts.done == 7 && actions.counts.wontDo == 1)
        #expect(actions.counts.verified == 2)
        #expect(actions.rows.filter(\.verification.isVerified).map { "\($0.record.id)#\($0.action.id)" } == ["PM-2025-014#A1", "PM-2025-014#A4"])
        #expect(actions.overdueByOwner.map(\.owner) == ["sam", "lee"] && actions.overdueByOwner.map(\.count) == [2, 1])
        // Days to close: 21, 14, 26, 11, 16, 10, 7.
        #expect(actions.timeToClose.n == 7)
        #expect(actions.timeToClose.median == 14 * day && actions.timeToClose.p90 == 26 * day && actions.timeToClose.mean == 15 * day)
        // An as-of day before the first due date: nothing overdue.
        #expect(ActionsReport(kb, asOf: ISO8601.parseDate("2025-03-01")!).counts.overdue == 0)
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
        #expect(recurrence.byCategory.first { $0.category == "change-management" } == .init(category: "change-management", incidents: 3, repeats: 1, recurredAfterFix: 1))
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
        #expect(json["records"] == 7 && json["incidents"] == 5 && json["drills"] == 1 && json["near_misses"] == 1)
        let change = try #require(json["by_category"]?["change-management"])
        #expect(change["incidents"] == 3)
        #expect(change["time_to_detect"] == ["n": 3, "median": 1200, "p90": 1860, "mean": 1100])
        #expect(change["time_to_resolve"] == ["n": 3, "median": 4920, "p90": 9000, "mean": 6240])
        #expect(change["recurrence_rate"]?.double == 1.0 / 3.0)
        #expect(change["recurred_after_fix"] == 1)
        let actions = try #require(json["actions"])
        #expect(actions["open"] == 6 && actions["overdue"] == 3 && actions["done"] == 7 && actions["verified"] == 2)
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
        #expect(rows.count == 15)
        #expect(rows[0].prefix(5) == ["Summary", "Description", "Assignee", "Due date", "Status"])
        #expect(rows.allSatisfy { $0.count == rows[0].count })
        let a2 = try #require(rows.first { $0[0].hasPrefix("[PM-2025-014 A2]") })
        #expect(a2[2] == "sam" && a2[3] == "2025-08-15" && a2[4] == "in-progress" && a2[15] == "yes")
        #expect(a2[1].contains("\nFinding F1: Config pushes skip validation and canarying."))
        let metricsRows = parseCSV(MetricsReport(kb, asOf: asOf).csv)
        #expect(metricsRows.contains { $0.prefix(4) == ["incidents", "category", "change-management", "3"] && $0[5] == "1200" })
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
        #expect(events.count == 6)  // the open actions with due dates
        for event in events {
            for property in ["UID:", "DTSTAMP:", "DTSTART;VALUE=DATE:", "DTEND;VALUE=DATE:", "SUMMARY:", "ACTION:DISPLAY", "TRIGGER:-P2D"] {
                #expect(event.contains { $0.hasPrefix(property) }, "missing \(property)")
            }
        }
        let uids = events.compactMap { $0.first { $0.hasPrefix("UID:") } }
        #expect(Set(uids).count == 6 && uids.contains("UID:PM-2025-014-A2@gameday"))
        let a2 = try #require(events.first { $0.contains("UID:PM-2025-014-A2@gameday") })
        #expect(a2.contains("DTSTART;VALUE=DATE:20250815") && a2.contains("DTEND;VALUE=DATE:20250816"))
        #expect(a2.contains { $0.hasPrefix("DESCRIPTION:Postmortem PM-2025-014: Checkout outage after config push\\nOwner: sam") })
        #expect(a2.contains { $0 == "DTSTAMP:20250915T000000Z" })
        #expect(ActionsReport(kb, asOf: asOf).ics(remindDays: 2) == ics)
    }
}

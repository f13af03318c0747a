import Foundation
import GamedayModel
import Testing
@testable import GamedayRecords

/// The commands end to end, through the built executable.
@Suite struct CommandLine {
    func examples() throws -> TemporaryFolder {
        let (_, folder) = try exampleKnowledgeBase()
        return folder
    }

    @Test func validateRecognizesRecordsAndScenarios() throws {
        let folder = try examples()
        let ok = try runGameday(["validate", "postmortems", "scenarios"], in: folder.path)
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        // 11 records and the 13 bundled scenarios.
        #expect(ok.stdout.contains("24 files checked: 24 valid"))
        folder.write("postmortems/PM-2025-099.yaml", baseRecord.replacingOccurrences(of: "PM-2025-014", with: "PM-2025-099").replacingOccurrences(of: "control: canary-deploys", with: "control: canary"))
        let bad = try runGameday(["validate", "postmortems/PM-2025-099.yaml", "--format", "json"], in: folder.path)
        #expect(bad.status == 1)
        let json = try JSONParser.parse(bad.stdout)
        #expect(json["files"]?[0]?["kind"] == "postmortem")
        let firstError = json["files"]?[0]?["diagnostics"]?.array?.first { $0["severity"] == "error" }
        #expect(firstError?["line"] == 24 && firstError?["column"] == 14)
        let text = try runGameday(["postmortem", "validate", "postmortems"], in: folder.path)
        #expect(text.status == 1)
        #expect(text.stdout.contains("postmortems/PM-2025-099.yaml:24:14: error: action A2 names control 'canary', which does not exist"))
        let notRecord = try runGameday(["postmortem", "validate", "scenarios/checkout-config-push.yaml"], in: folder.path)
        #expect(notRecord.status == 1 && notRecord.stdout.contains("not a postmortem record"))
        let missing = try runGameday(["postmortem", "validate", "nowhere"], in: folder.path)
        #expect(missing.status == 2)
    }

    @Test func knowledgeBaseCommands() throws {
        let folder = try examples()
        let metrics = try runGameday(["kb", "postmortems", "metrics", "--format", "json", "--as-of", "2025-09-15"], in: folder.path)
        #expect(metrics.status == 0, "\(metrics.stderr)")
        let json = try JSONParser.parse(metrics.stdout)
        #expect(json["by_category"]?["change-management"]?["time_to_detect"]?["median"] == 240)
        #expect(json["actions"]?["overdue"] == 19)
        for report in ["metrics", "recurrence", "actions"] {
            for format in ["text", "json", "csv", "markdown"] {
                let run = try runGameday(["kb", "postmortems", report, "--format", format, "--as-of", "2025-09-15"], in: folder.path)
                #expect(run.status == 0 && !run.stdout.isEmpty, "\(report) \(format): \(run.stderr)")
            }
        }
        let ics = try runGameday(["kb", "postmortems", "actions", "--format", "ics", "--as-of", "2025-09-15", "--out", "actions.ics"], in: folder.path)
        #expect(ics.status == 0)
        #expect(folder.read("actions.ics").hasPrefix("BEGIN:VCALENDAR\r\n"))
        let wrong = try runGameday(["kb", "postmortems", "metrics", "--format", "ics"], in: folder.path)
        #expect(wrong.status == 2)
        let badDate = try runGameday(["kb", "postmortems", "actions", "--as-of", "soon"], in: folder.path)
        #expect(badDate.status == 2)
    }

    @Test func newRenderAttach() throws {
        let folder = try examples()
        let new = try runGameday(["postmortem", "new", "--id", "PM-2025-040", "--scenario", "scenarios/checkout-config-push.yaml", "--owner", "zoe"], in: folder.path)
        #expect(new.status == 0, "\(new.stderr)")
        #expect(new.stdout.contains("wrote postmortems/PM-2025-040.yaml"))
        #expect(RecordLoader.check(path: folder.file("postmortems/PM-2025-040.yaml")).isValid)
        let again = try runGameday(["postmortem", "new", "--id", "PM-2025-040"], in: folder.path)
        #expect(again.status == 1 && again.stderr.contains("already exists"))
        let badID = try runGameday(["postmortem", "new", "--id", "no spaces"], in: folder.path)
        #expect(badID.status == 2)

        let html = try runGameday(["postmortem", "render", "postmortems/PM-2025-014.yaml", "--audience", "engineering", "--format", "html", "--as-of", "2025-09-15"], in: folder.path)
        #expect(html.status == 0 && html.stdout.contains("<h2>Barrier analysis</h2>"))
        let badAudience = try runGameday(["postmortem", "render", "postmortems/PM-2025-014.yaml", "--audience", "board"], in: folder.path)
        #expect(badAudience.status == 2)

        let before = folder.bytes("postmortems/PM-2025-014.yaml")
        folder.write("e.json", #"{"kind": "counterfactual", "control": "canary-deploys", "seed": 7, "trials": 1000, "result": {"incident_probability": {"baseline": 0.93, "variant": 0.03, "variant_ci95": [0.02, 0.04]}}}"#)
        let attach = try runGameday(["postmortem", "attach", "postmortems/PM-2025-014.yaml", "--evidence", "e.json", "--action", "A2", "--format", "json"], in: folder.path)
        #expect(attach.status == 0, "\(attach.stderr)")
        #expect(try JSONParser.parse(attach.stdout)["id"] == "E9")  // after the example's E1 to E8
        #expect(isOneInsertion(before: before, after: folder.bytes("postmortems/PM-2025-014.yaml")))
        let record = try #require(RecordLoader.check(path: folder.file("postmortems/PM-2025-014.yaml")).record)
        #expect(record.evidence.last?.engine == "gameday 0.1.0" && record.evidence.last?.action == "A2")
        // A2 is in progress: its evidence now meets the metric, but it is not verified until done.
        #expect(ActionVerification.evaluate(record.actions[1], in: record).state == .supported)
        let wrongAction = try runGameday(["postmortem", "attach", "postmortems/PM-2025-014.yaml", "--evidence", "e.json", "--action", "A9"], in: folder.path)
        #expect(wrongAction.status == 1 && wrongAction.stderr.contains("the record has no action 'A9'"))
    }
}

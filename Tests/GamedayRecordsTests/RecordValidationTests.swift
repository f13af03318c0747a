import Foundation
import GamedayModel
import Testing
@testable import GamedayRecords

/// A valid record whose line numbers the table below relies on.
let baseRecord = """
postmortem: PM-2025-014
kind: incident
status: draft
title: Test record
owner: dana
severity: SEV2
category: change-management
fingerprint: a/b/c
scenario: scenarios/checkout-config-push.yaml
times:
  started: 2025-07-14T13:58:00Z
  detected: 2025-07-14T14:29:00Z
  mitigated: 2025-07-14T15:00:00Z
findings:
  - {id: F1, kind: process, text: Something}
  - {id: F2, kind: process, text: Other}
actions:
  - id: A2
    title: Fix it
    finding: F1
    owner: dana
    due: 2025-08-15
    metric: {incident_probability_below: 10%}
    control: canary-deploys
no_action:
  - {finding: F2, why: Vendor}
evidence: []

"""

/// One row: what to change in the base record, and the error expected at line:column.
struct ValidationCase: CustomTestStringConvertible, Sendable {
    var name: String
    var replace: String
    var with: String
    var line: Int
    var column: Int
    var message: String
    var help: String? = nil
    var testDescription: String { name }
}

let validationCases: [ValidationCase] = [
    // Structure
    ValidationCase(name: "unknown key with a hint", replace: "owner: dana\nseverity", with: "ownr: dana\nseverity", line: 5, column: 1,
                   message: "unknown key 'ownr' in the record", help: "did you mean 'owner'?"),
    ValidationCase(name: "missing title", replace: "title: Test record\n", with: "", line: 1, column: 1, message: "the record is missing 'title'"),
    ValidationCase(name: "misspelt kind", replace: "kind: incident", with: "kind: incidnet", line: 2, column: 7,
                   message: "kind 'incidnet' is not one of the allowed values", help: "did you mean 'incident'?"),
    ValidationCase(name: "incident without severity", replace: "severity: SEV2\n", with: "", line: 1, column: 1, message: "an incident record is missing 'severity'"),
    ValidationCase(name: "time without a zone", replace: "started: 2025-07-14T13:58:00Z", with: "started: 2025-07-14T13:58:00", line: 11, column: 12,
                   message: "times.started '2025-07-14T13:58:00' is not an ISO-8601 date and time with a zone"),
    ValidationCase(name: "due is not a date", replace: "due: 2025-08-15", with: "due: soon", line: 22, column: 10, message: "due 'soon' is not a date"),
    ValidationCase(name: "metric outside the grammar", replace: "incident_probability_below", with: "incident_probabilty_below", line: 23, column: 14,
                   message: "metric: unknown quantity 'incident_probabilty'", help: "did you mean 'incident_probability'?"),
    ValidationCase(name: "verified is derived, not written", replace: "    title: Fix it\n", with: "    title: Fix it\n    status: verified\n", line: 20, column: 13,
                   message: "'verified' is not an action status a person writes"),
    // Traceability: every finding has an action or a no_action reason
    ValidationCase(name: "finding without action or reason", replace: "no_action:\n  - {finding: F2, why: Vendor}\n", with: "", line: 16, column: 5,
                   message: "finding F2 has no action and no no_action reason"),
    // Every action has an owner, a due date, a finding and a metric
    ValidationCase(name: "action without owner and due date", replace: "    owner: dana\n    due: 2025-08-15\n", with: "", line: 18, column: 5,
                   message: "action A2 has no owner and due date"),
    ValidationCase(name: "action without metric", replace: "    metric: {incident_probability_below: 10%}\n", with: "", line: 18, column: 5,
                   message: "action A2 has no metric"),
    ValidationCase(name: "action without finding", replace: "    finding: F1\n", with: "", line: 18, column: 5, message: "action A2 has no finding"),
    ValidationCase(name: "action names a missing finding", replace: "finding: F1", with: "finding: F9", line: 20, column: 14,
                   message: "action A2 names finding 'F9', which does not exist"),
    ValidationCase(name: "no_action names a missing finding", replace: "{finding: F2, why: Vendor}", with: "{finding: F3, why: Vendor}", line: 26, column: 15,
                   message: "a no_action entry names finding 'F3', which does not exist", help: "findings: F1, F2"),
    // A control exists in the linked scenario
    ValidationCase(name: "control not in the scenario", replace: "control: canary-deploys", with: "control: canary-deploy", line: 24, column: 14,
                   message: "action A2 names control 'canary-deploy', which does not exist in scenario 'checkout-config-push'", help: "did you mean 'canary-deploys'?"),
    ValidationCase(name: "linked scenario missing", replace: "scenario: scenarios/checkout-config-push.yaml", with: "scenario: scenarios/nope.yaml", line: 9, column: 11,
                   message: "scenario file 'scenarios/nope.yaml' does not exist"),
    ValidationCase(name: "control without a linked scenario", replace: "scenario: scenarios/checkout-config-push.yaml\n", with: "", line: 23, column: 14,
                   message: "action A2 names control 'canary-deploys' but the record links no scenario"),
    // Times are in order
    ValidationCase(name: "times out of order", replace: "detected: 2025-07-14T14:29:00Z", with: "detected: 2025-07-14T13:00:00Z", line: 12, column: 13,
                   message: "times.detected (2025-07-14T13:00:00Z) is before times.started (2025-07-14T13:58:00Z)"),
    ValidationCase(name: "mitigated before detected", replace: "mitigated: 2025-07-14T15:00:00Z", with: "mitigated: 2025-07-14T14:00:00Z", line: 13, column: 14,
                   message: "times.mitigated (2025-07-14T14:00:00Z) is before times.detected (2025-07-14T14:29:00Z)"),
    // Evidence
    ValidationCase(name: "evidence names a missing action", replace: "evidence: []", with: "evidence: [{id: E1, kind: drill, action: A7}]", line: 27, column: 12,
                   message: "evidence E1 names action 'A7', which does not exist"),
    ValidationCase(name: "evidence id not numbered", replace: "evidence: []", with: "evidence: [{id: X1, kind: drill}]", line: 27, column: 17,
                   message: "evidence id 'X1' is not E followed by a number"),
    ValidationCase(name: "duplicate finding ids", replace: "{id: F2, kind: process, text: Other}", with: "{id: F1, kind: process, text: Other}", line: 16, column: 5,
                   message: "finding id 'F1' is used twice"),
]

@Suite struct RecordValidation {
    /// A repository folder with the scenario; each test makes its own (tests run in parallel).
    let folder: TemporaryFolder = {
        let folder = TemporaryFolder()
        folder.addScenario()
        return folder
    }()

    /// Checks text written as postmortems/PM-2025-014.yaml.
    func check(_ text: String) -> RecordCheck {
        RecordLoader.check(path: folder.write("postmortems/PM-2025-014.yaml", text))
    }

    @Test func baseRecordIsValid() {
        let result = check(baseRecord)
        #expect(result.isValid, "\(result.diagnostics)")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        #expect(result.scenario?.id == "checkout-config-push")
    }

    @Test(arguments: validationCases)
    func reportsLocatedError(_ row: ValidationCase) throws {
        #expect(baseRecord.contains(row.replace), "the case's text is not in the base record")
        let result = check(baseRecord.replacingOccurrences(of: row.replace, with: row.with))
        #expect(!result.isValid)
        let match = result.diagnostics.first { $0.severity == .error && $0.message.contains(row.message) }
        let listing = result.diagnostics.map(\.description).joined(separator: "\n")
        let found = try #require(match, Comment(rawValue: "no error containing \"\(row.message)\" in:\n" + listing))
        #expect(found.location.line == row.line && found.location.column == row.column, "at \(found.location.line):\(found.location.column): \(found.description)")
        #expect(found.location.file.hasSuffix("postmortems/PM-2025-014.yaml"))
        if let help = row.help { #expect(found.help?.contains(help) == true, "help: \(found.help ?? "none")") }
    }

    @Test func everyProblemIsReportedAtOnce() {
        var text = baseRecord.replacingOccurrences(of: "owner: dana\nseverity", with: "ownr: dana\nseverity")
        text = text.replacingOccurrences(of: "control: canary-deploys", with: "control: canary-deploy")
        text = text.replacingOccurrences(of: "detected: 2025-07-14T14:29:00Z", with: "detected: 2025-07-14T13:00:00Z")
        let messages = check(text).diagnostics.map(\.message)
        #expect(messages.contains { $0.contains("unknown key 'ownr'") })
        #expect(messages.contains { $0.contains("is missing 'owner'") })
        #expect(messages.contains { $0.contains("canary-deploy'") })
        #expect(messages.contains { $0.contains("times.detected") })
    }

    @Test func traceabilityErrorsKeepTheRecordForTheKnowledgeBase() {
        let result = check(baseRecord.replacingOccurrences(of: "no_action:\n  - {finding: F2, why: Vendor}\n", with: ""))
        #expect(!result.isValid)
        #expect(result.record?.id == "PM-2025-014")
        let structural = check(baseRecord.replacingOccurrences(of: "kind: incident", with: "kind: incidnet"))
        #expect(structural.record == nil)
    }

    @Test func warningsDoNotInvalidate() {
        let text = baseRecord.replacingOccurrences(of: "title: Test record", with: "title: TODO one line").replacingOccurrences(of: "fingerprint: a/b/c\n", with: "")
        let result = check(text)
        #expect(result.isValid)
        #expect(result.diagnostics.contains { $0.severity == .warning && $0.message.contains("placeholder") })
        #expect(result.diagnostics.contains { $0.severity == .warning && $0.message.contains("no 'fingerprint'") })
        let renamed = folder.write("\(UUID().uuidString)/other-name.yaml", baseRecord)
        #expect(RecordLoader.check(path: renamed).diagnostics.contains { $0.message.contains("differs from the file name") })
    }

    @Test func scenarioLinksResolveUpToTheRepositoryRoot() {
        let record = folder.file("a/postmortems/PM-2025-014.yaml")
        let folders = ScenarioCache.searchFolders(forRecordAt: record)
        #expect(folders.count == 3)
        #expect(folders.last == URL(fileURLWithPath: folder.path).standardizedFileURL.path)
        #expect(ScenarioCache().resolve("scenarios/checkout-config-push.yaml", fromRecordAt: record) != nil)
        #expect(ScenarioCache().resolve("scenarios/none.yaml", fromRecordAt: record) == nil)
    }

    @Test func exampleRecordsAreValidNextToTheirScenario() throws {
        let folder = TemporaryFolder()
        folder.addBundledScenarios()
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.examplesDirectory).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(files.count >= 6)
        for file in files {
            folder.write("postmortems/" + file, String(decoding: FileManager.default.contents(atPath: Fixtures.examplesDirectory + "/" + file)!, as: UTF8.self))
        }
        var linked = 0
        for file in files {
            let result = RecordLoader.check(path: folder.file("postmortems/" + file))
            // Clean: no errors and no warnings (the examples are meant to be copied).
            #expect(result.isValid && result.diagnostics.isEmpty, "\(file): \(result.diagnostics.map(\.description))")
            if result.record?.scenario != nil { linked += 1 }
        }
        #expect(linked >= 6)
    }
}

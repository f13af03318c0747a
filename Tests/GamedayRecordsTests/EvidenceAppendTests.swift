import Foundation
import GamedayModel
import Testing
@testable import GamedayRecords

/// A record head that every layout test shares: comments, odd spacing, quoting and unicode.
private let head = """
# Postmortem for the café outage — ünïcödé stays as written
postmortem:   PM-2025-014     # id, also the file name
kind: incident
status: draft
title: "Checkout outage: after config push"
owner: dana
severity: SEV2
category: change-management
times: {started: 2025-07-14T13:58:00Z}
actions:
  - {id: A1, title: Validate endpoints, finding: F1, owner: dana, due: 2025-08-15, metric: "P(outage) below 10%"}

"""

@Suite struct EvidenceAppendLayouts {
    /// Appends and checks that the original text is a byte-for-byte part of the result.
    func appendAndCheck(_ text: String, expectPrefixKept: Bool = true) throws -> String {
        let (result, entry) = try EvidenceLog.appending(sampleEntry(), to: text, file: "PM-2025-014.yaml", now: 0)
        #expect(entry.id != nil)
        let check = RecordLoader.check(text: result, path: "PM-2025-014.yaml")
        let parsed = try #require(check.record, "\(check.diagnostics)")
        #expect(parsed.evidence.last?.id == entry.id)
        #expect(parsed.evidence.last == entry)
        return result
    }

    @Test func emptyFlowListBecomesABlockListAndKeepsItsComment() throws {
        let text = head + "evidence: []                       # appended by gameday; see below\nhistory: []\n"
        let result = try appendAndCheck(text)
        #expect(result.hasPrefix(head + "evidence:                       # appended by gameday; see below\n  - id: E1\n    kind: counterfactual\n"))
        #expect(result.hasSuffix("history: []\n"))
        let again = try appendAndCheck(result)
        #expect(again.contains("  - id: E2\n"))
        #expect(again.hasSuffix("history: []\n"))
    }

    @Test func spacedFlowListAndNoTrailingNewline() throws {
        let text = head + "evidence: [ ]"
        let result = try appendAndCheck(text)
        #expect(result.hasPrefix(head + "evidence:\n  - id: E1\n"))
        #expect(result.hasSuffix("\n"))
    }

    @Test func nullAndMissingValues() throws {
        for value in ["evidence:\n", "evidence: ~\n", "evidence: null   # none yet\n", "evidence:"] {
            let text = head + value + (value.hasSuffix("\n") ? "related: []\n" : "")
            let result = try appendAndCheck(text)
            #expect(result.contains("  - id: E1\n    kind: counterfactual\n"), "\(value)")
            #expect(!result.contains("~") && !result.contains("null"), "\(value)")
            if value.contains("# none yet") { #expect(result.contains("evidence:   # none yet\n  - id: E1")) }
        }
    }

    @Test func absentKeyIsAddedAtTheEnd() throws {
        let text = head + "history:\n  - {revision: 3, date: 2025-07-20, by: dana, change: Added barrier analysis}\n# trailing comment\n"
        let result = try appendAndCheck(text)
        #expect(result.hasPrefix(text))
        #expect(result.hasSuffix("# trailing comment\nevidence:\n  - id: E1\n    kind: counterfactual\n    at: 2025-07-20T10:02:11Z\n    engine: gameday 0.1.0\n    scenario:\n      path: scenarios/checkout-config-push.yaml\n      sha256: 9f2c0000000000000000000000000000000000000000000000000000000000aa\n    seed: 42\n    trials: 100000\n    control: canary-deploys\n    result:\n      incident_probability: {baseline: 0.93, variant: 0.18, variant_ci95: [0.178, 0.182]}\n      averted: {share: 0.79, ci95: [0.787, 0.793]}\n"))
        let noNewline = head + "history: []"
        let result2 = try appendAndCheck(noNewline)
        #expect(result2.hasPrefix(noNewline + "\nevidence:\n"))
    }

    @Test func explicitDocumentEndStaysLast() throws {
        let text = head + "history: []\n...\n# after the end\n"
        let result = try appendAndCheck(text)
        #expect(result.hasSuffix("evidence:\n  - id: E1\n" + result.components(separatedBy: "  - id: E1\n")[1].components(separatedBy: "...\n")[0] + "...\n# after the end\n"))
    }

    @Test func blockListWithCommentsAfterItAndOddIndentation() throws {
        let text = head + """
        evidence:
            -   id: E7          # odd indentation is matched
                kind: drill
                drill: D-1      # comment at the end of the last item
            # a comment that belongs to what follows
        history:   [ ]   # tabs\tin\tcomments
        """
        let result = try appendAndCheck(text)
        #expect(result.contains("    drill: D-1      # comment at the end of the last item\n    -   id: E8\n        kind: counterfactual\n"))
        #expect(result.hasSuffix("    # a comment that belongs to what follows\nhistory:   [ ]   # tabs\tin\tcomments"))
    }

    @Test func indentlessBlockList() throws {
        let text = head + "evidence:\n- id: E1\n  kind: drill\nhistory: []\n"
        let result = try appendAndCheck(text)
        #expect(result.contains("- id: E1\n  kind: drill\n- id: E2\n  kind: counterfactual\n"))
    }

    @Test func blockScalarAtTheEndOfTheLastItem() throws {
        let text = head + "evidence:\n  - id: E1\n    kind: drill\n    note: |\n      line one\n      line two\n\n# comment\nhistory: []\n"
        let result = try appendAndCheck(text)
        #expect(result.contains("      line two\n\n  - id: E2\n"))
        let check = RecordLoader.check(text: result, path: "PM-2025-014.yaml")
        #expect(check.record?.evidence.first?.note == "line one\nline two")
    }

    @Test func nonEmptyFlowListGetsAFlowItem() throws {
        let text = head + "evidence: [{id: E1, kind: drill}]   # flow\nhistory: []\n"
        let result = try appendAndCheck(text)
        #expect(result.contains("evidence: [{id: E1, kind: drill}, {id: E2, kind: counterfactual, at: 2025-07-20T10:02:11Z"))
        #expect(result.contains("]   # flow\nhistory: []\n"))
    }

    @Test func crlfLineEndingsAreKept() throws {
        let text = (head + "evidence:\n  - id: E1\n    kind: drill\nhistory: []\n").replacingOccurrences(of: "\n", with: "\r\n")
        let result = try appendAndCheck(text)
        #expect(result.contains("    kind: drill\r\n  - id: E2\r\n    kind: counterfactual\r\n"))
        #expect(!result.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        let bare = (head + "evidence: []").replacingOccurrences(of: "\n", with: "\r\n")
        let result2 = try appendAndCheck(bare)
        #expect(result2.hasSuffix("evidence:\r\n  - id: E1\r\n    kind: counterfactual\r\n" + result2.components(separatedBy: "    kind: counterfactual\r\n")[1]))
    }

    @Test func byteOrderMarkAndUnicodeBeforeTheList() throws {
        let text = "\u{FEFF}" + head + "notes_are_not_keys: no\n"
        // An unknown key makes the record invalid, but the append only needs a record shape.
        let (result, _) = try EvidenceLog.appending(sampleEntry(), to: text.replacingOccurrences(of: "notes_are_not_keys: no\n", with: "evidence:\n  - id: E1\n    kind: drill   # ☕ café\nrelated: []\n"), file: "x.yaml", now: 0)
        #expect(result.hasPrefix("\u{FEFF}" + head + "evidence:\n  - id: E1\n    kind: drill   # ☕ café\n  - id: E2\n"))
    }

    @Test func idsContinueFromTheHighest() throws {
        let text = head + "evidence:\n  - {id: E3, kind: drill}\n  - {id: E12, kind: drill}\n  - {id: E5, kind: drill}\n"
        let (_, entry) = try EvidenceLog.appending(sampleEntry(), to: text, file: "x.yaml", now: 0)
        #expect(entry.id == "E13")
    }

    @Test func stringsThatNeedQuotingReadBackExactly() throws {
        var entry = sampleEntry()
        entry.note = "yes: a \"quoted\" # note, with [brackets] and\nnew line\ttab — ünï"
        entry.result = ["weird": ["on": "off", "012": "0755", "1:30": "-5m", "empty": "", "null": .null, "t": true]]
        let (result, appended) = try EvidenceLog.appending(entry, to: head + "evidence: []\n", file: "x.yaml", now: 0)
        let record = try #require(RecordLoader.check(text: result, path: "x.yaml").record)
        #expect(record.evidence.last == appended)
    }

    @Test func rejectsWhatCannotBeAppended() {
        let cases: [(String, String)] = [
            (head + "evidence: {E1: x}\n", "evidence must be a list, not a mapping"),
            (head + "evidence: none\n", "evidence must be a list, not the scalar 'none'"),
            ("{postmortem: PM-1}\n", "top level must be a block mapping"),
            ("scenario: {id: x}\n", "not a postmortem record"),
        ]
        for (text, message) in cases {
            #expect {
                _ = try EvidenceLog.appending(sampleEntry(), to: text, file: "x.yaml", now: 0)
            } throws: { error in
                (error as? DiagnosticError)?.diagnostics.contains { $0.message.contains(message) } ?? false
            }
        }
        #expect(throws: DiagnosticError.self) {
            _ = try EvidenceLog.appending(sampleEntry(action: "A9"), to: head, file: "x.yaml", now: 0)
        }
    }
}

@Suite struct EvidenceAppendEdges {
    @Test func blockListEndingTheFileWithoutANewline() throws {
        let text = head + "evidence:\n  - id: E1\n    kind: drill"
        let (result, entry) = try EvidenceLog.appending(sampleEntry(), to: text, file: "PM-2025-014.yaml", now: 0)
        #expect(entry.id == "E2")
        #expect(result.hasPrefix(text + "\n  - id: E2\n    kind: counterfactual\n"))
    }

    @Test func emptyValueFollowedByACommentLine() throws {
        let text = head + "evidence:\n  # nothing yet\nhistory: []\n"
        let (result, _) = try EvidenceLog.appending(sampleEntry(), to: text, file: "PM-2025-014.yaml", now: 0)
        #expect(result.hasPrefix(head + "evidence:\n  - id: E1\n"))
        #expect(result.hasSuffix("  # nothing yet\nhistory: []\n"))
        #expect(RecordLoader.check(text: result, path: "PM-2025-014.yaml").record?.evidence.count == 1)
    }

    @Test func timeIsStampedWhenMissing() throws {
        var entry = sampleEntry()
        entry.at = nil
        let (_, appended) = try EvidenceLog.appending(entry, to: head, file: "x.yaml", now: ISO8601.parse("2025-07-20T10:02:11Z")!)
        #expect(appended.at == "2025-07-20T10:02:11Z")
        entry.at = "yesterday"
        #expect(throws: DiagnosticError.self) { _ = try EvidenceLog.appending(entry, to: head, file: "x.yaml", now: 0) }
    }
}

@Test func docsDescribeEveryRecordKey() throws {
    let docs = String(decoding: FileManager.default.contents(atPath: Fixtures.packageRoot.appendingPathComponent("docs/postmortems.md").path)!, as: UTF8.self)
    for object in RecordFormat.Object.allCases {
        for field in RecordFormat.fields(object) {
            #expect(docs.contains(field.name), "docs/postmortems.md does not mention '\(field.name)' (\(object))")
        }
    }
}

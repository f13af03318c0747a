import Foundation
import GamedayModel
import Testing
import GamedayTestSupport
@testable import GamedayRecords

/// A record a person wrote by hand: comments everywhere, odd spacing and quoting, CRLF-free but
/// with tabs in comments, unicode, a flow list, a block scalar, and evidence in the middle.
let handWrittenRecord = """
# Hand-written: every byte of this must survive appends.   
postmortem:    PM-2025-014        #\tthe id
kind: 'incident'
status: "draft"
title: >-
  Checkout outage
  after a config push — ünïcödé ☕
owner: dana
severity: SEV2
category: change-management
times: { started: 2025-07-14T13:58:00Z,   detected: 2025-07-14T14:29:00Z }
findings:
    -   id: F1
        text: Config pushes skip validation.
actions:
  - {id: A1, title: Canary, finding: F1, owner: sam, due: 2025-08-15, metric: "P(outage) below 10%", verify: {incident_probability_below: 10%}}
evidence:
  # E1 was added by hand, with a comment
  - id: E1
    kind: drill    # trailing comment
    drill: D-1

# A comment between sections, then more sections after the evidence.
history:
  - {revision: 1, date: 2025-07-15, by: dana, change: First draft}   
related: []
"""

/// Whether `after` is `before` with one contiguous block inserted.
func isOneInsertion(before: [UInt8], after: [UInt8]) -> Bool {
    guard after.count >= before.count else { return false }
    var prefix = 0
    while prefix < before.count, before[prefix] == after[prefix] { prefix += 1 }
    let suffixLength = before.count - prefix
    return Array(after.suffix(suffixLength)) == Array(before.suffix(suffixLength))
}

/// The gameday executable built next to the tests.
func gamedayBinary() -> String? { TestPaths.gamedayExecutable }

/// Runs the gameday executable.
@discardableResult
func runGameday(_ arguments: [String], environment: [String: String] = [:], in directory: String? = nil) throws -> (status: Int32, signaled: Bool, stdout: String, stderr: String) {
    let binary = try #require(gamedayBinary(), "build the gameday executable first (swift build)")
    let result = try runProcess(binary, arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 }, directory: directory)
    return (result.status, result.signaled, result.output, result.error)
}

@Suite struct EvidenceFileAppends {
    @Test func appendKeepsEveryOtherByte() throws {
        let folder = TemporaryFolder()
        let path = folder.write("PM-2025-014.yaml", handWrittenRecord)
        var previous = folder.bytes("PM-2025-014.yaml")
        for expected in ["E2", "E3", "E4"] {
            let entry = try EvidenceLog.append(sampleEntry(action: "A1", note: "with ünïcödé"), toRecordAt: path)
            #expect(entry.id == expected)
            let now = folder.bytes("PM-2025-014.yaml")
            #expect(isOneInsertion(before: previous, after: now), "append \(expected) changed bytes outside its entry")
            previous = now
        }
        let text = folder.read("PM-2025-014.yaml")
        // The person's text is intact, in order, around the three new entries.
        #expect(text.hasPrefix(String(handWrittenRecord.prefix(upTo: handWrittenRecord.range(of: "    drill: D-1\n")!.upperBound))))
        #expect(text.hasSuffix("\n# A comment between sections, then more sections after the evidence.\nhistory:\n  - {revision: 1, date: 2025-07-15, by: dana, change: First draft}   \nrelated: []"))
        let check = RecordLoader.check(path: path)
        let record = try #require(check.record)
        #expect(record.evidence.map(\.id) == ["E1", "E2", "E3", "E4"])
        #expect(record.title == "Checkout outage after a config push — ünïcödé ☕")
        // The appended evidence verifies nothing here (18% is not below 10%), but it is linked.
        let verification = ActionVerification.evaluate(record.actions[0], in: record)
        #expect(verification.linked.count == 3)
        #expect(verification.state == .notMet)
    }

    @Test func permissionsAreKept() throws {
        let folder = TemporaryFolder()
        let path = folder.write("PM-2025-014.yaml", handWrittenRecord)
        chmod(path, 0o640)
        try EvidenceLog.append(sampleEntry(), toRecordAt: path)
        var info = stat()
        stat(path, &info)
        #expect(info.st_mode & 0o777 == 0o640)
    }

    @Test func twoWritersAtOnceBothLand() throws {
        let folder = TemporaryFolder()
        let path = folder.write("PM-2025-014.yaml", handWrittenRecord)
        let failures = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            for i in 0..<20 {
                do {
                    try EvidenceLog.append(sampleEntry(note: "writer \(writer) entry \(i)"), toRecordAt: path)
                } catch {
                    failures.withLock { $0 += 1 }
                }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        let record = try #require(RecordLoader.check(path: path).record)
        #expect(record.evidence.count == 41)
        #expect(Set(record.evidence.compactMap(\.id)).count == 41)
        #expect(record.highestEvidenceNumber == 41)
        for writer in 0..<2 {
            for i in 0..<20 {
                #expect(record.evidence.contains { $0.note == "writer \(writer) entry \(i)" })
            }
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".gameday-tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func twoProcessesAtOnceBothLand() throws {
        guard let binary = gamedayBinary() else {
            Issue.record("build the gameday executable first (swift build)")
            return
        }
        let folder = TemporaryFolder()
        let path = folder.write("PM-2025-014.yaml", handWrittenRecord)
        let evidence = folder.write("e.json", #"{"kind": "check", "check": "canary", "control": "canary-deploys", "result": {"incident_probability": {"variant": 0.08}}}"#)
        let script = "for i in 1 2 3 4 5 6; do \"$0\" postmortem attach \"$1\" --evidence \"$2\" >/dev/null || exit 1; done"
        let processes = (0..<2).map { _ -> Process in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", script, binary, path, evidence]
            return p
        }
        for p in processes { try p.run() }
        for p in processes { p.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let record = try #require(RecordLoader.check(path: path).record)
        #expect(record.evidence.count == 13)
        #expect(Set(record.evidence.compactMap(\.id)) == Set((1...13).map { "E\($0)" }))
    }

    @Test func aFailureBeforeTheRenameLeavesTheRecordAsItWas() throws {
        struct Crash: Error {}
        let folder = TemporaryFolder()
        let path = folder.write("PM-2025-014.yaml", handWrittenRecord)
        let before = folder.bytes("PM-2025-014.yaml")
        let seenTemp = Locked<String?>(nil)
        let options = EvidenceLog.Options(beforeRename: { temp in
            seenTemp.withLock { $0 = temp }
            // The new file is complete and synced at this point...
            let written = String(decoding: FileManager.default.contents(atPath: temp)!, as: UTF8.self)
            #expect(written.contains("id: E2"))
            throw Crash()
        })
        #expect(throws: DiagnosticError.self) { try EvidenceLog.append(sampleEntry(), toRecordAt: path, options: options) }
        // ...but the record is untouched, and the temporary file is cleaned up.
        #expect(folder.bytes("PM-2025-014.yaml") == before)
        let temp = try #require(seenTemp.withLock { $0 })
        #expect(!FileManager.default.fileExists(atPath: temp))
    }

    @Test func aProcessKilledBetweenWriteAndRenameLeavesTheRecordIntact() throws {
        let folder = TemporaryFolder()
        let path = folder.write("PM-2025-014.yaml", handWrittenRecord)
        let before = folder.bytes("PM-2025-014.yaml")
        let evidence = folder.write("e.json", #"{"kind": "drill", "drill": "D-2", "score": {"points": 80, "max": 100}}"#)
        let killed = try runGameday(["postmortem", "attach", path, "--evidence", evidence], environment: ["GAMEDAY_TEST_KILL_BEFORE_RENAME": "1"])
        #expect(killed.signaled && killed.status == SIGKILL, "status \(killed.status), stderr \(killed.stderr)")
        #expect(folder.bytes("PM-2025-014.yaml") == before)
        // The killed writer left its complete temporary file behind; the record never saw it.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".gameday-tmp") }
        #expect(leftovers.count == 1)
        if let leftover = leftovers.first {
            #expect(String(decoding: FileManager.default.contents(atPath: folder.file(leftover))!, as: UTF8.self).contains("drill: D-2"))
        }
        // The lock died with the process: the next writer goes ahead at once.
        let next = try runGameday(["postmortem", "attach", path, "--evidence", evidence])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stdout.contains("appended E2"))
        #expect(RecordLoader.check(path: path).record?.evidence.count == 2)
    }

    @Test func lockTimesOutWithAClearError() throws {
        let folder = TemporaryFolder()
        let path = folder.write("PM-2025-014.yaml", handWrittenRecord)
        let fd = open(path, O_RDONLY)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX) == 0)
        #expect {
            try EvidenceLog.append(sampleEntry(), toRecordAt: path, options: EvidenceLog.Options(lockTimeout: 0.2))
        } throws: { error in
            (error as? DiagnosticError)?.diagnostics.first?.message.contains("lock") ?? false
        }
    }
}

/// A value shared between threads behind a lock.
final class Locked<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<T>(_ body: (inout Value) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

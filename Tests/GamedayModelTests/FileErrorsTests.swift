import Foundation
import Testing
import GamedayModel

/// File-write errors in words a person acts on.
@Suite struct FileErrorsTests {
    @Test(arguments: [
        (EACCES, "permission denied: cannot create or replace files in /nonexistent-gameday/out"),
        (EPERM, "permission denied"),
        (ENOTDIR, "a part of the path /nonexistent-gameday/out is a file, not a folder"),
        (EISDIR, "/nonexistent-gameday/out/report.txt is a folder; give a file name"),
        (EROFS, "/nonexistent-gameday/out is on a read-only file system"),
        (ENOSPC, "no space left on the device"),
        (ENOENT, "the folder /nonexistent-gameday/out does not exist"),
    ])
    func errnoInWords(_ code: Int32, _ expected: String) {
        let text = FileErrors.describe(errno: code, path: "/nonexistent-gameday/out/report.txt")
        #expect(text.contains(expected), "\(text)")
    }

    @Test func foundationErrorsAreDescribedByWhatIsOnDisk() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gameday-file-errors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("no/such/x.txt").path
        #expect(FileErrors.problem(writing: missing) == "the folder \(folder.path)/no/such does not exist")
        #expect(FileErrors.problem(writing: folder.path) == "\(folder.path) is a folder; give a file name")
        #expect(FileErrors.problem(writing: folder.appendingPathComponent("fine.txt").path) == nil)
        let cocoa = CocoaError(.fileWriteUnknown)
        #expect(FileErrors.describe(cocoa, path: missing) == "the folder \(folder.path)/no/such does not exist")
        #expect(FileErrors.describe(POSIXError(.ENOSPC), path: missing) == "no space left on the device")
    }
}

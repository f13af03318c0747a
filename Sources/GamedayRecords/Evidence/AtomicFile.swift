import Foundation
import GamedayModel

/// Replacing a user's file safely: the new bytes go to a temporary file in the same folder,
/// which is flushed to disk and then renamed over the original, so a crash at any point leaves
/// either the old file or the new one, never a mix.
enum AtomicFile {
    /// Writes `bytes` to a temporary file next to `path`, syncs it, and renames it over `path`.
    ///
    /// - Parameters:
    ///   - mode: the permission bits of the new file (those of the original).
    ///   - beforeRename: called with the temporary file's path after it is synced and before the
    ///     rename; tests use it to simulate a crash at the worst moment.
    static func replace(_ path: String, with bytes: [UInt8], mode: mode_t, beforeRename: ((String) throws -> Void)? = nil) throws(DiagnosticError) {
        let folder = PathParts(path).directory
        let name = PathParts(path).lastComponent
        let temp = (folder as NSString).appendingPathComponent(".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).gameday-tmp")
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard fd >= 0 else { throw failure(path, "cannot write \(path): " + FileErrors.describe(errno: errno, path: path, folder: folder)) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress! + written, bytes.count - written)
            }
            if n < 0 {
                if errno == EINTR { continue }
                let message = FileErrors.describe(errno: errno, path: path, folder: folder)
                close(fd)
                unlink(temp)
                throw failure(path, "cannot write \(path): \(message)")
            }
            written += n
        }
        if fsync(fd) != 0 {
            let message = FileErrors.describe(errno: errno, path: path, folder: folder)
            close(fd)
            unlink(temp)
            throw failure(path, "cannot write \(path) to disk: \(message)")
        }
        _ = fchmod(fd, mode)
        close(fd)
        if let beforeRename {
            do {
                try beforeRename(temp)
            } catch {
                unlink(temp)
                throw failure(path, "interrupted before the rename: \(error)")
            }
        }
        guard rename(temp, path) == 0 else {
            let message = FileErrors.describe(errno: errno, path: path, folder: folder)
            unlink(temp)
            throw failure(path, "cannot replace \(path): \(message)")
        }
        // Make the rename itself durable.
        let folderFD = open(folder, O_RDONLY)
        if folderFD >= 0 {
            _ = fsync(folderFD)
            close(folderFD)
        }
    }

    static func failure(_ path: String, _ message: String) -> DiagnosticError {
        DiagnosticError(Diagnostic(at: SourceLocation(file: path, line: 1, column: 1), message))
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// An exclusive lock on a record while it is read, changed and replaced, so that two writers
/// (two `gameday` processes, or two tasks) never lose each other's entries.
///
/// The lock is `flock` on the record file itself. Because the file is replaced by a rename, a
/// writer that waited on the old file finds, once it holds the lock, that the path now names a
/// new file; it then locks that one instead. No lock file is left behind, and a writer that dies
/// releases its lock with its process.
final class RecordFileLock {
    /// The locked open file, through which the current contents are read.
    let descriptor: Int32
    /// The locked file's permission bits.
    let mode: mode_t

    private init(descriptor: Int32, mode: mode_t) {
        self.descriptor = descriptor
        self.mode = mode
    }

    /// Waits (polling, up to `timeout` seconds) for the lock on the file currently at `path`.
    static func acquire(_ path: String, timeout: Double) throws(DiagnosticError) -> RecordFileLock {
        let deadline = Date().addingTimeInterval(timeout)
        var pause: useconds_t = 1_000
        while true {
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else {
                let message = errno == ENOENT ? "no such file" : "cannot open the record: \(AtomicFile.errnoText())"
                throw AtomicFile.failure(path, message)
            }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                var locked = stat(), current = stat()
                if fstat(fd, &locked) == 0, stat(path, &current) == 0, locked.st_ino == current.st_ino, locked.st_dev == current.st_dev {
                    return RecordFileLock(descriptor: fd, mode: locked.st_mode & 0o7777)
                }
                // The file was replaced while we waited: lock the new one.
                close(fd)
                continue
            }
            close(fd)
            if Date() >= deadline {
                throw AtomicFile.failure(path, "another writer has held the record's lock for \(Int(timeout))s; try again when it is done")
            }
            usleep(pause)
            pause = min(pause * 2, 50_000)
        }
    }

    /// Reads the whole locked file.
    func readAll(path: String) throws(DiagnosticError) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        _ = lseek(descriptor, 0, SEEK_SET)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw AtomicFile.failure(path, "cannot read the record: \(AtomicFile.errnoText())")
            }
            if n == 0 { break }
            bytes += buffer[0..<n]
        }
        return bytes
    }

    /// Releases the lock.
    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    deinit {}
}

extension PathParts {
    /// The last path component.
    var lastComponent: String {
        path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    }
}

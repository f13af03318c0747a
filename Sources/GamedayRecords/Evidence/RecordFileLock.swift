import Foundation
import GamedayModel

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

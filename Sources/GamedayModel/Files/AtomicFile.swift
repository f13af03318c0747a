import Foundation

/// Replacing a user's file safely: the new bytes go to a temporary file in the same folder,
/// which is flushed to disk and then renamed over the original, so a crash at any point leaves
/// either the old file or the new one, never a mix.
package enum AtomicFile {
    /// Writes `bytes` to a temporary file next to `path`, syncs it, and renames it over `path`.
    ///
    /// - Parameters:
    ///   - mode: the permission bits of the new file (those of the original).
    ///   - beforeRename: called with the temporary file's path after it is synced and before the
    ///     rename; tests use it to simulate a crash at the worst moment.
    package static func replace(_ path: String, with bytes: [UInt8], mode: mode_t, beforeRename: ((String) throws -> Void)? = nil) throws(DiagnosticError) {
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

    package static func failure(_ path: String, _ message: String) -> DiagnosticError {
        DiagnosticError(Diagnostic(at: SourceLocation(file: path, line: 1, column: 1), message))
    }

    package static func errnoText() -> String { String(cString: strerror(errno)) }
}

/// Writing reports and new records to files: atomically (temporary file, fsync, rename), keeping
/// an existing file's permissions.
public enum OutputFile {
    /// Writes `text` to `path`, replacing it atomically.
    ///
    /// - Parameters:
    ///   - overwrite: when false, an existing file is an error (nothing is written).
    ///   - createFolders: create the folders the path names when they are missing; when false, a
    ///     missing folder is an error.
    /// - Throws: ``DiagnosticError`` saying plainly what is wrong ("the folder out does not
    ///   exist", "permission denied: ..."), located at the first line of `path`.
    public static func write(_ text: String, to path: String, overwrite: Bool = true, createFolders: Bool = true) throws(DiagnosticError) {
        var info = stat()
        let exists = stat(path, &info) == 0
        if exists, !overwrite {
            throw AtomicFile.failure(path, "\(path) already exists")
        }
        if exists, (info.st_mode & S_IFMT) == S_IFDIR {
            throw AtomicFile.failure(path, "cannot write \(path): it is a folder; give a file name")
        }
        let folder = PathParts(path).directory
        if !FileManager.default.fileExists(atPath: folder) {
            guard createFolders else { throw AtomicFile.failure(path, "cannot write \(path): the folder \(folder) does not exist") }
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw AtomicFile.failure(path, "cannot create the folder \(folder): \(FileErrors.describe(error, path: folder))")
            }
        }
        try AtomicFile.replace(path, with: Array(text.utf8), mode: exists ? info.st_mode & 0o7777 : 0o644)
    }

    /// What went wrong writing a file, without its location: the message of a ``write(_:to:overwrite:createFolders:)`` failure.
    public static func message(_ error: DiagnosticError) -> String {
        error.diagnostics.map(\.message).joined(separator: "; ")
    }
}

/// Path helpers without Foundation's NSString bridging at call sites.
package struct PathParts {
    package let path: String
    package init(_ path: String) { self.path = path }

    /// The last path component.
    package var lastComponent: String {
        path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
    }

    /// The last path component without its extension.
    package var lastComponentWithoutExtension: String {
        let last = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? path
        if let dot = last.lastIndex(of: "."), dot != last.startIndex { return String(last[..<dot]) }
        return last
    }

    /// The folder part (`.` when there is none).
    package var directory: String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }
}

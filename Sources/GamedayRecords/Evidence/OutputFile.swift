import Foundation
import GamedayModel

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

import Foundation
import GamedayModel

/// Writing reports and new records to files: atomically (temporary file, fsync, rename), keeping
/// an existing file's permissions.
public enum OutputFile {
    /// Writes `text` to `path`, replacing it atomically.
    ///
    /// - Parameter overwrite: when false, an existing file is an error (nothing is written).
    public static func write(_ text: String, to path: String, overwrite: Bool = true) throws(DiagnosticError) {
        var info = stat()
        let exists = stat(path, &info) == 0
        if exists, !overwrite {
            throw AtomicFile.failure(path, "the file already exists")
        }
        let folder = PathParts(path).directory
        if !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw AtomicFile.failure(path, "cannot create the folder \(folder): \(error.localizedDescription)")
            }
        }
        try AtomicFile.replace(path, with: Array(text.utf8), mode: exists ? info.st_mode & 0o7777 : 0o644)
    }
}

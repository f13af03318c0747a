import Foundation

/// Why a file could not be written, in plain words ("the folder out does not exist",
/// "permission denied: cannot create files in /etc"), instead of an errno name or a
/// Foundation error code such as `NSCocoaErrorDomain error 512`.
public enum FileErrors {
    /// Describes an `errno` from creating, writing or renaming `path` (in `folder`).
    public static func describe(errno code: Int32, path: String, folder: String? = nil) -> String {
        let folder = folder ?? parent(of: path)
        switch code {
        case ENOENT:
            if FileManager.default.fileExists(atPath: folder) { return "\(folder) does not accept new files (no such file or directory)" }
            return "the folder \(folder) does not exist"
        case EACCES, EPERM: return "permission denied: cannot create or replace files in \(folder)"
        case ENOTDIR: return "a part of the path \(folder) is a file, not a folder"
        case EISDIR: return "\(path) is a folder; give a file name"
        case EROFS: return "\(folder) is on a read-only file system"
        case ENOSPC: return "no space left on the device"
        case EDQUOT: return "the disk quota is used up"
        case ENAMETOOLONG: return "the path is too long"
        case EEXIST: return "\(path) already exists"
        default:
            let text = String(cString: strerror(code))
            return text.prefix(1).lowercased() + text.dropFirst()
        }
    }

    /// Describes an error thrown by Foundation while writing `path`, by its POSIX cause when it has one.
    public static func describe(_ error: any Error, path: String) -> String {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return describe(errno: Int32(ns.code), path: path) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return describe(errno: Int32(underlying.code), path: path)
        }
        if let posix = error as? POSIXError { return describe(errno: posix.code.rawValue, path: path) }
        // Foundation's file-write errors without a POSIX cause: find the reason on disk.
        if let reason = problem(writing: path) { return reason }
        return ns.localizedDescription
    }

    /// Why `path` cannot be written, found by looking at the disk before writing: its folder is
    /// missing, is not a folder or is not writable, or the path is a folder. `nil` when nothing
    /// is visibly wrong.
    public static func problem(writing path: String) -> String? {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return "\(path) is a folder; give a file name"
        }
        let folder = parent(of: path)
        if !manager.fileExists(atPath: folder, isDirectory: &isDirectory) {
            return "the folder \(folder) does not exist"
        }
        if !isDirectory.boolValue { return "\(folder) is a file, not a folder" }
        if access(folder, W_OK) != 0 { return "permission denied: cannot create or replace files in \(folder)" }
        return nil
    }

    /// The folder a path is in (`.` for a bare file name).
    public static func parent(of path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }
}

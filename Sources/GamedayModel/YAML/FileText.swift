import Crypto
import Foundation

/// Reading users' files: size-limited, UTF-8 checked, with a content hash for provenance.
public enum FileText {
    /// Reads a UTF-8 text file.
    ///
    /// - Throws: ``DiagnosticError`` located at the file when it is missing, too large or not UTF-8.
    public static func read(_ path: String, limits: YAMLLimits = .default) throws(DiagnosticError) -> String {
        try readWithHash(path, limits: limits).text
    }

    /// Reads a UTF-8 text file and its SHA-256 (lowercase hex), the hash recorded as evidence.
    public static func readWithHash(_ path: String, limits: YAMLLimits = .default) throws(DiagnosticError) -> (text: String, sha256: String) {
        let start = SourceLocation(file: path, line: 1, column: 1)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DiagnosticError(Diagnostic(at: start, "no such file"))
        }
        if isDirectory.boolValue {
            throw DiagnosticError(Diagnostic(at: start, "is a directory, not a file"))
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? NSNumber, size.intValue > limits.maxBytes {
            throw DiagnosticError(Diagnostic(at: start, "file is \(size.intValue) bytes, larger than the limit",
                                             help: "at most \(limits.maxBytes) bytes are read"))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiagnosticError(Diagnostic(at: start, "cannot read the file (permission denied?)"))
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw DiagnosticError(Diagnostic(at: start, "file is not valid UTF-8 text"))
        }
        return (text, sha256(data))
    }

    /// SHA-256 of some bytes as lowercase hex.
    public static func sha256(_ data: some DataProtocol) -> String {
        SHA256.hash(data: data).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

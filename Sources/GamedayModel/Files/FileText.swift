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
            throw DiagnosticError(Diagnostic(at: start, "no such file", help: "check the path"))
        }
        if isDirectory.boolValue {
            throw DiagnosticError(Diagnostic(at: start, "is a directory, not a file", help: "name a .yaml file"))
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? NSNumber, size.intValue > limits.maxBytes {
            throw DiagnosticError(limits.tooLarge(bytes: size.intValue, at: start))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DiagnosticError(Diagnostic(at: start, "cannot read the file", help: "check that you may read it"))
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw DiagnosticError(invalidUTF8(data, file: path))
        }
        return (text, sha256(data))
    }

    /// The diagnostic for bytes that are not UTF-8, at the first byte that breaks the encoding.
    static func invalidUTF8(_ data: Data, file: String) -> Diagnostic {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = data.makeIterator()
        var line = 1, column = 1, offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1 && encoded.first == 10 { line += 1; column = 1 } else { column += 1 }
                offset += encoded.count
            case .emptyInput:
                return Diagnostic(at: SourceLocation(file: file, line: line, column: column), "file is not UTF-8 text",
                                  help: "save the file with UTF-8 encoding")
            case .error:
                let byte = data[data.startIndex + offset]
                let hex = String(byte, radix: 16, uppercase: true)
                return Diagnostic(at: SourceLocation(file: file, line: line, column: column),
                                  "file is not UTF-8 text: byte 0x\(byte < 16 ? "0" : "")\(hex) here is not part of a UTF-8 character",
                                  help: "save the file with UTF-8 encoding")
            }
        }
    }

    /// SHA-256 of some bytes as lowercase hex.
    public static func sha256(_ data: some DataProtocol) -> String {
        SHA256.hash(data: data).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

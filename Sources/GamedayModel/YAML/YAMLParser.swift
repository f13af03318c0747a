import CYaml
import Yams

/// Limits that protect the loader against hostile or broken files.
public struct YAMLLimits: Sendable, Hashable {
    /// The diagnostic for a file over ``maxBytes``.
    func tooLarge(bytes: Int, at location: SourceLocation) -> Diagnostic {
        Diagnostic(at: location, "file is \(bytes) bytes, over the limit of \(maxBytes) bytes",
                   help: "a scenario file is text of a few kilobytes; check that this is the right file")
    }

    /// The largest file accepted, in bytes.
    public var maxBytes: Int
    /// The deepest nesting of mappings and sequences accepted.
    public var maxDepth: Int
    /// The largest number of nodes once every alias is expanded (stops "billion laughs" files).
    public var maxNodes: Int

    /// Creates limits.
    public init(maxBytes: Int = 4 << 20, maxDepth: Int = 64, maxNodes: Int = 250_000) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNodes = maxNodes
    }

    /// The limits used for every user file unless a caller chooses others.
    public static let `default` = YAMLLimits()
}

/// Parses YAML text into a located node tree.
///
/// The text is first scanned event by event with libyaml (no recursion, nothing expanded) to
/// enforce ``YAMLLimits``, to keep libyaml's position for syntax errors, and to find duplicate keys
/// at their second occurrence. Only a file that passes is composed into a tree by Yams.
public enum YAMLParser {
    /// Parses the single document in `text`.
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - file: the path used in diagnostics.
    ///   - limits: size, depth and alias-expansion limits.
    /// - Returns: the document's root node, or `nil` for an empty document.
    /// - Throws: ``DiagnosticError`` with the position of the first syntax error or exceeded limit.
    public static func parse(_ text: String, file: String, limits: YAMLLimits = .default) throws(DiagnosticError) -> YAMLNode? {
        let start = SourceLocation(file: file, line: 1, column: 1)
        if text.utf8.count > limits.maxBytes {
            throw DiagnosticError(limits.tooLarge(bytes: text.utf8.count, at: start))
        }
        // A byte-order mark (some Windows editors write one) is not content: libyaml skips it, but
        // Yams would count it as a character of the first key, so it is dropped here.
        var text = text
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        try scan(text, file: file, limits: limits)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw DiagnosticError(diagnostic(for: error, file: file))
        } catch {
            throw DiagnosticError(Diagnostic(at: start, "cannot read YAML: \(error)"))
        }
        guard let root else { return nil }
        return convert(root, file: file, fallback: start)
    }

    /// Reads a file from disk (as UTF-8) and parses it.
    public static func parse(fileAt path: String, limits: YAMLLimits = .default) throws(DiagnosticError) -> YAMLNode? {
        let text = try FileText.read(path, limits: limits)
        return try parse(text, file: path, limits: limits)
    }

    private static func convert(_ node: Node, file: String, fallback: SourceLocation) -> YAMLNode {
        let location = node.mark.map { SourceLocation(file: file, line: $0.line, column: $0.column) } ?? fallback
        switch node {
        case .scalar(let scalar):
            let style: YAMLScalar.Style
            switch scalar.style {
            case .singleQuoted, .doubleQuoted: style = .quoted
            case .literal, .folded: style = .block
            case .plain, .any: style = .plain
            }
            return YAMLNode(.scalar(YAMLScalar(scalar.string, style: style)), at: location)
        case .sequence(let sequence):
            return YAMLNode(.sequence(sequence.map { convert($0, file: file, fallback: location) }), at: location)
        case .mapping(let mapping):
            let pairs = mapping.map {
                YAMLPair(key: convert($0.key, file: file, fallback: location), value: convert($0.value, file: file, fallback: location))
            }
            return YAMLNode(.mapping(pairs), at: location)
        case .alias(let alias):
            return YAMLNode(.scalar(YAMLScalar("*\(alias.anchor.rawValue)")), at: location)
        }
    }

    private static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        // The event scan runs libyaml first and reports its errors, so these are a fallback.
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return syntaxError(problem: problem, at: at(mark),
                               context: context.map { ($0.text, at($0.mark)) })
        case .duplicatedKeysInMapping(let duplicates, let context):
            return Diagnostic(at: at(context.mark), "duplicate key '\(duplicates.joined(separator: "', '"))'", help: "each key may appear once in a mapping")
        default:
            return Diagnostic(at: SourceLocation(file: file, line: 1, column: 1), "cannot read YAML: \(error)",
                              help: "check the file's YAML syntax")
        }
    }

    /// A libyaml syntax error in the form `YAML syntax: problem (hint; context)`.
    ///
    /// libyaml's problems say what is wrong; the hint adds what is usually meant, and the context
    /// (such as "while parsing a flow mapping at line 20, column 13") says where the construct
    /// that failed began. A quote or bracket left open until the end of the file is reported where
    /// it was opened, which is where the fix goes.
    static func syntaxError(problem: String, at location: SourceLocation, context: (text: String, location: SourceLocation)?) -> Diagnostic {
        if problem == "found unexpected end of stream", let context {
            let what = context.text.contains("quoted") ? "quoted text" : "this construct"
            return Diagnostic(at: context.location, "YAML syntax: \(what) is not closed before the end of the file",
                              help: context.text.contains("quoted") ? "add the closing quote" : "close it, or check the indentation")
        }
        let hints: [(String, String)] = [
            ("tab", "indent with spaces; YAML does not allow tabs in indentation"),
            ("mapping values are not allowed", "check this line's indentation, or put quotes around a value that contains ': '"),
            ("did not find expected key", "check the indentation: the keys of one mapping start in the same column"),
            ("did not find expected ',' or '}'", "separate the entries of a {...} mapping with ',' and close it with '}'"),
            ("did not find expected ',' or ']'", "separate the items of a [...] list with ',' and close it with ']'"),
            ("did not find expected '-' indicator", "the items of one list start with '- ' in the same column"),
            ("block sequence entries are not allowed", "start a list on the line after its key, indented"),
            ("could not find expected ':'", "a key needs ': ' after it; put quotes around text that contains ':'"),
            ("cannot start any token", "put quotes around a value that starts with @, ` or %"),
            ("did not find expected node content", "a value is missing here, or a list or mapping is not closed"),
            ("did not find expected <document start>", "check the indentation of this line against the lines above"),
        ]
        var help: [String] = []
        if let hint = hints.first(where: { problem.contains($0.0) }) { help.append(hint.1) }
        if let context { help.append("\(context.text) at line \(context.location.line), column \(context.location.column)") }
        if help.isEmpty { help.append("check the file's YAML syntax near here") }
        return Diagnostic(at: location, "YAML syntax: \(problem)", help: help.joined(separator: "; "))
    }

    /// The location of a byte offset in UTF-8 text (columns count Unicode scalars, as libyaml's do).
    static func location(ofByte offset: Int, in bytes: [UInt8], file: String) -> SourceLocation {
        var line = 1, column = 1
        for byte in bytes.prefix(offset) {
            if byte == 10 { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return SourceLocation(file: file, line: line, column: column)
    }

    /// One open collection during the event scan.
    private struct Frame {
        var isMapping: Bool
        var expectingKey = true
        var keys: [String: SourceLocation] = [:]
        var anchor: String?
        var nodes = 1
    }

    /// Walks libyaml's events once, without building anything, to enforce the limits.
    private static func scan(_ text: String, file: String, limits: YAMLLimits) throws(DiagnosticError) {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw DiagnosticError(Diagnostic(at: SourceLocation(file: file, line: 1, column: 1), "cannot start the YAML parser (out of memory)"))
        }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        var anchorSizes: [String: Int] = [:]
        var stack: [Frame] = []
        var totalNodes = 0
        var documents = 0
        var failure: Diagnostic?

        bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            func location(_ mark: yaml_mark_t) -> SourceLocation {
                SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
            }
            func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int? = nil) -> String {
                guard let pointer else { return "" }
                if let length {
                    return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
                }
                return String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
            }
            /// Records a finished node of `size` nodes as the value or key in the enclosing collection.
            func finishNode(size: Int, keyText: String?, at mark: yaml_mark_t) -> Bool {
                totalNodes += size
                if totalNodes > limits.maxNodes {
                    failure = Diagnostic(at: location(mark), "document has more than \(limits.maxNodes) values once aliases are expanded",
                                         help: "gameday files are far smaller; an alias like *name counts once for every place it is used")
                    return false
                }
                guard !stack.isEmpty else { return true }
                stack[stack.count - 1].nodes += size
                if stack[stack.count - 1].isMapping {
                    if stack[stack.count - 1].expectingKey, let keyText {
                        if let first = stack[stack.count - 1].keys[keyText] {
                            failure = Diagnostic(at: location(mark), "duplicate key '\(keyText)'",
                                                 help: "first written at line \(first.line), column \(first.column); each key may appear once in a mapping")
                            return false
                        }
                        stack[stack.count - 1].keys[keyText] = location(mark)
                    }
                    stack[stack.count - 1].expectingKey.toggle()
                }
                return true
            }
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
                    if parser.error == YAML_READER_ERROR {
                        // Reader errors carry a byte offset, not a mark.
                        let offset = parser.problem_offset
                        let byte = offset < buffer.count ? buffer[offset] : 0
                        let hex = String(byte, radix: 16, uppercase: true)
                        failure = Diagnostic(at: YAMLParser.location(ofByte: offset, in: Array(buffer), file: file),
                                             "YAML syntax: \(problem): byte 0x\(byte < 16 ? "0" : "")\(hex)",
                                             help: "remove the character, or write it as an escape inside double quotes, like \"\\t\"")
                        return
                    }
                    if problem.hasPrefix("Maximum nesting level reached") {
                        // libyaml's own limit, hit when its scanner runs far ahead inside [[[[...
                        failure = Diagnostic(at: location(parser.problem_mark), "nesting deeper than \(limits.maxDepth) levels",
                                             help: "gameday files nest a few levels deep; this looks like a broken or hostile file")
                        return
                    }
                    let context = parser.context.map { ($0, parser.context_mark) }
                    failure = YAMLParser.syntaxError(problem: String(problem), at: location(parser.problem_mark),
                                                     context: context.map { (String(cString: $0.0), location($0.1)) })
                    return
                }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return
                case YAML_DOCUMENT_START_EVENT:
                    documents += 1
                    if documents > 1 {
                        failure = Diagnostic(at: location(event.start_mark), "a second YAML document starts here",
                                             help: "a gameday file holds exactly one document; remove the '---' separator or split the file")
                        return
                    }
                case YAML_MAPPING_START_EVENT, YAML_SEQUENCE_START_EVENT:
                    if stack.count >= limits.maxDepth {
                        failure = Diagnostic(at: location(event.start_mark), "nesting deeper than \(limits.maxDepth) levels",
                                             help: "gameday files nest a few levels deep; this looks like a broken or hostile file")
                        return
                    }
                    let isMapping = event.type == YAML_MAPPING_START_EVENT
                    let anchorPointer = isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor
                    var frame = Frame(isMapping: isMapping)
                    frame.anchor = anchorPointer.map { string($0) }
                    if let top = stack.last, top.isMapping, top.expectingKey {
                        failure = Diagnostic(at: location(event.start_mark), "a mapping key must be a plain value, not a \(isMapping ? "mapping" : "list")",
                                             help: "write keys as names, like 'id:'")
                        return
                    }
                    stack.append(frame)
                case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                    let frame = stack.removeLast()
                    if let anchor = frame.anchor { anchorSizes[anchor] = frame.nodes }
                    totalNodes -= frame.nodes - 1  // children were counted as they finished
                    guard finishNode(size: frame.nodes, keyText: nil, at: event.start_mark) else { return }
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    let text = string(scalar.value, length: Int(scalar.length))
                    if let anchor = scalar.anchor { anchorSizes[string(anchor)] = 1 }
                    guard finishNode(size: 1, keyText: text, at: event.start_mark) else { return }
                case YAML_ALIAS_EVENT:
                    let name = string(event.data.alias.anchor)
                    guard let size = anchorSizes[name] else {
                        failure = Diagnostic(at: location(event.start_mark), "alias '*\(name)' refers to no anchor",
                                             help: "an alias repeats a value marked earlier in the file with an anchor, like &\(name) 8h")
                        return
                    }
                    guard finishNode(size: size, keyText: nil, at: event.start_mark) else { return }
                default:
                    break
                }
            }
        }
        if let failure { throw DiagnosticError(failure) }
    }
}

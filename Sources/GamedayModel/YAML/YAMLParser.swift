import CYaml
import Yams

/// Limits that protect the loader against hostile or broken files.
public struct YAMLLimits: Sendable, Hashable {
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
            throw DiagnosticError(Diagnostic(at: start, "file is \(text.utf8.count) bytes, larger than the limit",
                                             help: "at most \(limits.maxBytes) bytes are read"))
        }
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
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            return Diagnostic(at: at(mark), "YAML syntax: \(problem)", help: context.map { "\($0.text) at line \($0.mark.line), column \($0.mark.column)" })
        case .duplicatedKeysInMapping(let duplicates, let context):
            return Diagnostic(at: at(context.mark), "duplicate key '\(duplicates.joined(separator: "', '"))'", help: "each key may appear once in a mapping")
        default:
            return Diagnostic(at: SourceLocation(file: file, line: 1, column: 1), "cannot read YAML: \(error)")
        }
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
                    failure = Diagnostic(at: location(mark), "document expands to more than \(limits.maxNodes) nodes",
                                         help: "aliases (*name) may not multiply the document beyond that limit")
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
                    let mark = parser.problem_mark
                    var problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
                    if parser.error == YAML_READER_ERROR {
                        problem += " at byte \(parser.problem_offset)"
                    }
                    let context = parser.context.map { String(cString: $0) }
                    let contextMark = parser.context_mark
                    failure = Diagnostic(at: location(mark), "YAML syntax: \(problem)",
                                         help: context.map { "\($0) at line \(contextMark.line + 1), column \(contextMark.column + 1)" })
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
                    let size = anchorSizes[name] ?? 1
                    guard finishNode(size: size, keyText: nil, at: event.start_mark) else { return }
                default:
                    break
                }
            }
        }
        if let failure { throw DiagnosticError(failure) }
    }
}

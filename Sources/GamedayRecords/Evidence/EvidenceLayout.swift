import CYaml
import GamedayModel

/// Where the top-level `evidence:` list of a record is in the file's bytes, found with libyaml's
/// event marks, so that an entry can be added by inserting text, never by re-writing the file.
struct EvidenceLayout {
    /// The shapes the `evidence` value can have, with the byte offsets an append needs.
    enum Shape: Equatable {
        /// No `evidence` key: append `evidence:` at `insertAt` (the end of the document).
        case absent(insertAt: Int)
        /// `evidence:` with nothing, `~` or `null`: remove `removeStart..<removeEnd` (the null
        /// and the spaces before it; empty for nothing) and insert a block list at `insertAt`.
        case empty(removeStart: Int, removeEnd: Int, insertAt: Int)
        /// A non-empty flow list `[...]`: insert `, {entry}` at `insertAt`, just after the last item.
        case flow(insertAt: Int)
        /// A block list: insert a new item at `insertAt` with the dash at `dashColumn` and
        /// the content `contentOffset` columns further.
        case block(insertAt: Int, dashColumn: Int, contentOffset: Int)
    }

    /// The shape found.
    var shape: Shape
    /// The file's bytes.
    var bytes: [UInt8]
    /// The line break the file uses (`\r\n` when its first line break is one).
    var lineBreak: String

    /// Scans `text` and finds the evidence list.
    ///
    /// - Throws: ``DiagnosticError`` when the text is not YAML, its top level is not a block
    ///   mapping, or `evidence` is not a list.
    init(text: String, file: String) throws(DiagnosticError) {
        bytes = Array(text.utf8)
        lineBreak = Self.firstLineBreak(in: bytes) ?? "\n"
        let scan = try Self.scan(bytes: bytes, text: text, file: file)
        shape = scan
    }

    private static func firstLineBreak(in bytes: [UInt8]) -> String? {
        for (i, b) in bytes.enumerated() {
            if b == 10 { return i > 0 && bytes[i - 1] == 13 ? "\r\n" : "\n" }
            if b == 13, i + 1 < bytes.count, bytes[i + 1] != 10 { return "\r" }
        }
        return nil
    }

    /// One open collection during the scan.
    private struct Frame {
        var isMapping: Bool
        var isFlow: Bool
        var expectingKey = true
    }

    // swiftlint:disable:next function_body_length
    private static func scan(bytes: [UInt8], text: String, file: String) throws(DiagnosticError) -> Shape {
        // libyaml counts marks in characters (Unicode scalars; CRLF counts two) and does not count a BOM.
        var scalarToByte: [Int] = []
        scalarToByte.reserveCapacity(bytes.count + 1)
        var offset = 0
        for (i, scalar) in text.unicodeScalars.enumerated() {
            if i == 0, scalar == "\u{FEFF}" { offset += 3; continue }
            scalarToByte.append(offset)
            offset += UTF8.width(scalar)
        }
        scalarToByte.append(offset)
        func byte(_ mark: yaml_mark_t) -> Int {
            let index = Int(mark.index)
            return index < scalarToByte.count ? scalarToByte[index] : bytes.count
        }
        func location(_ mark: yaml_mark_t) -> SourceLocation {
            SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        }

        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw DiagnosticError(Diagnostic(at: SourceLocation(file: file, line: 1, column: 1), "cannot start the YAML parser (out of memory)"))
        }
        defer { yaml_parser_delete(&parser) }
        var input = bytes
        var failure: Diagnostic?
        var result: Shape?

        input.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            var stack: [Frame] = []
            var documentEnd: Int?
            // The evidence value, once its key was seen at the top level.
            var sawEvidenceKey = false
            var keyEnd = 0
            var inEvidence = false
            var evidenceDepth = 0          // stack depth of the evidence sequence's items
            var evidenceIsFlow = false
            var firstItemStart: yaml_mark_t?
            var sequenceStart: yaml_mark_t?
            var itemCount = 0
            var lastContentEnd = 0

            func finishKeyOrValue() {
                if !stack.isEmpty, stack[stack.count - 1].isMapping { stack[stack.count - 1].expectingKey.toggle() }
            }

            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    let mark = parser.problem_mark
                    let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
                    failure = Diagnostic(at: location(mark), "YAML syntax: \(problem)")
                    return
                }
                defer { yaml_event_delete(&event) }
                let atTopValue = stack.count == 1 && stack[0].isMapping && !stack[0].expectingKey
                let atTopKey = stack.count == 1 && stack[0].isMapping && stack[0].expectingKey
                let startsItem = inEvidence && stack.count == evidenceDepth
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return
                case YAML_DOCUMENT_END_EVENT:
                    if event.data.document_end.implicit == 0 { documentEnd = byte(event.start_mark) }
                    if result == nil, failure == nil {
                        result = .absent(insertAt: documentEnd ?? bytes.count)
                    }
                case YAML_MAPPING_START_EVENT, YAML_SEQUENCE_START_EVENT:
                    let isMapping = event.type == YAML_MAPPING_START_EVENT
                    let isFlow = isMapping ? event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE : event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
                    if stack.isEmpty {
                        guard isMapping, !isFlow else {
                            failure = Diagnostic(at: location(event.start_mark), "the record's top level must be a block mapping (postmortem: ID on the first line)",
                                                 help: "gameday appends evidence to block-style records only")
                            return
                        }
                    }
                    if startsItem {
                        itemCount += 1
                        if firstItemStart == nil { firstItemStart = event.start_mark }
                    }
                    if atTopValue, sawEvidenceKey, !inEvidence, result == nil {
                        guard !isMapping else {
                            failure = Diagnostic(at: location(event.start_mark), "evidence must be a list, not a mapping", help: "write evidence: [] and let gameday append to it")
                            return
                        }
                        inEvidence = true
                        evidenceDepth = stack.count + 1
                        evidenceIsFlow = isFlow
                        sequenceStart = event.start_mark
                    }
                    stack.append(Frame(isMapping: isMapping, isFlow: isFlow))
                case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                    let frame = stack.removeLast()
                    let lastItemEnd = lastContentEnd
                    if frame.isFlow { lastContentEnd = byte(event.end_mark) }
                    if inEvidence, stack.count == evidenceDepth - 1 {
                        inEvidence = false
                        if itemCount == 0 {
                            // [] or [ ]: replaced by a block list starting on the next line.
                            let colon = colonEnd(after: keyEnd, in: bytes)
                            result = .empty(removeStart: colon, removeEnd: byte(event.end_mark), insertAt: lineEnd(after: byte(event.end_mark), in: bytes))
                        } else if evidenceIsFlow {
                            result = .flow(insertAt: lastItemEnd)
                        } else {
                            let itemByte = byte(firstItemStart!)
                            let dash = dashColumn(beforeItemAt: itemByte, in: bytes) ?? Int(sequenceStart!.column)
                            let content = Int(firstItemStart!.column)
                            result = .block(insertAt: blockInsertionPoint(after: lastItemEnd, in: bytes), dashColumn: dash,
                                            contentOffset: max(2, content - dash))
                        }
                    }
                    finishKeyOrValue()
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length)), as: UTF8.self)
                    if startsItem {
                        itemCount += 1
                        if firstItemStart == nil { firstItemStart = event.start_mark }
                    }
                    if atTopKey, text == "evidence", result == nil {
                        sawEvidenceKey = true
                        keyEnd = byte(event.end_mark)
                    } else if atTopValue, sawEvidenceKey, !inEvidence, result == nil {
                        let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE
                        if plain, scalar.length == 0 {
                            result = .empty(removeStart: keyEnd, removeEnd: keyEnd, insertAt: lineEnd(after: colonEnd(after: keyEnd, in: bytes), in: bytes))
                        } else if plain, ["~", "null", "Null", "NULL"].contains(text) {
                            let colon = colonEnd(after: keyEnd, in: bytes)
                            result = .empty(removeStart: colon, removeEnd: byte(event.end_mark), insertAt: lineEnd(after: byte(event.end_mark), in: bytes))
                        } else {
                            failure = Diagnostic(at: location(event.start_mark), "evidence must be a list, not the scalar '\(text)'", help: "write evidence: [] and let gameday append to it")
                            return
                        }
                    }
                    lastContentEnd = byte(event.end_mark)
                    finishKeyOrValue()
                case YAML_ALIAS_EVENT:
                    if startsItem { itemCount += 1; if firstItemStart == nil { firstItemStart = event.start_mark } }
                    if atTopValue, sawEvidenceKey, !inEvidence, result == nil {
                        failure = Diagnostic(at: location(event.start_mark), "evidence must be a list written in place, not an alias", help: "write evidence: [] and let gameday append to it")
                        return
                    }
                    lastContentEnd = byte(event.end_mark)
                    finishKeyOrValue()
                default:
                    break
                }
            }
        }
        if let failure { throw DiagnosticError(failure) }
        guard let result else {
            throw DiagnosticError(Diagnostic(at: SourceLocation(file: file, line: 1, column: 1), "the file holds no YAML document",
                                             help: "a record starts with 'postmortem: ID'"))
        }
        return result
    }

    // MARK: Byte helpers

    /// The offset just after the ':' that follows a key ending at `offset`.
    static func colonEnd(after offset: Int, in bytes: [UInt8]) -> Int {
        var i = offset
        while i < bytes.count, bytes[i] == 32 || bytes[i] == 9 { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: ":") { return i + 1 }
        return offset
    }

    /// The offset just after the line break that ends the line holding `offset` (or the end).
    static func lineEnd(after offset: Int, in bytes: [UInt8]) -> Int {
        var i = offset
        while i < bytes.count {
            if bytes[i] == 10 { return i + 1 }
            if bytes[i] == 13 { return i + 1 < bytes.count && bytes[i + 1] == 10 ? i + 2 : i + 1 }
            i += 1
        }
        return bytes.count
    }

    /// Where a new block item goes after content ending at `offset`: the start of the line
    /// when only spaces precede `offset` on it (block scalars end there), else the next line.
    static func blockInsertionPoint(after offset: Int, in bytes: [UInt8]) -> Int {
        var start = min(offset, bytes.count)
        while start > 0, bytes[start - 1] != 10, bytes[start - 1] != 13 { start -= 1 }
        if bytes[start..<min(offset, bytes.count)].allSatisfy({ $0 == 32 || $0 == 9 }) { return start }
        return lineEnd(after: offset, in: bytes)
    }

    /// The column of the `-` that introduces an item starting at byte `offset`, on the same line.
    static func dashColumn(beforeItemAt offset: Int, in bytes: [UInt8]) -> Int? {
        var i = offset - 1
        while i >= 0, bytes[i] == 32 { i -= 1 }
        guard i >= 0, bytes[i] == UInt8(ascii: "-") else { return nil }
        var lineStart = i
        while lineStart > 0, bytes[lineStart - 1] != 10, bytes[lineStart - 1] != 13 { lineStart -= 1 }
        // Columns are characters; indentation before a block item is spaces, so bytes count the same,
        // except inside a "- - " nest, which only reaches here with ASCII.
        return String(decoding: bytes[lineStart..<i], as: UTF8.self).unicodeScalars.count
    }
}

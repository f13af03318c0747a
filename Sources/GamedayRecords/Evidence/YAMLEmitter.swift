import GamedayModel

/// A value to be written as YAML text (what gameday appends to records).
///
/// Integers are kept as text so that 64-bit seeds are written exactly.
indirect enum YAMLValue {
    case string(String)
    case integer(String)
    case number(Double)
    case bool(Bool)
    case null
    case list([YAMLValue])
    case map([(String, YAMLValue)])

    /// Converts JSON (numbers that are whole stay whole; others keep six significant digits,
    /// far finer than any Monte Carlo interval, so people can read the record).
    init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .number(let n): self = .number(Self.significant(n, digits: 6))
        case .unsigned(let u): self = .integer(String(u))
        case .string(let s): self = .string(s)
        case .array(let items): self = .list(items.map(YAMLValue.init(json:)))
        case .object(let object): self = .map(object.pairs.map { ($0.0, YAMLValue(json: $0.1)) })
        }
    }

    /// `value` rounded to `digits` significant digits (whole numbers and non-finite values unchanged).
    static func significant(_ value: Double, digits: Int) -> Double {
        guard value.isFinite, value != 0, value != value.rounded() else { return value }
        var scale = 1.0
        var magnitude = abs(value)
        var exponent = 0
        while magnitude >= 10 { magnitude /= 10; exponent += 1 }
        while magnitude < 1 { magnitude *= 10; exponent -= 1 }
        let decimals = digits - 1 - exponent
        if decimals <= 0 { return value.rounded() }
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        return rounded.isFinite ? rounded : value
    }

    /// The value as JSON.
    var json: JSONValue {
        switch self {
        case .string(let s): return .string(s)
        case .integer(let text): return UInt64(text).map(JSONValue.uint64) ?? .number(Double(text) ?? 0)
        case .number(let n): return .number(n)
        case .bool(let b): return .bool(b)
        case .null: return .null
        case .list(let items): return .array(items.map(\.json))
        case .map(let pairs): return .object(JSONObject(pairs.map { ($0.0, $0.1.json) }))
        }
    }

    var isScalar: Bool {
        switch self {
        case .list, .map: return false
        default: return true
        }
    }
}

/// Writes YAML text for values gameday appends, in the style people write by hand: block
/// mappings, and flow style (`{a: 1, b: [2, 3]}`) for small leaf objects and lists of scalars.
///
/// Strings are written plain when YAML would read them back as the same string, and
/// double-quoted otherwise, so every value reads back exactly (the appender checks it does).
enum YAMLEmitter {
    /// The longest line written in flow style before falling back to block style.
    static let flowLineLimit = 100

    /// A scalar as YAML text.
    static func scalar(_ value: YAMLValue) -> String {
        switch value {
        case .string(let s): return string(s)
        case .integer(let text): return text
        case .number(let n): return n.isFinite ? JSONValue.format(n) : (n.isNaN ? ".nan" : (n > 0 ? ".inf" : "-.inf"))
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .list, .map: return flow(value)
        }
    }

    /// A string, plain when that is safe, else double-quoted.
    static func string(_ s: String) -> String {
        isPlainSafe(s) ? s : doubleQuoted(s)
    }

    /// Flow style: `{a: 1, b: [x, y]}`.
    static func flow(_ value: YAMLValue) -> String {
        switch value {
        case .list(let items): return "[" + items.map(flow).joined(separator: ", ") + "]"
        case .map(let pairs): return "{" + pairs.map { string($0.0) + ": " + flow($0.1) }.joined(separator: ", ") + "}"
        default: return scalar(value)
        }
    }

    /// Whether a value reads well in flow style: scalars, and lists or maps of scalars and lists of scalars.
    static func isFlowFriendly(_ value: YAMLValue, depth: Int = 0) -> Bool {
        switch value {
        case .list(let items): return depth < 2 && items.allSatisfy { isFlowFriendly($0, depth: depth + 1) }
        case .map(let pairs): return depth < 1 && pairs.allSatisfy { isFlowFriendly($0.1, depth: depth + 1) }
        default: return true
        }
    }

    /// The lines of a block mapping whose keys start at column `indent` (0-based).
    static func blockMapping(_ pairs: [(String, YAMLValue)], indent: Int) -> [String] {
        let pad = String(repeating: " ", count: indent)
        var lines: [String] = []
        for (key, value) in pairs {
            let head = pad + string(key) + ":"
            switch value {
            case .list(let items) where items.isEmpty:
                lines.append(head + " []")
            case .map(let inner) where inner.isEmpty:
                lines.append(head + " {}")
            case .list(let items):
                let inline = head + " " + flow(value)
                if isFlowFriendly(value), inline.count <= flowLineLimit {
                    lines.append(inline)
                } else {
                    lines.append(head)
                    for item in items { lines += blockListItem(item, dashIndent: indent + 2, contentOffset: 2) }
                }
            case .map(let inner):
                let inline = head + " " + flow(value)
                if isFlowFriendly(value), inline.count <= flowLineLimit {
                    lines.append(inline)
                } else {
                    lines.append(head)
                    lines += blockMapping(inner, indent: indent + 2)
                }
            default:
                lines.append(head + " " + scalar(value))
            }
        }
        return lines
    }

    /// The lines of one block list item: the dash at column `dashIndent`, its content
    /// `contentOffset` columns further (2 for `- key: value`).
    static func blockListItem(_ value: YAMLValue, dashIndent: Int, contentOffset: Int, allowFlow: Bool = true) -> [String] {
        let dash = String(repeating: " ", count: dashIndent) + "-" + String(repeating: " ", count: max(1, contentOffset - 1))
        let contentIndent = dashIndent + max(2, contentOffset)
        switch value {
        case .map(let pairs) where !pairs.isEmpty:
            let inline = dash + flow(value)
            if allowFlow, isFlowFriendly(value), inline.count <= flowLineLimit, pairs.count <= 3 {
                return [inline]
            }
            var lines = blockMapping(pairs, indent: contentIndent)
            lines[0] = dash + String(lines[0].dropFirst(contentIndent))
            return lines
        case .list(let items) where !items.isEmpty:
            let inline = dash + flow(value)
            if isFlowFriendly(value), inline.count <= flowLineLimit { return [inline] }
            var lines = [String(dash.dropLast(dash.count - dashIndent - 1))]
            for item in items { lines += blockListItem(item, dashIndent: contentIndent, contentOffset: 2) }
            return lines
        default:
            return [dash + flow(value)]
        }
    }

    // MARK: Scalars

    private static let indicators: Set<Unicode.Scalar> = ["-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`"]
    private static let flowIndicators: Set<Unicode.Scalar> = [",", "[", "]", "{", "}"]
    private static let reservedWords: Set<String> = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"]

    /// Whether `s` written plain reads back as the same string in block and flow context, in
    /// YAML 1.2 and in YAML 1.1 readers (so `yes`, `0755` and `1:30` are quoted).
    static func isPlainSafe(_ s: String) -> Bool {
        let scalars = Array(s.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last else { return false }
        if first.properties.isWhitespace || last.properties.isWhitespace { return false }
        if indicators.contains(first) { return false }
        if last == ":" { return false }
        for (i, c) in scalars.enumerated() {
            if c.value < 0x20 || (0x7F...0x9F).contains(c.value) || c == "\u{FEFF}" || c == "\u{2028}" || c == "\u{2029}" { return false }
            if flowIndicators.contains(c) { return false }
            if c == ":", i + 1 < scalars.count, scalars[i + 1] == " " { return false }
            if c == "#", i > 0, scalars[i - 1] == " " { return false }
        }
        if reservedWords.contains(s.lowercased()) { return false }
        if looksNumeric(s) { return false }
        return true
    }

    /// Whether a YAML 1.1 or 1.2 reader might take this as a number (conservative: quoting more is harmless).
    static func looksNumeric(_ s: String) -> Bool {
        var body = Substring(s)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        let lower = body.lowercased()
        if [".inf", ".nan", "inf", "nan", "infinity"].contains(lower) { return true }
        if lower.hasPrefix("0x") || lower.hasPrefix("0o") || lower.hasPrefix("0b") {
            return lower.dropFirst(2).allSatisfy { $0.isHexDigit || $0 == "_" }
        }
        guard let firstChar = body.first, firstChar.isNumber || firstChar == "." else { return false }
        var sawDigit = false
        var index = body.startIndex
        while index < body.endIndex {
            let c = body[index]
            if c.isASCII && c.isNumber { sawDigit = true } else if c == "." || c == "_" || c == ":" {
            } else if (c == "e" || c == "E") && sawDigit {
                var rest = body[body.index(after: index)...]
                if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
                return !rest.isEmpty && rest.allSatisfy { $0.isASCII && $0.isNumber }
            } else {
                return false
            }
            index = body.index(after: index)
        }
        return sawDigit
    }

    /// A double-quoted YAML string with every character that needs it escaped.
    static func doubleQuoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\0": out += "\\0"
            case "\u{85}": out += "\\N"
            case "\u{A0}": out += "\\_"
            case "\u{2028}": out += "\\L"
            case "\u{2029}": out += "\\P"
            default:
                if c.value < 0x20 || (0x7F...0x9F).contains(c.value) {
                    let hex = String(c.value, radix: 16, uppercase: true)
                    out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
                } else if c == "\u{FEFF}" {
                    out += "\\uFEFF"
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }
}

extension JSONValue {
    /// Converts a located YAML node to JSON with the YAML 1.2 core schema: quoted scalars are
    /// strings; plain `null`/`~`/empty, `true`/`false` and numbers are typed; anything else is a string.
    static func fromYAML(_ node: YAMLNode) -> JSONValue {
        switch node.content {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.text) }
            if scalar.isNull { return .null }
            if case .success(let b) = Scalars.bool(scalar.text) { return .bool(b) }
            if isCoreNumber(scalar.text), let value = Double(scalar.text) { return .number(value) }
            return .string(scalar.text)
        case .sequence(let items):
            return .array(items.map(fromYAML))
        case .mapping(let pairs):
            var object = JSONObject()
            for pair in pairs { object[pair.key.scalar?.text ?? ""] = fromYAML(pair.value) }
            return .object(object)
        }
    }

    /// YAML 1.2 core schema integers and floats (decimal only).
    static func isCoreNumber(_ text: String) -> Bool {
        var s = Substring(text)
        if s.first == "-" || s.first == "+" { s = s.dropFirst() }
        guard !s.isEmpty else { return false }
        var mantissa = s
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = s[..<e]
            var exponent = s[s.index(after: e)...]
            if exponent.first == "-" || exponent.first == "+" { exponent = exponent.dropFirst() }
            guard !exponent.isEmpty, exponent.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return false }
        return parts.contains { !$0.isEmpty }
    }
}

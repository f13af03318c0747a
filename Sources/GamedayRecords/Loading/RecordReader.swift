import GamedayModel

/// Reads typed values out of located YAML nodes for records, reporting every problem.
///
/// Every read returns `nil` after reporting when a value is wrong, so decoding goes on and the
/// person sees every problem in the file at once.
final class RecordReader {
    let diagnostics: DiagnosticCollector

    init(diagnostics: DiagnosticCollector) {
        self.diagnostics = diagnostics
    }

    func error(_ at: SourceLocation, _ message: String, help: String? = nil) {
        diagnostics.error(at, message, help: help)
    }

    func warning(_ at: SourceLocation, _ message: String, help: String? = nil) {
        diagnostics.warning(at, message, help: help)
    }

    /// A mapping's values by key, with where each key was written.
    struct Fields {
        let node: YAMLNode
        var values: [String: YAMLNode]
        var keyLocations: [String: SourceLocation]

        subscript(key: String) -> YAMLNode? {
            guard let value = values[key], !value.isNull else { return nil }
            return value
        }

        /// Whether the key was written, even with a null value.
        func written(_ key: String) -> Bool { values[key] != nil }

        func keyLocation(_ key: String) -> SourceLocation { keyLocations[key] ?? node.location }
    }

    /// Reads a mapping: reports a wrong type, unknown keys (with a did-you-mean hint) and missing
    /// required keys.
    func fields(_ node: YAMLNode, _ object: RecordFormat.Object, what: String, optional: Set<String> = []) -> Fields? {
        let allowed = RecordFormat.keys(object)
        guard let pairs = node.mapping else {
            error(node.location, "\(what) must be a mapping, not \(node.kindDescription)", help: "keys: " + allowed.joined(separator: ", "))
            return nil
        }
        var fields = Fields(node: node, values: [:], keyLocations: [:])
        for pair in pairs {
            guard let key = pair.key.scalar?.text else {
                error(pair.key.location, "a key in \(what) must be a name, not \(pair.key.kindDescription)")
                continue
            }
            if allowed.contains(key) {
                fields.values[key] = pair.value
                fields.keyLocations[key] = pair.key.location
            } else {
                var help = "allowed: " + allowed.joined(separator: ", ")
                if let suggestion = Suggestions.closest(to: key, in: allowed) { help = "did you mean '\(suggestion)'? " + help }
                error(pair.key.location, "unknown key '\(key)' in \(what)", help: help)
            }
        }
        for field in RecordFormat.fields(object) where field.required && !optional.contains(field.name) && fields[field.name] == nil {
            let at = fields.values[field.name] != nil ? fields.keyLocation(field.name) : node.location
            error(at, "\(what) is missing '\(field.name)'", help: "'\(field.name)': \(field.summary)")
        }
        return fields
    }

    /// A list; a missing or null value is an empty list.
    func list(_ node: YAMLNode?, what: String) -> [YAMLNode] {
        guard let node, !node.isNull else { return [] }
        guard let items = node.sequence else {
            error(node.location, "\(what) must be a list, not \(node.kindDescription)", help: "write a list, with '- ' items or [a, b]")
            return []
        }
        return items
    }

    /// A non-empty text value. Text that starts with `TODO` is reported as a placeholder (a warning).
    func text(_ node: YAMLNode?, what: String) -> String? {
        guard let node else { return nil }
        guard let scalar = node.scalar, !scalar.isNull else {
            error(node.location, "\(what) must be text, not \(node.kindDescription)",
                  help: "quote text that contains ': ' or starts with a YAML indicator, e.g. \"P(x) below 10%\"")
            return nil
        }
        let text = scalar.text.trimmingCharacters
        if text.isEmpty {
            error(node.location, "\(what) is empty")
            return nil
        }
        if text.hasPrefix("TODO") {
            warning(node.location, "\(what) is still a placeholder ('\(text.prefix(40))')", help: "replace the TODO before the record is reviewed")
        }
        return text
    }

    /// A name-like id: letters, digits, '.', '_' and '-', starting with a letter or digit.
    func identifier(_ node: YAMLNode?, what: String, example: String) -> String? {
        guard let node, let text = text(node, what: what) else { return nil }
        guard Self.isIdentifier(text) else {
            error(node.location, "\(what) '\(text)' is not a valid id", help: "use letters, digits, '.', '_' and '-', like \(example)")
            return nil
        }
        return text
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCIIAlphanumeric else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCIIAlphanumeric || $0 == "-" || $0 == "_" || $0 == "." }
    }

    /// A reference to another element by id.
    func reference(_ node: YAMLNode?, what: String) -> Reference? {
        guard let node, let text = text(node, what: what) else { return nil }
        return Reference(text, at: node.location)
    }

    /// One of a fixed set of values, with a did-you-mean hint.
    func enumeration<E: RawRepresentable & CaseIterable>(_ node: YAMLNode?, _ type: E.Type, what: String) -> E? where E.RawValue == String {
        guard let node, let text = text(node, what: what) else { return nil }
        if let value = E(rawValue: text) { return value }
        let allowed = E.allCases.map(\.rawValue)
        var help = "allowed: " + allowed.joined(separator: ", ")
        if let suggestion = Suggestions.closest(to: text, in: allowed) { help = "did you mean '\(suggestion)'? " + help }
        error(node.location, "\(what) '\(text)' is not one of the allowed values", help: help)
        return nil
    }

    /// An ISO-8601 date-time with a zone.
    func timestamp(_ node: YAMLNode?, what: String) -> Timestamp? {
        guard let node, let text = text(node, what: what) else { return nil }
        guard let seconds = ISO8601.parse(text) else {
            error(node.location, "\(what) '\(text)' is not an ISO-8601 date and time with a zone",
                  help: "write, e.g., 2025-07-14T13:58:00Z or 2025-07-14T15:58:00+02:00")
            return nil
        }
        return Timestamp(text: text, seconds: seconds, location: node.location)
    }

    /// A calendar date (`2025-08-15`) or a date-time with a zone.
    func date(_ node: YAMLNode?, what: String) -> CalendarDate? {
        guard let node, let text = text(node, what: what) else { return nil }
        guard let seconds = ISO8601.parseDate(text) else {
            error(node.location, "\(what) '\(text)' is not a date", help: "write YYYY-MM-DD, e.g. 2025-08-15")
            return nil
        }
        return CalendarDate(text: text, seconds: seconds, location: node.location)
    }

    /// A whole number, at least `minimum`.
    func integer(_ node: YAMLNode?, what: String, minimum: Int = 0) -> Int? {
        guard let node, let text = text(node, what: what) else { return nil }
        guard let value = Int(text) else {
            error(node.location, "\(what) '\(text)' is not a whole number", help: "write a whole number of at least \(minimum)")
            return nil
        }
        guard value >= minimum else {
            error(node.location, "\(what) must be at least \(minimum), not \(value)")
            return nil
        }
        return value
    }

    /// An unsigned 64-bit integer (a seed).
    func seed(_ node: YAMLNode?, what: String) -> UInt64? {
        guard let node, let text = text(node, what: what) else { return nil }
        guard let value = UInt64(text) else {
            error(node.location, "\(what) '\(text)' is not a whole number from 0 to 18446744073709551615", help: "a seed is an unsigned 64-bit integer, like 42")
            return nil
        }
        return value
    }

    /// A finite number of zero or more.
    func count(_ node: YAMLNode?, what: String) -> Double? {
        guard let node, let text = text(node, what: what) else { return nil }
        switch Scalars.number(text, what: what) {
        case .success(let value):
            guard value >= 0 else {
                error(node.location, "\(what) must be zero or more, not \(text)")
                return nil
            }
            return value
        case .failure(let failure):
            error(node.location, failure.message, help: failure.help)
            return nil
        }
    }

    /// A share (`79%` or `0.79`; may exceed 100%).
    func share(_ node: YAMLNode?, what: String) -> Double? {
        guard let node, let text = text(node, what: what) else { return nil }
        switch Scalars.share(text, what: what) {
        case .success(let value): return value
        case .failure(let failure):
            error(node.location, failure.message, help: failure.help)
            return nil
        }
    }

    /// A list of texts; a single value is accepted as a list of one.
    func texts(_ node: YAMLNode?, what: String) -> [String] {
        guard let node, !node.isNull else { return [] }
        if node.scalar != nil { return text(node, what: what).map { [$0] } ?? [] }
        return list(node, what: what).compactMap { text($0, what: "an entry of \(what)") }
    }

    /// A list of references; a single id is accepted as a list of one.
    func references(_ node: YAMLNode?, what: String) -> [Reference] {
        guard let node, !node.isNull else { return [] }
        if node.scalar != nil { return reference(node, what: what).map { [$0] } ?? [] }
        return list(node, what: what).compactMap { reference($0, what: "an entry of \(what)") }
    }
}

extension Unicode.Scalar {
    var isASCIIAlphanumeric: Bool {
        (value >= 48 && value <= 57) || (value >= 65 && value <= 90) || (value >= 97 && value <= 122)
    }
}

extension String {
    /// The text without leading and trailing whitespace and line breaks.
    var trimmingCharacters: String {
        var s = Substring(self)
        while let first = s.first, first.isWhitespace { s.removeFirst() }
        while let last = s.last, last.isWhitespace { s.removeLast() }
        return String(s)
    }
}

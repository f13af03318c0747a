import Foundation

/// Parsing and formatting of the scalar kinds of scenario files (spec section 1).
///
/// Every parser returns `nil` with a message that says what is allowed, so the decoder can report
/// it at the scalar's position.
public enum Scalars {
    /// The result of parsing one scalar.
    public typealias Parsed<T> = Result<T, ScalarError>

    /// Why a scalar was rejected: what is wrong and what is allowed.
    public struct ScalarError: Error, Hashable, Sendable {
        /// What is wrong.
        public var message: String
        /// What is allowed.
        public var help: String
    }

    /// The units a duration may use and their length in seconds.
    public static let durationUnits: [(unit: Character, seconds: Double)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]

    static let durationHelp = "a duration is a number with a unit s, m, h or d: 90s, 5m, 1h30m, 2d"

    /// Parses a duration such as `90s`, `5m`, `1h30m`, `1.5h` or `2d` into seconds.
    public static func duration(_ text: String) -> Parsed<Double> {
        let trimmed = text.trimmingSpaces
        if trimmed.isEmpty { return .failure(ScalarError(message: "empty duration", help: durationHelp)) }
        if trimmed.hasPrefix("-") {
            return .failure(ScalarError(message: "duration '\(text)' is negative", help: "durations are zero or more, like 0m, 90s or 1h30m"))
        }
        if Double(trimmed) != nil {
            return .failure(ScalarError(message: "duration '\(text)' has no unit", help: durationHelp))
        }
        var total = 0.0
        var number = ""
        var lastUnitIndex = -1
        for character in trimmed {
            if character.isNumber && character.isASCII || character == "." {
                number.append(character)
                continue
            }
            guard let index = durationUnits.firstIndex(where: { $0.unit == character }) else {
                return .failure(ScalarError(message: "'\(text)' is not a duration", help: durationHelp))
            }
            guard !number.isEmpty, let value = Double(number), value.isFinite else {
                return .failure(ScalarError(message: "'\(text)' is not a duration", help: durationHelp))
            }
            if index <= lastUnitIndex {
                return .failure(ScalarError(message: "'\(text)' is not a duration", help: "write units from largest to smallest, each once, like 1h30m or 2d12h"))
            }
            lastUnitIndex = index
            total += value * durationUnits[index].seconds
            number = ""
        }
        if !number.isEmpty {
            return .failure(ScalarError(message: "'\(text)' is not a duration", help: durationHelp))
        }
        return .success(total)
    }

    /// Formats seconds as a duration a person reads and the parser accepts: `0m`, `45s`, `1h30m`, `2d3h`.
    ///
    /// Fractions of a second are kept (`1.5s`), so `duration(format(x)) == x` for every x that is a
    /// multiple of a millisecond.
    public static func formatDuration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return seconds > 0 ? "inf" : "-inf" }
        if seconds == 0 { return "0m" }
        let negative = seconds < 0
        var rest = abs(seconds)
        var parts = ""
        for (unit, length) in durationUnits where unit != "s" {
            let count = (rest / length).rounded(.down)
            if count >= 1 {
                parts += "\(Int(count))\(unit)"
                rest -= count * length
            }
        }
        rest = (rest * 1000).rounded() / 1000
        if rest > 0 {
            if rest == rest.rounded() { parts += "\(Int(rest))s" } else { parts += "\(rest)s" }
        }
        if parts.isEmpty { parts = "0m" }
        return negative ? "-" + parts : parts
    }

    static let probabilityHelp = "a probability lies in [0, 1]: write 0.95 or 95%"

    /// Parses a probability (`0.95` or `95%`) that must lie in [0, 1].
    public static func probability(_ text: String, what: String = "probability") -> Parsed<Double> {
        fraction(text, what: what, upperBound: 1, help: probabilityHelp.replacingFirst("a probability", with: "a \(what)"))
    }

    /// Parses a budget share: like a probability but it may exceed 100%.
    public static func share(_ text: String, what: String = "share") -> Parsed<Double> {
        fraction(text, what: what, upperBound: nil, help: "a \(what) is zero or more and may exceed 100%: write 0.05 or 5%")
    }

    private static func fraction(_ text: String, what: String, upperBound: Double?, help: String) -> Parsed<Double> {
        let trimmed = text.trimmingSpaces
        var value: Double
        let percent = trimmed.hasSuffix("%")
        let body = percent ? String(trimmed.dropLast()).trimmingSpaces : trimmed
        if let special = yamlSpecialNumber(body) {
            return .failure(ScalarError(message: "\(what) '\(text)' is \(special.isNaN ? "not a number" : "infinite")", help: help))
        }
        guard let parsed = Double(body), !body.isEmpty, body.lowercased() != "nan", !body.lowercased().contains("inf") else {
            return .failure(ScalarError(message: "'\(text)' is not a \(what)", help: help))
        }
        value = percent ? (percentAsFraction(body) ?? parsed / 100) : parsed
        if !value.isFinite {
            return .failure(ScalarError(message: "\(what) '\(text)' is infinite", help: help))
        }
        if value < 0 {
            return .failure(ScalarError(message: "\(what) '\(text)' is negative", help: help))
        }
        if let upperBound, value > upperBound {
            return .failure(ScalarError(message: "\(what) '\(text)' is above 100%", help: help))
        }
        return .success(value)
    }

    /// `99.9` (percent) as the double nearest the decimal 0.999, by moving the decimal point in
    /// the text: dividing the double 99.9 by 100 gives a neighbour of it instead, so `99.9%`
    /// would not equal `0.999` and a percentage would not read back to the value it was written
    /// from. `nil` for text that is not plain decimal digits.
    static func percentAsFraction(_ body: String) -> Double? {
        var digits = Substring(body)
        var sign = ""
        if let first = digits.first, first == "-" || first == "+" {
            sign = first == "-" ? "-" : ""
            digits = digits.dropFirst()
        }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !digits.isEmpty, parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }) else { return nil }
        var whole = String(parts[0])
        let fraction = parts.count == 2 ? String(parts[1]) : ""
        while whole.count < 3 { whole = "0" + whole }
        return Double(sign + whole.dropLast(2) + "." + whole.suffix(2) + fraction)
    }

    /// YAML's spellings of NaN and infinity (`.nan`, `.inf`, `-.inf`), which Swift's parser does not read.
    static func yamlSpecialNumber(_ text: String) -> Double? {
        switch text.lowercased() {
        case ".nan", "nan": return .nan
        case ".inf", "+.inf", "inf", "+inf", "infinity": return .infinity
        case "-.inf", "-inf", "-infinity": return -.infinity
        default: return nil
        }
    }

    /// The units a traffic rate may use and their length in seconds.
    public static let trafficUnits: [(unit: String, seconds: Double)] = [("s", 1), ("min", 60), ("h", 3_600), ("d", 86_400)]

    static let trafficHelp = "traffic is requests per unit of time: 20/s, 1200/min, 72000/h or 100000/d"

    /// Parses a traffic rate (`1200/min`, `20/s`, `72000/h`) into requests per second.
    public static func traffic(_ text: String) -> Parsed<Double> {
        let trimmed = text.trimmingSpaces
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 1, Double(trimmed) != nil {
            return .failure(ScalarError(message: "traffic '\(text)' has no unit", help: trafficHelp))
        }
        guard parts.count == 2, let count = Double(parts[0].trimmingSpacesSubstring), count.isFinite,
              let unit = trafficUnits.first(where: { $0.unit == parts[1].trimmingSpacesSubstring }) else {
            return .failure(ScalarError(message: "'\(text)' is not a traffic rate", help: trafficHelp))
        }
        if count < 0 { return .failure(ScalarError(message: "traffic '\(text)' is negative", help: trafficHelp)) }
        return .success(count / unit.seconds)
    }

    /// Parses a finite number (YAML 1.2 core: `12`, `-3.5`, `1e3`).
    public static func number(_ text: String, what: String = "number") -> Parsed<Double> {
        let trimmed = text.trimmingSpaces
        if let special = yamlSpecialNumber(trimmed) {
            return .failure(ScalarError(message: "\(what) '\(text)' is \(special.isNaN ? "not a number" : "infinite")", help: "write a finite number"))
        }
        guard let value = Double(trimmed.replacingAll("_", with: "")), value.isFinite else {
            return .failure(ScalarError(message: "'\(text)' is not a \(what)", help: "write a number, like 12 or 0.5"))
        }
        return .success(value)
    }

    /// Parses a boolean (`true` or `false`; YAML 1.2 core).
    public static func bool(_ text: String) -> Parsed<Bool> {
        switch text {
        case "true", "True", "TRUE": return .success(true)
        case "false", "False", "FALSE": return .success(false)
        default: return .failure(ScalarError(message: "'\(text)' is not true or false", help: "write true or false"))
        }
    }

    /// Whether a string is a valid element id: `[a-z0-9-]+`.
    public static func isValidID(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
    }

    /// Formats a fraction as a percentage for messages and reports: `95%`, `0.1%`, `33.3%`.
    public static func formatPercent(_ value: Double, digits: Int = 3) -> String {
        let percent = value * 100
        if percent == percent.rounded() { return "\(Int(percent))%" }
        return formatSignificant(percent, digits: digits) + "%"
    }

    /// A number rounded to `digits` significant digits, without exponent notation for everyday sizes.
    public static func formatSignificant(_ value: Double, digits: Int = 3) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        if value == 0 { return "0" }
        var magnitude = 0
        var probe = abs(value)
        while probe >= 10 { probe /= 10; magnitude += 1 }
        while probe < 1 { probe *= 10; magnitude -= 1 }
        let decimals = max(0, digits - 1 - magnitude)
        return formatFixed(value, decimals: decimals)
    }

    /// A number with a fixed count of decimals, trailing zeros removed: `formatFixed(2.50, 2) == "2.5"`.
    public static func formatFixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (abs(value) * scale).rounded() / scale
        let integer = rounded.rounded(.down)
        var text = String(Int64(integer))
        if decimals > 0 {
            var fraction = Int64(((rounded - integer) * scale).rounded())
            if fraction > 0 {
                var digitsText = String(fraction)
                while digitsText.count < decimals { digitsText = "0" + digitsText }
                while digitsText.hasSuffix("0") { digitsText.removeLast(); fraction /= 10 }
                text += "." + digitsText
            }
        }
        return (value < 0 && rounded != 0 ? "-" : "") + text
    }

    /// A count with thousands separators: `41000` becomes `41,000`.
    public static func formatCount(_ value: Double) -> String {
        guard value.isFinite else { return formatFixed(value, decimals: 0) }
        let negative = value < 0
        let digits = String(Int64(abs(value).rounded()))
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return negative ? "-" + result : result
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let first = s.first, first.isWhitespace { s.removeFirst() }
        while let last = s.last, last.isWhitespace { s.removeLast() }
        return String(s)
    }

    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }

    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}

extension Substring {
    var trimmingSpacesSubstring: String { String(self).trimmingSpaces }
}

import GamedayModel

/// CSV as RFC 4180 has it: CRLF line ends; a field with a comma, a quote or a line break is
/// quoted, and quotes inside are doubled.
public enum CSV {
    /// One field.
    public static func field(_ value: String) -> String {
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) || value.hasPrefix(" ") || value.hasSuffix(" ") {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }

    /// A header line and rows.
    public static func write(header: [String], rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }
}

/// iCalendar (RFC 5545) text: CRLF line ends, lines folded at 75 octets, TEXT values escaped.
public enum ICalendar {
    /// Escapes a TEXT value: backslash, semicolon, comma and line breaks.
    public static func escape(_ text: String) -> String {
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case "\r": break
            default:
                if c.value < 0x20 || c.value == 0x7F { out += " " } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    /// Folds one content line: at most 75 octets per line, continuation lines starting with a
    /// space, never splitting a UTF-8 sequence.
    public static func fold(_ line: String) -> String {
        var lines: [String] = []
        var current = ""
        var octets = 0
        var limit = 75
        for c in line.unicodeScalars {
            let width = UTF8.width(c)
            if octets + width > limit {
                lines.append(current)
                current = " "
                octets = 1
                limit = 75
            }
            current.unicodeScalars.append(c)
            octets += width
        }
        lines.append(current)
        return lines.joined(separator: "\r\n")
    }

    /// A calendar from content lines (each folded and ended with CRLF).
    public static func calendar(name: String, components: [[String]]) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//gameday//postmortem actions//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                     "X-WR-CALNAME:" + escape(name)]
        for component in components { lines += component }
        lines.append("END:VCALENDAR")
        return lines.map { fold($0) + "\r\n" }.joined()
    }

    /// `20250815` from seconds.
    public static func date(_ seconds: Double) -> String { ISO8601.formatDate(seconds).replacingOccurrences(of: "-", with: "") }

    /// `20250815T000000Z` from seconds.
    public static func dateTime(_ seconds: Double) -> String {
        ISO8601.format(seconds).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
    }
}

/// Aligned columns for terminal output.
enum TextTable {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        return all.enumerated().map { index, row in
            var line = ""
            for (i, cell) in row.enumerated() {
                let last = i == row.count - 1
                line += last ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 2)
            }
            var text = "  " + line
            if index == 0 { text += "\n  " + widths.enumerated().map { i, w in String(repeating: "-", count: w) + (i == widths.count - 1 ? "" : "  ") }.joined() }
            return text
        }.joined(separator: "\n") + "\n"
    }
}

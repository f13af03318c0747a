/// A plain-text table with aligned columns, for terminal reports.
public struct TextTable: Sendable {
    /// How a column aligns.
    public enum Alignment: Sendable { case left, right }

    /// The header row.
    public var header: [String]
    /// Column alignments.
    public var alignments: [Alignment]
    /// The rows.
    public var rows: [[String]] = []

    /// Creates a table with a header and alignments (left for the first column, right for others by default).
    public init(_ header: [String], alignments: [Alignment]? = nil) {
        self.header = header
        self.alignments = alignments ?? header.indices.map { $0 == 0 ? .left : .right }
    }

    /// Adds a row.
    public mutating func add(_ row: [String]) { rows.append(row) }

    /// The table as lines, columns separated by two spaces, with an optional indent.
    public func render(indent: String = "  ", style: ((String) -> String)? = nil) -> String {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ row: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in row.enumerated() where i < widths.count {
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                parts.append(alignments[i] == .left ? cell + pad : pad + cell)
            }
            var text = indent + parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        var lines = [style.map { $0(line(header)) } ?? line(header)]
        lines += rows.map(line)
        return lines.joined(separator: "\n")
    }

    /// The table as GitHub-flavoured Markdown.
    public func markdown() -> String {
        func escape(_ s: String) -> String { s.replacingPipes }
        var lines = ["| " + header.map(escape).joined(separator: " | ") + " |"]
        lines.append("| " + alignments.map { $0 == .left ? "---" : "---:" }.joined(separator: " | ") + " |")
        for row in rows { lines.append("| " + row.map(escape).joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n")
    }
}

extension String {
    var replacingPipes: String {
        var out = ""
        for c in self { if c == "|" { out += "\\|" } else { out.append(c) } }
        return out
    }
}

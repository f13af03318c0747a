import GamedayModel

/// The output formats of reports.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// GitHub-flavoured Markdown (tables, Mermaid blocks).
    case markdown
    /// One self-contained HTML page: inline CSS, no scripts, nothing fetched from the network.
    case html
}

/// A small document model that renders to Markdown or HTML, so both formats say the same thing
/// and every piece of user text is escaped in one place.
struct ReportDocument {
    /// A run of text inside a block.
    enum Inline {
        case text(String)
        case code(String)
        case strong(String)
        case emphasis(String)
        case link(String, url: String)
    }

    /// A block of the document.
    enum Block {
        case heading(Int, [Inline])
        case paragraph([Inline])
        case bullets([[Inline]])
        case numbered([[Inline]])
        case table(header: [String], rows: [[[Inline]]])
        case code(language: String, text: String)
        case note([Inline])
    }

    var title: String
    var blocks: [Block] = []

    mutating func heading(_ level: Int, _ text: String) { blocks.append(.heading(level, [.text(text)])) }
    mutating func paragraph(_ inlines: Inline...) { blocks.append(.paragraph(inlines)) }
    mutating func paragraph(_ inlines: [Inline]) { if !inlines.isEmpty { blocks.append(.paragraph(inlines)) } }
    mutating func bullets(_ items: [[Inline]]) { if !items.isEmpty { blocks.append(.bullets(items)) } }
    mutating func numbered(_ items: [[Inline]]) { if !items.isEmpty { blocks.append(.numbered(items)) } }
    mutating func table(_ header: [String], _ rows: [[[Inline]]]) { if !rows.isEmpty { blocks.append(.table(header: header, rows: rows)) } }
    mutating func code(_ language: String, _ text: String) { blocks.append(.code(language: language, text: text)) }
    mutating func note(_ inlines: Inline...) { blocks.append(.note(inlines)) }

    func render(_ format: ReportFormat) -> String {
        switch format {
        case .markdown: return markdown()
        case .html: return html()
        }
    }

    // MARK: Markdown

    func markdown() -> String {
        var out = "# " + Self.markdownEscape(title) + "\n"
        for block in blocks {
            out += "\n"
            switch block {
            case .heading(let level, let inlines):
                out += String(repeating: "#", count: min(6, level + 1)) + " " + Self.markdown(inlines) + "\n"
            case .paragraph(let inlines):
                out += Self.markdown(inlines) + "\n"
            case .note(let inlines):
                out += "> " + Self.markdown(inlines).replacingOccurrences(of: "\n", with: "\n> ") + "\n"
            case .bullets(let items):
                for item in items { out += "- " + Self.markdown(item).replacingOccurrences(of: "\n", with: "\n  ") + "\n" }
            case .numbered(let items):
                for (i, item) in items.enumerated() { out += "\(i + 1). " + Self.markdown(item).replacingOccurrences(of: "\n", with: "\n   ") + "\n" }
            case .table(let header, let rows):
                out += "| " + header.map(Self.markdownEscape).joined(separator: " | ") + " |\n"
                out += "|" + header.map { _ in " --- |" }.joined() + "\n"
                for row in rows {
                    // Line breaks inside a cell become <br> (GitHub renders them); user text is escaped first.
                    let cells = row.map { Self.markdown($0).replacingOccurrences(of: "\r\n", with: "<br>").replacingOccurrences(of: "\n", with: "<br>") }
                    out += "| " + cells.joined(separator: " | ") + " |\n"
                }
            case .code(let language, let text):
                let fence = text.contains("```") ? "~~~~" : "```"
                out += fence + language + "\n" + text + (text.hasSuffix("\n") ? "" : "\n") + fence + "\n"
            }
        }
        return out
    }

    static func markdown(_ inlines: [Inline]) -> String {
        inlines.map { inline -> String in
            switch inline {
            case .text(let s): return markdownEscape(s)
            case .code(let s):
                let clean = s.replacingOccurrences(of: "\n", with: " ")
                return clean.contains("`") ? "`` " + clean + " ``" : "`" + clean + "`"
            case .strong(let s): return "**" + markdownEscape(s) + "**"
            case .emphasis(let s): return "*" + markdownEscape(s) + "*"
            case .link(let text, let url):
                return "[" + markdownEscape(text) + "](" + url.replacingOccurrences(of: " ", with: "%20").replacingOccurrences(of: ")", with: "%29") + ")"
            }
        }.joined()
    }

    /// Escapes the characters Markdown would read as formatting (and `|`, which ends a table
    /// cell). `_` is escaped only at a word's edge (GFM ignores it inside words), and `#`, `+`, `-`
    /// only where they would start a heading or a list.
    static func markdownEscape(_ s: String) -> String {
        let chars = Array(s)
        var out = ""
        for (i, c) in chars.enumerated() {
            let previous: Character? = i > 0 ? chars[i - 1] : nil
            let next: Character? = i + 1 < chars.count ? chars[i + 1] : nil
            switch c {
            case "\\", "`", "*", "[", "]", "<", ">", "|":
                out.append("\\")
            case "_":
                let inside = (previous?.isLetter ?? false || previous?.isNumber ?? false) && (next?.isLetter ?? false || next?.isNumber ?? false)
                if !inside { out.append("\\") }
            case "#", "+", "-":
                let lineStart = previous == nil || previous == "\n"
                if lineStart, next == nil || next == " " { out.append("\\") }
            default:
                break
            }
            out.append(c)
        }
        return out
    }

    // MARK: HTML

    func html() -> String {
        var body = "<h1>" + Self.htmlEscape(title) + "</h1>\n"
        for block in blocks {
            switch block {
            case .heading(let level, let inlines):
                let h = min(6, level + 1)
                body += "<h\(h)>" + Self.html(inlines) + "</h\(h)>\n"
            case .paragraph(let inlines):
                body += "<p>" + Self.html(inlines) + "</p>\n"
            case .note(let inlines):
                body += "<blockquote>" + Self.html(inlines) + "</blockquote>\n"
            case .bullets(let items):
                body += "<ul>\n" + items.map { "<li>" + Self.html($0) + "</li>\n" }.joined() + "</ul>\n"
            case .numbered(let items):
                body += "<ol>\n" + items.map { "<li>" + Self.html($0) + "</li>\n" }.joined() + "</ol>\n"
            case .table(let header, let rows):
                body += "<table>\n<thead><tr>" + header.map { "<th>" + Self.htmlEscape($0) + "</th>" }.joined() + "</tr></thead>\n<tbody>\n"
                for row in rows { body += "<tr>" + row.map { "<td>" + Self.html($0) + "</td>" }.joined() + "</tr>\n" }
                body += "</tbody>\n</table>\n"
            case .code(let language, let text):
                body += "<pre class=\"\(Self.htmlEscape(language))\"><code>" + Self.htmlEscape(text) + "</code></pre>\n"
            }
        }
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Self.htmlEscape(title))</title>
        <style>
        body { font: 15px/1.5 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1f2328; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
        h1 { font-size: 1.6rem; border-bottom: 1px solid #d0d7de; padding-bottom: .3rem; }
        h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #eaeef2; }
        h3 { font-size: 1.05rem; }
        table { border-collapse: collapse; margin: .5rem 0 1rem; }
        th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left; vertical-align: top; }
        th { background: #f6f8fa; }
        code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
        code { background: #f6f8fa; padding: .1rem .25rem; border-radius: 4px; }
        pre { background: #f6f8fa; padding: .75rem; overflow-x: auto; border-radius: 6px; }
        pre code { background: none; padding: 0; }
        blockquote { margin: 1rem 0; padding: .25rem 1rem; border-left: 4px solid #d0d7de; color: #59636e; }
        @media print { body { margin: 0; max-width: none; } }
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    static func html(_ inlines: [Inline]) -> String {
        inlines.map { inline -> String in
            switch inline {
            case .text(let s): return htmlEscape(s).replacingOccurrences(of: "\n", with: "<br>")
            case .code(let s): return "<code>" + htmlEscape(s) + "</code>"
            case .strong(let s): return "<strong>" + htmlEscape(s) + "</strong>"
            case .emphasis(let s): return "<em>" + htmlEscape(s) + "</em>"
            case .link(let text, let url):
                let safe = url.lowercased().hasPrefix("javascript:") || url.lowercased().hasPrefix("data:") ? "#" : url
                return "<a href=\"" + htmlEscape(safe) + "\">" + htmlEscape(text) + "</a>"
            }
        }.joined()
    }

    /// Escapes text for HTML element content and attribute values.
    static func htmlEscape(_ s: String) -> String { HTMLText.escape(s) }
}

/// The diagram languages `gameday analyze --diagram` writes.
public enum DiagramSyntax: String, Hashable, Sendable, CaseIterable {
    /// Mermaid `flowchart LR`, which GitHub and GitLab render inside ```mermaid blocks.
    case mermaid
    /// Graphviz DOT (`dot -Tsvg`).
    case dot
}

/// A diagram independent of its syntax: nodes, edges and nested clusters. Ids are generated
/// (`[a-z0-9_]`), so only labels need escaping, each renderer in its own way.
struct DiagramGraph {
    enum NodeKind: String, CaseIterable {
        case threat, prevent, topEvent = "top", detect, mitigate, cap, weak, consequence
        case service, affected, target
    }

    struct Node {
        var id: String
        var lines: [String]
        var kind: NodeKind
    }

    struct Edge {
        var from: String
        var to: String
        var label: String?
        var dashed = false
        var highlighted = false
    }

    final class Cluster {
        var id: String
        var label: String
        var nodes: [Node] = []
        var clusters: [Cluster] = []
        init(id: String, label: String) {
            self.id = id
            self.label = label
        }
    }

    var title: String
    var root: Cluster
    var edges: [Edge] = []

    init(title: String) {
        self.title = title
        root = Cluster(id: "root", label: title)
    }

    /// Every node, clusters first-to-last, depth first.
    var allNodes: [Node] {
        func collect(_ cluster: Cluster) -> [Node] { cluster.nodes + cluster.clusters.flatMap(collect) }
        return collect(root)
    }

    // MARK: Mermaid

    /// Escapes text for a double-quoted Mermaid label: `#` first (so later entity codes are not
    /// escaped again), then `"`, `<`, `>`, `&` and backticks as decimal entity codes, which
    /// Mermaid decodes; line breaks become spaces (the renderer joins lines with `<br/>`).
    static func mermaidEscape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "#": out += "#35;"
            case "\"": out += "#34;"
            case "<": out += "#60;"
            case ">": out += "#62;"
            case "&": out += "#38;"
            case "`": out += "#96;"
            case "|": out += "#124;"
            case "\n", "\r", "\t": out += " "
            default:
                if scalar.value < 0x20 { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    static func mermaidLabel(_ lines: [String]) -> String {
        "\"" + lines.map(mermaidEscape).joined(separator: "<br/>") + "\""
    }

    static func mermaidShape(_ kind: NodeKind, _ label: String) -> String {
        switch kind {
        case .threat: return ">\(label)]"
        case .topEvent: return "{{\(label)}}"
        case .consequence: return "([\(label)])"
        case .service, .affected, .target: return "(\(label))"
        case .prevent, .detect, .mitigate, .cap, .weak: return "[\(label)]"
        }
    }

    static let mermaidStyles: [NodeKind: String] = [
        .threat: "fill:#fee2e2,stroke:#b91c1c,color:#111",
        .prevent: "fill:#dbeafe,stroke:#1d4ed8,color:#111",
        .topEvent: "fill:#fecaca,stroke:#7f1d1d,stroke-width:2px,color:#111",
        .detect: "fill:#fef3c7,stroke:#b45309,color:#111",
        .mitigate: "fill:#dcfce7,stroke:#15803d,color:#111",
        .cap: "fill:#e0e7ff,stroke:#4338ca,stroke-dasharray:4 3,color:#111",
        .weak: "fill:#f3f4f6,stroke:#6b7280,stroke-dasharray:4 3,color:#444",
        .consequence: "fill:#fed7aa,stroke:#c2410c,color:#111",
        .service: "fill:#ffffff,stroke:#6b7280,color:#111",
        .affected: "fill:#fecaca,stroke:#b91c1c,color:#111",
        .target: "fill:#f87171,stroke:#7f1d1d,stroke-width:2px,color:#111",
    ]

    var mermaid: String {
        var out = "flowchart LR\n"
        func write(_ cluster: Cluster, indent: String) {
            for node in cluster.nodes {
                out += indent + node.id + Self.mermaidShape(node.kind, Self.mermaidLabel(node.lines)) + "\n"
            }
            for child in cluster.clusters {
                out += indent + "subgraph " + child.id + "[" + Self.mermaidLabel([child.label]) + "]\n"
                write(child, indent: indent + "  ")
                out += indent + "end\n"
            }
        }
        write(root, indent: "  ")
        var highlighted: [Int] = []
        for (index, edge) in edges.enumerated() {
            let arrow = edge.dashed ? "-.->" : "-->"
            let label = edge.label.map { "|" + Self.mermaidLabel([$0]) + "|" } ?? ""
            out += "  \(edge.from) \(arrow)\(label) \(edge.to)\n"
            if edge.highlighted { highlighted.append(index) }
        }
        let nodes = allNodes
        for kind in NodeKind.allCases {
            let ids = nodes.filter { $0.kind == kind }.map(\.id)
            guard !ids.isEmpty else { continue }
            out += "  classDef \(kind.rawValue) \(Self.mermaidStyles[kind]!)\n"
            out += "  class \(ids.joined(separator: ",")) \(kind.rawValue)\n"
        }
        if !highlighted.isEmpty {
            out += "  linkStyle \(highlighted.map(String.init).joined(separator: ",")) stroke:#b91c1c,stroke-width:2px\n"
        }
        return out
    }

    // MARK: DOT

    /// Escapes text for a double-quoted DOT string: backslashes and quotes get a backslash (so
    /// `\n` in a name cannot become a line break), line breaks become spaces; the renderer joins
    /// lines with the `\n` escape.
    static func dotEscape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n", "\r", "\t": out += " "
            default:
                if scalar.value < 0x20 { out += " " } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    static func dotString(_ lines: [String]) -> String {
        "\"" + lines.map(dotEscape).joined(separator: "\\n") + "\""
    }

    static let dotStyles: [NodeKind: String] = [
        .threat: "shape=cds, style=filled, fillcolor=\"#fee2e2\", color=\"#b91c1c\"",
        .prevent: "shape=box, style=filled, fillcolor=\"#dbeafe\", color=\"#1d4ed8\"",
        .topEvent: "shape=hexagon, style=\"filled,bold\", fillcolor=\"#fecaca\", color=\"#7f1d1d\"",
        .detect: "shape=box, style=\"filled,rounded\", fillcolor=\"#fef3c7\", color=\"#b45309\"",
        .mitigate: "shape=box, style=filled, fillcolor=\"#dcfce7\", color=\"#15803d\"",
        .cap: "shape=box, style=\"filled,dashed\", fillcolor=\"#e0e7ff\", color=\"#4338ca\"",
        .weak: "shape=box, style=\"filled,dashed\", fillcolor=\"#f3f4f6\", color=\"#6b7280\", fontcolor=\"#444444\"",
        .consequence: "shape=octagon, style=filled, fillcolor=\"#fed7aa\", color=\"#c2410c\"",
        .service: "shape=ellipse, style=filled, fillcolor=\"#ffffff\", color=\"#6b7280\"",
        .affected: "shape=ellipse, style=filled, fillcolor=\"#fecaca\", color=\"#b91c1c\"",
        .target: "shape=ellipse, style=\"filled,bold\", fillcolor=\"#f87171\", color=\"#7f1d1d\"",
    ]

    var dot: String {
        var out = "digraph \(Self.dotString([title])) {\n"
        out += "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=11, label=\(Self.dotString([title])), labelloc=t];\n"
        out += "  node [fontname=\"Helvetica\", fontsize=10];\n"
        out += "  edge [fontname=\"Helvetica\", fontsize=9];\n"
        func write(_ cluster: Cluster, indent: String) {
            for node in cluster.nodes {
                out += indent + "\"\(node.id)\" [label=\(Self.dotString(node.lines)), \(Self.dotStyles[node.kind]!)];\n"
            }
            for child in cluster.clusters {
                out += indent + "subgraph \"cluster_\(child.id)\" {\n"
                out += indent + "  label=\(Self.dotString([child.label]));\n"
                out += indent + "  style=rounded; color=\"#9ca3af\";\n"
                write(child, indent: indent + "  ")
                out += indent + "}\n"
            }
        }
        write(root, indent: "  ")
        for edge in edges {
            var attributes: [String] = []
            if let label = edge.label { attributes.append("label=\(Self.dotString([label]))") }
            if edge.dashed { attributes.append("style=dashed") }
            if edge.highlighted { attributes.append("color=\"#b91c1c\", penwidth=2") }
            out += "  \"\(edge.from)\" -> \"\(edge.to)\"" + (attributes.isEmpty ? "" : " [" + attributes.joined(separator: ", ") + "]") + ";\n"
        }
        out += "}\n"
        return out
    }

    func render(_ syntax: DiagramSyntax) -> String {
        switch syntax {
        case .mermaid: return mermaid
        case .dot: return dot
        }
    }
}

/// A node of a YAML document that remembers where it was written.
///
/// Scenario files are decoded from this tree rather than straight into Swift types so that every
/// value keeps its line and column for diagnostics, and so that controls can patch the document
/// before it is decoded into a variant.
public struct YAMLNode: Hashable, Sendable {
    /// What a node holds.
    public enum Content: Hashable, Sendable {
        /// A scalar: its text and how it was written.
        case scalar(YAMLScalar)
        /// A sequence of nodes.
        case sequence([YAMLNode])
        /// A mapping, in the order the keys were written.
        case mapping([YAMLPair])
    }

    /// The node's content.
    public var content: Content
    /// Where the node starts.
    public var location: SourceLocation

    /// Creates a node.
    public init(_ content: Content, at location: SourceLocation) {
        self.content = content
        self.location = location
    }

    /// Creates a plain scalar node.
    public static func scalar(_ text: String, at location: SourceLocation, style: YAMLScalar.Style = .plain) -> YAMLNode {
        YAMLNode(.scalar(YAMLScalar(text, style: style)), at: location)
    }

    /// The scalar, when this node is one.
    public var scalar: YAMLScalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    /// The elements, when this node is a sequence.
    public var sequence: [YAMLNode]? {
        if case .sequence(let s) = content { return s }
        return nil
    }

    /// The pairs, when this node is a mapping.
    public var mapping: [YAMLPair]? {
        if case .mapping(let m) = content { return m }
        return nil
    }

    /// Whether this node is a YAML null (`~`, `null` or nothing).
    public var isNull: Bool { scalar?.isNull ?? false }

    /// The value for a scalar key in a mapping.
    public subscript(key: String) -> YAMLNode? {
        mapping?.first { $0.key.scalar?.text == key }?.value
    }

    /// What kind of node this is, for messages: "a mapping", "a list", "a scalar".
    public var kindDescription: String {
        switch content {
        case .scalar(let s): return s.isNull ? "nothing (null)" : "the scalar '\(s.text)'"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// Every location in this subtree moved to `file`: used when a node is copied into another document.
    public func relocated(file: String) -> YAMLNode {
        var copy = self
        copy.location.file = file
        switch content {
        case .scalar: break
        case .sequence(let items): copy.content = .sequence(items.map { $0.relocated(file: file) })
        case .mapping(let pairs):
            copy.content = .mapping(pairs.map { YAMLPair(key: $0.key.relocated(file: file), value: $0.value.relocated(file: file)) })
        }
        return copy
    }

    /// The number of nodes in this subtree.
    public var nodeCount: Int {
        switch content {
        case .scalar: return 1
        case .sequence(let items): return 1 + items.reduce(0) { $0 + $1.nodeCount }
        case .mapping(let pairs): return 1 + pairs.reduce(0) { $0 + $1.key.nodeCount + $1.value.nodeCount }
        }
    }
}

/// One key and its value in a mapping.
public struct YAMLPair: Hashable, Sendable {
    /// The key node (a scalar in every gameday file).
    public var key: YAMLNode
    /// The value node.
    public var value: YAMLNode

    /// Creates a pair.
    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// A scalar's text and the style it was written in.
public struct YAMLScalar: Hashable, Sendable {
    /// How a scalar was written. Quoted scalars are always strings.
    public enum Style: Hashable, Sendable {
        case plain
        case quoted
        case block
    }

    /// The scalar's text, after YAML's own unescaping and folding.
    public var text: String
    /// How it was written.
    public var style: Style

    /// Creates a scalar.
    public init(_ text: String, style: Style = .plain) {
        self.text = text
        self.style = style
    }

    /// Whether this is a null in the YAML 1.2 core schema.
    public var isNull: Bool {
        style == .plain && ["", "~", "null", "Null", "NULL"].contains(text)
    }
}

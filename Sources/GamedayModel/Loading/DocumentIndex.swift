/// Where each element of a scenario document was written, read from the raw YAML tree.
///
/// The validator works on decoded elements, but an element that failed to decode is missing
/// from them. This index still knows its id and the stretch of the file it occupies, so the
/// validator can tell "a reference to an element that does not exist" (an error) from "a
/// reference to an element that is written but broken" (already reported: say nothing more), and
/// can keep quiet about checks on an element that already has errors.
struct DocumentIndex {
    /// One list element as written.
    struct Element {
        /// Its `id`, when it has a scalar one.
        var id: String?
        /// The element's node.
        var node: YAMLNode
        /// Where it starts.
        var start: SourceLocation
        /// Where the next element or section starts (the element ends before it); `nil` at the end of the file.
        var end: SourceLocation?
    }

    /// The list sections whose elements have ids, by path from the root.
    static let sections: [[String]] = [
        ["services"], ["injections"], ["barriers"], ["responders"], ["modifiers"], ["controls"], ["checks"],
        ["drill", "actions"], ["drill", "rubric"], ["drill", "injects"], ["drill", "penalties"],
    ]

    /// Elements by section name (`barriers`, `drill.actions`).
    private(set) var elements: [String: [Element]] = [:]
    private var byStart: [String: [SourceLocation: Int]] = [:]
    private var byID: [String: [String: Int]] = [:]
    private var ids: [String: Set<String>] = [:]

    init(root: YAMLNode) {
        // Boundaries: every key of the root and of the drill, and every element of every section.
        var boundaries: [SourceLocation] = []
        for pair in root.mapping ?? [] {
            boundaries.append(pair.key.location)
            if pair.key.scalar?.text == "drill" {
                boundaries += (pair.value.mapping ?? []).map(\.key.location)
            }
        }
        var found: [(String, [YAMLNode])] = []
        for path in Self.sections {
            var node: YAMLNode? = root
            for key in path { node = node?[key] }
            let items = node?.sequence ?? []
            found.append((path.joined(separator: "."), items))
            boundaries += items.map(\.location)
        }
        boundaries.sort()
        /// The first boundary after a location (binary search: files may hold many thousands of elements).
        func end(after location: SourceLocation) -> SourceLocation? {
            var low = 0, high = boundaries.count
            while low < high {
                let mid = (low + high) / 2
                if boundaries[mid] <= location { low = mid + 1 } else { high = mid }
            }
            return low < boundaries.count ? boundaries[low] : nil
        }
        for (section, items) in found {
            var list: [Element] = []
            var starts: [SourceLocation: Int] = [:]
            var firstByID: [String: Int] = [:]
            for item in items {
                let element = Element(id: item["id"]?.scalar?.text, node: item, start: item.location, end: end(after: item.location))
                if starts[element.start] == nil { starts[element.start] = list.count }
                if let id = element.id, firstByID[id] == nil { firstByID[id] = list.count }
                list.append(element)
            }
            elements[section] = list
            byStart[section] = starts
            byID[section] = firstByID
            ids[section] = Set(firstByID.keys)
        }
    }

    /// The ids written in a section, whether or not their elements decoded.
    func declaredIDs(_ section: String) -> Set<String> {
        ids[section] ?? []
    }

    /// The element of a section with this id (the first, when the id is duplicated).
    func element(_ section: String, id: String) -> Element? {
        byID[section]?[id].map { elements[section]![$0] }
    }

    /// The element of a section that starts at this location.
    func element(_ section: String, at location: SourceLocation) -> Element? {
        byStart[section]?[location].map { elements[section]![$0] }
    }

    /// The node of a field of the element that starts at `location`, for precise positions.
    func field(_ key: String, of section: String, at location: SourceLocation) -> YAMLNode? {
        element(section, at: location)?.node[key]
    }

    /// Whether any error in `diagnostics` lies within the element of `section` with this id.
    func hasErrors(_ section: String, id: String, in diagnostics: [Diagnostic]) -> Bool {
        guard let element = element(section, id: id) else { return false }
        return diagnostics.contains { d in
            d.severity == .error && d.location.file == element.start.file && d.location >= element.start
                && (element.end.map { d.location < $0 } ?? true)
        }
    }
}

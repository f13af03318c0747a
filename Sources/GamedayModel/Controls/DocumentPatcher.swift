/// Applies controls to a scenario document (spec section 7): `add` appends elements, `set`
/// replaces the value at a dotted path, `remove` deletes by path and drops references to what it
/// removed. Patching works on the located tree, so errors in a control's values point at the
/// control's own text.
struct DocumentPatcher {
    let diagnostics: DiagnosticCollector
    let control: Control

    private var what: String { "control '\(control.id)'" }

    static let listSections = ["services", "injections", "barriers", "responders", "modifiers", "controls", "checks"]

    func apply(to root: inout YAMLNode) {
        for (section, element) in control.add {
            appendElement(element, to: section, in: &root)
        }
        for (path, value) in control.set {
            set(path, to: value, in: &root)
        }
        for path in control.remove {
            remove(path, in: &root)
        }
    }

    // MARK: Navigation

    /// A step into a node: a mapping key or a list element picked by id.
    private enum Step { case key(String), element(Int) }

    /// The id that picks a list element: `id`, else `service` (dependencies), else the scalar itself.
    private static func elementKey(_ node: YAMLNode) -> String? {
        if let scalar = node.scalar { return scalar.text }
        return node["id"]?.scalar?.text ?? node["service"]?.scalar?.text ?? node["name"]?.scalar?.text
    }

    /// Resolves path components to steps; reports the first component that does not exist.
    private func resolve(_ path: ElementPath, in root: YAMLNode, allowMissingLast: Bool) -> [Step]? {
        var steps: [Step] = []
        var node = root
        for (index, component) in path.components.enumerated() {
            let isLast = index == path.components.count - 1
            if let pairs = node.mapping {
                if let i = pairs.firstIndex(where: { $0.key.scalar?.text == component }) {
                    steps.append(.key(component))
                    node = pairs[i].value
                    continue
                }
                if isLast && allowMissingLast && index > 0 {
                    steps.append(.key(component))
                    return steps
                }
                let keys = pairs.compactMap { $0.key.scalar?.text }
                let prefix = path.components.prefix(index).joined(separator: ".")
                var help = (prefix.isEmpty ? "sections" : "keys of \(prefix)") + ": " + Suggestions.list(keys)
                if let suggestion = Suggestions.closest(to: component, in: keys) { help = "did you mean '\(suggestion)'? " + help }
                diagnostics.error(path.location, "\(what) names '\(path)', but '\(component)' does not exist there", help: help)
                return nil
            } else if let items = node.sequence {
                if let i = items.firstIndex(where: { Self.elementKey($0) == component }) {
                    steps.append(.element(i))
                    node = items[i]
                    continue
                }
                let ids = items.compactMap(Self.elementKey)
                let prefix = path.components.prefix(index).joined(separator: ".")
                var help = "\(prefix) holds: " + Suggestions.list(ids)
                if let suggestion = Suggestions.closest(to: component, in: ids) { help = "did you mean '\(suggestion)'? " + help }
                diagnostics.error(path.location, "\(what) names '\(path)', but \(prefix) has no '\(component)'", help: help)
                return nil
            } else {
                let prefix = path.components.prefix(index).joined(separator: ".")
                diagnostics.error(path.location, "\(what) names '\(path)', but '\(prefix)' is a single value", help: "a path can only go into mappings and lists")
                return nil
            }
        }
        return steps
    }

    /// Runs `body` on the node the steps lead to, writing changes back up the tree.
    private func modify(_ node: inout YAMLNode, steps: ArraySlice<Step>, _ body: (inout YAMLNode) -> Void) {
        guard let step = steps.first else {
            body(&node)
            return
        }
        switch (step, node.content) {
        case (.key(let key), .mapping(var pairs)):
            guard let i = pairs.firstIndex(where: { $0.key.scalar?.text == key }) else { return }
            modify(&pairs[i].value, steps: steps.dropFirst(), body)
            node.content = .mapping(pairs)
        case (.element(let i), .sequence(var items)):
            modify(&items[i], steps: steps.dropFirst(), body)
            node.content = .sequence(items)
        default:
            return
        }
    }

    // MARK: Operations

    private func appendElement(_ element: YAMLNode, to section: String, in root: inout YAMLNode) {
        guard case .mapping(var pairs) = root.content else { return }
        if let i = pairs.firstIndex(where: { $0.key.scalar?.text == section }) {
            if case .sequence(var items) = pairs[i].value.content {
                items.append(element)
                pairs[i].value.content = .sequence(items)
            } else if pairs[i].value.isNull {
                pairs[i].value = YAMLNode(.sequence([element]), at: element.location)
            } else {
                diagnostics.error(element.location, "\(what) adds to '\(section)', which is not a list", help: "\(section) must be a list")
                return
            }
        } else {
            pairs.append(YAMLPair(key: .scalar(section, at: element.location), value: YAMLNode(.sequence([element]), at: element.location)))
        }
        root.content = .mapping(pairs)
    }

    private func set(_ path: ElementPath, to value: YAMLNode, in root: inout YAMLNode) {
        guard path.components.count >= 2, !path.components.contains("") else {
            diagnostics.error(path.location, "\(what) sets '\(path)', which is not a path to a field", help: "write SECTION.ID.FIELD, e.g. barriers.checkout-5xx-alert.when, or scenario.horizon")
            return
        }
        guard let steps = resolve(path, in: root, allowMissingLast: true) else { return }
        let parentSteps = steps.dropLast()
        guard case .key(let key)? = steps.last else {
            // The path picks a whole list element: replace it, keeping its id.
            modify(&root, steps: steps[...]) { node in node = value }
            return
        }
        modify(&root, steps: parentSteps) { parent in
            guard case .mapping(var pairs) = parent.content else {
                diagnostics.error(path.location, "\(what) sets '\(path)', but its parent is not a mapping", help: "a set path ends at a field of an element")
                return
            }
            if let i = pairs.firstIndex(where: { $0.key.scalar?.text == key }) {
                pairs[i].value = value
            } else {
                pairs.append(YAMLPair(key: .scalar(key, at: path.location), value: value))
            }
            parent.content = .mapping(pairs)
        }
    }

    private func remove(_ path: ElementPath, in root: inout YAMLNode) {
        guard path.components.count >= 2, !path.components.contains("") else {
            diagnostics.error(path.location, "\(what) removes '\(path)', which is not a path to an element or field", help: "write SECTION.ID, e.g. modifiers.no-runbook, or SECTION.ID.FIELD")
            return
        }
        guard let steps = resolve(path, in: root, allowMissingLast: false), let last = steps.last else { return }
        modify(&root, steps: steps.dropLast()) { parent in
            switch (last, parent.content) {
            case (.key(let key), .mapping(var pairs)):
                pairs.removeAll { $0.key.scalar?.text == key }
                parent.content = .mapping(pairs)
            case (.element(let i), .sequence(var items)):
                items.remove(at: i)
                parent.content = .sequence(items)
            default:
                break
            }
        }
        if path.components.count == 2 {
            dropReferences(section: path.components[0], id: path.components[1], in: &root)
        }
    }

    // MARK: Dropping references to removed elements

    private func dropReferences(section: String, id: String, in root: inout YAMLNode) {
        let subject = "\(section).\(id)."
        root = root.rewritingSections { name, element in
            var element = element
            switch (section, name) {
            case ("injections", "barriers"):
                element = element.removingListEntries(key: "against", matching: id).removingListEntries(key: "removes", matching: id)
            case ("barriers", "responders"):
                element = element.removingListEntries(key: "uses", matching: id)
            case ("barriers", "modifiers"), ("responders", "modifiers"):
                element = element.removingListEntries(key: "applies_to", matching: id)
            case ("responders", "barriers"):
                if element["notifies"]?.scalar?.text == id { element = element.removingKeys(["notifies"]) }
            case ("responders", "responders"):
                if element["escalates_to"]?.scalar?.text == id { element = element.removingKeys(["escalates_to", "escalate_after"]) }
            case ("services", "services"):
                element = element.removingListEntries(key: "depends_on", matching: id)
            default:
                break
            }
            return element
        }
        // Pins on the removed element's draws, and prevent draws on a removed injection.
        root = root.rewritingMapping(at: ["observed", "pins"]) { pairs in
            pairs.filter { pair in
                guard let key = pair.key.scalar?.text else { return true }
                if key.hasPrefix(subject) { return false }
                if section == "injections", key.hasPrefix("barriers."),
                   key.hasSuffix(".works.\(id)") || key.hasSuffix(".takes.\(id)") { return false }
                return true
            }
        }
        // Drill injects waiting on the removed element's events, and actions that use or add it.
        root = root.rewritingMapping(at: ["drill"]) { pairs in
            pairs.map { pair in
                var pair = pair
                guard let key = pair.key.scalar?.text, let items = pair.value.sequence else { return pair }
                if key == "injects" {
                    pair.value.content = .sequence(items.filter { !($0["when"]?.scalar?.text.hasPrefix(subject) ?? false) })
                } else if key == "actions" {
                    let field = section == "injections" ? "adds" : (section == "barriers" ? "uses" : nil)
                    if let field {
                        pair.value.content = .sequence(items.map { $0[field]?.scalar?.text == id ? $0.removingKeys([field]) : $0 })
                    }
                }
                return pair
            }
        }
    }
}

extension YAMLNode {
    /// The root with every element of every list section passed through `transform`.
    func rewritingSections(_ transform: (String, YAMLNode) -> YAMLNode) -> YAMLNode {
        guard case .mapping(let pairs) = content else { return self }
        var copy = self
        copy.content = .mapping(pairs.map { pair in
            guard let name = pair.key.scalar?.text, DocumentPatcher.listSections.contains(name), let items = pair.value.sequence else { return pair }
            var pair = pair
            pair.value.content = .sequence(items.map { transform(name, $0) })
            return pair
        })
        return copy
    }

    /// The node with the mapping at a key path rewritten (unchanged when the path does not exist).
    func rewritingMapping(at path: [String], _ transform: ([YAMLPair]) -> [YAMLPair]) -> YAMLNode {
        guard case .mapping(var pairs) = content else { return self }
        guard let first = path.first else {
            var copy = self
            copy.content = .mapping(transform(pairs))
            return copy
        }
        guard let i = pairs.firstIndex(where: { $0.key.scalar?.text == first }) else { return self }
        pairs[i].value = pairs[i].value.rewritingMapping(at: Array(path.dropFirst()), transform)
        var copy = self
        copy.content = .mapping(pairs)
        return copy
    }

    /// The mapping with the entries of list `key` that name `id` removed (a single scalar value
    /// naming `id` removes the key).
    func removingListEntries(key: String, matching id: String) -> YAMLNode {
        guard case .mapping(var pairs) = content, let i = pairs.firstIndex(where: { $0.key.scalar?.text == key }) else { return self }
        if let items = pairs[i].value.sequence {
            pairs[i].value.content = .sequence(items.filter {
                ($0.scalar?.text ?? $0["service"]?.scalar?.text) != id
            })
        } else if pairs[i].value.scalar?.text == id {
            pairs.remove(at: i)
        }
        var copy = self
        copy.content = .mapping(pairs)
        return copy
    }

    /// The mapping without these keys.
    func removingKeys(_ keys: [String]) -> YAMLNode {
        guard case .mapping(let pairs) = content else { return self }
        var copy = self
        copy.content = .mapping(pairs.filter { !keys.contains($0.key.scalar?.text ?? "") })
        return copy
    }
}

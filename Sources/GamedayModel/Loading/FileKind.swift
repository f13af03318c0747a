/// The kinds of gameday files, recognized by their first top-level key.
public enum GamedayFileKind: Sendable {
    /// A scenario (`scenario:`).
    case scenario
    /// A postmortem record (`postmortem:`).
    case postmortem
    /// A scripted drill (`drill_run:`).
    case drillScript
    /// Not a gameday file; the diagnostic says why (nil when the file could not be read at all).
    case unknown(Diagnostic?)

    /// Whether the file is a scenario.
    public var isScenario: Bool {
        if case .scenario = self { return true }
        return false
    }

    /// The top-level keys that identify each kind.
    public static let markers: [(key: String, kind: String)] = [("scenario", "scenario"), ("postmortem", "postmortem record"), ("drill_run", "drill script")]

    /// Detects a file's kind from its top-level keys (the file is parsed, with limits).
    public static func detect(path: String) -> GamedayFileKind {
        guard let root = try? YAMLParser.parse(fileAt: path) else { return .scenario }
        return detect(root: root)
    }

    /// Detects a document's kind from its top-level keys.
    public static func detect(root: YAMLNode) -> GamedayFileKind {
        guard let pairs = root.mapping else { return .scenario }
        let keys = pairs.compactMap { $0.key.scalar?.text }
        if keys.contains("postmortem") { return .postmortem }
        if keys.contains("scenario") || keys.contains("services") || keys.contains("injections") { return .scenario }
        if keys.contains("drill_run") { return .drillScript }
        return .unknown(Diagnostic(at: root.location, "not a gameday file: no 'scenario' key at the top level",
                                   help: "a scenario starts with 'scenario:', a postmortem record with 'postmortem:', a drill script with 'drill_run:'"))
    }
}

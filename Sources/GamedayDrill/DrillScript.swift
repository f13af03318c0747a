import Foundation
import GamedayModel

/// A scripted drill (spec: drill.md, `drill_run`): a response file that replaces live input, for
/// tests, rehearsal and review.
///
/// ```yaml
/// drill_run:
///   scenario: checkout-config-push      # a scenario id (looked up in scenarios/) or a path
///   seed: 7                             # default: the drill's seed
///   team:
///     - {name: alice, role: incident-commander}
///     - {name: bob, role: ops}
///   actions:
///     - {at: 6m, by: bob, do: ack}
///     - {at: 7m, by: alice, do: declare}
///   end: 45m                            # default: when the last action has finished
///   debrief: ["The SLO burn alert", "No checkout runbook"]   # answers, in question order
/// ```
public struct DrillScript: Sendable {
    /// One scripted action.
    public struct Step: Hashable, Sendable {
        /// When it is asked for, in seconds.
        public var at: Double
        /// Who takes it.
        public var by: String
        /// The drill action's id.
        public var action: String
        /// Where it was written.
        public var location: SourceLocation
    }

    /// The script's file.
    public var path: String
    /// The file's sha256.
    public var sha256: String
    /// The scenario as written (an id or a path).
    public var scenario: String
    /// The scenario file it resolved to.
    public var scenarioPath: String?
    /// The seed (nil: the drill's own).
    public var seed: UInt64?
    /// The trial index (default 0).
    public var trial: UInt64?
    /// The drill's id (nil: derived from the script).
    public var id: String?
    /// The team.
    public var team: [Participant]
    /// The actions, in time order.
    public var steps: [Step]
    /// When the drill ends (nil: when the last action has finished).
    public var end: Double?
    /// Debrief answers, in the order of the scenario's questions.
    public var debrief: [String]
}

/// Reads and checks `drill_run` scripts with located diagnostics.
public enum DrillScriptLoader {
    /// A script with its scenario, or the problems found.
    public struct Result: Sendable {
        /// The script, when it is valid.
        public var script: DrillScript?
        /// The scenario it plays, when it could be loaded.
        public var scenario: Scenario?
        /// Every problem, in file order.
        public var diagnostics: [Diagnostic]
    }

    static let topKeys = ["drill_run"]
    static let runKeys = ["scenario", "seed", "trial", "id", "team", "actions", "end", "debrief"]
    static let memberKeys = ["name", "role"]
    static let stepKeys = ["at", "by", "do"]

    /// Loads and checks a script file.
    ///
    /// - Parameters:
    ///   - path: the script.
    ///   - scenarioFolders: folders searched for a scenario named by id (after the script's own
    ///     folder and its `../scenarios`).
    public static func check(path: String, scenarioFolders: [String] = ["scenarios"]) -> Result {
        do {
            let (text, sha) = try FileText.readWithHash(path)
            return check(text: text, path: path, sha256: sha, scenarioFolders: scenarioFolders)
        } catch {
            return Result(script: nil, scenario: nil, diagnostics: error.diagnostics)
        }
    }

    /// Checks script text (the path is used in diagnostics and to find a scenario given by path).
    public static func check(text: String, path: String, sha256: String? = nil, scenarioFolders: [String] = ["scenarios"]) -> Result {
        let diagnostics = DiagnosticCollector()
        let root: YAMLNode?
        do {
            root = try YAMLParser.parse(text, file: path)
        } catch {
            return Result(script: nil, scenario: nil, diagnostics: error.diagnostics)
        }
        let start = SourceLocation(file: path, line: 1, column: 1)
        guard let root, let top = fields(root, allowed: topKeys, required: topKeys, what: "a drill script", diagnostics) else {
            if root == nil { diagnostics.error(start, "the file is empty", help: "a drill script starts with drill_run:") }
            return Result(script: nil, scenario: nil, diagnostics: DiagnosticError(diagnostics.diagnostics).diagnostics)
        }
        guard let runNode = top["drill_run"], let run = fields(runNode, allowed: runKeys, required: ["scenario", "team"], what: "drill_run", diagnostics) else {
            return Result(script: nil, scenario: nil, diagnostics: DiagnosticError(diagnostics.diagnostics).diagnostics)
        }
        var script = DrillScript(path: path, sha256: sha256 ?? FileText.sha256(Array(text.utf8)), scenario: "", scenarioPath: nil,
                                 seed: nil, trial: nil, id: nil, team: [], steps: [], end: nil, debrief: [])
        // The scenario.
        var scenario: Scenario?
        if let node = run["scenario"], let name = scalar(node, what: "'scenario'", diagnostics) {
            script.scenario = name
            switch resolveScenario(name, scriptPath: path, folders: scenarioFolders) {
            case .found(let file):
                script.scenarioPath = file
                let loaded = ScenarioLoader.check(path: file)
                if let s = loaded.scenario {
                    scenario = s
                    if s.drill == nil { diagnostics.error(node.location, "scenario '\(s.id)' (\(file)) has no drill section", help: "a drill script plays a scenario's drill; add drill: to the scenario") }
                } else {
                    let errors = loaded.diagnostics.filter { $0.severity == .error }
                    diagnostics.error(node.location, "scenario '\(name)' (\(file)) is not valid: \(errors.count) error\(errors.count == 1 ? "" : "s"), the first: \(errors.first?.description ?? "?")",
                                      help: "run gameday validate \(file)")
                }
            case .notFound(let looked, let known):
                var help = "looked in " + looked.joined(separator: ", ")
                if let suggestion = Suggestions.closest(to: name, in: known) { help = "did you mean '\(suggestion)'? " + help }
                diagnostics.error(node.location, "no scenario '\(name)' found", help: help)
            }
        }
        let drill = scenario?.drill
        // Seed, trial, id, end.
        if let node = run["seed"] { script.seed = unsigned(node, what: "'seed'", diagnostics) }
        if let node = run["trial"] { script.trial = unsigned(node, what: "'trial'", diagnostics) }
        if let node = run["id"], let id = scalar(node, what: "'id'", diagnostics) {
            if id.isEmpty || id.contains(where: { $0.isWhitespace || $0 == "/" }) {
                diagnostics.error(node.location, "drill id '\(id)' has spaces or slashes", help: "an id is one word, like D-2025-07-28-checkout")
            } else {
                script.id = id
            }
        }
        // The team.
        var names: [String] = []
        for item in list(run["team"], what: "'team'", diagnostics) {
            guard let member = fields(item, allowed: memberKeys, required: memberKeys, what: "a team member", diagnostics),
                  let name = member["name"].flatMap({ scalar($0, what: "'name'", diagnostics) }),
                  let roleNode = member["role"], let role = scalar(roleNode, what: "'role'", diagnostics) else { continue }
            if name.isEmpty || name.contains(where: \.isWhitespace) {
                diagnostics.error(member["name"]!.location, "'\(name)' is not a usable name", help: "a name is one word, like alice")
                continue
            }
            if names.contains(name) {
                diagnostics.error(member["name"]!.location, "'\(name)' is on the team twice", help: "each person plays one role; give each a different name")
                continue
            }
            if let drill, !drill.roles.contains(role) {
                var help = "roles: " + drill.roles.joined(separator: ", ")
                if let suggestion = Suggestions.closest(to: role, in: drill.roles) { help = "did you mean '\(suggestion)'? " + help }
                diagnostics.error(roleNode.location, "'\(role)' is not a role of this drill", help: help)
            }
            names.append(name)
            script.team.append(Participant(name: name, role: role))
        }
        if run["team"] != nil, script.team.isEmpty, !diagnostics.hasErrors {
            diagnostics.error(run["team"]!.location, "the team is empty", help: "list who plays: team: [{name: alice, role: incident-commander}]")
        }
        // The actions.
        var last: (at: Double, location: SourceLocation)?
        for item in list(run["actions"], what: "'actions'", diagnostics) {
            guard let step = fields(item, allowed: stepKeys, required: stepKeys, what: "a scripted action", diagnostics),
                  let atNode = step["at"], let byNode = step["by"], let doNode = step["do"],
                  let at = duration(atNode, what: "'at'", diagnostics),
                  let by = scalar(byNode, what: "'by'", diagnostics), let action = scalar(doNode, what: "'do'", diagnostics) else { continue }
            if let last, at < last.at {
                diagnostics.error(atNode.location, "this action at \(Scalars.formatDuration(at)) comes before the one above it (\(Scalars.formatDuration(last.at)), line \(last.location.line))",
                                  help: "list scripted actions in time order")
            }
            if let horizon = scenario?.horizon, at >= horizon {
                diagnostics.error(atNode.location, "\(Scalars.formatDuration(at)) is at or after the scenario's horizon (\(Scalars.formatDuration(horizon)))", help: "a drill ends at the horizon at the latest")
            }
            last = (at, atNode.location)
            let member = script.team.first { $0.name == by }
            if member == nil, !names.isEmpty || run["team"] != nil {
                var help = "the team: " + names.joined(separator: ", ")
                if let suggestion = Suggestions.closest(to: by, in: names) { help = "did you mean '\(suggestion)'? " + help }
                diagnostics.error(byNode.location, "'\(by)' is not on the team", help: help)
            }
            if let drill {
                if let known = drill.action(action) {
                    if let role = known.role, let member, member.role != role {
                        diagnostics.error(doNode.location, "\(member) may not take '\(action)': only the \(role) may",
                                          help: "give it to someone in that role, or change \(member.name)'s role")
                    }
                } else {
                    let ids = drill.actions.map(\.id)
                    var help = "actions: " + Suggestions.list(ids)
                    if let suggestion = Suggestions.closest(to: action, in: ids) { help = "did you mean '\(suggestion)'? " + help }
                    diagnostics.error(doNode.location, "no drill action '\(action)' in scenario '\(scenario!.id)'", help: help)
                }
            }
            script.steps.append(DrillScript.Step(at: at, by: by, action: action, location: item.location))
        }
        if let node = run["end"], let end = duration(node, what: "'end'", diagnostics) {
            if let last, end < last.at {
                diagnostics.error(node.location, "the drill ends at \(Scalars.formatDuration(end)), before its last action (\(Scalars.formatDuration(last.at)))", help: "end after the last action, or drop 'end' to end when it finishes")
            }
            if let horizon = scenario?.horizon, end > horizon {
                diagnostics.error(node.location, "the drill ends after the scenario's horizon (\(Scalars.formatDuration(horizon)))", help: "end at the horizon at the latest")
            }
            script.end = end
        }
        for item in list(run["debrief"], what: "'debrief'", diagnostics) {
            if let answer = scalar(item, what: "a debrief answer", diagnostics) { script.debrief.append(answer) }
        }
        if let drill, script.debrief.count > drill.debrief.count, let node = run["debrief"] {
            diagnostics.error(node.location, "\(script.debrief.count) debrief answers for \(drill.debrief.count) question\(drill.debrief.count == 1 ? "" : "s")",
                              help: "answer the scenario's questions in order: " + drill.debrief.map { "“\($0)”" }.joined(separator: ", "))
        }
        let sorted = DiagnosticError(diagnostics.diagnostics).diagnostics
        return Result(script: diagnostics.hasErrors ? nil : script, scenario: scenario, diagnostics: sorted)
    }

    // MARK: Finding the scenario

    /// Where a script's scenario was found, or where it was looked for.
    public enum Resolution: Sendable, Hashable {
        /// The scenario file.
        case found(String)
        /// Not found: the places looked in and the scenario ids seen there.
        case notFound(looked: [String], known: [String])
    }

    /// Finds a scenario named by a script: a path (it ends in .yaml or .yml, or has a slash),
    /// relative to the script's folder first, then to the working folder; or an id, as `ID.yaml`
    /// (or a file whose `scenario.id` is ID) in the script's folder, its `../scenarios`, then
    /// `folders`.
    public static func resolveScenario(_ name: String, scriptPath: String, folders: [String]) -> Resolution {
        let manager = FileManager.default
        let scriptFolder = (scriptPath as NSString).deletingLastPathComponent
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") || name.contains("/") {
            let candidates = name.hasPrefix("/") ? [name] : [normalize(scriptFolder.isEmpty ? name : (scriptFolder as NSString).appendingPathComponent(name)), name]
            for candidate in candidates where manager.fileExists(atPath: candidate) { return .found(candidate) }
            return .notFound(looked: Array(Set(candidates)).sorted(), known: [])
        }
        var searched: [String] = []
        for folder in [scriptFolder.isEmpty ? "." : scriptFolder, ((scriptFolder.isEmpty ? "." : scriptFolder) as NSString).appendingPathComponent("../scenarios")] + folders {
            let normalized = normalize(folder)
            if searched.contains(normalized) { continue }
            searched.append(normalized)
        }
        var known: [String] = []
        for folder in searched {
            for ext in ["yaml", "yml"] {
                let file = (folder as NSString).appendingPathComponent("\(name).\(ext)")
                if manager.fileExists(atPath: file), scenarioID(of: file) == name { return .found(file) }
            }
        }
        for folder in searched {
            guard let files = try? manager.contentsOfDirectory(atPath: folder) else { continue }
            for file in files.sorted() where file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
                let full = (folder as NSString).appendingPathComponent(file)
                guard let id = scenarioID(of: full) else { continue }
                if id == name { return .found(full) }
                known.append(id)
            }
        }
        return .notFound(looked: searched, known: known)
    }

    /// A path with `.` and `a/..` removed lexically (`drills/../scenarios` is `scenarios`).
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [String] = []
        for part in path.split(separator: "/").map(String.init) {
            if part == "." || part.isEmpty { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            if part == "..", absolute, parts.isEmpty { continue }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// The `scenario.id` of a YAML file, if it is a scenario.
    static func scenarioID(of path: String) -> String? {
        guard let root = try? YAMLParser.parse(fileAt: path) else { return nil }
        return root["scenario"]?["id"]?.scalar?.text
    }

    // MARK: Reading nodes

    static func fields(_ node: YAMLNode, allowed: [String], required: [String], what: String, _ d: DiagnosticCollector) -> [String: YAMLNode]? {
        guard let pairs = node.mapping else {
            d.error(node.location, "\(what) must be a mapping, not \(node.kindDescription)", help: "keys: " + allowed.joined(separator: ", "))
            return nil
        }
        var values: [String: YAMLNode] = [:]
        for pair in pairs {
            guard let key = pair.key.scalar?.text else {
                d.error(pair.key.location, "a key in \(what) must be a name, not \(pair.key.kindDescription)")
                continue
            }
            guard allowed.contains(key) else {
                var help = "allowed: " + allowed.joined(separator: ", ")
                if let suggestion = Suggestions.closest(to: key, in: allowed) { help = "did you mean '\(suggestion)'? " + help }
                d.error(pair.key.location, "unknown key '\(key)' in \(what)", help: help)
                continue
            }
            if values[key] != nil {
                d.error(pair.key.location, "key '\(key)' appears twice in \(what)", help: "give each key once")
                continue
            }
            values[key] = pair.value.isNull ? nil : pair.value
        }
        for key in required where values[key] == nil {
            d.error(node.location, "\(what) is missing '\(key)'", help: "keys: " + allowed.joined(separator: ", "))
        }
        return values
    }

    static func list(_ node: YAMLNode?, what: String, _ d: DiagnosticCollector) -> [YAMLNode] {
        guard let node, !node.isNull else { return [] }
        guard let items = node.sequence else {
            d.error(node.location, "\(what) must be a list, not \(node.kindDescription)", help: "write a list, with '- ' items or [a, b]")
            return []
        }
        return items
    }

    static func scalar(_ node: YAMLNode, what: String, _ d: DiagnosticCollector) -> String? {
        guard let scalar = node.scalar, !scalar.isNull else {
            d.error(node.location, "\(what) must be a single value, not \(node.kindDescription)")
            return nil
        }
        return scalar.text
    }

    static func duration(_ node: YAMLNode, what: String, _ d: DiagnosticCollector) -> Double? {
        guard let text = scalar(node, what: what, d) else { return nil }
        switch Scalars.duration(text) {
        case .success(let value): return value
        case .failure(let failure):
            d.error(node.location, "\(what): \(failure.message)", help: failure.help)
            return nil
        }
    }

    static func unsigned(_ node: YAMLNode, what: String, _ d: DiagnosticCollector) -> UInt64? {
        guard let text = scalar(node, what: what, d) else { return nil }
        guard let value = UInt64(text.trimmingSpaces) else {
            d.error(node.location, "\(what) '\(text)' is not a whole number from 0 to 18446744073709551615", help: "write a whole number, like 7")
            return nil
        }
        return value
    }
}

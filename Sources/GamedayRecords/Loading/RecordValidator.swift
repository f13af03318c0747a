import Foundation
import GamedayModel

/// Finds and loads the scenarios records link to, once each.
///
/// A relative `scenario:` path is looked up from the record's folder, then from each parent
/// folder up to the repository root (the first folder holding `.git`), so
/// `postmortems/PM-2025-014.yaml` can write `scenario: scenarios/checkout-config-push.yaml` as
/// the path from the repository root.
public final class ScenarioCache {
    private var results: [String: ScenarioLoader.Result] = [:]
    private var hashes: [String: String?] = [:]

    /// Creates an empty cache.
    public init() {}

    /// The folders searched for a relative path written in the record at `recordPath`, nearest first.
    public static func searchFolders(forRecordAt recordPath: String) -> [String] {
        let manager = FileManager.default
        var directory = URL(fileURLWithPath: PathParts(recordPath).directory, relativeTo: URL(fileURLWithPath: manager.currentDirectoryPath)).standardizedFileURL
        var folders: [String] = []
        while true {
            folders.append(directory.path)
            if manager.fileExists(atPath: directory.appendingPathComponent(".git").path) { break }
            let parent = directory.deletingLastPathComponent()
            if parent.path == directory.path { break }
            directory = parent
        }
        return folders
    }

    /// The repository root above a record: the first folder, from the record's own up, that
    /// holds `.git`; `nil` when none does.
    public static func repositoryRoot(forRecordAt recordPath: String) -> String? {
        guard let last = searchFolders(forRecordAt: recordPath).last,
              FileManager.default.fileExists(atPath: (last as NSString).appendingPathComponent(".git")) else { return nil }
        return last
    }

    /// The `scenario:` path a record at `recordPath` should write to link the scenario file at
    /// `scenarioPath` (both as given on the command line, relative to the working folder), so
    /// that ``resolve(_:fromRecordAt:)`` finds it again: the path from the repository root when
    /// the scenario is inside the record's repository (the convention of the bundled records),
    /// else the path from the record's folder (`../scenarios/x.yaml`), else the absolute path.
    public static func link(forScenarioAt scenarioPath: String, fromRecordAt recordPath: String) -> String {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let scenario = URL(fileURLWithPath: scenarioPath, relativeTo: cwd).standardizedFileURL.pathComponents
        let folder = URL(fileURLWithPath: PathParts(recordPath).directory, relativeTo: cwd).standardizedFileURL.pathComponents
        if let root = repositoryRoot(forRecordAt: recordPath) {
            let rootComponents = URL(fileURLWithPath: root).standardizedFileURL.pathComponents
            if scenario.count > rootComponents.count, Array(scenario.prefix(rootComponents.count)) == rootComponents {
                return scenario.dropFirst(rootComponents.count).joined(separator: "/")
            }
        }
        var common = 0
        while common < min(scenario.count - 1, folder.count), scenario[common] == folder[common] { common += 1 }
        if common <= 1 { return "/" + scenario.dropFirst().joined(separator: "/") }  // nothing in common but "/"
        return (Array(repeating: "..", count: folder.count - common) + scenario.dropFirst(common)).joined(separator: "/")
    }

    /// The path of a linked scenario on disk, or `nil` when no folder has it.
    public func resolve(_ link: String, fromRecordAt recordPath: String) -> String? {
        if link.hasPrefix("/") { return FileManager.default.fileExists(atPath: link) ? link : nil }
        for folder in Self.searchFolders(forRecordAt: recordPath) {
            let candidate = (folder as NSString).appendingPathComponent(link)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), !isDirectory.boolValue { return candidate }
        }
        return nil
    }

    /// The SHA-256 of the file at a path on disk as it is now (read once), or `nil` when it cannot be read.
    public func sha256(_ path: String) -> String? {
        if let cached = hashes[path] { return cached }
        let hash = load(path).scenario?.source.sha256 ?? (try? FileText.readWithHash(path))?.sha256
        hashes[path] = hash
        return hash
    }

    /// The scenario at a path on disk (loaded once).
    public func load(_ path: String) -> ScenarioLoader.Result {
        if let cached = results[path] { return cached }
        let result = ScenarioLoader.check(path: path)
        results[path] = result
        return result
    }
}

/// Checks a decoded record's traceability and its links to the scenario and to other records.
struct RecordValidator {
    let record: Record
    let diagnostics: DiagnosticCollector
    let scenarios: ScenarioCache

    func error(_ at: SourceLocation, _ message: String, help: String? = nil) { diagnostics.error(at, message, help: help) }
    func warning(_ at: SourceLocation, _ message: String, help: String? = nil) { diagnostics.warning(at, message, help: help) }

    /// What validation found besides diagnostics.
    struct Outcome {
        /// The linked scenario, when it loaded.
        var scenario: Scenario?
        /// For each evidence entry (by index) whose scenario file was found, its SHA-256 now.
        var currentScenarioSHA256: [Int: String] = [:]
    }

    /// Runs every rule.
    func validate() -> Outcome {
        uniqueIDs()
        traceability()
        references()
        timeline()
        actionsAndStatus()
        relatedRecords()
        let scenario = scenarioLinks()
        return Outcome(scenario: scenario, currentScenarioSHA256: evidenceFreshness())
    }

    /// The file an evidence entry's scenario path names, looked up like the record's `scenario:`;
    /// a path that does not resolve (written from another folder) is taken as the linked
    /// scenario when the file names agree.
    private func scenarioFile(of entry: EvidenceEntry) -> String? {
        guard let stamp = entry.scenario else { return nil }
        if let found = scenarios.resolve(stamp.path, fromRecordAt: record.path) { return found }
        guard let link = record.scenario, PathParts(link.path).lastComponent == PathParts(stamp.path).lastComponent else { return nil }
        return scenarios.resolve(link.path, fromRecordAt: record.path)
    }

    /// Evidence that ran an earlier version of its scenario is stale: a warning at the entry.
    private func evidenceFreshness() -> [Int: String] {
        var current: [Int: String] = [:]
        for (index, entry) in record.evidence.enumerated() {
            guard let stamp = entry.scenario, let file = scenarioFile(of: entry), let now = scenarios.sha256(file) else { continue }
            current[index] = now
            guard now != stamp.sha256 else { continue }
            let rerun = entry.command.map { "re-run it (\($0)) and attach the new result" } ?? "re-run the command that produced it against the current scenario and attach the new result"
            warning(entry.location ?? record.location,
                    "evidence \(entry.id ?? "") is stale: it ran an earlier version of \(stamp.path) (sha256 \(stamp.sha256.prefix(12)) then, \(now.prefix(12)) now)",
                    help: "stale evidence does not verify actions; \(rerun)")
        }
        return current
    }

    private func uniqueIDs() {
        func check(_ items: [(String, SourceLocation)], what: String) {
            var seen: [String: SourceLocation] = [:]
            for (id, location) in items where !id.isEmpty {
                if let first = seen[id] {
                    error(location, "\(what) id '\(id)' is used twice", help: "first used at line \(first.line); each \(what) needs its own id")
                } else {
                    seen[id] = location
                }
            }
        }
        check(record.findings.map { ($0.id, $0.location) }, what: "finding")
        check(record.actions.map { ($0.id, $0.location) }, what: "action")
        check(record.evidence.compactMap { e in e.id.map { ($0, e.location ?? record.location) } }, what: "evidence")
        check(record.timeline.compactMap { t in t.id.map { ($0, t.location) } }, what: "timeline")
    }

    /// Every finding has an action or a `no_action` reason; every action has an owner, a due
    /// date, a finding and a metric.
    private func traceability() {
        for finding in record.findings {
            let actions = record.actions(for: finding.id)
            let reason = record.noAction(for: finding.id)
            if actions.isEmpty, reason == nil {
                error(finding.location, "finding \(finding.id) has no action and no no_action reason",
                      help: "add an action with 'finding: \(finding.id)', or a no_action entry {finding: \(finding.id), why: ...}")
            } else if !actions.isEmpty, let reason {
                warning(reason.location, "finding \(finding.id) has both actions (\(actions.map(\.id).joined(separator: ", "))) and a no_action reason",
                        help: "keep the no_action entry only for findings deliberately left without an action")
            }
        }
        for action in record.actions {
            var missing: [String] = []
            if action.owner == nil { missing.append("owner") }
            if action.due == nil { missing.append("due date") }
            if action.finding == nil { missing.append("finding") }
            if action.metric == nil { missing.append("metric") }
            if !missing.isEmpty {
                let list = missing.count == 1 ? missing[0] : missing.dropLast().joined(separator: ", ") + " and " + missing.last!
                error(action.location, "action \(action.id) has no \(list)",
                      help: "every action needs an owner, a due date (due: YYYY-MM-DD), the finding it addresses and a metric")
            }
        }
    }

    private func findingReference(_ reference: Reference, what: String) {
        guard record.finding(reference.id) == nil else { return }
        let known = record.findings.map(\.id)
        var help = "findings: " + Suggestions.list(known)
        if let suggestion = Suggestions.closest(to: reference.id, in: known) { help = "did you mean '\(suggestion)'? " + help }
        error(reference.location, "\(what) names finding '\(reference.id)', which does not exist", help: help)
    }

    private func references() {
        for action in record.actions {
            if let finding = action.finding { findingReference(finding, what: "action \(action.id)") }
        }
        for entry in record.noAction { findingReference(entry.finding, what: "a no_action entry") }
        for chain in record.analysis.fiveWhys { findingReference(chain.finding, what: "a five-whys chain") }
        for barrier in record.analysis.barriers {
            if let finding = barrier.finding { findingReference(finding, what: "barrier \(barrier.barrier)") }
        }
        let actionIDs = record.actions.map(\.id)
        for entry in record.evidence {
            if let action = entry.action, !actionIDs.contains(action) {
                var help = "actions: " + Suggestions.list(actionIDs)
                if let suggestion = Suggestions.closest(to: action, in: actionIDs) { help = "did you mean '\(suggestion)'? " + help }
                error(entry.location ?? record.location, "evidence \(entry.id ?? "") names action '\(action)', which does not exist", help: help)
            }
        }
    }

    private func timeline() {
        let ids = record.timeline.compactMap(\.id)
        for (index, entry) in record.timeline.enumerated() {
            if index > 0, entry.at.seconds < record.timeline[index - 1].at.seconds {
                warning(entry.at.location, "timeline entry at \(entry.at.text) comes before the entry above it",
                        help: "keep the timeline in time order; the event map links each entry to the one before it")
            }
            for cause in entry.causedBy ?? [] {
                guard let causeEntry = record.timeline.first(where: { $0.id == cause.id }) else {
                    var help = "timeline ids: " + Suggestions.list(ids)
                    if let suggestion = Suggestions.closest(to: cause.id, in: ids) { help = "did you mean '\(suggestion)'? " + help }
                    error(cause.location, "caused_by names timeline entry '\(cause.id)', which does not exist", help: help)
                    continue
                }
                if causeEntry.at.seconds > entry.at.seconds {
                    warning(cause.location, "timeline entry '\(cause.id)' is named as a cause but happens later (\(causeEntry.at.text))")
                }
            }
        }
    }

    private func actionsAndStatus() {
        for action in record.actions {
            if action.status == .done, action.closed == nil {
                warning(action.location, "action \(action.id) is done but has no 'closed' date",
                        help: "write closed: YYYY-MM-DD so the knowledge base can count its time to close and tell whether a repeat came after the fix")
            }
            if action.status.isOpen, let closed = action.closed {
                warning(closed.location, "action \(action.id) has a 'closed' date but its status is \(action.status.rawValue)")
            }
        }
        if record.status == .closed {
            let open = record.actions.filter { $0.status.isOpen }
            if !open.isEmpty {
                warning(record.location, "the record is closed but actions \(open.map(\.id).joined(separator: ", ")) are still open")
            }
        }
    }

    private func relatedRecords() {
        let folder = PathParts(record.path).directory
        for link in record.related {
            if link.postmortem == record.id {
                error(link.location, "the record is related to itself")
                continue
            }
            let candidates = ["yaml", "yml"].map { (folder as NSString).appendingPathComponent("\(link.postmortem).\($0)") }
            if !candidates.contains(where: { FileManager.default.fileExists(atPath: $0) }) {
                warning(link.location, "no record \(link.postmortem) next to this one", help: "looked for \(candidates[0]); records are named after their id")
            }
        }
    }

    /// The linked scenario must exist and be valid, and every control named must exist in it.
    private func scenarioLinks() -> Scenario? {
        let controlled = record.actions.filter { $0.control != nil }
        guard let link = record.scenario else {
            for action in controlled {
                error(action.control!.location, "action \(action.id) names control '\(action.control!.id)' but the record links no scenario",
                      help: "add scenario: PATH (the scenario file whose controls model the actions)")
            }
            return nil
        }
        guard let path = scenarios.resolve(link.path, fromRecordAt: record.path) else {
            let folders = ScenarioCache.searchFolders(forRecordAt: record.path)
            error(link.location, "scenario file '\(link.path)' does not exist",
                  help: "a relative path is looked up from the record's folder up to the repository root (\(folders.count) folder\(folders.count == 1 ? "" : "s") searched, from \(folders.first ?? ".")); fix the path or add the scenario")
            return nil
        }
        let result = scenarios.load(path)
        guard let scenario = result.scenario else {
            let errors = result.diagnostics.filter { $0.severity == .error }
            let first = errors.first.map { ": first, \($0.location): \($0.text)" } ?? ""
            error(link.location, "scenario '\(link.path)' is invalid (\(errors.count) error\(errors.count == 1 ? "" : "s"))\(first)",
                  help: "run gameday validate \(path)")
            return nil
        }
        let known = scenario.controls.map(\.id)
        for action in controlled {
            let control = action.control!
            guard let found = scenario.control(control.id) else {
                var help = "controls in \(link.path): " + Suggestions.list(known)
                if let suggestion = Suggestions.closest(to: control.id, in: known) { help = "did you mean '\(suggestion)'? " + help }
                error(control.location, "action \(action.id) names control '\(control.id)', which does not exist in scenario '\(scenario.id)'", help: help)
                continue
            }
            if let item = found.actionItem, let hash = item.firstIndex(of: "#") {
                let pm = String(item[..<hash]), actionID = String(item[item.index(after: hash)...])
                if pm == record.id, actionID != action.id {
                    warning(control.location, "control '\(control.id)' says it models \(item), not \(record.id)#\(action.id)",
                            help: "make the scenario's action_item and the record's control agree")
                }
            }
        }
        for entry in record.evidence {
            for control in entry.controls ?? [] where scenario.control(control) == nil && entry.scenario?.path == link.path {
                warning(entry.location ?? link.location, "evidence \(entry.id ?? "") names control '\(control)', which is no longer in scenario '\(scenario.id)'")
            }
        }
        let barrierIDs = scenario.barriers.map(\.id)
        for assessment in record.analysis.barriers where scenario.barrier(assessment.barrier) == nil {
            var help = "barriers in \(link.path): " + Suggestions.list(barrierIDs)
            if let suggestion = Suggestions.closest(to: assessment.barrier, in: barrierIDs) { help = "did you mean '\(suggestion)'? " + help }
            warning(assessment.location, "barrier '\(assessment.barrier)' is not a barrier of scenario '\(scenario.id)'", help: help)
        }
        if record.kind == .incident, let observed = scenario.observed?.postmortem, observed != record.id {
            warning(link.location, "scenario '\(scenario.id)' replays \(observed), not \(record.id)",
                    help: "its observed.postmortem names another record; link the scenario that models this incident")
        }
        return scenario
    }
}

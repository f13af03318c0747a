import Foundation
import GamedayModel

/// The records in a folder, for metrics, recurrence and actions across them (spec:
/// postmortem.md, "Knowledge base").
///
/// A record whose structure is sound is counted even when it fails traceability (a finding
/// without an action is exactly what the knowledge base should list); a record that cannot be
/// read is left out and listed under ``problems``.
public struct KnowledgeBase: Sendable {
    /// A record and what validation said about it.
    public struct Entry: Sendable {
        /// The record.
        public var record: Record
        /// Whether it passed validation.
        public var isValid: Bool
        /// Its linked scenario, when loaded.
        public var scenario: Scenario?
    }

    /// A file that could not be counted, or a record that is invalid.
    public struct Problem: Sendable {
        /// The file.
        public var path: String
        /// Its errors.
        public var diagnostics: [Diagnostic]
        /// Whether the record is still counted (its structure is sound).
        public var counted: Bool
    }

    /// The records counted, sorted by start time and id.
    public var entries: [Entry]
    /// Invalid records and unreadable files.
    public var problems: [Problem]

    /// The records counted.
    public var records: [Record] { entries.map(\.record) }

    /// Builds a knowledge base from records already loaded.
    public init(records: [Record]) {
        self.init(entries: records.map { Entry(record: $0, isValid: true, scenario: nil) }, problems: [])
    }

    init(entries: [Entry], problems: [Problem]) {
        self.entries = entries.sorted { a, b in
            let sa = a.record.times.started?.seconds ?? 0, sb = b.record.times.started?.seconds ?? 0
            return sa != sb ? sa < sb : a.record.id < b.record.id
        }
        self.problems = problems
    }

    /// Loads every record under a folder (`.yaml` and `.yml` files with a top-level
    /// `postmortem:`; other YAML files, such as scenarios, are skipped).
    public static func load(directory: String) -> KnowledgeBase {
        let manager = FileManager.default
        var files: [String] = []
        if let enumerator = manager.enumerator(atPath: directory) {
            for case let relative as String in enumerator {
                let components = relative.split(separator: "/")
                if components.contains(where: { $0.hasPrefix(".") }) { continue }
                if relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") {
                    files.append((directory as NSString).appendingPathComponent(relative))
                }
            }
        }
        files.sort()
        let scenarios = ScenarioCache()
        var entries: [Entry] = []
        var problems: [Problem] = []
        var seen: [String: String] = [:]
        for file in files {
            let root: YAMLNode?
            do {
                root = try YAMLParser.parse(fileAt: file)
            } catch {
                problems.append(Problem(path: file, diagnostics: error.diagnostics, counted: false))
                continue
            }
            guard let root, RecordLoader.isRecord(root) else { continue }
            let check = RecordLoader.check(root: root, path: file, scenarios: scenarios)
            let errors = check.diagnostics.filter { $0.severity == .error }
            guard let record = check.record else {
                problems.append(Problem(path: file, diagnostics: errors, counted: false))
                continue
            }
            if let first = seen[record.id] {
                problems.append(Problem(path: file, diagnostics: [Diagnostic(at: record.location, "record id \(record.id) is also used by \(first)",
                                                                            help: "each record needs its own id; this one is left out")], counted: false))
                continue
            }
            seen[record.id] = file
            if !errors.isEmpty { problems.append(Problem(path: file, diagnostics: errors, counted: true)) }
            entries.append(Entry(record: record, isValid: errors.isEmpty, scenario: check.scenario))
        }
        return KnowledgeBase(entries: entries, problems: problems)
    }

    /// The record with an id.
    public func record(_ id: String) -> Record? { entries.first { $0.record.id == id }?.record }

    /// `2025-Q3`: the calendar quarter (UTC) a record started in.
    public static func quarter(of record: Record) -> String? {
        guard let started = record.times.started else { return nil }
        let date = ISO8601.formatDate(started.seconds)
        guard let year = date.split(separator: "-").first, let month = Int(date.split(separator: "-")[1]) else { return nil }
        return "\(year)-Q\((month - 1) / 3 + 1)"
    }

    /// Findings with neither an action nor a `no_action` reason.
    public var findingsWithoutAction: [(record: Record, finding: Finding)] {
        records.flatMap { record in
            record.findings.filter { record.actions(for: $0.id).isEmpty && record.noAction(for: $0.id) == nil }.map { (record, $0) }
        }
    }
}

import Foundation
import GamedayModel

/// Appends evidence entries to postmortem records without rewriting what people wrote.
///
/// The record is never re-serialized: the new entry is inserted as text at the end of the
/// top-level `evidence:` list (found with libyaml's marks), so comments, key order, quoting,
/// line endings and every other byte of the file stay as they were. `evidence: []` (or an empty
/// or null value) becomes a block list; a non-empty flow list `[...]` gets a flow item; a record
/// without `evidence` gets the key at its end. The result is parsed again and the new entry read
/// back before anything is written, so an append never leaves a file that means something else.
///
/// Writes take an exclusive lock on the record (see ``append(_:toRecordAt:options:)``) and replace
/// the file atomically (temporary file, fsync, rename).
public enum EvidenceLog {
    /// How an append behaves.
    public struct Options: Sendable {
        /// How long to wait for another writer's lock, in seconds.
        public var lockTimeout: Double
        /// The time stamped on entries that have no `at`, in seconds since the epoch.
        public var now: @Sendable () -> Double
        /// Called after the new file is written and synced, before it replaces the record
        /// (a fault-injection point for tests; a throw abandons the append).
        public var beforeRename: (@Sendable (String) throws -> Void)?

        /// Creates options.
        public init(lockTimeout: Double = 10, now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
                    beforeRename: (@Sendable (String) throws -> Void)? = nil) {
            self.lockTimeout = lockTimeout
            self.now = now
            self.beforeRename = beforeRename
        }
    }

    /// Appends `entry` to the record file at `path`, under the record's lock, atomically.
    ///
    /// The entry's `id` is assigned when it is `nil` (`E` and one more than the highest number
    /// in the record, read under the lock, so concurrent writers get distinct ids) and its `at`
    /// when it is `nil`.
    ///
    /// - Returns: the entry as appended (with its id and time).
    /// - Throws: ``DiagnosticError`` when the record cannot be read or parsed, `evidence` is not a
    ///   list, the entry names an action the record does not have, the lock is not acquired in
    ///   time, or the write fails (the record is then unchanged).
    @discardableResult
    public static func append(_ entry: EvidenceEntry, toRecordAt path: String, options: Options = Options()) throws(DiagnosticError) -> EvidenceEntry {
        let lock = try RecordFileLock.acquire(path, timeout: options.lockTimeout)
        defer { lock.release() }
        let bytes = try lock.readAll(path: path)
        if bytes.count > YAMLLimits.default.maxBytes {
            throw AtomicFile.failure(path, "the record is \(bytes.count) bytes, larger than the limit of \(YAMLLimits.default.maxBytes)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw AtomicFile.failure(path, "the record is not valid UTF-8 text")
        }
        let (newBytes, appended) = try appendingBytes(entry, to: text, file: path, now: options.now())
        let hook = options.beforeRename
        try AtomicFile.replace(path, with: newBytes, mode: lock.mode, beforeRename: hook.map { h in { try h($0) } })
        return appended
    }

    /// The record text with `entry` appended (no file is touched).
    ///
    /// - Returns: the new text and the entry as appended (with its id and time).
    public static func appending(_ entry: EvidenceEntry, to text: String, file: String = "<record>",
                                 now: Double = Date().timeIntervalSince1970) throws(DiagnosticError) -> (text: String, entry: EvidenceEntry) {
        let (bytes, appended) = try appendingBytes(entry, to: text, file: file, now: now)
        return (String(decoding: bytes, as: UTF8.self), appended)
    }

    static func appendingBytes(_ proposed: EvidenceEntry, to text: String, file: String, now: Double) throws(DiagnosticError) -> ([UInt8], EvidenceEntry) {
        let start = SourceLocation(file: file, line: 1, column: 1)
        guard let root = try YAMLParser.parse(text, file: file), RecordLoader.isRecord(root) else {
            throw DiagnosticError(Diagnostic(at: start, "not a postmortem record (no 'postmortem:' key at the top level)",
                                             help: "evidence is appended to records; gameday postmortem new writes one"))
        }
        let existing = root["evidence"]?.sequence ?? []
        let usedNumbers = existing.compactMap { $0["id"]?.scalar.flatMap { EvidenceEntry.number(of: $0.text) } }
        var entry = proposed.normalized()
        if let id = entry.id {
            guard let number = EvidenceEntry.number(of: id) else {
                throw DiagnosticError(Diagnostic(at: start, "evidence id '\(id)' is not E followed by a number", help: "leave the id out and gameday numbers it"))
            }
            if usedNumbers.contains(number) {
                throw DiagnosticError(Diagnostic(at: start, "the record already has evidence \(id)", help: "leave the id out and gameday numbers it"))
            }
        } else {
            entry.id = "E\((usedNumbers.max() ?? 0) + 1)"
        }
        if entry.at == nil { entry.at = ISO8601.format(now) }
        if let at = entry.at, ISO8601.parse(at) == nil {
            throw DiagnosticError(Diagnostic(at: start, "evidence time '\(at)' is not an ISO-8601 date and time with a zone", help: "write, e.g., 2025-07-20T10:02:11Z, or leave it out for now"))
        }
        if let action = entry.action {
            let actionIDs = (root["actions"]?.sequence ?? []).compactMap { $0["id"]?.scalar?.text }
            if !actionIDs.contains(action) {
                var help = "actions in the record: " + Suggestions.list(actionIDs)
                if let suggestion = Suggestions.closest(to: action, in: actionIDs) { help = "did you mean '\(suggestion)'? " + help }
                throw DiagnosticError(Diagnostic(at: root["actions"]?.location ?? start, "the record has no action '\(action)'", help: help))
            }
        }

        let layout = try EvidenceLayout(text: text, file: file)
        let bytes = layout.bytes
        let nl = layout.lineBreak
        let value = YAMLValue.map(entry.fields)
        func block(dash: Int, offset: Int) -> String {
            YAMLEmitter.blockListItem(value, dashIndent: dash, contentOffset: offset, allowFlow: false).map { $0 + nl }.joined()
        }
        func endsWithBreak(_ upTo: Int) -> Bool { upTo == 0 || bytes[upTo - 1] == 10 || bytes[upTo - 1] == 13 }
        var result: [UInt8]
        switch layout.shape {
        case .absent(let at):
            var insertion = endsWithBreak(at) ? "" : nl
            insertion += "evidence:" + nl + block(dash: 2, offset: 2)
            result = Array(bytes[..<at]) + Array(insertion.utf8) + Array(bytes[at...])
        case .empty(let removeStart, let removeEnd, let at):
            let insertion = (endsWithBreak(at) ? "" : nl) + block(dash: 2, offset: 2)
            result = Array(bytes[..<removeStart]) + Array(bytes[removeEnd..<at]) + Array(insertion.utf8) + Array(bytes[at...])
        case .flow(let at):
            result = Array(bytes[..<at]) + Array((", " + YAMLEmitter.flow(value)).utf8) + Array(bytes[at...])
        case .block(let at, let dash, let offset):
            let insertion = (endsWithBreak(at) ? "" : nl) + block(dash: dash, offset: offset)
            result = Array(bytes[..<at]) + Array(insertion.utf8) + Array(bytes[at...])
        }
        try verify(result, file: file, expectedCount: existing.count + 1, entry: entry)
        return (result, entry)
    }

    /// Reads the new text back: the evidence list must have one more entry, equal to `entry`.
    private static func verify(_ bytes: [UInt8], file: String, expectedCount: Int, entry: EvidenceEntry) throws(DiagnosticError) {
        let start = SourceLocation(file: file, line: 1, column: 1)
        func bug(_ what: String) -> DiagnosticError {
            DiagnosticError(Diagnostic(at: start, "gameday could not append the evidence without changing the record (\(what)); the record was not changed",
                                       help: "please report this with the record attached; meanwhile append the entry by hand"))
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let root: YAMLNode?
        do { root = try YAMLParser.parse(text, file: file) } catch { throw bug("the result does not parse: \(error.diagnostics.first?.text ?? "")") }
        guard let items = root?["evidence"]?.sequence, items.count == expectedCount, let last = items.last else {
            throw bug("the evidence list did not grow by one entry")
        }
        let collector = DiagnosticCollector()
        let decoded = EvidenceDecoder(reader: RecordReader(diagnostics: collector)).decode(last)
        let errors = collector.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty {
            // The entry itself breaks a rule (a share above 1, an interval upside down): say which, not "a bug".
            throw DiagnosticError(errors.map { d in
                Diagnostic(at: start, "evidence \(entry.id ?? "") was not appended: \(d.message); the record was not changed", help: d.help)
            })
        }
        guard let decoded else { throw bug("the new entry does not read back") }
        guard decoded == entry else { throw bug("the new entry reads back differently") }
    }
}

extension EvidenceEntry {
    /// The entry with its texts trimmed and empty texts dropped, as a record reads them back.
    func normalized() -> EvidenceEntry {
        func clean(_ s: String?) -> String? {
            guard let t = s?.trimmingCharacters, !t.isEmpty else { return nil }
            return t
        }
        var copy = self
        copy.id = clean(id)
        copy.at = clean(at)
        copy.engine = clean(engine)
        copy.action = clean(action)
        copy.check = clean(check)
        copy.drill = clean(drill)
        copy.command = clean(command)
        copy.note = clean(note)
        copy.controls = controls?.compactMap(clean)
        copy.missed = missed.compactMap(clean)
        copy.team = team.compactMap { member in clean(member.name).map { Participant(name: $0, role: clean(member.role)) } }
        if let scenario { copy.scenario = ScenarioStamp(path: scenario.path.trimmingCharacters, sha256: scenario.sha256.trimmingCharacters) }
        // Numbers as they will be written (six significant digits), so the entry reads back equal.
        if let result { copy.result = YAMLValue(json: .object(result)).json.object }
        return copy
    }
}

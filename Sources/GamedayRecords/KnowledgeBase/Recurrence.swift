import GamedayModel

/// Repeats across records: records that share a fingerprint or are linked `recurrence-of`.
///
/// Within a group, records are ordered by start time. An incident is a **repeat** when it links
/// `recurrence-of` to another record, or when an incident or near miss of its group started
/// before it (a drill is practice, not an occurrence). The recurrence rate of a category is the
/// share of its incidents that are repeats. A repeat **recurred after the fix** when every
/// action of the occurrence it repeats (the linked one, else the latest earlier one) other than
/// `wont-do` was done, and done before the repeat started where a `closed` date says when.
public struct RecurrenceReport: Sendable {
    /// One record in a group.
    public struct Member: Sendable, Hashable {
        /// The record's id.
        public var postmortem: String
        /// Its kind.
        public var kind: RecordKind
        /// Its category.
        public var category: String?
        /// When it started.
        public var started: String?
        /// The occurrence it repeats, when it is a repeat.
        public var repeatOf: String?
        /// Whether it came after the earlier occurrence's actions were all done.
        public var recurredAfterFix: Bool
        /// Whether it is a repeat.
        public var isRepeat: Bool { repeatOf != nil }
    }

    /// Records that are the same problem.
    public struct Group: Sendable, Hashable {
        /// The shared fingerprint (the first member's, when links joined different ones).
        public var fingerprint: String?
        /// The records, earliest first.
        public var members: [Member]
    }

    /// Repeats among the incidents of one category.
    public struct CategoryRate: Sendable, Hashable {
        /// The category.
        public var category: String
        /// Its incidents.
        public var incidents: Int
        /// Its incidents that are repeats.
        public var repeats: Int
        /// repeats / incidents.
        public var rate: Double { incidents == 0 ? 0 : Double(repeats) / Double(incidents) }
        /// Repeats that came after the fix.
        public var recurredAfterFix: Int
    }

    /// Groups of two or more records, in order of their first member.
    public var groups: [Group]
    /// Per category, sorted by name.
    public var byCategory: [CategoryRate]
    /// `recurrence-of` links to records that are not in the folder.
    public var danglingLinks: [(record: String, target: String)]

    /// The member entry of a record, when it belongs to a group.
    public func member(_ id: String) -> Member? {
        for group in groups { if let m = group.members.first(where: { $0.postmortem == id }) { return m } }
        return nil
    }

    /// Computes recurrence over a knowledge base.
    public init(_ kb: KnowledgeBase) {
        let records = kb.records
        var parent = Array(records.indices)
        func find(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        func union(_ a: Int, _ b: Int) { parent[find(a)] = find(b) }
        var byFingerprint: [String: Int] = [:]
        for (i, record) in records.enumerated() {
            guard let fp = record.fingerprint else { continue }
            if let j = byFingerprint[fp] { union(i, j) } else { byFingerprint[fp] = i }
        }
        let index = Dictionary(records.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var dangling: [(String, String)] = []
        for (i, record) in records.enumerated() {
            for link in record.related where link.relation == .recurrenceOf {
                if let j = index[link.postmortem] { union(i, j) } else { dangling.append((record.id, link.postmortem)) }
            }
        }
        var members: [Int: [Int]] = [:]
        for i in records.indices { members[find(i), default: []].append(i) }

        var groups: [Group] = []
        var memberByID: [String: Member] = [:]
        for (_, indices) in members where indices.count > 1 {
            let ordered = indices.sorted { a, b in
                let sa = records[a].times.started?.seconds ?? 0, sb = records[b].times.started?.seconds ?? 0
                return sa != sb ? sa < sb : records[a].id < records[b].id
            }
            var list: [Member] = []
            for (position, i) in ordered.enumerated() {
                let record = records[i]
                var earlier: Record?
                if let link = record.related.first(where: { $0.relation == .recurrenceOf }), let j = index[link.postmortem] {
                    earlier = records[j]
                } else if record.kind != .drill {
                    earlier = ordered[..<position].map { records[$0] }.last { $0.kind != .drill }
                }
                let after = earlier.map { Self.fixWasDone(in: $0, before: record) } ?? false
                let member = Member(postmortem: record.id, kind: record.kind, category: record.category, started: record.times.started?.text,
                                    repeatOf: record.kind == .drill ? nil : earlier?.id, recurredAfterFix: record.kind == .drill ? false : after)
                list.append(member)
                memberByID[record.id] = member
            }
            groups.append(Group(fingerprint: records[ordered[0]].fingerprint, members: list))
        }
        groups.sort { ($0.members.first?.started ?? "", $0.members.first?.postmortem ?? "") < ($1.members.first?.started ?? "", $1.members.first?.postmortem ?? "") }
        self.groups = groups
        self.danglingLinks = dangling

        var rates: [String: CategoryRate] = [:]
        for record in records where record.kind == .incident {
            let category = record.category ?? "uncategorized"
            var rate = rates[category] ?? CategoryRate(category: category, incidents: 0, repeats: 0, recurredAfterFix: 0)
            rate.incidents += 1
            if let member = memberByID[record.id], member.isRepeat {
                rate.repeats += 1
                if member.recurredAfterFix { rate.recurredAfterFix += 1 }
            }
            rates[category] = rate
        }
        byCategory = rates.values.sorted { $0.category < $1.category }
    }

    /// Whether every action of `earlier` (other than wont-do) was done before `later` started.
    static func fixWasDone(in earlier: Record, before later: Record) -> Bool {
        let relevant = earlier.actions.filter { $0.status != .wontDo }
        guard !relevant.isEmpty else { return false }
        let start = later.times.started?.seconds ?? .infinity
        return relevant.allSatisfy { action in
            guard action.status == .done else { return false }
            if let closed = action.closed { return closed.seconds <= start }
            return true
        }
    }
}

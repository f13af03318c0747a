import GamedayModel
import GamedayReports

/// The facts of one drill that a trainer's history needs (kept in the store, or taken from a
/// result).
public struct DrillSummary: Hashable, Sendable {
    /// One objective's verdict.
    public struct Objective: Hashable, Sendable {
        /// The rubric item's id.
        public var id: String
        /// The objective in words.
        public var objective: String
        /// The verdict.
        public var status: ObjectiveResult.Status
        /// The scored action, if any.
        public var action: String?
        /// The role the action is reserved for (nil: anyone; metric objectives belong to everyone).
        public var role: String?
        /// Points earned and available.
        public var points: Int, maxPoints: Int

        /// Creates an objective summary.
        public init(id: String, objective: String, status: ObjectiveResult.Status, action: String?, role: String?, points: Int, maxPoints: Int) {
            self.id = id
            self.objective = objective
            self.status = status
            self.action = action
            self.role = role
            self.points = points
            self.maxPoints = maxPoints
        }
    }

    /// The drill's id.
    public var id: String
    /// When it was held (ISO 8601).
    public var heldAt: String
    /// The scenario's id and title.
    public var scenarioID: String, scenarioTitle: String
    /// How it was run.
    public var mode: DrillMode
    /// The team.
    public var team: [Participant]
    /// The score.
    public var points: Int, maximum: Int
    /// The objectives.
    public var objectives: [Objective]

    /// Creates a summary.
    public init(id: String, heldAt: String, scenarioID: String, scenarioTitle: String, mode: DrillMode, team: [Participant],
                points: Int, maximum: Int, objectives: [Objective]) {
        self.id = id
        self.heldAt = heldAt
        self.scenarioID = scenarioID
        self.scenarioTitle = scenarioTitle
        self.mode = mode
        self.team = team
        self.points = points
        self.maximum = maximum
        self.objectives = objectives
    }

    /// The summary of a result held at `heldAt`.
    public init(_ r: DrillResult, heldAt: String) {
        self.init(id: r.id, heldAt: heldAt, scenarioID: r.scenario.id, scenarioTitle: r.scenario.title, mode: r.mode, team: r.team,
                  points: r.scorecard.points, maximum: r.scorecard.maximum,
                  objectives: r.scorecard.objectives.map {
                      Objective(id: $0.id, objective: $0.objective, status: $0.status, action: $0.action, role: $0.role, points: $0.points, maxPoints: $0.maxPoints)
                  })
    }
}

/// A trainee's progress per role: drills over time, the objectives missed most, and the
/// bundled scenarios that exercise them (the suggested next drills).
///
/// An objective counts for a participant when its action is open to anyone, is reserved for their
/// role, or it is an outcome (metric) objective: the team's result is everyone's.
///
/// Suggestions: the role's weak objectives are those late or missed at least once, ranked by
/// how often (missed counts 2, late 1). Each scenario with a drill is matched against the top
/// three: a rubric item with the same id scores 3, one scoring the same action id 2, and shared
/// keywords of the objective and action label (words of 4 letters or more, common words left
/// out) 1 each, at most 2; only rubric items the trainee's role may take count. A scenario's
/// score is the sum over weak objectives of the best item's match times the objective's weight.
/// Scenarios are ranked by score divided by one plus the times the trainee has played them (a
/// new scenario first, at equal match), then by id.
public struct TrainingProgress: Sendable {
    /// One drill in a trainee's history.
    public struct Entry: Hashable, Sendable {
        /// The drill.
        public var drill: String
        /// When it was held.
        public var heldAt: String
        /// The scenario's id and title.
        public var scenarioID: String, scenarioTitle: String
        /// The team's score.
        public var points: Int, maximum: Int
        /// The trainee's objectives (for their role): met, late, missed.
        public var met: Int, late: Int, missed: Int
    }

    /// An objective the trainee misses.
    public struct Weakness: Hashable, Sendable {
        /// The rubric id (shared across scenarios: `acknowledged`, `declared`, `comms`).
        public var id: String
        /// The objective as last written.
        public var objective: String
        /// Times missed, late, and applicable.
        public var missed: Int, late: Int, of: Int
        /// The scenarios in which it was missed or late.
        public var scenarios: [String]
    }

    /// A suggested next drill.
    public struct Suggestion: Hashable, Sendable {
        /// The scenario's id, title and file.
        public var scenarioID: String, title: String, path: String
        /// The weak objectives it exercises.
        public var exercises: [String]
        /// The match score.
        public var score: Int
        /// Times the trainee has played it.
        public var played: Int
    }

    /// One role of one trainee.
    public struct Role: Hashable, Sendable {
        /// The role.
        public var role: String
        /// Drills in time order.
        public var drills: [Entry]
        /// Weak objectives, most missed first.
        public var weaknesses: [Weakness]
        /// Suggested next drills.
        public var suggestions: [Suggestion]
    }

    /// One trainee.
    public struct Trainee: Hashable, Sendable {
        /// Their name.
        public var name: String
        /// Whether every drill of theirs shown was played by an anonymous participant (a drill
        /// without `--team`: the name is a role, not a person).
        public var anonymous: Bool = false
        /// Their roles, by name.
        public var roles: [Role]
    }

    /// Every trainee, by name.
    public var trainees: [Trainee]
    /// Drills left out because the participants that matched were anonymous (played without
    /// `--team`) and anonymous participants were not asked for.
    public var anonymousDrillsLeftOut: Int = 0

    /// Builds progress from drill summaries.
    ///
    /// - Parameters:
    ///   - drills: the drills (any order; sorted by time, then id).
    ///   - trainee: only this person (nil: everyone).
    ///   - role: only this role.
    ///   - includeAnonymous: also count anonymous participants (the default team of a drill run
    ///     without `--team`, named after its roles) as trainees.
    ///   - library: scenarios to suggest from, with their files.
    public init(drills: [DrillSummary], trainee: String? = nil, role: String? = nil, includeAnonymous: Bool = false,
                library: [(scenario: Scenario, path: String)] = []) {
        let ordered = drills.sorted { ($0.heldAt, $0.id) < ($1.heldAt, $1.id) }
        var byPerson: [String: [String: [DrillSummary]]] = [:]
        var named = Set<String>()
        var leftOut = Set<String>()
        for drill in ordered {
            var counted = false
            for member in drill.team {
                if let trainee, member.name != trainee { continue }
                if let role, member.role != role { continue }
                if member.anonymous && !includeAnonymous {
                    leftOut.insert(drill.id)
                    continue
                }
                counted = true
                if !member.anonymous { named.insert(member.name) }
                byPerson[member.name, default: [:]][member.role, default: []].append(drill)
            }
            if counted { leftOut.remove(drill.id) }
        }
        anonymousDrillsLeftOut = leftOut.count
        trainees = byPerson.keys.sorted().map { name in
            let roles = byPerson[name]!.keys.sorted().map { roleName -> Role in
                let drills = byPerson[name]![roleName]!
                return Self.role(roleName, drills: drills, library: library)
            }
            return Trainee(name: name, anonymous: !named.contains(name), roles: roles)
        }
    }

    /// The note on drills left out, if any.
    var leftOutNote: String? {
        guard anonymousDrillsLeftOut > 0 else { return nil }
        let drills = anonymousDrillsLeftOut == 1 ? "1 drill" : "\(anonymousDrillsLeftOut) drills"
        return "\(drills) played without --team (participants named after their roles) left out: --include-anonymous shows them."
    }

    static func applies(_ o: DrillSummary.Objective, to role: String) -> Bool {
        o.role == nil || o.role == role
    }

    static func role(_ role: String, drills: [DrillSummary], library: [(scenario: Scenario, path: String)]) -> Role {
        var entries: [Entry] = []
        var counts: [String: (missed: Int, late: Int, of: Int, objective: String, scenarios: [String])] = [:]
        var order: [String] = []
        for d in drills {
            let mine = d.objectives.filter { applies($0, to: role) && $0.status != .notApplicable }
            entries.append(Entry(drill: d.id, heldAt: d.heldAt, scenarioID: d.scenarioID, scenarioTitle: d.scenarioTitle, points: d.points, maximum: d.maximum,
                                 met: mine.filter { $0.status == .met }.count, late: mine.filter { $0.status == .late }.count,
                                 missed: mine.filter { $0.status == .missed }.count))
            for o in mine {
                if counts[o.id] == nil { order.append(o.id); counts[o.id] = (0, 0, 0, o.objective, []) }
                counts[o.id]!.of += 1
                counts[o.id]!.objective = o.objective
                if o.status == .missed { counts[o.id]!.missed += 1 }
                if o.status == .late { counts[o.id]!.late += 1 }
                if o.status == .missed || o.status == .late, !counts[o.id]!.scenarios.contains(d.scenarioID) { counts[o.id]!.scenarios.append(d.scenarioID) }
            }
        }
        let weaknesses = order.compactMap { id -> Weakness? in
            let c = counts[id]!
            guard c.missed + c.late > 0 else { return nil }
            return Weakness(id: id, objective: c.objective, missed: c.missed, late: c.late, of: c.of, scenarios: c.scenarios)
        }.sorted { (2 * $0.missed + $0.late, $1.id) > (2 * $1.missed + $1.late, $0.id) }
        let played = Dictionary(drills.map { ($0.scenarioID, 1) }, uniquingKeysWith: +)
        let suggestions = suggest(for: Array(weaknesses.prefix(3)), role: role, drills: drills, library: library, played: played)
        return Role(role: role, drills: entries, weaknesses: weaknesses, suggestions: suggestions)
    }

    static func suggest(for weak: [Weakness], role: String, drills: [DrillSummary], library: [(scenario: Scenario, path: String)], played: [String: Int]) -> [Suggestion] {
        guard !weak.isEmpty else { return [] }
        // The actions behind each weak objective, as the trainee met them.
        var weakActions: [String: Set<String>] = [:]
        var weakWords: [String: Set<String>] = [:]
        for w in weak { weakWords[w.id] = keywords(w.objective) }
        for d in drills {
            for o in d.objectives where weakWords[o.id] != nil {
                if let a = o.action { weakActions[o.id, default: []].insert(a) }
            }
        }
        var suggestions: [Suggestion] = []
        for (scenario, path) in library {
            guard let drill = scenario.drill else { continue }
            var score = 0
            var exercises: [String] = []
            for w in weak {
                var best = 0
                for item in drill.rubric {
                    let action = item.action.flatMap { drill.action($0.id) }
                    if let action, let reserved = action.role, reserved != role { continue }
                    var match = 0
                    if item.id == w.id { match += 3 }
                    if let a = item.action?.id, weakActions[w.id]?.contains(a) == true { match += 2 }
                    let words = keywords(item.objective + " " + (action?.label ?? ""))
                    match += min(2, words.intersection(weakWords[w.id] ?? []).count)
                    best = max(best, match)
                }
                if best > 0 {
                    score += best * (2 * w.missed + w.late)
                    exercises.append(w.id)
                }
            }
            guard score > 0 else { continue }
            suggestions.append(Suggestion(scenarioID: scenario.id, title: scenario.title, path: path, exercises: exercises, score: score, played: played[scenario.id] ?? 0))
        }
        // A scenario already played counts less each time: rank by score / (1 + times played).
        func rank(_ s: Suggestion) -> Double { Double(s.score) / Double(1 + s.played) }
        return Array(suggestions.sorted { (rank($1), $0.played, $0.scenarioID) < (rank($0), $1.played, $1.scenarioID) }.prefix(3))
    }

    static let commonWords: Set<String> = ["with", "that", "this", "from", "before", "after", "first", "your", "their", "them", "then",
                                           "what", "when", "into", "over", "last", "make", "take", "keep", "under", "quickly", "right"]

    /// Lowercased words of four letters or more, common words left out.
    static func keywords(_ text: String) -> Set<String> {
        var words = Set<String>()
        for raw in text.lowercased().split(whereSeparator: { !$0.isLetter }) where raw.count >= 4 {
            let word = String(raw)
            if !commonWords.contains(word) { words.insert(word) }
        }
        return words
    }

    // MARK: Output

    /// Text for a terminal.
    public func text(style: DrillStyle = .plain) -> String {
        guard !trainees.isEmpty else { return "No drills recorded for this selection." + (leftOutNote.map { " " + $0 } ?? "") }
        var lines: [String] = []
        for t in trainees {
            lines.append(style.bold(t.name) + (t.anonymous ? style.dim(" (anonymous: a drill without --team)") : ""))
            for r in t.roles {
                lines.append("  " + style.bold(r.role) + style.dim(" · \(r.drills.count) drill\(r.drills.count == 1 ? "" : "s")"))
                var table = TextTable(["held", "drill", "scenario", "score", "met", "late", "missed"], alignments: [.left, .left, .left, .right, .right, .right, .right])
                for e in r.drills {
                    table.add([String(e.heldAt.prefix(10)), e.drill, e.scenarioID, "\(e.points)/\(e.maximum)", "\(e.met)", "\(e.late)", "\(e.missed)"])
                }
                lines.append(table.render(indent: "    ", style: style.dim))
                if r.drills.count > 1 {
                    lines.append("    trend: " + r.drills.map { $0.maximum > 0 ? Format.percent(Double($0.points) / Double($0.maximum)) : "–" }.joined(separator: " → "))
                }
                if r.weaknesses.isEmpty {
                    lines.append("    " + style.good("no objective missed or late"))
                } else {
                    lines.append("    missed most:")
                    for w in r.weaknesses.prefix(5) {
                        lines.append("      " + style.bad(w.id) + ": “\(w.objective)” missed \(w.missed), late \(w.late) of \(w.of)" + style.dim(" (in \(w.scenarios.joined(separator: ", ")))"))
                    }
                }
                if !r.suggestions.isEmpty {
                    lines.append("    next drill:")
                    for s in r.suggestions {
                        lines.append("      " + style.accent(s.scenarioID) + " — \(s.title)" + style.dim(" (exercises \(s.exercises.joined(separator: ", "))\(s.played > 0 ? "; played \(s.played)×" : ""))"))
                    }
                }
            }
        }
        if let leftOutNote { lines.append(style.dim(leftOutNote)) }
        return lines.joined(separator: "\n")
    }

    /// Markdown.
    public func markdown() -> String {
        guard !trainees.isEmpty else { return "No drills recorded for this selection." + (leftOutNote.map { " " + $0 } ?? "") }
        var lines = ["# Drill history", ""]
        for t in trainees {
            for r in t.roles {
                lines.append("## \(t.name) — \(r.role)" + (t.anonymous ? " (anonymous)" : ""))
                lines.append("")
                var table = TextTable(["held", "drill", "scenario", "score", "met", "late", "missed"], alignments: [.left, .left, .left, .right, .right, .right, .right])
                for e in r.drills {
                    table.add([String(e.heldAt.prefix(10)), e.drill, e.scenarioID, "\(e.points)/\(e.maximum)", "\(e.met)", "\(e.late)", "\(e.missed)"])
                }
                lines.append(table.markdown())
                lines.append("")
                if !r.weaknesses.isEmpty {
                    lines.append("Missed most:")
                    lines.append("")
                    for w in r.weaknesses.prefix(5) {
                        lines.append("- `\(w.id)`: “\(w.objective)” missed \(w.missed), late \(w.late) of \(w.of) (in \(w.scenarios.joined(separator: ", ")))")
                    }
                    lines.append("")
                }
                if !r.suggestions.isEmpty {
                    lines.append("Suggested next drills:")
                    lines.append("")
                    for s in r.suggestions {
                        lines.append("- `\(s.scenarioID)` — \(s.title) (exercises \(s.exercises.joined(separator: ", ")))")
                    }
                    lines.append("")
                }
            }
        }
        if let leftOutNote { lines.append("_\(leftOutNote)_") }
        return lines.joined(separator: "\n")
    }

    /// JSON.
    public func json() -> JSONValue {
        var object = JSONObject()
        object["trainees"] = .array(trainees.map { t in
            var trainee: JSONObject = ["name": .string(t.name)]
            if t.anonymous { trainee["anonymous"] = .bool(true) }
            trainee["roles"] = .array(t.roles.map { r in
                [
                    "role": .string(r.role),
                    "drills": .array(r.drills.map { e in
                        ["drill": .string(e.drill), "held_at": .string(e.heldAt), "scenario": .string(e.scenarioID),
                         "score": ["points": .int(e.points), "max": .int(e.maximum)],
                         "objectives": ["met": .int(e.met), "late": .int(e.late), "missed": .int(e.missed)]]
                    }),
                    "missed_most": .array(r.weaknesses.map { w in
                        ["id": .string(w.id), "objective": .string(w.objective), "missed": .int(w.missed), "late": .int(w.late), "of": .int(w.of),
                         "scenarios": .array(w.scenarios.map { .string($0) })]
                    }),
                    "suggested_next": .array(r.suggestions.map { s in
                        ["scenario": .string(s.scenarioID), "title": .string(s.title), "path": .string(s.path),
                         "exercises": .array(s.exercises.map { .string($0) }), "score": .int(s.score), "played": .int(s.played)]
                    }),
                ]
            })
            return .object(trainee)
        })
        object["anonymous_drills_left_out"] = .int(anonymousDrillsLeftOut)
        return .object(object)
    }
}

import GamedayModel

/// One evidence entry: a result from a simulation, a replay, a check or a drill, appended to a
/// record's `evidence:` list by gameday (spec: postmortem.md, "Evidence").
///
/// An entry is reproducible from what it records: the scenario's path and SHA-256, the seed, the
/// number of trials, the engine version and the controls applied (and, as an addition, the
/// command line that produced it).
public struct EvidenceEntry: Hashable, Sendable {
    /// What produced an entry.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// `gameday whatif`: baseline against controls.
        case counterfactual
        /// `gameday replay`: the observed incident, factual and with controls.
        case replay
        /// `gameday drill`: a tabletop drill's score.
        case drill
        /// `gameday check`: a scenario check's verdict.
        case check
    }

    /// `E1`, `E2`, ...; `nil` asks the appender to number it after the highest id in the record.
    public var id: String?
    /// What produced it.
    public var kind: Kind
    /// When it was produced (ISO-8601, UTC). Provenance, not part of the result.
    public var at: String?
    /// The engine that produced it (`gameday 0.1.0`).
    public var engine: String?
    /// The scenario it ran, with the SHA-256 of the file's bytes.
    public var scenario: ScenarioStamp?
    /// The seed.
    public var seed: UInt64?
    /// The number of trials.
    public var trials: Int?
    /// The controls applied (written `control: X` for one, `controls: [...]` otherwise);
    /// `nil` when controls do not apply (drills).
    public var controls: [String]?
    /// The action this evidence is about.
    public var action: String?
    /// The check's name (check evidence).
    public var check: String?
    /// The drill run's id (drill evidence).
    public var drill: String?
    /// The drill's score.
    public var score: DrillScore?
    /// Who took part in the drill.
    public var team: [Participant]
    /// Rubric objectives the team missed.
    public var missed: [String]
    /// The command line that reproduces it (an addition).
    public var command: String?
    /// A remark.
    public var note: String?
    /// The numbers: `incident_probability: {baseline, variant, variant_ci95}`, `averted: {share, ci95}`, ...
    public var result: JSONObject?
    /// Where it was read from (ignored by equality).
    public var location: SourceLocation?
    /// The SHA-256 the entry's scenario file has now, when ``RecordLoader`` found the file
    /// (ignored by equality; never written). It differs from `scenario.sha256` when the
    /// scenario changed after the entry was produced: see ``isStale``.
    public var currentScenarioSHA256: String?

    /// Whether the entry ran an earlier version of its scenario file: the file's SHA-256 now
    /// differs from the one recorded. Stale evidence is shown as such and never verifies an
    /// action (docs/postmortems.md, "Stale evidence").
    public var isStale: Bool {
        guard let now = currentScenarioSHA256, let then = scenario?.sha256 else { return false }
        return now != then
    }

    /// Creates an entry.
    public init(id: String? = nil, kind: Kind, at: String? = nil, engine: String? = nil, scenario: ScenarioStamp? = nil,
                seed: UInt64? = nil, trials: Int? = nil, controls: [String]? = nil, action: String? = nil,
                check: String? = nil, drill: String? = nil, score: DrillScore? = nil, team: [Participant] = [],
                missed: [String] = [], command: String? = nil, note: String? = nil, result: JSONObject? = nil,
                location: SourceLocation? = nil) {
        self.id = id
        self.kind = kind
        self.at = at
        self.engine = engine
        self.scenario = scenario
        self.seed = seed
        self.trials = trials
        self.controls = controls
        self.action = action
        self.check = check
        self.drill = drill
        self.score = score
        self.team = team
        self.missed = missed
        self.command = command
        self.note = note
        self.result = result
        self.location = location
    }

    /// The number in an evidence id (`E12` gives 12), or `nil` when it is not `E` and digits.
    public static func number(of id: String) -> Int? {
        guard id.hasPrefix("E"), id.count > 1 else { return nil }
        let digits = id.dropFirst()
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(digits)
    }

    /// The single control, when exactly one was applied.
    public var control: String? { controls?.count == 1 ? controls![0] : nil }

    /// The entry as ordered key-value pairs, in the order it is written to a record.
    var fields: [(String, YAMLValue)] {
        var out: [(String, YAMLValue)] = []
        if let id { out.append(("id", .string(id))) }
        out.append(("kind", .string(kind.rawValue)))
        if let at { out.append(("at", .string(at))) }
        if let engine { out.append(("engine", .string(engine))) }
        if let scenario {
            out.append(("scenario", .map([("path", .string(scenario.path)), ("sha256", .string(scenario.sha256))])))
        }
        if let seed { out.append(("seed", .integer(String(seed)))) }
        if let trials { out.append(("trials", .integer(String(trials)))) }
        if let controls {
            if controls.count == 1 {
                out.append(("control", .string(controls[0])))
            } else {
                out.append(("controls", .list(controls.map { .string($0) })))
            }
        }
        if let action { out.append(("action", .string(action))) }
        if let check { out.append(("check", .string(check))) }
        if let drill { out.append(("drill", .string(drill))) }
        if let score {
            out.append(("score", .map([("points", .number(score.points)), ("max", .number(score.max))])))
        }
        if !team.isEmpty {
            out.append(("team", .list(team.map { member in
                var pairs: [(String, YAMLValue)] = [("name", .string(member.name))]
                if let role = member.role { pairs.append(("role", .string(role))) }
                return .map(pairs)
            })))
        }
        if !missed.isEmpty { out.append(("missed", .list(missed.map { .string($0) }))) }
        if let command { out.append(("command", .string(command))) }
        if let note { out.append(("note", .string(note))) }
        if let result { out.append(("result", YAMLValue(json: .object(result)))) }
        return out
    }

    /// The entry as JSON, with the same keys as in a record.
    public var json: JSONValue {
        var object = JSONObject()
        for (key, value) in fields { object[key] = value.json }
        return .object(object)
    }

    public static func == (lhs: EvidenceEntry, rhs: EvidenceEntry) -> Bool {
        lhs.id == rhs.id && lhs.kind == rhs.kind && lhs.at == rhs.at && lhs.engine == rhs.engine && lhs.scenario == rhs.scenario
            && lhs.seed == rhs.seed && lhs.trials == rhs.trials && lhs.controls == rhs.controls && lhs.action == rhs.action
            && lhs.check == rhs.check && lhs.drill == rhs.drill && lhs.score == rhs.score && lhs.team == rhs.team
            && lhs.missed == rhs.missed && lhs.command == rhs.command && lhs.note == rhs.note && lhs.result == rhs.result
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(kind)
        hasher.combine(at)
        hasher.combine(seed)
    }
}

/// The scenario an evidence entry ran: its path and the SHA-256 of its bytes.
public struct ScenarioStamp: Hashable, Sendable {
    /// The path as given to the command.
    public var path: String
    /// Lowercase hex SHA-256 of the file.
    public var sha256: String

    /// Creates a stamp.
    public init(path: String, sha256: String) {
        self.path = path
        self.sha256 = sha256
    }
}

/// A drill's score.
public struct DrillScore: Hashable, Sendable {
    /// Points earned.
    public var points: Double
    /// Points possible.
    public var max: Double

    /// Creates a score.
    public init(points: Double, max: Double) {
        self.points = points
        self.max = max
    }

    /// Points as a share of the maximum (0 when the maximum is 0).
    public var share: Double { max > 0 ? points / max : 0 }
}

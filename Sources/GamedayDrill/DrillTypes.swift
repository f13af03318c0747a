import Foundation
import GamedayModel

/// A person taking part in a drill, in one of the drill's roles.
public struct Participant: Hashable, Sendable, CustomStringConvertible {
    /// The person's name, as the facilitator types it (`alice`).
    public var name: String
    /// The role they play (one of the scenario's `drill.roles`).
    public var role: String
    /// Whether the participant stands for nobody in particular: the default team of a drill run
    /// without `--team` names each participant after their role (`ops`, `comms`). Such a
    /// participant is not a trainee, so `gameday history` leaves them out unless asked.
    public var anonymous: Bool

    /// Creates a participant.
    public init(name: String, role: String, anonymous: Bool = false) {
        self.name = name
        self.role = role
        self.anonymous = anonymous
    }

    /// `alice (incident-commander)`.
    public var description: String { "\(name) (\(role))" }

    /// Parses `alice:incident-commander,bob:ops`.
    ///
    /// - Returns: the participants, or a message saying what is wrong with the text.
    public static func parseTeam(_ text: String) -> Result<[Participant], DrillError> {
        var team: [Participant] = []
        for item in text.split(separator: ",") {
            let parts = item.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                return .failure(DrillError("'\(item)' is not NAME:ROLE", help: "write the team as alice:incident-commander,bob:ops"))
            }
            team.append(Participant(name: parts[0], role: parts[1]))
        }
        if team.isEmpty { return .failure(DrillError("the team is empty", help: "write the team as alice:incident-commander,bob:ops")) }
        return .success(team)
    }

    /// Checks a team against a drill: known roles, unique names.
    public static func check(_ team: [Participant], against drill: Drill) -> DrillError? {
        if team.isEmpty {
            return DrillError("the team is empty", help: drill.roles.isEmpty ? "the drill has no roles: add drill.roles to the scenario" : "give at least one NAME:ROLE")
        }
        var names = Set<String>()
        for member in team {
            guard !member.name.isEmpty, !member.name.contains(where: \.isWhitespace) else {
                return DrillError("'\(member.name)' is not a usable name", help: "a name is one word, like alice")
            }
            guard names.insert(member.name).inserted else {
                return DrillError("'\(member.name)' is on the team twice", help: "each person plays one role; give each a different name")
            }
            guard drill.roles.contains(member.role) else {
                var help = "roles: " + drill.roles.joined(separator: ", ")
                if let suggestion = Suggestions.closest(to: member.role, in: drill.roles) { help = "did you mean '\(suggestion)'? " + help }
                return DrillError("\(member.name)'s role '\(member.role)' is not a role of this drill", help: help)
            }
        }
        return nil
    }

    /// The team used when none is given: one anonymous participant per role, named after the role.
    public static func defaultTeam(for drill: Drill) -> [Participant] {
        drill.roles.map { Participant(name: $0, role: $0, anonymous: true) }
    }
}

/// A drill problem a person can fix: what is wrong and what is allowed.
public struct DrillError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, in plain words.
    public var message: String
    /// What is allowed instead, or a hint.
    public var help: String?

    /// Creates an error.
    public init(_ message: String, help: String? = nil) {
        self.message = message
        self.help = help
    }

    /// `message (help)`.
    public var description: String {
        if let help, !help.isEmpty { return "\(message) (\(help))" }
        return message
    }
}

/// One entry of a drill's event log: an input (an action asked for, a clock move, an undo, the
/// end, a hand-over) or what came of it (an action starting or finishing, an inject shown, a
/// modelled responder's step after a hand-over).
///
/// Inputs are what a replay feeds back in; the other entries are what the replay must reproduce.
public struct DrillLogEntry: Hashable, Sendable {
    /// The kinds of entries.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// Input: a participant asked to take an action (`do ACTION as NAME`).
        case action
        /// A queued action started (its participant became free).
        case started
        /// An action finished: its `reveals`, a mitigation's result.
        case done
        /// An inject was shown.
        case inject
        /// Input: the facilitator moved the clock (`advance`, `next`).
        case advance
        /// Input: the last queued action was withdrawn.
        case undo
        /// Input: the drill ended.
        case end
        /// Input: the modelled responders took over (`--model-from`).
        case handover
        /// A modelled responder's step after a hand-over.
        case model

        /// Whether a replay feeds this entry back in (rather than reproducing it).
        public var isInput: Bool {
            switch self {
            case .action, .advance, .undo, .end, .handover: return true
            case .started, .done, .inject, .model: return false
            }
        }
    }

    /// Simulated time, in seconds from t = 0.
    public var at: Double
    /// The kind.
    public var kind: Kind
    /// The participant (action, started, done, undo).
    public var by: String?
    /// Their role.
    public var role: String?
    /// The drill action's id.
    public var action: String?
    /// What was shown: the inject's text, the action's `reveals`, a modelled step's detail.
    public var text: String?
    /// The roles an inject was meant for (`nil`: everyone).
    public var to: [String]?
    /// For `advance`, the time the clock moved to; for an action that started, when it ends.
    public var until: Double?
    /// For an action asked for while its participant was busy: it waits its turn.
    public var queued: Bool = false
    /// For a finished mitigation: `worked` or `failed`.
    public var result: String?
    /// For `advance`, the facilitator's command (`advance` or `next`); for `model`, the event's
    /// address (`responders.primary-oncall.acknowledged`).
    public var command: String?

    /// Creates an entry.
    public init(at: Double, kind: Kind, by: String? = nil, role: String? = nil, action: String? = nil, text: String? = nil,
                to: [String]? = nil, until: Double? = nil, queued: Bool = false, result: String? = nil, command: String? = nil) {
        self.at = at
        self.kind = kind
        self.by = by
        self.role = role
        self.action = action
        self.text = text
        self.to = to
        self.until = until
        self.queued = queued
        self.result = result
        self.command = command
    }
}

/// How a drill was run: live in a terminal, from a script, or derived from an earlier drill's log.
public enum DrillMode: String, Hashable, Sendable, CaseIterable {
    /// A facilitator ran it in a terminal.
    case live
    /// A `drill_run` script ran it.
    case scripted
    /// Replayed from a log.
    case replay
    /// Replayed up to a time, then continued differently.
    case fork
    /// Replayed up to a time, then handed over to the modelled responders.
    case model
}

import GamedayModel
import GamedayReports
import GamedaySimulation

/// Terminal styling for drills: colors on a color terminal, plain text otherwise.
public struct DrillStyle: Sendable {
    /// Bold.
    public var bold: @Sendable (String) -> String
    /// Dim (times, hints).
    public var dim: @Sendable (String) -> String
    /// Good news (met, worked).
    public var good: @Sendable (String) -> String
    /// Bad news (missed, failed, penalties).
    public var bad: @Sendable (String) -> String
    /// Warnings (late, queued).
    public var warn: @Sendable (String) -> String
    /// What the team is shown (injects, reveals).
    public var accent: @Sendable (String) -> String

    /// Creates a style.
    public init(bold: @escaping @Sendable (String) -> String, dim: @escaping @Sendable (String) -> String,
                good: @escaping @Sendable (String) -> String, bad: @escaping @Sendable (String) -> String,
                warn: @escaping @Sendable (String) -> String, accent: @escaping @Sendable (String) -> String) {
        self.bold = bold
        self.dim = dim
        self.good = good
        self.bad = bad
        self.warn = warn
        self.accent = accent
    }

    /// No styling.
    public static let plain = DrillStyle(bold: { $0 }, dim: { $0 }, good: { $0 }, bad: { $0 }, warn: { $0 }, accent: { $0 })
}

/// The facilitator's console: reads one command line at a time and answers with text.
///
/// Commands: `status`, `actions`, `do ACTION [as NAME]`, `as NAME`, `advance DURATION`, `next`,
/// `log`, `undo`, `end`, `help`. The console only talks to a ``DrillSession``; reading lines
/// and writing text is the caller's (the CLI reads the terminal, tests feed strings).
public final class DrillConsole {
    /// The session driven.
    public let session: DrillSession
    /// The styling.
    public var style: DrillStyle
    /// Who `do` acts for when no `as NAME` is given (the last person named).
    public private(set) var speaker: Int = 0

    /// A command's answer.
    public struct Reply: Sendable {
        /// The text to print (may be empty).
        public var text: String
        /// Whether the drill has ended (print the scorecard next).
        public var ended: Bool
    }

    /// Creates a console on a session.
    public init(session: DrillSession, style: DrillStyle = .plain) {
        self.session = session
        self.style = style
    }

    /// The briefing, the team, and what is shown at the start.
    public func opening() -> String {
        let s = session
        var lines: [String] = []
        lines.append(style.bold("Drill: \(s.scenario.title)") + style.dim("  (\(s.scenario.id), seed \(s.seed), trial \(s.trial))"))
        lines.append("")
        for line in s.drill.briefing.trimmingSpaces.split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append("  " + line)
        }
        lines.append("")
        lines.append("Team: " + s.team.map(\.description).joined(separator: ", ")
            + (s.team.allSatisfy(\.anonymous) ? style.dim("  (no --team: anonymous, left out of `gameday history`)") : ""))
        lines.append(style.dim("The clock is simulated: it moves only with `advance DURATION` or `next`. Type `help` for the commands."))
        let shown = s.log.filter { $0.kind == .inject }
        if !shown.isEmpty {
            lines.append("")
            lines += shown.map(render)
        }
        return lines.joined(separator: "\n")
    }

    /// The prompt: simulated time and who is acting, e.g. `[12m00s] alice (incident-commander)> `.
    public func prompt() -> String {
        let who = session.team[speaker]
        return style.dim("[\(clock(session.now))]") + " " + style.bold(who.name) + style.dim(" (\(who.role))") + "> "
    }

    /// Handles one line.
    public func handle(_ line: String) -> Reply {
        let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let command = words.first?.lowercased() else { return Reply(text: "", ended: session.isEnded) }
        let args = Array(words.dropFirst())
        switch command {
        case "help", "?", "h":
            return reply(help())
        case "status", "s":
            return reply(status())
        case "actions", "a":
            return reply(actions())
        case "log", "l":
            let entries = session.log.filter { $0.kind != .advance }
            return reply(entries.isEmpty ? style.dim("  nothing has happened yet") : entries.map(render).joined(separator: "\n"))
        case "as":
            guard args.count == 1 else { return reply(problem("write as NAME, e.g. as \(session.team.last!.name)")) }
            guard let p = participant(args[0]) else { return reply(unknownName(args[0])) }
            speaker = p
            return reply(style.dim("  now acting as \(session.team[p])"))
        case "do":
            return doCommand(args)
        case "advance", "adv":
            guard args.count == 1 else { return reply(problem("write advance DURATION, e.g. advance 5m")) }
            switch Scalars.duration(args[0]) {
            case .success(let d):
                guard d > 0 else { return reply(problem("advance by more than 0m")) }
                let entries = session.advance(by: d)
                return reply(moved(entries))
            case .failure(let failure):
                return reply(problem("\(failure.message) (\(failure.help))"))
            }
        case "next", "n":
            let before = session.now
            let entries = session.next()
            var text = moved(entries)
            if !entries.contains(where: { $0.kind == .inject || $0.kind == .done }), !session.isEnded {
                text = style.dim("  nothing happened in \(Format.duration(session.now - before))") + (text.isEmpty ? "" : "\n" + text)
            }
            return reply(text)
        case "undo", "u":
            do {
                let entry = try session.undo()
                return reply(style.warn("  withdrawn: \(entry.by ?? "?")'s “\(label(entry.action))”"))
            } catch {
                return reply(problem(error.description))
            }
        case "end", "quit", "exit":
            session.end()
            return Reply(text: style.bold("  The drill ends at \(clock(session.now)).") + style.dim(" What is under way still completes while the trial runs to its horizon."), ended: true)
        default:
            var help = "commands: status, actions, do ACTION [as NAME], as NAME, advance DURATION, next, log, undo, end, help"
            if let suggestion = Suggestions.closest(to: command, in: ["status", "actions", "do", "as", "advance", "next", "log", "undo", "end", "help"]) {
                help = "did you mean '\(suggestion)'? " + help
            }
            return reply(problem("unknown command '\(command)' (\(help))"))
        }
    }

    func reply(_ text: String) -> Reply { Reply(text: text, ended: session.isEnded) }

    func problem(_ text: String) -> String { style.bad("  ✗ ") + text }

    func participant(_ name: String) -> Int? {
        session.participant(named: name) ?? session.team.firstIndex { $0.name.lowercased() == name.lowercased() }
    }

    func unknownName(_ name: String) -> String {
        var help = "the team: " + session.team.map(\.description).joined(separator: ", ")
        if let suggestion = Suggestions.closest(to: name, in: session.team.map(\.name)) { help = "did you mean '\(suggestion)'? " + help }
        return problem("nobody called '\(name)' is on the team (\(help))")
    }

    func doCommand(_ args: [String]) -> Reply {
        guard !args.isEmpty else { return reply(problem("write do ACTION [as NAME]; `actions` lists them")) }
        var actionWords = args
        var who = speaker
        if let asIndex = args.lastIndex(where: { $0.lowercased() == "as" }) {
            guard asIndex == args.count - 2 else { return reply(problem("write do ACTION as NAME")) }
            guard let p = participant(args[asIndex + 1]) else { return reply(unknownName(args[asIndex + 1])) }
            who = p
            actionWords = Array(args[..<asIndex])
        }
        guard actionWords.count == 1 else { return reply(problem("one action at a time: do ACTION [as NAME]")) }
        var id = actionWords[0]
        if let number = Int(id), number >= 1, number <= session.drill.actions.count { id = session.drill.actions[number - 1].id }
        do {
            let entries = try session.take(id, by: session.team[who].name)
            speaker = who
            return reply(entries.map(render).joined(separator: "\n"))
        } catch {
            return reply(problem(error.description))
        }
    }

    func moved(_ entries: [DrillLogEntry]) -> String {
        var lines = entries.filter { $0.kind != .advance }.map(render)
        if session.isEnded {
            lines.append(style.bold("  The trial reached its horizon (\(clock(session.now))): the drill ends."))
        } else {
            lines.append(style.dim("  the clock is at \(clock(session.now))"))
        }
        return lines.joined(separator: "\n")
    }

    func label(_ action: String?) -> String {
        guard let action else { return "?" }
        return session.drill.action(action)?.label ?? action
    }

    func clock(_ t: Double) -> String {
        let total = Int(t.rounded())
        let h = total / 3600, m = total % 3600 / 60, s = total % 60
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return h > 0 ? "\(h)h\(two(m))m\(two(s))s" : "\(m)m\(two(s))s"
    }

    /// One log entry as a line.
    public func render(_ e: DrillLogEntry) -> String {
        let time = style.dim(clock(e.at).leftPadded(to: 9))
        let who = e.by.map { name in e.role.map { "\(name) (\($0))" } ?? name } ?? ""
        switch e.kind {
        case .inject:
            var recipients = ""
            if let to = e.to {
                let names = session.team.filter { to.contains($0.role) }.map(\.name)
                recipients = style.dim("  → " + to.joined(separator: ", ") + (names.isEmpty ? " (nobody on the team)" : " (" + names.joined(separator: ", ") + ")"))
            }
            return "\(time)  " + style.accent("▸ " + (e.text ?? "")) + recipients
        case .action:
            if e.queued {
                return "\(time)  \(who) will " + style.bold("“\(label(e.action))”") + style.warn(" when free (busy now; `undo` withdraws it)")
            }
            return "\(time)  \(who) starts " + style.bold("“\(label(e.action))”") + duration(e)
        case .started:
            return "\(time)  \(who) starts " + style.bold("“\(label(e.action))”") + duration(e)
        case .done:
            var line = "\(time)  \(who) finished “\(label(e.action))”"
            if let result = e.result { line += result == "worked" ? style.good(": it worked") : style.bad(": it did not work") }
            if let text = e.text { line += "\n" + String(repeating: " ", count: 11) + style.accent("↳ " + text) }
            return line
        case .advance:
            return "\(time)  " + style.dim("clock → \(clock(e.until ?? e.at))")
        case .undo:
            return "\(time)  " + style.warn("\(who) withdrew “\(label(e.action))”")
        case .end:
            return "\(time)  " + style.bold("the drill ends")
        case .handover:
            return "\(time)  " + style.bold("the modelled responders take over")
        case .model:
            return "\(time)  " + style.dim("model: ") + (e.command ?? "") + (e.text.map { "  " + style.dim($0) } ?? "")
        }
    }

    /// Whether the team may be told when an action ends: only when its `takes` is a fixed
    /// duration. A mitigation attempt (`uses`) or a sampled `takes` lasts as long as it lasts; a
    /// real team does not know that up front, so the console says "in progress" and announces the
    /// finish when it comes. (The JSON log keeps the exact end, `until`.)
    func endIsKnown(_ action: String?) -> Bool {
        guard let action = action.flatMap({ session.drill.action($0) }) else { return true }
        guard action.uses == nil else { return false }
        switch action.takes {
        case nil, .constant?: return true
        default: return false
        }
    }

    func duration(_ e: DrillLogEntry) -> String {
        guard let until = e.until else { return "" }
        if until <= e.at { return "" }
        guard endIsKnown(e.action) else { return style.dim(" (in progress)") }
        return style.dim(" (busy until \(clock(until)))")
    }

    func status() -> String {
        let s = session
        var lines = [style.bold("  \(clock(s.now))") + style.dim(" of \(Format.duration(s.horizon)) · \(s.log.filter { $0.kind == .inject }.count) injects shown so far")]
        for p in s.status {
            var line = "  \(p.participant.description.rightPadded(to: 28)) "
            if let current = p.current {
                line += "busy: “\(label(current.action))” " + (endIsKnown(current.action) ? "until \(clock(current.endsAt))" : "(in progress)")
            } else {
                line += style.good("free")
            }
            if !p.queued.isEmpty { line += style.warn("; then " + p.queued.map { "“\(label($0))”" }.joined(separator: ", ")) }
            lines.append(line)
        }
        if s.isEnded { lines.append(style.bold("  the drill has ended")) }
        return lines.joined(separator: "\n")
    }

    func actions() -> String {
        let who = session.team[speaker]
        var table = TextTable(["#", "action", "what", "who", "takes"], alignments: [.right, .left, .left, .left, .left])
        for (i, action) in session.drill.actions.enumerated() {
            let takes: String
            if let uses = action.uses {
                takes = "as long as the \(uses.id) takes"
            } else if let t = action.takes {
                takes = describe(t)
            } else {
                takes = "a moment"
            }
            table.add(["\(i + 1)", action.id, action.label, action.role ?? "anyone", takes])
        }
        // Style whole lines after rendering: escape codes inside cells would break the alignment.
        var lines = table.render().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[0] = style.dim(lines[0])
        for (i, action) in session.drill.actions.enumerated() where action.role != nil && action.role != who.role {
            lines[i + 1] = style.dim(lines[i + 1])
        }
        return lines.joined(separator: "\n") + "\n" + style.dim("  do ACTION [as NAME]  (the number works too: do 1)")
    }

    func describe(_ d: TimeDistribution) -> String {
        switch d {
        case .constant(let c): return Format.duration(c)
        case .uniform(let a, let b): return "\(Format.duration(a))–\(Format.duration(b))"
        case .triangular(let a, let m, let b): return "\(Format.duration(a))–\(Format.duration(b)), usually \(Format.duration(m))"
        case .exponential(let mean): return "about \(Format.duration(mean))"
        case .lognormal(let median, let p90): return "usually \(Format.duration(median)), up to \(Format.duration(p90))"
        case .empirical(let values): return "\(Format.duration(values.first ?? 0))–\(Format.duration(values.last ?? 0))"
        }
    }

    func help() -> String {
        """
          status              the clock and what each person is doing
          actions             what the team can do (and who may)
          do ACTION [as NAME] take an action (as NAME, or as the last person named)
          as NAME             act as NAME from now on
          advance DURATION    move the clock, e.g. advance 5m
          next                move to the next inject or the next action finishing
          log                 everything so far
          undo                withdraw the last action that has not started
          end                 end the drill and score it
          help                this list
        """
    }
}

extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
    func rightPadded(to width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}

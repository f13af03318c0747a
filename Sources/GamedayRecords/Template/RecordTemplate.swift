import GamedayModel

/// Writes a new, minimal viable record: who, what, when, where, why and how, with `TODO`
/// placeholders (validation warns about each until it is replaced).
///
/// With a scenario, the record is pre-filled from it: title, category, services, the link to
/// the scenario, the times and timeline from its `observed` section, and a barrier analysis
/// from its observed pins (a barrier pinned not to work failed; one pinned to work, or whose
/// delay is pinned, held).
public enum RecordTemplate {
    /// The record text.
    ///
    /// - Parameters:
    ///   - id: the record's id (also its file name).
    ///   - kind: incident, drill or near miss.
    ///   - scenario: the scenario to pre-fill from, and the path to link it by (see
    ///     ``ScenarioCache/link(forScenarioAt:fromRecordAt:)`` for a path the loader finds again).
    ///   - owner: the accountable author, when known.
    ///   - now: seconds since the epoch, for the history entry (and `started` without a scenario).
    public static func text(id: String, kind: RecordKind = .incident, scenario: (scenario: Scenario, link: String)? = nil,
                            owner: String? = nil, now: Double) -> String {
        var lines: [String] = []
        func line(_ text: String, _ comment: String? = nil) {
            guard let comment else { lines.append(text); return }
            let pad = max(1, 36 - text.count)
            lines.append(text + String(repeating: " ", count: pad) + "# " + comment)
        }
        let s = scenario?.scenario
        let observed = s?.observed
        let started = observed?.started.flatMap { ISO8601.parse($0) }
        let startSeconds = started ?? (now / 60).rounded(.down) * 60
        func at(_ offset: Double) -> String { ISO8601.format(startSeconds + offset) }

        line("# Postmortem record (docs/postmortems.md): who, what, when, where, why and how.")
        line("# Fill in each placeholder (gameday postmortem validate lists what is left), then review.")
        line("postmortem: \(YAMLEmitter.string(id))", "stable id; also the file name")
        line("kind: \(kind.rawValue)", "incident | drill | near-miss")
        line("status: draft", "draft | in-review | published | closed")
        line("revision: 1", "goes up with each reviewed change")
        line("title: \(YAMLEmitter.string(s?.title ?? "TODO one line: what happened"))", "what")
        line("owner: \(YAMLEmitter.string(owner ?? "TODO"))", "who: the accountable author")
        if kind == .incident { line("severity: TODO", "SEV1 (worst) ... SEV4") }
        line("category: \(YAMLEmitter.string(s?.category ?? "TODO"))", "the taxonomy used for metrics and recurrence")
        let services = s.map(affectedServices) ?? []
        line("services: [" + (services.isEmpty ? "TODO" : services.map(YAMLEmitter.string).joined(separator: ", ")) + "]", "where")
        if kind != .drill {
            let fingerprint = s.map { scenario -> String in
                let injection = scenario.injections.first { $0.isScheduled }
                return [scenario.category ?? "TODO", injection?.target.id ?? "TODO", injection?.id ?? "TODO"].joined(separator: "/")
            } ?? "TODO"
            line("fingerprint: \(YAMLEmitter.string(fingerprint))", "normalized key that finds repeats")
        }
        if let link = scenario?.link { line("scenario: \(YAMLEmitter.string(link))", "its simulation model") }

        line("times:", "when: ISO-8601 with zone")
        line("  started: \(at(0))", started == nil ? "TODO when it started" : nil)
        var milestones: [(RecordMilestone, Double)] = []
        if let timeline = observed?.timeline {
            let mapping: [(Milestone, RecordMilestone)] = [(.detected, .detected), (.acknowledged, .acknowledged), (.mitigated, .mitigated), (.recovered, .resolved)]
            for (from, to) in mapping { if let offset = timeline[from] { milestones.append((to, offset)) } }
        }
        for (milestone, offset) in milestones { line("  \(milestone.rawValue): \(at(offset))") }
        if milestones.isEmpty, kind != .drill { line("  # detected, acknowledged, mitigated, resolved: add them as they are known") }

        line("impact:")
        line("  summary: TODO what users saw, how many, for how long")
        line("participants:", "who took part")
        line("  - {name: TODO, role: incident-commander}")

        line("timeline:", "how it unfolded")
        var entries: [(Double, String, String)] = []
        if let s {
            let triggers = s.injections.filter(\.isScheduled).map { "\($0.id) on \($0.target.id)" }
            entries.append((0, "trigger", "TODO what changed: " + (triggers.isEmpty ? "the trigger" : triggers.joined(separator: ", "))))
        } else {
            entries.append((0, "trigger", "TODO what started it"))
        }
        if let timeline = observed?.timeline {
            let kinds: [(Milestone, String, String)] = [(.detected, "detection", "Detected"), (.acknowledged, "acknowledgement", "Acknowledged"),
                                                        (.diagnosed, "diagnosis", "Diagnosed"), (.mitigated, "mitigation", "Mitigated"), (.recovered, "recovery", "Recovered")]
            for (milestone, kind, label) in kinds {
                if let offset = timeline[milestone] {
                    entries.append((offset, kind, "\(label) \(Scalars.formatDuration(offset)) after the start; TODO how"))
                }
            }
        }
        for (offset, kind, text) in entries.sorted(by: { $0.0 < $1.0 }) {
            line("  - {at: \(at(offset)), kind: \(kind), text: \(YAMLEmitter.string(text))}")
        }

        line("analysis:", "why")
        line("  five_whys: []", "{finding: F1, whys: [symptom, ..., root cause]}")
        let assessments = s.map(barrierAssessments) ?? []
        if assessments.isEmpty {
            line("  barriers: []", "{barrier, expected: prevent|detect|mitigate, state: held|failed|..., finding}")
        } else {
            line("  barriers:", "from the scenario's observed pins; add the finding each leads to")
            for (barrier, role, state) in assessments {
                line("    - {barrier: \(YAMLEmitter.string(barrier)), expected: \(role.rawValue), state: \(state.rawValue)}")
            }
        }
        line("findings: []", "{id: F1, kind, text}: each needs an action or a no_action reason")
        line("actions: []", "{id: A1, title, finding, kind, owner, due, status, metric, control}")
        line("no_action: []", "{finding, why}")
        line("related: []", "{postmortem: PM-..., relation: recurrence-of}")
        line("history:")
        line("  - {revision: 1, date: \(ISO8601.formatDate(now)), by: \(YAMLEmitter.string(owner ?? "TODO")), change: Created with gameday postmortem new}")
        line("evidence: []", "appended by gameday; see docs/postmortems.md")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Services with traffic and the targets of scheduled injections, in file order.
    static func affectedServices(_ scenario: Scenario) -> [String] {
        let targets = Set(scenario.injections.filter(\.isScheduled).map(\.target.id))
        return scenario.services.filter { $0.traffic != nil || targets.contains($0.id) }.map(\.id)
    }

    /// Barriers the observed pins say something about, in file order.
    static func barrierAssessments(_ scenario: Scenario) -> [(String, BarrierRole, BarrierState)] {
        guard let pins = scenario.observed?.pins else { return [] }
        var result: [(String, BarrierRole, BarrierState)] = []
        for barrier in scenario.barriers {
            let prefix = "barriers.\(barrier.id)."
            let mine = pins.filter { $0.address.base.hasPrefix(prefix) }
            guard !mine.isEmpty else { continue }
            let works = mine.filter { $0.address.base.hasPrefix(prefix + "works") }
            let failed = works.contains { if case .bool(false) = $0.value { return true }; return false }
            let role: BarrierRole
            switch barrier.kind {
            case .prevent: role = .prevent
            case .detect: role = .detect
            case .mitigate: role = .mitigate
            }
            result.append((barrier.id, role, failed ? .failed : .held))
        }
        return result
    }
}

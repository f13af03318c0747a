import GamedayModel

/// Decodes a record from its located YAML tree, reporting every structural problem.
///
/// Cross-references (traceability) are checked afterwards by ``RecordValidator``, so a record
/// whose only problems are missing links still decodes and the knowledge base can count it.
struct RecordDecoder {
    let reader: RecordReader
    let path: String

    init(diagnostics: DiagnosticCollector, path: String) {
        self.reader = RecordReader(diagnostics: diagnostics)
        self.path = path
    }

    func decode(_ root: YAMLNode) -> Record? {
        guard let f = reader.fields(root, .root, what: "the record") else { return nil }
        let record = Record(
            id: reader.identifier(f["postmortem"], what: "postmortem id", example: "PM-2025-014") ?? "",
            kind: reader.enumeration(f["kind"], RecordKind.self, what: "kind") ?? .incident,
            status: reader.enumeration(f["status"], RecordStatus.self, what: "status") ?? .draft,
            revision: reader.integer(f["revision"], what: "revision", minimum: 1),
            title: reader.text(f["title"], what: "title") ?? "",
            owner: reader.text(f["owner"], what: "owner") ?? "",
            severity: reader.text(f["severity"], what: "severity"),
            category: reader.text(f["category"], what: "category"),
            tags: reader.texts(f["tags"], what: "tags"),
            services: reader.texts(f["services"], what: "services"),
            fingerprint: reader.text(f["fingerprint"], what: "fingerprint"),
            scenario: f["scenario"].flatMap { node in reader.text(node, what: "scenario").map { ScenarioLink(path: $0, location: node.location) } },
            times: times(f["times"]),
            impact: f["impact"].flatMap(impact),
            participants: reader.list(f["participants"], what: "participants").compactMap { participant($0, object: .participant, what: "a participant") },
            timeline: reader.list(f["timeline"], what: "timeline").compactMap(timelineEntry),
            analysis: f["analysis"].map(analysis) ?? Analysis(),
            findings: reader.list(f["findings"], what: "findings").compactMap(finding),
            actions: reader.list(f["actions"], what: "actions").compactMap(action),
            noAction: reader.list(f["no_action"], what: "no_action").compactMap(noAction),
            related: reader.list(f["related"], what: "related").compactMap(related),
            history: reader.list(f["history"], what: "history").compactMap(history),
            guidance: f["guidance"].flatMap(guidance),
            evidence: reader.list(f["evidence"], what: "evidence").compactMap { EvidenceDecoder(reader: reader).decode($0) },
            path: path,
            location: root.location
        )
        if record.kind == .incident, f["severity"] == nil, f["postmortem"] != nil {
            reader.error(root.location, "an incident record is missing 'severity'", help: "the knowledge base groups incidents by severity: write, e.g., severity: SEV2")
        }
        if f["category"] == nil, f["postmortem"] != nil {
            reader.error(root.location, "the record is missing 'category'", help: "the knowledge base groups records by category: write, e.g., category: change-management")
        }
        if record.fingerprint == nil, record.kind != .drill, f["postmortem"] != nil {
            reader.warning(root.location, "the record has no 'fingerprint'", help: "repeats are found by fingerprint: write, e.g., fingerprint: config-push/checkout/wrong-endpoint")
        }
        if let node = f["postmortem"], !record.id.isEmpty {
            let base = PathParts(path).lastComponentWithoutExtension
            if base != record.id, !path.hasPrefix("<") {
                reader.warning(node.location, "the id '\(record.id)' differs from the file name '\(base)'", help: "a record's id is also its file name: rename the file to \(record.id).yaml")
            }
        }
        return record
    }

    // MARK: Sections

    private func times(_ node: YAMLNode?) -> RecordTimes {
        guard let node, let f = reader.fields(node, .times, what: "times") else { return RecordTimes() }
        var times = RecordTimes()
        for milestone in RecordMilestone.allCases {
            if let value = reader.timestamp(f[milestone.rawValue], what: "times.\(milestone.rawValue)") {
                times.values[milestone] = value
            }
        }
        // Times must be in order: each present milestone at or after every earlier one.
        let present = RecordMilestone.allCases.compactMap { m in times[m].map { (m, $0) } }
        for (i, (milestone, time)) in present.enumerated() where i > 0 {
            if let (earlier, earlierTime) = present[..<i].last(where: { $0.1.seconds > time.seconds }) {
                reader.error(time.location, "times.\(milestone.rawValue) (\(time.text)) is before times.\(earlier.rawValue) (\(earlierTime.text))",
                             help: "times go in order: started, detected, acknowledged, mitigated, resolved")
            }
        }
        return times
    }

    private func impact(_ node: YAMLNode) -> Impact? {
        guard let f = reader.fields(node, .impact, what: "impact") else { return nil }
        return Impact(summary: reader.text(f["summary"], what: "impact summary"),
                      failedRequests: reader.count(f["failed_requests"], what: "failed_requests"),
                      sloBudgetConsumed: reader.share(f["slo_budget_consumed"], what: "slo_budget_consumed"))
    }

    func participant(_ node: YAMLNode, object: RecordFormat.Object, what: String) -> Participant? {
        guard let f = reader.fields(node, object, what: what), let name = reader.text(f["name"], what: "name") else { return nil }
        return Participant(name: name, role: reader.text(f["role"], what: "role"))
    }

    private func timelineEntry(_ node: YAMLNode) -> TimelineEntry? {
        guard let f = reader.fields(node, .timelineEntry, what: "a timeline entry") else { return nil }
        let id = reader.identifier(f["id"], what: "timeline id", example: "T1")
        let at = reader.timestamp(f["at"], what: "timeline at")
        let kind = reader.enumeration(f["kind"], TimelineKind.self, what: "timeline kind")
        let text = reader.text(f["text"], what: "timeline text")
        let causes = f.written("caused_by") ? reader.references(f["caused_by"], what: "caused_by") : nil
        guard let at, let kind, let text else { return nil }
        return TimelineEntry(id: id, at: at, kind: kind, text: text, causedBy: causes, location: node.location)
    }

    private func analysis(_ node: YAMLNode) -> Analysis {
        guard let f = reader.fields(node, .analysis, what: "analysis") else { return Analysis() }
        let chains = reader.list(f["five_whys"], what: "five_whys").compactMap { item -> FiveWhys? in
            guard let g = reader.fields(item, .fiveWhys, what: "a five-whys chain") else { return nil }
            let finding = reader.reference(g["finding"], what: "finding")
            let whys = reader.texts(g["whys"], what: "whys")
            if g["whys"] != nil, whys.isEmpty { reader.error(g.keyLocation("whys"), "a five-whys chain needs at least one why") }
            guard let finding else { return nil }
            return FiveWhys(finding: finding, whys: whys, location: item.location)
        }
        let barriers = reader.list(f["barriers"], what: "barriers").compactMap { item -> BarrierAssessment? in
            guard let g = reader.fields(item, .barrier, what: "a barrier assessment") else { return nil }
            guard let barrier = reader.text(g["barrier"], what: "barrier") else { return nil }
            return BarrierAssessment(barrier: barrier,
                                     expected: reader.enumeration(g["expected"], BarrierRole.self, what: "expected"),
                                     state: reader.enumeration(g["state"], BarrierState.self, what: "state"),
                                     finding: reader.reference(g["finding"], what: "finding"),
                                     note: reader.text(g["note"], what: "note"),
                                     location: item.location)
        }
        return Analysis(fiveWhys: chains, barriers: barriers)
    }

    private func finding(_ node: YAMLNode) -> Finding? {
        guard let f = reader.fields(node, .finding, what: "a finding") else { return nil }
        guard let id = reader.identifier(f["id"], what: "finding id", example: "F1"), let text = reader.text(f["text"], what: "finding text") else { return nil }
        return Finding(id: id, kind: reader.text(f["kind"], what: "finding kind"), text: text, location: node.location)
    }

    private func action(_ node: YAMLNode) -> Action? {
        guard let f = reader.fields(node, .action, what: "an action") else { return nil }
        let id = reader.identifier(f["id"], what: "action id", example: "A1")
        let title = reader.text(f["title"], what: "action title")
        var metric: ActionMetric?
        if let m = f["metric"] {
            if m.scalar != nil {
                if let text = reader.text(m, what: "metric") { metric = ActionMetric(text: text, expectation: nil) }
            } else if let expectation = expectation(m, what: "metric") {
                metric = ActionMetric(text: expectation.description, expectation: expectation)
            }
        }
        if let v = f["verify"] {
            if metric?.expectation != nil {
                reader.error(f.keyLocation("verify"), "this action's metric is already machine-checkable; 'verify' is for a prose metric",
                             help: "keep either metric: {QUANTITY_below: VALUE} or a prose metric with verify: {QUANTITY_below: VALUE}")
            } else if let expectation = expectation(v, what: "verify") {
                metric = ActionMetric(text: metric?.text ?? expectation.description, expectation: expectation)
            }
        }
        var ticket: Ticket?
        if let t = f["ticket"] {
            if let scalar = t.scalar, !scalar.isNull {
                ticket = Ticket(system: nil, key: scalar.text, url: nil)
            } else if let g = reader.fields(t, .ticket, what: "ticket") {
                ticket = Ticket(system: reader.text(g["system"], what: "ticket system"), key: reader.text(g["key"], what: "ticket key"), url: reader.text(g["url"], what: "ticket url"))
            }
        }
        let action = Action(id: id ?? "", title: title ?? "",
                            finding: reader.reference(f["finding"], what: "finding"),
                            kind: reader.enumeration(f["kind"], ActionKind.self, what: "action kind"),
                            owner: reader.text(f["owner"], what: "owner"),
                            due: reader.date(f["due"], what: "due"),
                            status: actionStatus(f["status"]),
                            metric: metric,
                            control: reader.reference(f["control"], what: "control"),
                            ticket: ticket,
                            opened: reader.date(f["opened"], what: "opened"),
                            closed: reader.date(f["closed"], what: "closed"),
                            location: node.location)
        if let opened = action.opened, let closed = action.closed, closed.seconds < opened.seconds {
            reader.error(closed.location, "closed (\(closed.text)) is before opened (\(opened.text))")
        }
        guard id != nil, title != nil else { return nil }
        return action
    }

    private func actionStatus(_ node: YAMLNode?) -> ActionStatus {
        if let node, node.scalar?.text == "verified" {
            reader.error(node.location, "'verified' is not an action status a person writes",
                         help: "write done; gameday shows the action as verified when its evidence meets its metric (statuses: open, in-progress, done, wont-do)")
            return .done
        }
        return reader.enumeration(node, ActionStatus.self, what: "action status") ?? .open
    }

    /// A machine-checkable expectation: a one-key mapping `{QUANTITY_COMPARISON: VALUE}`.
    private func expectation(_ node: YAMLNode, what: String) -> MetricExpectation? {
        let example = "write, e.g., {incident_probability_below: 10%}, {averted_at_least: 70%} or {time_to_detect_p90_below: 10m}"
        guard let pairs = node.mapping, pairs.count == 1, let key = pairs[0].key.scalar?.text else {
            reader.error(node.location, "\(what) must be one QUANTITY_COMPARISON: VALUE pair, not \(node.kindDescription)", help: example)
            return nil
        }
        guard let value = pairs[0].value.scalar, !value.isNull else {
            reader.error(pairs[0].value.location, "\(what) \(key) needs a threshold", help: example)
            return nil
        }
        switch MetricExpectation.parse(key: key, value: value.text, at: pairs[0].key.location) {
        case .success(let expectation): return expectation
        case .failure(let failure):
            reader.error(pairs[0].key.location, "\(what): \(failure.message)", help: failure.help)
            return nil
        }
    }

    private func noAction(_ node: YAMLNode) -> NoAction? {
        guard let f = reader.fields(node, .noAction, what: "a no_action entry") else { return nil }
        guard let finding = reader.reference(f["finding"], what: "finding"), let why = reader.text(f["why"], what: "why") else { return nil }
        return NoAction(finding: finding, why: why, location: node.location)
    }

    private func related(_ node: YAMLNode) -> RelatedRecord? {
        guard let f = reader.fields(node, .related, what: "a related entry") else { return nil }
        guard let id = reader.identifier(f["postmortem"], what: "related postmortem", example: "PM-2025-003"),
              let relation = reader.enumeration(f["relation"], Relation.self, what: "relation") else { return nil }
        return RelatedRecord(postmortem: id, relation: relation, location: node.location)
    }

    private func history(_ node: YAMLNode) -> HistoryEntry? {
        guard let f = reader.fields(node, .history, what: "a history entry") else { return nil }
        return HistoryEntry(revision: reader.integer(f["revision"], what: "history revision", minimum: 1),
                            date: reader.date(f["date"], what: "history date"),
                            by: reader.text(f["by"], what: "history by"),
                            change: reader.text(f["change"], what: "history change"))
    }

    private func guidance(_ node: YAMLNode) -> Guidance? {
        guard let f = reader.fields(node, .guidance, what: "guidance") else { return nil }
        let runbooks = reader.list(f["runbooks"], what: "runbooks").compactMap { item -> RunbookChange? in
            if item.scalar != nil { return reader.text(item, what: "runbook").map { RunbookChange(runbook: $0, change: nil, url: nil) } }
            guard let g = reader.fields(item, .runbookChange, what: "a runbook change"), let name = reader.text(g["runbook"], what: "runbook") else { return nil }
            return RunbookChange(runbook: name, change: reader.text(g["change"], what: "runbook change"), url: reader.text(g["url"], what: "runbook url"))
        }
        return Guidance(lookFor: reader.texts(f["look_for"], what: "look_for"), steps: reader.texts(f["do"], what: "do"), runbooks: runbooks)
    }
}

/// Decodes evidence entries (from a record, or from an evidence file given to `postmortem attach`).
struct EvidenceDecoder {
    let reader: RecordReader

    /// Decodes one entry; `requireID` is false for entries that are about to be numbered.
    func decode(_ node: YAMLNode, requireID: Bool = true) -> EvidenceEntry? {
        guard let f = reader.fields(node, .evidence, what: "an evidence entry", optional: requireID ? [] : ["id"]) else { return nil }
        var id: String?
        if let idNode = f["id"], let text = reader.text(idNode, what: "evidence id") {
            if EvidenceEntry.number(of: text) == nil {
                reader.error(idNode.location, "evidence id '\(text)' is not E followed by a number", help: "gameday numbers evidence E1, E2, ...")
            } else {
                id = text
            }
        }
        guard let kind = reader.enumeration(f["kind"], EvidenceEntry.Kind.self, what: "evidence kind") else { return nil }
        var entry = EvidenceEntry(id: id, kind: kind, location: node.location)
        if let at = f["at"] {
            if let stamp = reader.timestamp(at, what: "evidence at") { entry.at = stamp.text }
        }
        entry.engine = reader.text(f["engine"], what: "engine")
        if let s = f["scenario"], let g = reader.fields(s, .evidenceScenario, what: "evidence scenario") {
            if let path = reader.text(g["path"], what: "scenario path"), let sha = reader.text(g["sha256"], what: "scenario sha256") {
                if EvidenceValueRules.isSHA256(sha) {
                    entry.scenario = ScenarioStamp(path: path, sha256: sha)
                } else {
                    reader.error(g["sha256"]!.location, "scenario sha256 '\(sha.prefix(80))' is not a SHA-256",
                                 help: "a SHA-256 is 64 lowercase hex digits (0-9, a-f), as gameday writes it; run the command again to get it")
                }
            }
        }
        entry.seed = reader.seed(f["seed"], what: "seed")
        entry.trials = reader.integer(f["trials"], what: "trials", minimum: 1)
        if f.written("control"), f.written("controls") {
            reader.error(f.keyLocation("controls"), "an evidence entry has either 'control' or 'controls', not both")
        } else if let c = f["control"] {
            entry.controls = reader.text(c, what: "control").map { [$0] }
        } else if f.written("controls") {
            entry.controls = reader.texts(f["controls"], what: "controls")
        }
        entry.action = reader.text(f["action"], what: "action")
        entry.check = reader.text(f["check"], what: "check")
        entry.drill = reader.text(f["drill"], what: "drill")
        if let s = f["score"], let g = reader.fields(s, .score, what: "score") {
            let points = reader.count(g["points"], what: "score points"), max = reader.count(g["max"], what: "score max")
            if let points, let max,
               EvidenceValueRules(reader: reader).score(points: (points, g["points"]!), max: (max, g["max"]!)) {
                entry.score = DrillScore(points: points, max: max)
            }
        }
        let decoder = RecordDecoder(reader: reader)
        entry.team = reader.list(f["team"], what: "team").compactMap { decoder.participant($0, object: .teamMember, what: "a team member") }
        entry.missed = reader.texts(f["missed"], what: "missed")
        entry.command = reader.text(f["command"], what: "command")
        entry.note = reader.text(f["note"], what: "note")
        if let r = f["result"] {
            if r.mapping != nil, case .object(let object) = JSONValue.fromYAML(r) {
                EvidenceValueRules(reader: reader).check(result: r)
                entry.result = object
            } else {
                reader.error(r.location, "evidence result must be a mapping, not \(r.kindDescription)", help: "write result: {incident_probability: {baseline: 0.93, variant: 0.18}}")
            }
        }
        return entry
    }
}

extension RecordDecoder {
    init(reader: RecordReader) {
        self.reader = reader
        self.path = ""
    }
}

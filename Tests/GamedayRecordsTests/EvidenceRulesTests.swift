import Foundation
import GamedayModel
import Testing
@testable import GamedayRecords

/// One evidence file that breaks a value rule, and the error expected at line:column.
struct EvidenceValueCase: CustomTestStringConvertible, Sendable {
    var name: String
    /// The lines after `kind: counterfactual` and `control: canary-deploys` (line 3 on).
    var body: String
    var line: Int
    var column: Int
    var message: String
    var help: String? = nil
    var testDescription: String { name }
}

let evidenceValueCases: [EvidenceValueCase] = [
    // Probabilities and shares lie in [0, 1].
    EvidenceValueCase(name: "share above 1", body: "result:\n  averted: {share: 1.5}", line: 4, column: 20,
                      message: "result.averted.share is 1.5, outside [0, 1]", help: "0% to 100%"),
    EvidenceValueCase(name: "share written as a percent number", body: "result:\n  averted: {share: 79}", line: 4, column: 20,
                      message: "result.averted.share is 79, outside [0, 1]", help: "did you mean 79%?"),
    EvidenceValueCase(name: "baseline probability above 1", body: "result:\n  incident_probability: {baseline: 2, variant: 0.3}", line: 4, column: 36,
                      message: "result.incident_probability.baseline is 2, outside [0, 1]"),
    EvidenceValueCase(name: "negative variant probability", body: "result:\n  incident_probability: {baseline: 0.9, variant: -0.3}", line: 4, column: 50,
                      message: "result.incident_probability.variant is -0.3, outside [0, 1]"),
    EvidenceValueCase(name: "percentage above 100%", body: "result:\n  new_harm: 150%", line: 4, column: 13,
                      message: "result.new_harm is 150%, outside [0, 1]"),
    EvidenceValueCase(name: "milestone probability", body: "result:\n  time_to_detect_probability: {estimate: 1.2}", line: 4, column: 42,
                      message: "result.time_to_detect_probability.estimate is 1.2, outside [0, 1]"),
    EvidenceValueCase(name: "probability that is not a number", body: "result:\n  averted: {share: lots}", line: 4, column: 20,
                      message: "result.averted.share 'lots' is not a number"),
    // Changes of probabilities lie in [-1, 1].
    EvidenceValueCase(name: "change of a probability below -1", body: "result:\n  incident_probability_change: {value: -0.5, ci95: [-1.2, -0.4]}", line: 4, column: 53,
                      message: "result.incident_probability_change.ci95[0] is -1.2, outside [-1, 1]"),
    // Intervals: two values, low <= high, containing the estimate.
    EvidenceValueCase(name: "interval upside down", body: "result:\n  averted: {share: 0.5, ci95: [0.9, 0.1]}", line: 4, column: 31,
                      message: "result.averted.ci95 runs from 0.9 down to 0.1: low is above high"),
    EvidenceValueCase(name: "interval with one value", body: "result:\n  incident_probability: {variant: 0.18, variant_ci95: [0.178]}", line: 4, column: 55,
                      message: "result.incident_probability.variant_ci95 has 1 value; an interval has two"),
    EvidenceValueCase(name: "interval that is not a list", body: "result:\n  incident_probability: {variant: 0.18, variant_ci95: 0.1}", line: 4, column: 55,
                      message: "result.incident_probability.variant_ci95 must be a list of two values"),
    EvidenceValueCase(name: "estimate outside its interval", body: "result:\n  incident_probability: {variant: 0.3, variant_ci95: [0.1, 0.2]}", line: 4, column: 35,
                      message: "variant 0.3 is outside its interval variant_ci95 [0.1, 0.2]"),
    EvidenceValueCase(name: "mean change outside its interval", body: "result:\n  failed_requests_mean_change: {value: -100, ci95: [-50, -20]}", line: 4, column: 40,
                      message: "value -100 is outside its interval ci95 [-50, -20]"),
    EvidenceValueCase(name: "duration interval upside down", body: "result:\n  time_to_mitigate_p50: {variant: 16m, variant_ci95: [20m, 10m]}", line: 4, column: 54,
                      message: "runs from 20m down to 10m"),
    EvidenceValueCase(name: "interval end that is not a number", body: "result:\n  failed_requests_mean: {variant: 5, variant_ci95: [a, 9]}", line: 4, column: 53,
                      message: "variant_ci95[0] 'a' is not a number, a duration or a percentage"),
    EvidenceValueCase(name: "nested interval too long", body: "result:\n  checks:\n    - {estimate: 5, ci95: [1, 2, 3]}", line: 5, column: 27,
                      message: "result.checks[0].ci95 has 3 values"),
    // Drill scores, scenario hashes, seeds and trials.
    EvidenceValueCase(name: "score above its max", body: "score: {points: 175, max: 100}", line: 3, column: 17,
                      message: "score points 175 is outside 0 to 100"),
    EvidenceValueCase(name: "score with no max", body: "score: {points: 0, max: 0}", line: 3, column: 25,
                      message: "score max must be above 0"),
    EvidenceValueCase(name: "negative score", body: "score: {points: -5, max: 10}", line: 3, column: 17,
                      message: "score points must be zero or more"),
    EvidenceValueCase(name: "sha256 not hex", body: "scenario: {path: s.yaml, sha256: nothex}", line: 3, column: 34,
                      message: "scenario sha256 'nothex' is not a SHA-256", help: "64 lowercase hex digits"),
    EvidenceValueCase(name: "sha256 in capitals", body: "scenario: {path: s.yaml, sha256: \(String(repeating: "AB", count: 32))}", line: 3, column: 34,
                      message: "is not a SHA-256"),
    EvidenceValueCase(name: "sha256 too short", body: "scenario: {path: s.yaml, sha256: c28c956e}", line: 3, column: 34,
                      message: "scenario sha256 'c28c956e' is not a SHA-256"),
    EvidenceValueCase(name: "negative seed", body: "seed: -1", line: 3, column: 7, message: "seed '-1' is not a whole number from 0 to"),
    EvidenceValueCase(name: "fractional seed", body: "seed: 4.2", line: 3, column: 7, message: "seed '4.2' is not a whole number"),
    EvidenceValueCase(name: "zero trials", body: "trials: 0", line: 3, column: 9, message: "trials must be at least 1, not 0"),
    EvidenceValueCase(name: "fractional trials", body: "trials: 2.5", line: 3, column: 9, message: "trials '2.5' is not a whole number"),
]

/// Result values that are within the rules (what gameday itself writes, and hand-written forms).
let acceptedResults = [
    "incident_probability: 18%",
    "incident_probability: {baseline: 0.93, variant: 0.18, variant_ci95: [0.178, 0.182]}",
    "incident_probability: {factual: 1, variant: 0, variant_ci95: [0, 0.001]}",
    "averted: {share: 1, ci95: [0.99, 1], of: 3722}",
    "averted: {share: 0.790003, ci95: [0.787, 0.79]}",  // six significant digits each: rounding slack
    "new_harm: {share: 0, ci95: [0, 0.00288]}",
    "incident_probability_change: {value: -0.75, ci95: [-0.76, -0.74]}",
    "incident_probability_change: {value: -75%, ci95: [-76%, -74%]}",
    "time_to_mitigate_mean_change: {value: -9m47s, ci95: [-10m34s, -9m]}",
    "time_to_detect_p90: {estimate: 700, ci95: [650, null], expected: below, threshold: 900, status: pass}",
    "slo_budget_consumed_mean: {baseline: 1.7, variant: 0.4, variant_ci95: [0.38, 0.42]}",
    "failed_requests_mean_change: {value: -31800, ci95: [-32100, -31500], n: 4000}",
    "milestones: {detected: {model: 31m, observed: 31m}}",
    "time_to_mitigate: 14m",
    "model_percentile: 0.64",
]

@Suite struct EvidenceValues {
    func entry(_ body: String) throws(DiagnosticError) -> EvidenceEntry {
        try EvidenceInput.entry(from: "kind: counterfactual\ncontrol: canary-deploys\n" + body + "\n", file: "ev.yaml")
    }

    @Test(arguments: evidenceValueCases)
    func refusedAtItsPlace(_ row: EvidenceValueCase) throws {
        do {
            _ = try entry(row.body)
            Issue.record("accepted: \(row.body)")
        } catch {
            let listing = error.diagnostics.map(\.description).joined(separator: "\n")
            let found = try #require(error.diagnostics.first { $0.message.contains(row.message) }, Comment(rawValue: "no error containing \"\(row.message)\" in:\n" + listing))
            #expect(found.severity == .error)
            #expect(found.location.file == "ev.yaml")
            #expect(found.location.line == row.line && found.location.column == row.column, "at \(found.location.line):\(found.location.column): \(found.description)")
            if let help = row.help { #expect(found.help?.contains(help) == true, "help: \(found.help ?? "none")") }
        }
    }

    @Test(arguments: acceptedResults)
    func accepted(_ result: String) throws {
        let decoded = try entry("result:\n  " + result)
        #expect(decoded.result != nil)
    }

    @Test func acceptedScoresAndStamps() throws {
        let drill = try EvidenceInput.entry(from: "kind: drill\nscore: {points: 0, max: 30}\nseed: 0\ntrials: 1\nscenario: {path: s.yaml, sha256: \(String(repeating: "0f", count: 32))}\n", file: "ev.yaml")
        #expect(drill.score == DrillScore(points: 0, max: 30))
        #expect(drill.scenario?.sha256.count == 64)
    }

    @Test func theReviewersEntryReportsEveryProblem() throws {
        do {
            _ = try entry("result: {averted: {share: 1.5, ci95: [0.9, 0.1]}, incident_probability: {baseline: 2, variant: -0.3}}")
            Issue.record("accepted")
        } catch {
            let messages = error.diagnostics.map(\.message)
            #expect(messages.count == 4, "\(messages)")
            #expect(messages.contains { $0.contains("averted.share is 1.5") })
            #expect(messages.contains { $0.contains("averted.ci95 runs from 0.9 down to 0.1") })
            #expect(messages.contains { $0.contains("baseline is 2") })
            #expect(messages.contains { $0.contains("variant is -0.3") })
        }
    }

    @Test func aRecordWithABadEntryIsInvalid() {
        let folder = TemporaryFolder()
        folder.addScenario()
        let text = baseRecord.replacingOccurrences(of: "evidence: []", with: "evidence: [{id: E1, kind: counterfactual, result: {averted: {share: 1.5}}}]")
        let result = RecordLoader.check(path: folder.write("postmortems/PM-2025-014.yaml", text))
        #expect(!result.isValid)
        let error = result.diagnostics.first { $0.severity == .error }
        #expect(error?.message == "result.averted.share is 1.5, outside [0, 1]")
        #expect(error?.location.line == 27 && error?.location.column == 69, "\(error?.description ?? "")")
    }

    @Test func anEntryBuiltInCodeIsNotAppended() {
        var bad = sampleEntry(action: "A1")
        bad.result = ["averted": ["share": 1.5]]
        #expect(throws: DiagnosticError.self) { try EvidenceLog.appending(bad, to: handWrittenRecord) }
        do {
            _ = try EvidenceLog.appending(bad, to: handWrittenRecord)
        } catch {
            #expect(error.diagnostics.first?.message.contains("was not appended: result.averted.share is 1.5, outside [0, 1]; the record was not changed") == true,
                    "\(error.diagnostics)")
        }
    }

    @Test func drillsBelowZeroOrWithoutPointsStillRecord() throws {
        let negative: JSONValue = ["drill": "D-1", "score": ["points": -10, "max": 30]]
        let entry = try EvidenceBuilder.drill(fromDrill: negative)
        #expect(entry.score == DrillScore(points: 0, max: 30))
        #expect(entry.note?.contains("-10") == true)
        let unscored = try EvidenceBuilder.drill(fromDrill: ["drill": "D-2", "score": ["points": 0, "max": 0]])
        #expect(unscored.score == nil)
        for built in [entry, unscored] {
            #expect(throws: Never.self) { try EvidenceLog.appending(built, to: handWrittenRecord) }
        }
    }

    @Test func attachValidateAndRenderRefuseTheReviewersEntry() throws {
        let (_, folder) = try exampleKnowledgeBase()
        let record = "postmortems/PM-2025-014.yaml"
        let before = folder.bytes(record)
        folder.write("ev.yaml", "kind: counterfactual\ncontrol: canary-deploys\nresult: {averted: {share: 1.5, ci95: [0.9, 0.1]}, incident_probability: {baseline: 2, variant: -0.3}}\n")
        let attach = try runGameday(["postmortem", "attach", record, "--evidence", "ev.yaml", "--action", "A2"], in: folder.path)
        #expect(attach.status == 1)
        #expect(attach.stderr.contains("ev.yaml:3:27: error: result.averted.share is 1.5, outside [0, 1]"), "\(attach.stderr)")
        #expect(folder.bytes(record) == before)
        // Written by hand instead: every command that reads the record refuses it.
        let text = String(decoding: before, as: UTF8.self) + "  - {id: E99, kind: counterfactual, control: canary-deploys, result: {averted: {share: 79}}}\n"
        folder.write(record, text)
        for arguments in [["postmortem", "validate", record], ["validate", record]] {
            let run = try runGameday(arguments, in: folder.path)
            #expect(run.status == 1, "\(arguments)")
            #expect(run.stdout.contains("result.averted.share is 79, outside [0, 1]"), "\(run.stdout)")
        }
        let render = try runGameday(["postmortem", "render", record, "--audience", "exec"], in: folder.path)
        #expect(render.status == 1)
        #expect(!render.stdout.contains("averts 7,900%"))
    }
}

/// Evidence that ran an earlier version of its scenario.
@Suite struct StaleEvidence {
    /// A repository with the scenario and a done action whose evidence meets its metric.
    func repository(evidencePath: String = "scenarios/checkout-config-push.yaml") throws -> TemporaryFolder {
        let folder = TemporaryFolder()
        folder.addScenario()
        let sha = try FileText.readWithHash(folder.file("scenarios/checkout-config-push.yaml")).sha256
        let entry = """
          - id: E1
            kind: counterfactual
            scenario: {path: \(evidencePath), sha256: \(sha)}
            seed: 42
            trials: 4000
            control: canary-deploys
            action: A2
            command: gameday whatif scenarios/checkout-config-push.yaml --controls canary-deploys --seed 42
            result:
              incident_probability: {baseline: 0.93, variant: 0.05, variant_ci95: [0.04, 0.06]}
        """
        let text = baseRecord
            .replacingOccurrences(of: "    control: canary-deploys\n", with: "    control: canary-deploys\n    status: done\n    closed: 2025-09-01\n")
            .replacingOccurrences(of: "evidence: []\n", with: "evidence:\n" + entry + "\n")
        folder.write("postmortems/PM-2025-014.yaml", text)
        return folder
    }

    func changeScenario(_ folder: TemporaryFolder) {
        folder.write("scenarios/checkout-config-push.yaml", folder.read("scenarios/checkout-config-push.yaml") + "# tuned after the review\n")
    }

    @Test(arguments: ["scenarios/checkout-config-push.yaml", "../scenarios/checkout-config-push.yaml", "/elsewhere/scenarios/checkout-config-push.yaml"])
    func staleEvidenceWarnsAndDoesNotVerify(_ evidencePath: String) throws {
        let folder = try repository(evidencePath: evidencePath)
        let path = folder.file("postmortems/PM-2025-014.yaml")
        let fresh = RecordLoader.check(path: path)
        #expect(fresh.isValid && fresh.diagnostics.isEmpty, "\(fresh.diagnostics)")
        let freshRecord = try #require(fresh.record)
        #expect(freshRecord.evidence[0].currentScenarioSHA256 != nil && !freshRecord.evidence[0].isStale)
        #expect(ActionVerification.evaluate(freshRecord)[0].state == .verified)

        changeScenario(folder)
        let stale = RecordLoader.check(path: path)
        #expect(stale.isValid, "stale evidence is a warning, not an error")
        let warning = try #require(stale.diagnostics.first { $0.message.contains("is stale") })
        #expect(warning.severity == .warning)
        #expect(warning.location.line == 30 && warning.location.column == 5, "\(warning.description)")
        #expect(warning.message.contains("evidence E1 is stale: it ran an earlier version of \(evidencePath)"))
        #expect(warning.help?.contains("gameday whatif scenarios/checkout-config-push.yaml --controls canary-deploys --seed 42") == true)
        let record = try #require(stale.record)
        #expect(record.evidence[0].isStale)
        let verification = ActionVerification.evaluate(record)[0]
        #expect(verification.state == .stale && !verification.isVerified)
        #expect(verification.reading?.verdict == .met, "the reading is kept, for the report")
    }

    @Test func reportsSayTheEvidenceIsFromAnEarlierScenario() throws {
        let folder = try repository()
        changeScenario(folder)
        let check = RecordLoader.check(path: folder.file("postmortems/PM-2025-014.yaml"))
        let record = try #require(check.record)
        let exec = RecordReport.render(record, audience: .exec, format: .markdown, scenario: check.scenario, asOf: asOf)
        #expect(!exec.contains("today"))
        #expect(exec.contains("An earlier version of the scenario put the chance that this failure becomes an incident at 93%"))
        #expect(exec.contains("evidence is stale: re-run gameday whatif scenarios/checkout-config-push.yaml --controls canary-deploys --seed 42"))
        #expect(exec.contains("(E1, from an earlier version of the scenario)"))
        #expect(exec.contains("not known until the evidence is re-run"))
        #expect(exec.contains("0 verified by evidence"))
        #expect(!exec.contains(": met"))
        let engineering = RecordReport.render(record, audience: .engineering, format: .markdown, scenario: check.scenario, asOf: asOf)
        #expect(engineering.contains("evidence is stale: E1 ran an earlier version of the scenario scenarios/checkout-config-push.yaml"))
        #expect(engineering.contains("counterfactual (stale:"))
        let kb = KnowledgeBase.load(directory: folder.file("postmortems"))
        let actions = ActionsReport(kb, asOf: asOf)
        #expect(actions.counts.verified == 0)
        #expect(actions.rows[0].verification.state == .stale)
        #expect(actions.text.contains("evidence is stale"))
    }

    @Test func aFreshEntryAfterAStaleOneDecides() throws {
        let folder = try repository()
        changeScenario(folder)
        let path = folder.file("postmortems/PM-2025-014.yaml")
        let sha = try FileText.readWithHash(folder.file("scenarios/checkout-config-push.yaml")).sha256
        var rerun = sampleEntry(action: "A2")
        rerun.scenario = ScenarioStamp(path: "scenarios/checkout-config-push.yaml", sha256: sha)
        rerun.result = ["incident_probability": ["baseline": 0.93, "variant": 0.06, "variant_ci95": [0.05, 0.07]]]
        try EvidenceLog.append(rerun, toRecordAt: path)
        let check = RecordLoader.check(path: path)
        let record = try #require(check.record)
        #expect(record.evidence.map(\.isStale) == [true, false])
        #expect(ActionVerification.evaluate(record)[0].state == .verified)
        let exec = RecordReport.render(record, audience: .exec, format: .markdown, scenario: check.scenario, asOf: asOf)
        #expect(exec.contains("at 93% today (E2"), "the latest current entry gives today's figure")
    }
}

/// `postmortem new`: the scenario link and the placeholders.
@Suite struct NewRecordLinks {
    @Test func linksAreWrittenSoTheLoaderFindsThem() throws {
        let repository = TemporaryFolder()
        repository.addScenario()
        let other = TemporaryFolder()
        other.addScenario()
        let scenario = repository.file("scenarios/checkout-config-push.yaml")
        let cases: [(record: String, scenario: String, link: String)] = [
            (repository.file("postmortems/PM-1.yaml"), scenario, "scenarios/checkout-config-push.yaml"),
            (repository.file("a/b/PM-1.yaml"), scenario, "scenarios/checkout-config-push.yaml"),
            (repository.file("PM-1.yaml"), scenario, "scenarios/checkout-config-push.yaml"),
            (repository.file("postmortems/PM-1.yaml"), other.file("scenarios/checkout-config-push.yaml"),
             "../../" + URL(fileURLWithPath: other.path).lastPathComponent + "/scenarios/checkout-config-push.yaml"),
            (repository.file("postmortems/PM-1.yaml"), "/usr/share/gameday-nowhere/x.yaml", "/usr/share/gameday-nowhere/x.yaml"),
        ]
        for row in cases {
            // The record's folder exists (a path through a missing folder resolves nowhere).
            try FileManager.default.createDirectory(atPath: (row.record as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let link = ScenarioCache.link(forScenarioAt: row.scenario, fromRecordAt: row.record)
            #expect(link == row.link, "\(row.record) -> \(row.scenario)")
            if FileManager.default.fileExists(atPath: row.scenario) {
                #expect(ScenarioCache().resolve(link, fromRecordAt: row.record) != nil, "\(link) from \(row.record)")
            }
        }
    }

    @Test func newFromTheRepositorysParentFolderValidates() throws {
        let parent = TemporaryFolder()
        parent.write("gameday/.git/HEAD", "ref: refs/heads/main\n")
        parent.write("gameday/scenarios/checkout-config-push.yaml", String(decoding: FileManager.default.contents(atPath: Fixtures.path("checkout-config-push.yaml"))!, as: UTF8.self))
        let new = try runGameday(["postmortem", "new", "--id", "PM-Z", "--scenario", "gameday/scenarios/checkout-config-push.yaml",
                                  "--out", "gameday/postmortems/PM-Z.yaml"], in: parent.path)
        #expect(new.status == 0, "\(new.stderr)")
        #expect(parent.read("gameday/postmortems/PM-Z.yaml").contains("\nscenario: scenarios/checkout-config-push.yaml "))
        let validate = try runGameday(["postmortem", "validate", "gameday/postmortems/PM-Z.yaml"], in: parent.path)
        #expect(validate.status == 0, "\(validate.stdout)")

        // A record outside the scenario's repository links it by its path from the record's folder.
        let outside = TemporaryFolder()
        let record = outside.file("records/PM-Y.yaml")
        let elsewhere = try runGameday(["postmortem", "new", "--id", "PM-Y", "--scenario", parent.file("gameday/scenarios/checkout-config-push.yaml"),
                                        "--out", record], in: outside.path)
        #expect(elsewhere.status == 0, "\(elsewhere.stderr)")
        #expect(outside.read("records/PM-Y.yaml").contains("scenario: ../../"))
        #expect(RecordLoader.check(path: record).isValid)
    }

    @Test(arguments: [[], ["--scenario", "scenarios/checkout-config-push.yaml"], ["--kind", "drill"], ["--kind", "near-miss", "--owner", "zoe"]])
    func newCountsEveryPlaceholderAndValidateListsThem(_ options: [String]) throws {
        let folder = TemporaryFolder()
        folder.addScenario()
        let new = try runGameday(["postmortem", "new", "--id", "PM-2025-050"] + options, in: folder.path)
        #expect(new.status == 0, "\(new.stderr)")
        let text = folder.read("postmortems/PM-2025-050.yaml")
        let todoLines = text.split(separator: "\n").filter { $0.contains("TODO") }.count
        #expect(todoLines > 0)
        #expect(new.stdout.contains("fill in the \(todoLines) TODO placeholder"), "\(new.stdout) (the file has \(todoLines) lines with TODO)")
        let validate = try runGameday(["postmortem", "validate", "postmortems/PM-2025-050.yaml"], in: folder.path)
        #expect(validate.status == 0)
        let warnings = validate.stdout.split(separator: "\n").filter { $0.contains("warning:") && $0.contains("placeholder") }
        #expect(warnings.count == todoLines, "\(validate.stdout)")
    }

    @Test func aTODOAnywhereIsAWarningAtIt() throws {
        let folder = TemporaryFolder()
        folder.addScenario()
        let text = baseRecord
            .replacingOccurrences(of: "title: Test record", with: "title: Test record  # TODO: a better title")
            .replacingOccurrences(of: "{id: F2, kind: process, text: Other}", with: "{id: F2, kind: process, text: Other; TODO who}")
            .replacingOccurrences(of: "owner: dana\nseverity", with: "owner: TODO\nseverity")
            + "# TODOS and MYTODO are not placeholders\n"
        let result = RecordLoader.check(path: folder.write("postmortems/PM-2025-014.yaml", text))
        #expect(result.isValid)
        let located = result.placeholders.map { "\($0.location.line):\($0.location.column)" }
        #expect(located == ["4:23", "5:8", "16:42"], "\(result.placeholders.map(\.description))")
        #expect(result.placeholders[0].message.contains("(in a comment)"))
    }
}

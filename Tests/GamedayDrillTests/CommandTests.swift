import Foundation
import GamedayModel
import Testing
import GamedayTestSupport
@testable import GamedayDrill

/// `gameday drill`, `gameday history` and `gameday validate` on drill scripts, through the built
/// binary; and the interactive drill end to end in a pseudo-terminal.
@Suite(.serialized) struct CommandTests {
    func gameday(_ arguments: [String], input: String = "", sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> ProcessResult? {
        guard let binary = gamedayBinary else {
            Issue.record("the gameday executable was not found beside the test bundle or in .build/debug", sourceLocation: sourceLocation)
            return nil
        }
        var environment = ProcessInfo.processInfo.environment
        environment["GAMEDAY_STORE"] = nil
        return try runProcess(binary, arguments, input: input, environment: environment, directory: Fixtures.packageRoot.path)
    }

    @Test func scriptedDrillIsDeterministicAndReplays() throws {
        let folder = try temporaryFolder()
        let store = folder + "/store.sqlite"
        let exported = folder + "/drill.json"
        let arguments = ["drill", "--script", "drills/checkout-config-push.yaml", "--format", "json", "--store", store, "--model-trials", "300"]
        guard let first = try gameday(arguments + ["--export", exported]) else { return }
        #expect(first.status == 0, "\(first.error)")
        #expect(first.error.contains("saved drill D-checkout-config-push-"))
        let second = try #require(try gameday(arguments))
        #expect(second.output == first.output, "same script, same bytes")
        let json = try JSONParser.parse(first.output)
        #expect(json["mode"] == "scripted")
        #expect(json["score"]?["points"]?.int == 80)
        #expect(try String(contentsOfFile: exported, encoding: .utf8) == first.output)

        // Replay from the file and from the store: identical.
        let replay = try #require(try gameday(["drill", "--replay", exported, "--format", "json", "--no-store"]))
        #expect(replay.status == 0, "\(replay.error)")
        #expect(replay.error.contains("log, score and outcome identical"))
        #expect(DrillRunner.reproducedParts(try JSONParser.parse(replay.output)) == DrillRunner.reproducedParts(json))
        let id = try #require(json["drill"]?.string)
        let fromStore = try #require(try gameday(["drill", "--replay", id, "--store", store, "--no-store"]))
        #expect(fromStore.status == 0, "\(fromStore.error)")
        #expect(fromStore.output.contains("Score: 80 / 100"))
    }

    @Test func aTamperedLogDoesNotReplay() throws {
        let folder = try temporaryFolder()
        let exported = folder + "/drill.json"
        guard let run = try gameday(["drill", "--script", "drills/checkout-config-push.yaml", "--no-store", "--model-trials", "0", "--export", exported]) else { return }
        #expect(run.status == 0, "\(run.error)")
        var text = try String(contentsOfFile: exported, encoding: .utf8)
        text = text.replacingOccurrences(of: "Deploy log: checkout config v142", with: "Deploy log: checkout config v999")
        try text.write(toFile: exported, atomically: true, encoding: .utf8)
        let replay = try #require(try gameday(["drill", "--replay", exported, "--no-store"]))
        #expect(replay.status == 1)
        #expect(replay.error.contains("does not reproduce it: entry"))
    }

    @Test func forkAndModelFrom() throws {
        let folder = try temporaryFolder()
        let exported = folder + "/drill.json"
        guard let run = try gameday(["drill", "--script", "drills/checkout-config-push-restart.yaml", "--no-store", "--model-trials", "0", "--export", exported]) else { return }
        #expect(run.status == 0, "\(run.error)")
        let original = try JSONParser.parse(try String(contentsOfFile: exported, encoding: .utf8))
        // What if bob had rolled back at 20m instead of restarting? The fork continues with a script.
        let what = folder + "/what-if.yaml"
        try """
        drill_run:
          scenario: checkout-config-push
          team: [{name: alice, role: incident-commander}, {name: bob, role: ops}]
          actions:
            - {at: 20m, by: bob, do: rollback}
        """.write(toFile: what, atomically: true, encoding: .utf8)
        let fork = try #require(try gameday(["drill", "--replay", exported, "--fork-at", "20m", "--script", what, "--format", "json",
                                             "--store", folder + "/s.sqlite", "--model-trials", "0"]))
        #expect(fork.status == 0, "\(fork.error)")
        let forked = try JSONParser.parse(fork.output)
        #expect(forked["mode"] == "fork")
        #expect(forked["derived_from"]?["at"]?.double == 1200)
        #expect(forked["penalties"]?.array?.isEmpty == true)
        func before(_ json: JSONValue) throws -> [DrillLogEntry] {
            DrillRunner.prefix(try DrillRecord.parse(json).log, before: 1200)
        }
        #expect(try before(forked) == before(original))
        #expect((forked["outcome"]?["time_to_mitigate"]?.double ?? 1e9) < (original["outcome"]?["time_to_mitigate"]?.double ?? 0))

        let model = try #require(try gameday(["drill", "--replay", exported, "--model-from", "20m", "--format", "json", "--no-store", "--model-trials", "0"]))
        #expect(model.status == 0, "\(model.error)")
        let handed = try JSONParser.parse(model.output)
        #expect(handed["mode"] == "model")
        #expect(handed["handover_at"]?.double == 1200)
        #expect(handed["log"]?.array?.contains { $0["kind"] == "model" && $0["event"] == "responders.primary-oncall.acknowledged" } == true)
    }

    @Test func aLiveDrillWithPipedInput() throws {
        let folder = try temporaryFolder()
        let input = "advance 16m\ndo ack as bob\ndo declare as alice\nnext\nend\nThe probe\n\n\n"
        guard let run = try gameday(["drill", "scenarios/checkout-config-push.yaml", "--team", "alice:incident-commander,bob:ops",
                                     "--store", folder + "/s.sqlite", "--model-trials", "200"], input: input) else { return }
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("> advance 16m"), "piped commands are echoed after the prompt")
        #expect(run.output.contains("15m53s  ▸ PAGE [synthetic-probe] to primary-oncall"))
        #expect(run.output.contains("Score: "))
        #expect(run.output.contains("A: The probe"))
        #expect(!run.output.contains("\u{1B}["), "no color when piped")
        #expect(run.error.contains("saved drill D-"))
        let history = try #require(try gameday(["history", "--store", folder + "/s.sqlite", "--format", "json", "--trainee", "alice"]))
        #expect(history.status == 0, "\(history.error)")
        let json = try JSONParser.parse(history.output)
        #expect(json["trainees"]?[0]?["name"] == "alice")
        #expect(json["trainees"]?[0]?["roles"]?[0]?["drills"]?.array?.count == 1)
    }

    @Test func aDrillWithoutTeamIsLeftOutOfTheHistoryUnlessAsked() throws {
        let folder = try temporaryFolder()
        let store = folder + "/s.sqlite"
        let input = "advance 16m\ndo ack as ops\nend\n\n\n\n"
        guard let run = try gameday(["drill", "scenarios/checkout-config-push.yaml", "--store", store, "--model-trials", "0"], input: input) else { return }
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("(no --team: anonymous, left out of `gameday history`)"))
        let history = try #require(try gameday(["history", "--store", store]))
        #expect(history.status == 0, "\(history.error)")
        #expect(history.output.contains("No drills recorded for this selection. 1 drill played without --team"))
        let all = try #require(try gameday(["history", "--store", store, "--include-anonymous", "--format", "json"]))
        #expect(all.status == 0, "\(all.error)")
        let json = try JSONParser.parse(all.output)
        #expect(json["trainees"]?.array?.compactMap { $0["name"]?.string } == ["comms", "incident-commander", "ops"])
        #expect(json["trainees"]?[0]?["anonymous"]?.bool == true)
        #expect(json["anonymous_drills_left_out"]?.int == 0)
    }

    @Test func historyAcrossSeveralDrills() throws {
        let folder = try temporaryFolder()
        let store = folder + "/s.sqlite"
        for script in ["checkout-config-push-restart", "checkout-config-push", "payment-provider-outage"] {
            let run = try #require(try gameday(["drill", "--script", "drills/\(script).yaml", "--store", store, "--model-trials", "0"]))
            #expect(run.status == 0, "\(run.error)")
        }
        let text = try #require(try gameday(["history", "--store", store, "--trainee", "alice", "--role", "incident-commander"]))
        #expect(text.status == 0, "\(text.error)")
        #expect(text.output.contains("incident-commander · 3 drills"))
        #expect(text.output.contains("missed most:"))
        #expect(text.output.contains("next drill:"))
        let markdown = try #require(try gameday(["history", "--store", store, "--format", "markdown"]))
        #expect(markdown.output.contains("## bob — ops"))
        let missing = try #require(try gameday(["history", "--store", folder + "/none.sqlite"]))
        #expect(missing.status == 1)
        #expect(missing.error.contains("no store at"))
    }

    @Test func validateRecognizesDrillScripts() throws {
        guard let ok = try gameday(["validate", "drills/"]) else { return }
        #expect(ok.status == 0, "\(ok.output)")
        #expect(ok.output.contains("valid, 0 invalid"))
        let folder = try temporaryFolder()
        let bad = folder + "/bad.yaml"
        try "drill_run:\n  scenario: checkout-config-push\n  team: [{name: a, role: ops}]\n  actions:\n    - {at: 5m, by: a, do: rolback}\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let result = try #require(try gameday(["validate", bad, "--format", "json"]))
        #expect(result.status == 1)
        let json = try JSONParser.parse(result.output)
        #expect(json["files"]?[0]?["kind"] == "drill script")
        #expect(json["files"]?[0]?["diagnostics"]?[0]?["line"]?.int == 5)
        #expect(json["files"]?[0]?["diagnostics"]?[0]?["message"]?.string?.contains("no drill action 'rolback'") == true)
    }

    @Test func usageErrors() throws {
        guard let none = try gameday(["drill"]) else { return }
        #expect(none.status == 2)
        #expect(try gameday(["drill", "--fork-at", "5m", "scenarios/checkout-config-push.yaml"])?.status == 2)
        let team = try #require(try gameday(["drill", "scenarios/checkout-config-push.yaml", "--team", "alice:incident-comander", "--no-store"]))
        #expect(team.status == 1)
        #expect(team.error.contains("did you mean 'incident-commander'?"))
    }

    @Test func anInteractiveDrillInAPseudoTerminal() throws {
        guard let binary = gamedayBinary else {
            Issue.record("the gameday executable was not found")
            return
        }
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) })
            ?? (try? runProcess("/usr/bin/env", ["which", "python3"]).output.trimmingCharacters(in: .whitespacesAndNewlines)).flatMap({ $0.isEmpty ? nil : $0 }) else {
            Issue.record("python3 is needed to drive the drill in a pseudo-terminal")
            return
        }
        let folder = try temporaryFolder()
        let store = folder + "/store.sqlite"
        let run = try runProcess(python, [Fixtures.path("pty_drill.py"), binary, Fixtures.repo("scenarios/checkout-config-push.yaml"), store, folder])
        #expect(run.status == 0, "\(run.error)")
        let report = try JSONParser.parse(run.output)
        #expect(report["status"]?.int == 0, "\(report["transcript"]?.string ?? "")")
        #expect(report["colored"] == true, "a terminal gets color")
        let transcript = try #require(report["transcript"]?.string)
        #expect(transcript.contains("[16m00s] alice (incident-commander)> do ack as bob"))
        #expect(transcript.contains("bob (ops) will “Look at recent deploys and config pushes” when free"))
        #expect(transcript.contains("finished “Roll back the last checkout config push”"))
        #expect(transcript.contains("Score: 80 / 100"))
        #expect(transcript.contains("A: The synthetic probe"))
        #expect(transcript.contains("A: (no answer)"))
        #expect(FileManager.default.fileExists(atPath: store))
        let exported = try JSONParser.parse(try String(contentsOfFile: folder + "/drill.json", encoding: .utf8))
        #expect(exported["mode"] == "live")
        #expect(exported["provenance"]?["started_at"]?.string != nil)
        #expect(exported["provenance"]?["wall"]?.array?.isEmpty == false)
        #expect(exported["debrief"]?[0]?["answer"] == "The synthetic probe")
        // The live drill replays exactly.
        let replay = try #require(try gameday(["drill", "--replay", folder + "/drill.json", "--no-store", "--format", "json"]))
        #expect(replay.status == 0, "\(replay.error)")
    }
}

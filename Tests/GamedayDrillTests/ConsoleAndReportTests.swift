import Foundation
import GamedayModel
import GamedaySimulation
import Testing
@testable import GamedayDrill

/// The facilitator's console (commands in, text out) and the result's JSON, text and Markdown.
@Suite struct ConsoleAndReportTests {
    func console() throws -> DrillConsole {
        DrillConsole(session: try DrillSession(scenario: Fixtures.scenario(), team: Fixtures.team))
    }

    @Test func aSessionDrivenByCommands() throws {
        let c = try console()
        #expect(c.opening().contains("A deploy of the API went out at 13:00."))
        #expect(c.opening().contains("Team: alice (incident-commander), bob (ops), carol (comms)"))
        #expect(c.prompt() == "[0m00s] alice (incident-commander)> ")
        #expect(c.handle("actions").text.contains("rollback  Roll back the deploy"))
        let moved = c.handle("advance 6m").text
        #expect(moved.contains("4m40s  ▸ Dashboard: web errors at 40%"))
        #expect(moved.contains("6m00s  ▸ PAGE [api] 5xx above 5% for 5m  → incident-commander, ops (alice, bob)"))
        #expect(moved.contains("the clock is at 6m00s"))
        #expect(c.handle("do ack as bob").text.contains("bob (ops) starts “Acknowledge the page” (busy until 6m30s)"))
        #expect(c.prompt().contains("bob (ops)"))
        #expect(c.handle("do look").text.contains("will “Look at recent deploys” when free"))
        #expect(c.handle("undo").text.contains("withdrawn: bob's “Look at recent deploys”"))
        #expect(c.handle("do declare").text.contains("may not take 'declare'"))
        #expect(c.handle("as alice").text.contains("now acting as alice (incident-commander)"))
        #expect(c.handle("do 2").text.contains("starts “Declare an incident”"))
        #expect(c.handle("next").text.contains("6m30s  bob (ops) finished “Acknowledge the page”"))
        #expect(c.handle("status").text.contains("busy: “Declare an incident” until 7m00s"))
        #expect(c.handle("advnce 1m").text.contains("did you mean 'advance'?"))
        #expect(c.handle("advance 5").text.contains("has no unit"))
        #expect(c.handle("").text.isEmpty)
        #expect(c.handle("log").text.contains("alice (incident-commander) starts “Declare an incident”"))
        #expect(c.handle("help").text.contains("advance DURATION"))
        let end = c.handle("end")
        #expect(end.ended)
        #expect(c.session.isEnded)
        #expect(c.handle("do ack").text.contains("the drill has ended"))
    }

    @Test func aMitigationOrASampledActionDoesNotTellItsEndUpFront() throws {
        // A rollback's duration is sampled (uniform 3m to 9m) and so is a look (1m to 3m): the
        // console must not reveal when they end, only that they are under way, and the result
        // when it comes. The JSON log keeps the exact times.
        let c = try console()
        _ = c.handle("advance 6m")
        let started = c.handle("do rollback as bob").text
        #expect(started.contains("bob (ops) starts “Roll back the deploy” (in progress)"))
        #expect(!started.contains("busy until"))
        let look = c.handle("do look as carol").text
        #expect(look.contains("carol (comms) starts “Look at recent deploys” (in progress)"))
        let status = c.handle("status").text
        #expect(status.contains("busy: “Roll back the deploy” (in progress)"))
        #expect(!status.contains(" until "))
        #expect(!c.handle("log").text.contains("busy until"))
        // The end is kept for the record, and announced when it comes, with the result.
        let entry = try #require(c.session.log.last { $0.kind == .action && $0.action == "rollback" })
        let until = try #require(entry.until)
        #expect(until > 360)
        #expect(DrillResult.json(entry)["until"]?.double == until)
        let moved = c.handle("advance 10m").text
        #expect(moved.contains("bob (ops) finished “Roll back the deploy”: it"))
        // A fixed takes still shows its end.
        #expect(c.handle("do ack as bob").text.contains("(busy until"))
    }

    @Test func theDefaultTeamIsAnonymousAndSaysSo() throws {
        let session = try DrillSession(scenario: Fixtures.scenario())
        #expect(session.team == [Participant(name: "incident-commander", role: "incident-commander", anonymous: true),
                                 Participant(name: "ops", role: "ops", anonymous: true), Participant(name: "comms", role: "comms", anonymous: true)])
        #expect(DrillConsole(session: session).opening().contains("(no --team: anonymous, left out of `gameday history`)"))
        #expect(!(try console()).opening().contains("anonymous"))
    }

    @Test func plainStyleHasNoEscapes() throws {
        let c = try console()
        _ = c.handle("advance 20m")
        #expect(!c.opening().contains("\u{1B}["))
        #expect(!c.handle("log").text.contains("\u{1B}["))
    }

    @Test func resultJSONFollowsTheSpec() async throws {
        let r = try await result([(370, "bob", "ack"), (380, "bob", "restart"), (600, "alice", "rollback")], on: Fixtures.scenario(), end: 3600)
        let json = r.json()
        // The keys of spec/output.md.
        for key in ["drill", "scenario", "seed", "team", "score", "objectives", "penalties", "outcome", "log"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        #expect(json["drill"] == "D-test")
        #expect(json["seed"]?.double == 3)
        #expect(json["team"]?[0] == ["name": "alice", "role": "incident-commander"])
        #expect(json["scenario"]?["id"] == "drill-test")
        #expect(json["scenario"]?["sha256"]?.string?.count == 64)
        #expect(json["score"]?["points"]?.int == r.scorecard.points)
        #expect(json["score"]?["max"]?.int == r.scorecard.maximum)
        let acknowledged = try #require(json["objectives"]?.array?.first { $0["id"] == "acknowledged" })
        #expect(acknowledged["status"] == "met" && acknowledged["at"]?.double == 370 && acknowledged["points"]?.int == 10)
        #expect(json["penalties"]?[0]?["action"] == "restart")
        #expect(json["penalties"]?[0]?["by"] == "bob")
        #expect(json["penalties"]?[0]?["at"]?.double == 400)  // queued behind the ack: it starts when bob is free
        #expect(json["penalties"]?[0]?["points"]?.int == -10)
        for key in ["time_to_mitigate", "failed_requests", "model_percentile", "model_same_trial"] {
            #expect(json["outcome"]?[key] != nil, "missing outcome.\(key)")
        }
        #expect(json["outcome"]?["model_percentile"]?["time_to_mitigate"]?.double != nil)
        #expect(json["outcome"]?["model_percentile"]?["failed_requests"]?.double != nil)
        #expect(json["log"]?[0] != nil)
        let firstAction = try #require(json["log"]?.array?.first { $0["kind"] == "action" })
        #expect(firstAction["at"]?.double == 370 && firstAction["by"] == "bob" && firstAction["do"] == "ack")
        // No wall-clock time in a scripted result.
        #expect(json["provenance"] == nil)
    }

    @Test func textAndMarkdownScorecards() async throws {
        let r = try await result([(720, "bob", "ack"), (800, "alice", "rollback")], on: Fixtures.scenario(), end: 3600)
        let text = DrillReport.text(r)
        #expect(text.contains("Score: \(r.scorecard.points) / \(r.scorecard.maximum)"))
        #expect(text.contains("Acknowledge the page"))
        #expect(text.contains("late +1m"))
        #expect(text.contains("Feedback"))
        #expect(text.contains("Time to mitigate:"))
        #expect(!text.contains("\u{1B}["))
        let markdown = DrillReport.markdown(r)
        #expect(markdown.hasPrefix("# Drill D-test: A bad deploy breaks the API"))
        #expect(markdown.contains("| objective | status | at | target | points |"))
        #expect(markdown.contains("## Log"))
    }

    @Test func debriefAnswersAreKept() async throws {
        let session = try play([], on: Fixtures.scenario(), end: 600)
        let r = DrillResult(session: session, id: "D-test", mode: .scripted, comparison: nil,
                            debrief: [DebriefAnswer(question: "What went well?", answer: "The page was clear.")])
        let record = try DrillRecord.parse(r.json())
        #expect(record.debrief == [DebriefAnswer(question: "What went well?", answer: "The page was clear.")])
        #expect(DrillReport.text(r).contains("A: The page was clear."))
    }

    @Test func teamsParse() throws {
        #expect(try Participant.parseTeam("alice:incident-commander, bob:ops").get() == [Participant(name: "alice", role: "incident-commander"), Participant(name: "bob", role: "ops")])
        #expect(throws: DrillError.self) { try Participant.parseTeam("alice").get() }
        #expect(throws: DrillError.self) { try Participant.parseTeam("").get() }
    }
}

import Foundation
import GamedayModel
import GamedaySimulation
import Testing
@testable import GamedayDrill

/// The drill engine: injects, actions, draws, queues, replay, forks and hand-overs.
@Suite struct DrillSessionTests {
    func session(_ scenario: Scenario? = nil) throws -> DrillSession {
        try DrillSession(scenario: scenario ?? Fixtures.scenario(), team: Fixtures.team)
    }

    @Test func injectsFireAtExactTimes() throws {
        let s = try session()
        s.advance(to: 20 * 60)
        let injects = s.log.filter { $0.kind == .inject }
        // web follows api: above 25% from the third ramp step (160s), held 2m: 280s (by then at 40%).
        #expect(injects.map(\.at) == [280, 360, 720, 840])
        #expect(injects[0].text == "Dashboard: web errors at 40%")
        // The page arrives 1m after the alert fires at 5m, for the roles named.
        #expect(injects[1].text == "PAGE [api] 5xx above 5% for 5m")
        #expect(injects[1].to == ["incident-commander", "ops"])
        #expect(injects[2].text == "Support: customers report failed orders")
        #expect(injects[2].to == nil)
        // A page no inject describes is still shown.
        #expect(injects[3].text == "PAGE [quiet-alert] to oncall")
        // Each inject appears at the trace time of what triggered it.
        let paged = s.trace.first { $0.subject == .barrier && $0.name == .paged }
        #expect(paged?.at == 360)
    }

    @Test func conditionThatStopsHoldingBeforeItsForDoesNotFire() throws {
        // web above 35% from 240s, for 30m: a rollback at 6m removes the deploy long before.
        let scenario = try Fixtures.variant([("{service: web, error_rate_above: 25%, for: 2m}", "{service: web, error_rate_above: 35%, for: 30m}")])
        let s = try session(scenario)
        s.advance(to: 6 * 60)
        try s.take("rollback", by: "bob")
        s.advance(to: 2 * 3600)
        #expect(!s.log.contains { $0.text?.hasPrefix("Dashboard") == true })
        #expect(s.errorRate(service: "web") == 0)
    }

    @Test func mitigationUsesTheModelsDrawAddresses() throws {
        let s = try session()
        s.advance(to: 6 * 60)
        let entries = try s.take("rollback", by: "bob")
        // One attempt of `rollback`: takes is barriers.rollback.takes (uniform 3m..9m) under seed 3, trial 0.
        let expected = 180 + uniform("barriers.rollback.takes") * 360
        let start = try #require(entries.first)
        #expect(start.kind == .action && start.until != nil)
        #expect(abs(start.until! - 360 - expected) < 1e-9)
        s.advance(to: start.until!)
        let done = try #require(s.log.last { $0.kind == .done })
        #expect(done.result == "worked")
        #expect(done.at == start.until)
        #expect(s.errorRate(service: "api") == 0)
        // A second attempt draws #2.
        try s.take("rollback", by: "bob")
        let second = try #require(s.log.last { $0.kind == .action })
        #expect(abs(second.until! - second.at - (180 + uniform("barriers.rollback.takes#2") * 360)) < 1e-9)
    }

    @Test func actionTakesAreDrawnAtTheirOwnAddress() throws {
        let s = try session()
        let first = try #require(try s.take("look", by: "bob").first)
        #expect(abs(first.until! - (60 + uniform("drill.actions.look.takes") * 120)) < 1e-9)
        s.advance(to: first.until!)
        let reveal = try #require(s.log.last)
        #expect(reveal.kind == .done && reveal.text == "Deploy v2 of the API at 13:00")
        let second = try #require(try s.take("look", by: "bob").first)
        #expect(abs(second.until! - second.at - (60 + uniform("drill.actions.look.takes#2") * 120)) < 1e-9)
    }

    @Test func busyParticipantsQueueAndUndoWithdrawsTheLastWaiting() throws {
        let s = try session()
        try s.take("ack", by: "bob")
        let queued = try s.take("look", by: "bob")
        #expect(queued.count == 1 && queued[0].queued)
        try s.take("restart", by: "bob")
        let withdrawn = try s.undo()
        #expect(withdrawn.kind == .undo && withdrawn.action == "restart")
        s.advance(to: 30)
        // The ack ends at 30s and the look starts at once.
        #expect(s.log.contains { $0.kind == .started && $0.action == "look" && $0.at == 30 })
        #expect(throws: DrillError.self) { try s.undo() }
        #expect(!s.startedRuns.contains { $0.action == "restart" })
    }

    @Test func rolesAndNamesAreChecked() throws {
        let s = try session()
        #expect(throws: DrillError("bob (ops) may not take 'declare': only the incident-commander may", help: "ask alice")) {
            try s.take("declare", by: "bob")
        }
        let unknownAction = #expect(throws: DrillError.self) { try s.take("rolback", by: "bob") }
        #expect(unknownAction?.help?.hasPrefix("did you mean 'rollback'?") == true)
        let unknownName = #expect(throws: DrillError.self) { try s.take("ack", by: "bobb") }
        #expect(unknownName?.help?.hasPrefix("did you mean 'bob'?") == true)
        #expect(throws: DrillError.self) { try DrillSession(scenario: Fixtures.scenario(), team: [Participant(name: "x", role: "sre")]) }
    }

    @Test func addsStartsTheDormantInjectionWhenTheActionFinishes() throws {
        let s = try session()
        s.advance(to: 60)
        try s.take("restart", by: "bob")
        s.advance(to: 179)
        #expect(!s.trace.contains { $0.subject == .injection && $0.index == 1 })
        s.advance(to: 181)
        let occurred = try #require(s.trace.first { $0.subject == .injection && $0.index == 1 && $0.name == .occurred })
        #expect(occurred.at == 180)
    }

    @Test func nextStopsAtTheNextThingShown() throws {
        let s = try session()
        s.next()
        #expect(s.now == 280)
        try s.take("ack", by: "bob")
        s.next()
        #expect(s.now == 310)  // the ack finishes
        s.next()
        #expect(s.now == 360)
        #expect(s.log.last { $0.kind == .advance }?.until == 360)
    }

    @Test func theHorizonEndsTheDrill() throws {
        let s = try session()
        s.advance(to: 10 * 3600)
        #expect(s.isEnded)
        #expect(s.now == 4 * 3600)
        #expect(s.log.last?.kind == .end)
    }

    // MARK: Replay, fork, hand-over

    static let plan: [(Double, String, String)] = [(370, "bob", "ack"), (400, "alice", "declare"), (400, "bob", "look"),
                                                   (460, "bob", "restart"), (470, "bob", "rollback"), (600, "carol", "update")]

    @Test func aScriptedDrillIsIdenticalAcrossRunsAndAfterReplay() async throws {
        let scenario = try Fixtures.scenario()
        let a = try await result(Self.plan, on: scenario, end: 3600)
        let b = try await result(Self.plan, on: scenario, end: 3600)
        #expect(a.json() == b.json())
        #expect(a.json().pretty == b.json().pretty)
        let record = try DrillRecord.parse(JSONParser.parse(a.json().pretty))
        let replayed = try DrillRunner.replay(record, scenario: scenario)
        #expect(replayed.isEnded)
        let comparison = await ModelComparison.compute(compiled: replayed.compiled, seed: replayed.seed, trial: replayed.trial, team: replayed.finish(), trials: 200)
        let again = DrillResult(session: replayed, id: record.id, mode: record.mode, comparison: comparison)
        #expect(DrillRunner.difference(again.log, a.log) == nil)
        #expect(DrillRunner.reproducedParts(again.json()) == DrillRunner.reproducedParts(a.json()))
        #expect(again.scorecard == a.scorecard)
    }

    @Test(arguments: [0.0, 300, 360, 370, 400, 455.5, 600, 1800])
    func forkReproducesTheLogUpToItsTime(_ t: Double) throws {
        let scenario = try Fixtures.scenario()
        let original = try play(Self.plan, on: scenario, end: 3600)
        let record = try DrillRecord.parse(DrillResult(session: original, id: "D-x", mode: .scripted, comparison: nil).json())
        let fork = try DrillRunner.replay(record, scenario: scenario, cut: t)
        #expect(fork.now == t)
        #expect(!fork.isEnded)
        #expect(DrillRunner.prefix(fork.log, before: t) == DrillRunner.prefix(original.log, before: t))
        // Continue differently: roll back at once.
        try fork.take("rollback", by: "alice")
        fork.end()
        fork.finish()
        #expect(DrillRunner.prefix(fork.log, before: t) == DrillRunner.prefix(original.log, before: t))
    }

    @Test(arguments: [0.0, 360])
    func handingOverBeforeAnyoneActsGivesTheModelsTrial(_ t: Double) throws {
        // With no team action before T and T no later than the first page, the modelled responders
        // face exactly their own trial: same pages, same draws.
        let scenario = try Fixtures.scenario()
        let idle = try play([], on: scenario, end: 3600)
        let record = try DrillRecord.parse(DrillResult(session: idle, id: "D-x", mode: .scripted, comparison: nil).json())
        let session = try DrillRunner.replay(record, scenario: scenario, cut: t)
        session.handOver()
        let m = session.finish()
        let model = DrillTrials.preview(session.compiled, seed: session.seed, trial: session.trial)
        #expect(m.acknowledgedAt == model.acknowledgedAt)
        #expect(m.diagnosedAt == model.diagnosedAt)
        #expect(m.mitigatedAt == model.mitigatedAt)
        #expect(m.failedRequests == model.failedRequests)
        #expect(m.outcome == model.outcome)
        #expect(session.log.contains { $0.kind == .model && $0.command == "responders.oncall.acknowledged" })
    }

    @Test func handingOverLaterStartsTheModelsWorkAtTheHandOver() throws {
        let scenario = try Fixtures.scenario()
        let idle = try play([], on: scenario, end: 3600)
        let record = try DrillRecord.parse(DrillResult(session: idle, id: "D-x", mode: .scripted, comparison: nil).json())
        let session = try DrillRunner.replay(record, scenario: scenario, cut: 900)
        session.handOver()
        let m = session.finish()
        let model = DrillTrials.preview(session.compiled, seed: session.seed, trial: session.trial)
        // The page reached the on-call at 6m, but the model starts acknowledging only at 15m:
        // everything it does is 9 minutes later than in its own trial.
        #expect(abs(try #require(m.acknowledgedAt) - (try #require(model.acknowledgedAt) + 540)) < 1e-6)
        #expect(session.log.first { $0.kind == .model }?.at == 900)
    }

    @Test func replayRejectsALogThatDoesNotLineUp() throws {
        let scenario = try Fixtures.scenario()
        let original = try play(Self.plan, on: scenario, end: 3600)
        var json = DrillResult(session: original, id: "D-x", mode: .scripted, comparison: nil).json()
        guard case .object(var object) = json, case .array(var log) = object["log"] else { Issue.record("no log"); return }
        let i = try #require(log.firstIndex { $0["kind"] == "action" })
        guard case .object(var entry) = log[i] else { return }
        entry["at"] = .number(5)
        log[i] = .object(entry)
        object["log"] = .array(log)
        json = .object(object)
        let record = try DrillRecord.parse(json)
        #expect(throws: DrillError.self) { try DrillRunner.replay(record, scenario: scenario) }
    }
}

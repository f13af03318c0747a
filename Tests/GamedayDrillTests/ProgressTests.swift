import Foundation
import GamedayModel
import Testing
@testable import GamedayDrill

/// A trainer's view: drills per trainee and role, objectives missed most, suggested next drills.
@Suite struct ProgressTests {
    typealias O = DrillSummary.Objective

    static func drill(_ id: String, _ date: String, _ scenario: String, team: [(String, String)], _ objectives: [O]) -> DrillSummary {
        DrillSummary(id: id, heldAt: date + "T10:00:00Z", scenarioID: scenario, scenarioTitle: scenario, mode: .live,
                     team: team.map { Participant(name: $0.0, role: $0.1) },
                     points: objectives.reduce(0) { $0 + $1.points }, maximum: objectives.filter { $0.status != .notApplicable }.reduce(0) { $0 + $1.maxPoints },
                     objectives: objectives)
    }

    static let drills: [DrillSummary] = [
        drill("D-3", "2025-03-01", "region-evacuation", team: [("alice", "incident-commander"), ("carol", "sre")], [
            O(id: "acknowledged", objective: "Acknowledge the first page", status: .met, action: "ack", role: nil, points: 10, maxPoints: 10),
            O(id: "declared", objective: "Declare an incident", status: .met, action: "declare", role: "incident-commander", points: 10, maxPoints: 10),
        ]),
        drill("D-1", "2025-01-01", "checkout-config-push", team: [("alice", "incident-commander"), ("bob", "ops")], [
            O(id: "acknowledged", objective: "Acknowledge the first page quickly", status: .met, action: "ack", role: nil, points: 10, maxPoints: 10),
            O(id: "declared", objective: "Declare an incident", status: .missed, action: "declare", role: "incident-commander", points: 0, maxPoints: 10),
            O(id: "what-changed", objective: "Ask what changed before touching anything", status: .late, action: "check-deploys", role: nil, points: 0, maxPoints: 15),
            O(id: "comms", objective: "First customer update", status: .missed, action: "status-update", role: "comms", points: 0, maxPoints: 10),
            O(id: "budget", objective: "Keep the error budget burn under 5%", status: .missed, action: nil, role: nil, points: 0, maxPoints: 20),
        ]),
        drill("D-2", "2025-02-01", "api-cert-expiry", team: [("alice", "incident-commander"), ("bob", "platform-engineer")], [
            O(id: "acknowledged", objective: "Acknowledge the first page", status: .met, action: "ack", role: nil, points: 10, maxPoints: 10),
            O(id: "declared", objective: "Declare an incident", status: .missed, action: "declare", role: "incident-commander", points: 0, maxPoints: 10),
            O(id: "fix", objective: "Renew the certificate", status: .notApplicable, action: "manual-renew", role: "platform-engineer", points: 0, maxPoints: 30),
        ]),
    ]

    static var library: [(scenario: Scenario, path: String)] {
        let folder = Fixtures.repo("scenarios")
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted().compactMap { file in
            guard file.hasSuffix(".yaml"), let s = ScenarioLoader.check(path: folder + "/" + file).scenario else { return nil }
            return (s, "scenarios/" + file)
        }
    }

    @Test func drillsPerTraineeAndRoleInTimeOrder() throws {
        let progress = TrainingProgress(drills: Self.drills)
        #expect(progress.trainees.map(\.name) == ["alice", "bob", "carol"])
        let alice = try #require(progress.trainees.first)
        #expect(alice.roles.map(\.role) == ["incident-commander"])
        let ic = alice.roles[0]
        #expect(ic.drills.map(\.drill) == ["D-1", "D-2", "D-3"])
        // Alice's objectives: open to anyone or reserved for the commander; outcome objectives too.
        #expect(ic.drills[0].met == 1 && ic.drills[0].late == 1 && ic.drills[0].missed == 2)
        #expect(ic.weaknesses.map(\.id) == ["declared", "budget", "what-changed"])
        #expect(ic.weaknesses[0].missed == 2 && ic.weaknesses[0].of == 3)
        #expect(ic.weaknesses[0].scenarios == ["checkout-config-push", "api-cert-expiry"])
        let bob = try #require(progress.trainees.first { $0.name == "bob" })
        #expect(bob.roles.map(\.role) == ["ops", "platform-engineer"])
        // The not-applicable fix is not a weakness; the commander's declaration is not bob's.
        #expect(bob.roles[1].weaknesses.isEmpty)
        #expect(!bob.roles[0].weaknesses.contains { $0.id == "declared" || $0.id == "comms" })
    }

    @Test func filters() {
        #expect(TrainingProgress(drills: Self.drills, trainee: "bob").trainees.map(\.name) == ["bob"])
        #expect(TrainingProgress(drills: Self.drills, role: "ops").trainees.map(\.name) == ["bob"])
        #expect(TrainingProgress(drills: Self.drills, trainee: "zoe").trainees.isEmpty)
    }

    @Test func suggestedNextDrillsExerciseTheMissedObjectives() throws {
        let progress = TrainingProgress(drills: Self.drills, trainee: "alice", library: Self.library)
        let suggestions = try #require(progress.trainees.first?.roles.first?.suggestions)
        #expect(!suggestions.isEmpty && suggestions.count <= 3)
        for s in suggestions {
            #expect(s.exercises.contains("declared"), "\(s.scenarioID) does not exercise declared")
            #expect(s.path.hasPrefix("scenarios/"))
        }
        // Ranked by score, a scenario already played counting less for each play.
        let ranks = suggestions.map { Double($0.score) / Double(1 + $0.played) }
        #expect(ranks == ranks.sorted(by: >))
        #expect(suggestions[0].played == 0)
    }

    @Test func keywordsLeaveOutShortAndCommonWords() {
        #expect(TrainingProgress.keywords("Ask \"what changed?\" before touching anything") == ["changed", "touching", "anything"])
    }

    @Test func outputs() throws {
        let progress = TrainingProgress(drills: Self.drills, trainee: "alice", library: Self.library)
        let text = progress.text()
        #expect(text.contains("alice"))
        #expect(text.contains("incident-commander · 3 drills"))
        #expect(text.contains("missed most:"))
        #expect(text.contains("next drill:"))
        #expect(text.contains("trend: 15.4% → 50% → 100%"))
        let json = progress.json()
        let role = try #require(json["trainees"]?[0]?["roles"]?[0])
        #expect(role["role"] == "incident-commander")
        #expect(role["drills"]?.array?.count == 3)
        #expect(role["missed_most"]?[0]?["id"] == "declared")
        #expect(role["suggested_next"]?.array?.isEmpty == false)
        #expect(progress.markdown().contains("## alice — incident-commander"))
        #expect(TrainingProgress(drills: []).text() == "No drills recorded for this selection.")
    }
}

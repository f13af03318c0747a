import Foundation
import GamedayModel
import Testing
import GamedayTestSupport
@testable import GamedayAnalysis

/// `gameday analyze` end to end, through the built binary (skipped when it was not built).
@Suite struct AnalyzeCommandTests {
    static var binary: String? { TestPaths.gamedayExecutable }

    static let fixture = Fixtures.path("checkout-config-push.yaml")

    func run(_ arguments: [String]) throws -> ProcessResult? {
        guard let binary = Self.binary else {
            // `swift test` builds the executable too; not finding it means the layout changed.
            Issue.record("the gameday executable was not found beside the test bundle or in .build/debug")
            return nil
        }
        return try runProcess(binary, ["analyze"] + arguments)
    }

    func temporaryFile(_ name: String, _ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gameday-analyze-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func jsonWithAControl() throws {
        guard let result = try run([Self.fixture, "--with", "canary-deploys", "--format", "json"]) else { return }
        #expect(result.status == 0, "\(result.error)")
        let json = try JSONParser.parse(result.output)
        #expect(json["controls"] == ["canary-deploys"])
        #expect(json["injections"]?["bad-config"]?["passes_prevention"]?.double == 0.0644)
        // Same command, same bytes.
        #expect(try run([Self.fixture, "--with", "canary-deploys", "--format", "json"])?.output == result.output)
    }

    @Test func textReportAndInjectionFilter() throws {
        guard let result = try run([Self.fixture, "--injection", "bad-config"]) else { return }
        #expect(result.status == 0)
        #expect(result.output.contains("== bad-config: checkout at 40% errors =="))
        #expect(!result.output.contains("== retry-storm"))
        #expect(!result.output.contains("\u{1B}["), "no color when not on a terminal")
    }

    @Test func diagramsAndOut() throws {
        let out = try temporaryFile("bowtie.dot", "old content")
        guard let result = try run([Self.fixture, "--diagram", "dot", "--out", out]) else { return }
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.isEmpty)
        let written = try String(contentsOfFile: out, encoding: .utf8)
        #expect(dotProblems(written) == [])
        if let graphviz = try runGraphviz(written) { #expect(graphviz.status == 0, "\(graphviz.error)") }
        let mermaid = try #require(try run([Self.fixture, "--diagram", "mermaid", "--injection", "bad-config,retry-storm"]))
        #expect(mermaidProblems(mermaid.output) == [])
        let markdown = try #require(try run([Self.fixture, "--format", "markdown"]))
        #expect(markdown.output.contains("```mermaid\nflowchart LR"))
    }

    @Test func malformedFilesAreReportedByTheLoaderWithTheirPosition() throws {
        let typo = try temporaryFile("typo.yaml", """
        scenario: {id: t, title: T}
        services:
          - id: app
        injections:
          - id: fault
            target: app
            effect: {error_rate: 40%}
        barriers:
          - id: check
            type: prevent
            against: [fault]
            efectiveness: 30%
        """)
        guard let result = try run([typo]) else { return }
        #expect(result.status == 1)
        #expect(result.output.isEmpty)
        #expect(result.error.contains("\(typo):12:5: error:"), "\(result.error)")
        #expect(result.error.contains("effectiveness"))

        let badProbability = try temporaryFile("prob.yaml", """
        scenario: {id: t, title: T}
        services: [{id: app}]
        injections: [{id: fault, target: app, effect: {error_rate: 140%}}]
        """)
        let probability = try #require(try run([badProbability]))
        #expect(probability.status == 1)
        #expect(probability.error.contains("\(badProbability):3:"), "\(probability.error)")

        let notYAML = try temporaryFile("broken.yaml", "scenario: {id: t\nservices: [")
        let broken = try #require(try run([notYAML]))
        #expect(broken.status == 1)
        #expect(broken.error.contains("\(notYAML):"), "\(broken.error)")

        let missing = try #require(try run(["/nonexistent/scenario.yaml"]))
        #expect(missing.status == 1)
        #expect(missing.error.contains("/nonexistent/scenario.yaml:1:1: error: no such file"))
    }

    @Test func usageErrors() throws {
        guard let unknownControl = try run([Self.fixture, "--with", "canary-deploy"]) else { return }
        #expect(unknownControl.status == 1)
        #expect(unknownControl.error.contains("no control 'canary-deploy'"))
        #expect(unknownControl.error.contains("did you mean 'canary-deploys'"))
        let unknownInjection = try #require(try run([Self.fixture, "--injection", "bad-confg"]))
        #expect(unknownInjection.status == 2)
        #expect(unknownInjection.error.contains("did you mean 'bad-config'"))
        let both = try #require(try run([Self.fixture, "--diagram", "dot", "--format", "json"]))
        #expect(both.status == 2)
        let badFormat = try #require(try run([Self.fixture, "--format", "yaml"]))
        #expect(badFormat.status == 2)
    }

    @Test func failOn() throws {
        // The spec example has medium findings (retry-storm and cold-cache have no mitigation) but no high one.
        guard let high = try run([Self.fixture, "--fail-on", "high"]) else { return }
        #expect(high.status == 0)
        let medium = try #require(try run([Self.fixture, "--fail-on", "medium"]))
        #expect(medium.status == 1)
        #expect(medium.output.contains("[medium]"))
    }
}

import Foundation
import GamedayModel
import Testing
@testable import GamedayAnalysis

/// Every scenario bundled under scenarios/ (found at run time: the library grows in parallel),
/// analyzed as a baseline and with each control: the invariants every analysis must keep.
@Suite struct BundledScenarioTests {
    static var scenarioFiles: [String] {
        let directory = Fixtures.packageRoot.appendingPathComponent("scenarios")
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var files: [String] = []
        for case let relative as String in enumerator where relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") {
            if (relative as NSString).lastPathComponent.hasPrefix(".") { continue }
            files.append(directory.appendingPathComponent(relative).path)
        }
        return files.sorted()
    }

    @Test func everyBundledScenarioKeepsTheInvariants() throws {
        let files = Self.scenarioFiles + [Fixtures.path("checkout-config-push.yaml")]
        for file in files {
            let result = ScenarioLoader.check(path: file)
            // Files that do not load (or are not scenarios: drill logs, records) are the model's
            // and the library's tests to judge; this test checks what analysis makes of valid ones.
            guard let baseline = result.scenario else { continue }
            var variants: [[String]] = [[]]
            variants += baseline.controls.map { [$0.id] }
            for controls in variants {
                guard let scenario = try? baseline.variant(with: controls) else { continue }
                check(ScenarioAnalysis(scenario: scenario), file: file, controls: controls)
            }
        }
    }

    func check(_ analysis: ScenarioAnalysis, file: String, controls: [String]) {
        let label = "\(file) with \(controls)"
        func isProbability(_ value: Double) -> Bool { value.isFinite && value >= 0 && value <= 1 }
        for a in analysis.injections {
            #expect(isProbability(a.occurrence.probability), "\(label): \(a.id) occurs")
            #expect(isProbability(a.passesPrevention), "\(label): \(a.id) passes")
            #expect(isProbability(a.detectCoverage), "\(label): \(a.id) coverage")
            #expect(a.detection.effectiveCoverage <= a.detectCoverage + 1e-12)
            #expect(a.prevention.lopaProduct <= a.passesPrevention + 1e-12, "\(label): common cause never helps")
            for b in a.prevention.barriers {
                #expect(isProbability(b.stopChance) && isProbability(b.effectiveness) && isProbability(b.marginalValue), "\(label): \(b.id)")
                #expect(b.riskReductionFactor >= 1)
                #expect(abs(b.passesWithout - a.passesPrevention - b.marginalValue) < 1e-12)
            }
            for d in a.detection.barriers {
                #expect(isProbability(d.reliability) && isProbability(d.effectiveReliability) && isProbability(d.marginalValue), "\(label): \(d.id)")
            }
            for s in a.blastRadius { #expect(isProbability(s.peakErrorRate)) }
            #expect(a.blastRadius.first?.id == a.target)
            #expect(mermaidProblems(Diagrams.bowTie(a, syntax: .mermaid)) == [], "\(label): \(a.id) mermaid")
            #expect(dotProblems(Diagrams.bowTie(a, syntax: .dot)) == [], "\(label): \(a.id) dot")
        }
        let text = analysis.json.pretty
        #expect(text == analysis.json.pretty)
        do {
            let json = try JSONParser.parse(text)
            #expect(json["injections"]?.object?.keys == analysis.injections.map(\.id))
        } catch {
            Issue.record("\(label): JSON does not parse: \(error)")
        }
        #expect(mermaidProblems(Diagrams.document(analysis, injections: analysis.injections, syntax: .mermaid)) == [])
        #expect(dotProblems(Diagrams.document(analysis, injections: analysis.injections, syntax: .dot)) == [])
        _ = analysis.text()
        _ = analysis.markdown
    }
}

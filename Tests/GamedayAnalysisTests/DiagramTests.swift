import Foundation
import GamedayModel
import Testing
@testable import GamedayAnalysis

@Suite struct DiagramTests {
    func analysis(_ controls: [String] = []) throws -> ScenarioAnalysis {
        ScenarioAnalysis(scenario: try ScenarioLoader.load(path: Fixtures.path("checkout-config-push.yaml")).variant(with: controls))
    }

    @Test func mermaidBowTieHasEveryBarrierWithItsNumbers() throws {
        let a = try analysis(["canary-deploys"])
        let badConfig = try #require(a.injection("bad-config"))
        let text = Diagrams.bowTie(badConfig, syntax: .mermaid)
        #expect(mermaidProblems(text) == [])
        #expect(text.hasPrefix("flowchart LR\n"))
        for id in ["config-validation", "flag-ramp", "canary", "checkout-5xx-alert", "customer-reports", "rollback"] {
            #expect(text.contains("\"\(id)<br/>"), "missing \(id)")
        }
        // The chance of getting past each barrier, exactly: 70%, then 32.2%, then 6.44%.
        #expect(text.contains("-->|\"passes 70%\"|"))
        #expect(text.contains("-->|\"passes 32.2%\"|"))
        #expect(text.contains("passes prevention 6.44%"))
        // Conditions carry '>' as an entity code.
        #expect(text.contains("error rate #62; 5% for 5m"))
        #expect(text.contains("Consequence: web at 40% errors"))
    }

    @Test func serviceGraphHighlightsTheBlastRadius() throws {
        let a = try analysis()
        let retry = try #require(a.injection("retry-storm"))
        let mermaid = Diagrams.serviceGraph(a, blastRadiusOf: retry, syntax: .mermaid)
        #expect(mermaidProblems(mermaid) == [])
        // payments is the target; checkout and web are affected; recommendations is not.
        #expect(mermaid.contains("class s_2 target"))
        #expect(mermaid.contains("class s_0,s_1 affected"))
        #expect(mermaid.contains("class s_3 service"))
        // Edges web->checkout (0) and checkout->payments (1) carry the errors; checkout->recommendations (2) does not.
        #expect(mermaid.contains("linkStyle 0,1 stroke"))
        #expect(mermaid.contains("payments-breaker caps at 20%"))
        let dot = Diagrams.serviceGraph(a, blastRadiusOf: retry, syntax: .dot)
        #expect(dotProblems(dot) == [])
    }

    @Test(arguments: DiagramSyntax.allCases)
    func wholeDocumentIsWellFormed(syntax: DiagramSyntax) throws {
        for controls in [[], ["canary-deploys"], ["fix-retries"]] {
            let a = try analysis(controls)
            let text = Diagrams.document(a, injections: a.injections, syntax: syntax)
            switch syntax {
            case .mermaid: #expect(mermaidProblems(text) == [])
            case .dot:
                #expect(dotProblems(text) == [])
                if let result = try runGraphviz(text) {
                    #expect(result.status == 0, "dot failed: \(result.error)")
                    #expect(result.output.contains("<svg"))
                }
            }
        }
    }

    @Test func labelsAreEscapedForEachSyntax() throws {
        let tricky = "a \"quoted\" <b>bold</b> & #1 `tick` | pipe \\n back\\slash\nnewline"
        #expect(DiagramGraph.mermaidEscape(tricky) == "a #34;quoted#34; #60;b#62;bold#60;/b#62; #38; #35;1 #96;tick#96; #124; pipe \\n back\\slash newline")
        #expect(DiagramGraph.dotEscape(tricky) == "a \\\"quoted\\\" <b>bold</b> & #1 `tick` | pipe \\\\n back\\\\slash newline")
        var graph = DiagramGraph(title: tricky)
        let cluster = DiagramGraph.Cluster(id: "c0", label: tricky)
        cluster.nodes.append(.init(id: "n0", lines: [tricky, "second line"], kind: .threat))
        cluster.nodes.append(.init(id: "n1", lines: [tricky], kind: .topEvent))
        graph.root.clusters.append(cluster)
        graph.root.nodes.append(.init(id: "n2", lines: [tricky], kind: .consequence))
        graph.edges.append(.init(from: "n0", to: "n1", label: tricky))
        graph.edges.append(.init(from: "n1", to: "n2", label: nil, dashed: true, highlighted: true))
        #expect(mermaidProblems(graph.mermaid) == [])
        #expect(dotProblems(graph.dot) == [])
        if let result = try runGraphviz(graph.dot) {
            #expect(result.status == 0, "dot failed: \(result.error)")
            // The label survives: Graphviz shows the quotes and the backslash literally.
            #expect(result.output.contains("a &quot;quoted&quot; &lt;b&gt;bold&lt;/b&gt; &amp; #1 `tick` | pipe \\n back\\slash newline"))
        }
    }

    @Test func injectionWithoutAnyBarrierStillDrawsABowTie() throws {
        let a = try analyze(scenarioText(barriers: "  []"))
        let fault = try #require(a.injection("fault"))
        let mermaid = Diagrams.bowTie(fault, syntax: .mermaid)
        #expect(mermaidProblems(mermaid) == [])
        #expect(mermaid.contains("no prevention"))
        #expect(mermaid.contains("undetected 100%"))
        #expect(mermaid.contains("no mitigation removes fault"))
        let dot = Diagrams.bowTie(fault, syntax: .dot)
        #expect(dotProblems(dot) == [])
        if let result = try runGraphviz(dot) { #expect(result.status == 0, "dot failed: \(result.error)") }
    }
}

@Suite struct StructureCheckerTests {
    /// The structural checkers must reject what a parser would: otherwise the diagram tests prove nothing.
    @Test func mermaidCheckerRejectsBrokenText() {
        #expect(!mermaidProblems("graph TD\n").isEmpty)
        #expect(!mermaidProblems("flowchart LR\n  a[\"x\"]\n  subgraph s[\"y\"]\n").isEmpty)           // no end
        #expect(!mermaidProblems("flowchart LR\n  a[\"say \"hi\"\"]\n").isEmpty)                      // raw quote
        #expect(!mermaidProblems("flowchart LR\n  a[\"x\"]\n  a --> b\n").isEmpty)                   // undeclared b
        #expect(!mermaidProblems("flowchart LR\n  a[\"<b>x\"]\n").isEmpty)                           // raw <
        #expect(!mermaidProblems("flowchart LR\n  a[\"x\"]\n  a[\"y\"]\n").isEmpty)                  // duplicate
        #expect(mermaidProblems("flowchart LR\n  a[\"x<br/>y\"]\n  b((\"z\"))\n").count == 1)         // unknown shape
    }

    @Test func dotCheckerRejectsBrokenText() {
        #expect(!dotProblems("digraph \"x\" {\n  \"a\" -> \"b\"\n}\n").isEmpty)          // missing ;
        #expect(!dotProblems("digraph \"x\" {\n  \"a [label=\"q\"];\n}\n").isEmpty)       // unbalanced quotes
        #expect(!dotProblems("digraph \"x\" {\n  subgraph \"c\" {\n}\n").isEmpty)          // unbalanced braces
        #expect(dotProblems("digraph \"x\" {\n  \"a\" [label=\"\\\"q\\\"\"];\n}\n") == [])
    }
}

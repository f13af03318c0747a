import Foundation
import GamedayModel
import Testing
import GamedayTestSupport
@testable import GamedayAnalysis

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    /// The package root: Tests/GamedayAnalysisTests/../..
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

/// Loads scenario text, failing the test with the loader's diagnostics when it is invalid.
func loadScenario(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Scenario {
    let result = ScenarioLoader.check(text: text, path: "<test>")
    for d in result.diagnostics where d.severity == .error { Issue.record("\(d)", sourceLocation: sourceLocation) }
    return try #require(result.scenario, sourceLocation: sourceLocation)
}

func analyze(_ text: String, with controls: [String] = [], sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> ScenarioAnalysis {
    ScenarioAnalysis(scenario: try loadScenario(text, sourceLocation: sourceLocation).variant(with: controls))
}

/// A minimal scenario around one injection `fault` on service `app` (which `web` depends on),
/// with the given barriers and responders sections.
func scenarioText(barriers: String, responders: String = defaultResponders, injection: String = defaultInjection,
                  services: String = defaultServices, extra: String = "") -> String {
    """
    scenario:
      id: test
      title: Test
      horizon: 8h
    services:
    \(services)
    injections:
    \(injection)
    barriers:
    \(barriers)
    responders:
    \(responders)
    \(extra)
    """
}

let defaultServices = """
  - id: web
    traffic: 600/min
    slo: 99.9%
    depends_on: [app]
  - id: app
    depends_on: [{service: cache, weight: 50%}]
  - id: cache
  - id: other
"""

let defaultInjection = """
  - id: fault
    target: app
    effect: {error_rate: 40%}
"""

let defaultResponders = """
  - id: oncall
    acknowledge: 2m
    diagnose: 10m
"""

let tolerance = 1e-12

func close(_ a: Double?, _ b: Double, _ eps: Double = tolerance) -> Bool {
    guard let a else { return false }
    return abs(a - b) < eps
}

/// Checks Mermaid flowchart text line by line against the statement forms the renderer emits,
/// and the references between them: the structural test that stands in for a Mermaid parser.
func mermaidProblems(_ text: String) -> [String] {
    var problems: [String] = []
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard lines.first == "flowchart LR" else { return ["first line is not 'flowchart LR'"] }
    let id = "[a-z][a-z0-9_]*"
    let label = "\"[^\"]*\""
    let patterns: [(String, String)] = [
        ("node", "^ +(\(id))(>\(label)\\]|\\{\\{\(label)\\}\\}|\\(\\[\(label)\\]\\)|\\(\(label)\\)|\\[\(label)\\])$"),
        ("subgraph", "^ +subgraph (\(id))\\[\(label)\\]$"),
        ("end", "^ +end$"),
        ("edge", "^ +(\(id)) (-->|-\\.->)(\\|\(label)\\|)? (\(id))$"),
        ("classDef", "^ +classDef [a-z]+ [a-z0-9#:,. -]+$"),
        ("class", "^ +class \(id)(,\(id))* [a-z]+$"),
        ("linkStyle", "^ +linkStyle [0-9]+(,[0-9]+)* [a-z0-9#:,. -]+$"),
    ]
    var declared: Set<String> = []
    var depth = 0
    var edges = 0
    var referenced: [String] = []
    for (number, line) in lines.enumerated().dropFirst() where !line.isEmpty {
        guard let (kind, match) = patterns.lazy.compactMap({ kind, pattern -> (String, [String])? in
            guard let regex = try? Regex(pattern), let m = line.wholeMatch(of: regex) else { return nil }
            return (kind, m.output.map { $0.substring.map(String.init) ?? "" })
        }).first else {
            problems.append("line \(number + 1) is not a statement the renderer emits: \(line)")
            continue
        }
        switch kind {
        case "node":
            if declared.contains(match[1]) { problems.append("node \(match[1]) declared twice") }
            if match[1] == "end" { problems.append("node id 'end' breaks Mermaid") }
            declared.insert(match[1])
        case "subgraph":
            if declared.contains(match[1]) { problems.append("subgraph id \(match[1]) reused") }
            declared.insert(match[1])
            depth += 1
        case "end":
            depth -= 1
            if depth < 0 { problems.append("'end' without subgraph at line \(number + 1)") }
        case "edge":
            edges += 1
            referenced += [match[1], match[match.count - 1]]
        default: break
        }
        // Inside quotes only <br/> may appear as markup; every other < was escaped.
        if line.replacingOccurrences(of: "<br/>", with: "").contains("<") { problems.append("unescaped '<' at line \(number + 1)") }
    }
    if depth != 0 { problems.append("unbalanced subgraph/end") }
    for ref in referenced where !declared.contains(ref) { problems.append("edge names undeclared node \(ref)") }
    if let linkStyle = lines.first(where: { $0.hasPrefix("  linkStyle ") }) {
        let indices = linkStyle.split(separator: " ")[1].split(separator: ",").compactMap { Int($0) }
        if let maxIndex = indices.max(), maxIndex >= edges { problems.append("linkStyle index \(maxIndex) but only \(edges) edges") }
    }
    return problems
}

/// Checks DOT text's structure: one digraph, balanced braces and quotes, every statement ends with ';'.
func dotProblems(_ text: String) -> [String] {
    var problems: [String] = []
    if !text.hasPrefix("digraph \"") { problems.append("does not start with a quoted digraph name") }
    var depth = 0
    var inString = false
    var escaped = false
    for character in text {
        if inString {
            if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            continue
        }
        switch character {
        case "\"": inString = true
        case "{": depth += 1
        case "}": depth -= 1; if depth < 0 { problems.append("unbalanced }") }
        default: break
        }
    }
    if inString { problems.append("unterminated string") }
    if depth != 0 { problems.append("unbalanced braces") }
    for line in text.split(separator: "\n").dropFirst() {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("{") || trimmed == "}" { continue }
        if !trimmed.hasSuffix(";") { problems.append("statement without ';': \(trimmed)") }
    }
    return problems
}

/// Runs Graphviz on DOT text when it is installed; returns nil when it is not.
func runGraphviz(_ dot: String) throws -> ProcessResult? {
    let candidates = ["/usr/bin/dot", "/usr/local/bin/dot", "/opt/homebrew/bin/dot"]
    guard let executable = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
    return try runProcess(executable, ["-Tsvg"], input: dot)
}


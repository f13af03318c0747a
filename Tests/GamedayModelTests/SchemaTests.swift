import Foundation
import Testing
import GamedayTestSupport
@testable import GamedayModel

/// The package root, found from this file's path.
private let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Runs Python's `jsonschema` (Draft 2020-12) on documents: the schema itself is checked against
/// the metaschema, then each document is validated. Returns each document's errors, in order.
///
/// A real validator, run as a subprocess, is the point: a schema checked only by the code that
/// wrote it could be wrong in the same way twice. `.ci/run` installs jsonschema when missing.
private func validateWithJSONSchema(_ schema: JSONValue, _ documents: [(name: String, json: JSONValue)]) throws -> [String: [String]] {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gameday-schema-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let schemaPath = directory.appendingPathComponent("schema.json")
    let documentsPath = directory.appendingPathComponent("documents.json")
    try Data(schema.pretty.utf8).write(to: schemaPath)
    let list = JSONValue.array(documents.map { ["name": .string($0.name), "document": $0.json] })
    try Data(list.compact.utf8).write(to: documentsPath)

    let script = """
        import json, sys
        try:
            from jsonschema import Draft202012Validator
        except ImportError:
            print("MISSING-JSONSCHEMA")
            sys.exit(3)
        schema = json.load(open(sys.argv[1]))
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema)
        result = {}
        for entry in json.load(open(sys.argv[2])):
            errors = sorted(validator.iter_errors(entry["document"]), key=lambda e: list(e.absolute_path).__repr__())
            result[entry["name"]] = ["/".join(str(p) for p in e.absolute_path) + ": " + e.message[:300] for e in errors]
        print(json.dumps(result))
        """
    let run = try runProcess("/usr/bin/env", ["python3", "-c", script, schemaPath.path, documentsPath.path])
    let text = run.output
    if text.contains("MISSING-JSONSCHEMA") {
        Issue.record("python3 with jsonschema is needed for this test: python3 -m pip install jsonschema (.ci/run does this)")
        return [:]
    }
    try #require(run.status == 0, "python3 failed: \(run.error)")
    let parsed = try JSONParser.parse(text)
    var result: [String: [String]] = [:]
    for (name, value) in parsed.object?.pairs ?? [] {
        result[name] = value.array?.compactMap(\.string) ?? []
    }
    return result
}

/// Every scenario that must be valid: the bundled library (discovered at run time, since it grows
/// separately), the spec's example, and the test fixtures written to cover every feature.
private func validScenarioFiles() throws -> [String] {
    var files: [String] = []
    let manager = FileManager.default
    let library = packageRoot.appendingPathComponent("scenarios").path
    if let enumerator = manager.enumerator(atPath: library) {
        for case let relative as String in enumerator where relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") {
            files.append((library as NSString).appendingPathComponent(relative))
        }
    }
    for name in try manager.contentsOfDirectory(atPath: Fixtures.directory.path) where name.hasSuffix(".yaml") {
        files.append(Fixtures.path(name))
    }
    return files.sorted()
}

@Test func validScenariosLoadAndMatchTheSchema() throws {
    let files = try validScenarioFiles()
    #expect(files.contains { $0.hasSuffix("checkout-config-push.yaml") })
    var documents: [(name: String, json: JSONValue)] = []
    for file in files {
        let result = ScenarioLoader.check(path: file)
        #expect(result.diagnostics.isEmpty, "\(file):\n\(result.diagnostics.map(\.description).joined(separator: "\n"))")
        let scenario = try #require(result.scenario, "\(file) loads")
        documents.append((file, scenario.source.document.jsonValue))
    }
    documents.append(("minimal scenario", try #require(try YAMLParser.parse(minimalScenario, file: "minimal.yaml")).jsonValue))
    let errors = try validateWithJSONSchema(ScenarioSchema.json, documents)
    for (name, _) in documents {
        #expect(errors[name] == [], "\(name) does not match the schema:\n\((errors[name] ?? ["not validated"]).joined(separator: "\n"))")
    }
}

@Test func schemaRejectsWrongDocuments() throws {
    func patched(_ old: String, _ new: String) throws -> JSONValue {
        try #require(minimalScenario.components(separatedBy: old).count == 2, "\(old)")
        return try #require(try YAMLParser.parse(minimalScenario.replacingOccurrences(of: old, with: new), file: "wrong.yaml")).jsonValue
    }
    let wrong: [(name: String, json: JSONValue, path: String)] = [
        ("unknown top-level key", try patched("checks:\n", "chekcs:\n"), ""),
        ("unknown key in a barrier", try patched("    notifies: oncall\n", "    notify: oncall\n"), "barriers/1"),
        ("duration without a unit", try patched("escalate_after: 15m", "escalate_after: 15"), "responders/0/escalate_after"),
        ("duration with a wrong unit", try patched("escalate_after: 15m", "escalate_after: 15min"), "responders/0/escalate_after"),
        ("probability above 100%", try patched("{error_rate: 40%}", "{error_rate: 120%}"), "injections/0/effect/error_rate"),
        ("probability above 1", try patched("{error_rate: 40%}", "{error_rate: 1.5}"), "injections/0/effect/error_rate"),
        ("list where a mapping belongs", try patched("{error_rate: 40%}", "[40%]"), "injections/0/effect"),
        ("bad id", try patched("  - id: cache\n", "  - id: Cache_1\n"), "services/3/id"),
        ("missing required key", try patched("  title: Minimal scenario\n", ""), "scenario"),
        ("unknown distribution", try patched("    acknowledge: 5m\n", "    acknowledge: {normal: {mean: 5m}}\n"), "responders/1/acknowledge"),
        ("traffic without a unit", try patched("traffic: 1200/min", "traffic: 1200"), "services/0/traffic"),
    ]
    let errors = try validateWithJSONSchema(ScenarioSchema.json, wrong.map { ($0.name, $0.json) })
    for entry in wrong {
        let found = errors[entry.name] ?? []
        #expect(!found.isEmpty, "the schema accepts a document with \(entry.name)")
        #expect(found.contains { $0.hasPrefix(entry.path + ":") }, "\(entry.name): \(found)")
    }
}

@Test func schemaIsDraft202012WithEveryObjectDefined() throws {
    let schema = ScenarioSchema.json
    #expect(schema["$schema"]?.string == "https://json-schema.org/draft/2020-12/schema")
    #expect(schema["$id"]?.string == ScenarioSchema.id)
    // Every $ref points at a definition that exists.
    let definitions = Set(schema["$defs"]?.object?.keys ?? [])
    var references: [String] = []
    func collect(_ value: JSONValue) {
        switch value {
        case .object(let object):
            for (key, child) in object.pairs {
                if key == "$ref", let target = child.string { references.append(target) } else { collect(child) }
            }
        case .array(let items): items.forEach(collect)
        default: break
        }
    }
    collect(schema)
    #expect(!references.isEmpty)
    for reference in references {
        #expect(reference.hasPrefix("#/$defs/") && definitions.contains(String(reference.dropFirst(8))), "\(reference)")
    }
    // The schema's output is deterministic.
    #expect(ScenarioSchema.json.pretty == schema.pretty)
}

import ArgumentParser
import Foundation
import GamedayDrill
import GamedayModel
import GamedayRecords

/// `gameday validate PATH...`: checks scenario files and reports every problem with its position.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check scenarios, postmortem records and drill scripts; report every problem as file:line:column.",
        discussion: """
        PATH may be files or folders; folders are searched recursively for .yaml and .yml files. \
        Every problem in a file is reported at once, as `path:line:column: error: what is wrong (what is allowed)`.

        Exit status: 0 when every file is valid (warnings allowed), 1 when any is invalid, 2 on usage errors.
        """
    )

    @Argument(help: "Files or folders to check.", completion: .file(extensions: ["yaml", "yml"]))
    var paths: [String]

    @Option(help: "Output format: text or json.")
    var format: ValidateFormat = .text

    @Flag(help: "Treat warnings as errors.")
    var strict = false

    func run() throws {
        let files = try FileCollector.yamlFiles(in: paths)
        var reports: [FileValidation.Report] = []
        let scenarios = ScenarioCache()
        for file in files {
            reports.append(FileValidation.validate(path: file, scenarios: scenarios))
        }
        try FileValidation.emit(reports, format: format, strict: strict, noun: "file")
    }
}

enum ValidateFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Finds the YAML files under the paths a user gave.
enum FileCollector {
    static func yamlFiles(in paths: [String]) throws -> [String] {
        var files: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CommandFailure.usage("\(path): no such file or directory")
            }
            if isDirectory.boolValue {
                guard let enumerator = manager.enumerator(atPath: path) else { continue }
                var found: [String] = []
                for case let relative as String in enumerator {
                    let name = (relative as NSString).lastPathComponent
                    // Hidden folders (.build, .git, .gameday) hold build products and tool state.
                    if name.hasPrefix(".") {
                        var isFolder: ObjCBool = false
                        if manager.fileExists(atPath: (path as NSString).appendingPathComponent(relative), isDirectory: &isFolder), isFolder.boolValue {
                            enumerator.skipDescendants()
                        }
                        continue
                    }
                    if relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") {
                        found.append((path as NSString).appendingPathComponent(relative))
                    }
                }
                files += found.sorted()
            } else {
                files.append(path)
            }
        }
        return files
    }
}

/// Validation of one file of any gameday kind, chosen by its top-level key.
enum FileValidation {
    /// Prints validation reports (every diagnostic, then a summary line, or one JSON document)
    /// and exits 1 when any file is invalid.
    static func emit(_ reports: [Report], format: ValidateFormat, strict: Bool, noun: String) throws {
        let invalid = reports.filter { !$0.isValid(strict: strict) }
        let count = reports.count
        switch format {
        case .text:
            for report in reports {
                for d in report.diagnostics { Terminal.printDiagnostic(d, toStdout: true) }
            }
            let errors = reports.reduce(0) { $0 + $1.diagnostics.filter { $0.severity == .error }.count }
            let warnings = reports.reduce(0) { $0 + $1.diagnostics.filter { $0.severity == .warning }.count }
            var summary = "\(count) \(noun)\(count == 1 ? "" : "s") checked: \(count - invalid.count) valid, \(invalid.count) invalid"
            if errors + warnings > 0 { summary += " (\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"))" }
            print(Terminal.paint(summary, { invalid.isEmpty ? $0.green : $0.red }))
        case .json:
            let json: JSONValue = [
                "files": .array(reports.map { $0.json(strict: strict) }),
                "valid": .int(count - invalid.count),
                "invalid": .int(invalid.count),
            ]
            print(json.pretty)
        }
        if !invalid.isEmpty { throw ExitCode(1) }
    }

    struct Report {
        var path: String
        var kind: String
        var diagnostics: [Diagnostic]

        func isValid(strict: Bool) -> Bool {
            !diagnostics.contains { $0.severity == .error || (strict && $0.severity == .warning) }
        }

        func json(strict: Bool) -> JSONValue {
            [
                "path": .string(path),
                "kind": .string(kind),
                "valid": .bool(isValid(strict: strict)),
                "diagnostics": .array(diagnostics.map { d in
                    [
                        "severity": .string(d.severity.rawValue),
                        "line": .int(d.location.line),
                        "column": .int(d.location.column),
                        "message": .string(d.message),
                        "help": d.help.map { .string($0) } ?? .null,
                    ]
                }),
            ]
        }
    }

    static func validate(path: String, scenarios: ScenarioCache = ScenarioCache()) -> Report {
        let kind = GamedayFileKind.detect(path: path)
        switch kind {
        case .postmortem:
            return Report(path: path, kind: "postmortem", diagnostics: RecordLoader.check(path: path, scenarios: scenarios).diagnostics)
        case .scenario, .unknown:
            if case .unknown(let diagnostic) = kind, let diagnostic {
                return Report(path: path, kind: "unknown", diagnostics: [diagnostic])
            }
            return Report(path: path, kind: "scenario", diagnostics: ScenarioLoader.check(path: path).diagnostics)
        case .drillScript:
            return Report(path: path, kind: "drill script", diagnostics: DrillScriptLoader.check(path: path).diagnostics)
        }
    }
}

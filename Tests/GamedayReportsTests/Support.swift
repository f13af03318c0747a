import Foundation
import GamedayModel
import Testing
import GamedayTestSupport

enum Paths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let browserCheck = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("browser_check.py").path
    static func bundled(_ name: String) -> String { packageRoot.appendingPathComponent("scenarios/\(name).yaml").path }

    /// The built `gameday` executable: beside the test bundle, or in .build/debug.
    static var binary: String? { TestPaths.gamedayExecutable }

    static func temporaryDirectory() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gameday-reports-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

func load(_ path: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Scenario {
    let result = ScenarioLoader.check(path: path)
    for d in result.diagnostics where d.severity == .error { Issue.record("\(d)", sourceLocation: sourceLocation) }
    return try #require(result.scenario, sourceLocation: sourceLocation)
}

/// Finds an executable on PATH.
func which(_ name: String) -> String? {
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(folder)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

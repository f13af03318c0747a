import Foundation
import GamedayModel
import Testing

enum Paths {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let browserCheck = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("browser_check.py").path
    static func bundled(_ name: String) -> String { packageRoot.appendingPathComponent("scenarios/\(name).yaml").path }

    /// The built `gameday` executable: beside the test bundle, or in .build/debug.
    static var binary: String? {
        var candidates: [String] = []
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(folder.appendingPathComponent("gameday").path)
            folder = folder.deletingLastPathComponent()
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/gameday").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

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

/// Runs a program and collects its exit status and output.
func runProcess(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (status: Int32, output: String, error: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes to the end before waiting, so that a full pipe cannot block the child.
    let errorData = LockedData()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errorData.set(err.fileHandleForReading.readDataToEndOfFile())
        group.leave()
    }
    let output = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errorData.get(), as: UTF8.self))
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}

/// Finds an executable on PATH.
func which(_ name: String) -> String? {
    for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(folder)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

import Foundation

/// What a child process printed and how it ended.
public struct ProcessResult: Sendable {
    /// The exit status (or the signal number when it was killed).
    public var status: Int32
    /// Whether a signal ended it.
    public var signaled: Bool
    /// Its standard output.
    public var output: String
    /// Its standard error.
    public var error: String
}

/// Runs a program to completion: writes `input` to its standard input and reads both output
/// pipes concurrently, so that a child with a lot to say never blocks on a full pipe.
public func runProcess(_ executable: String, _ arguments: [String], input: String = "",
                       environment: [String: String]? = nil, directory: String? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let outData = LockedData(), errData = LockedData()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { outData.set(stdout.fileHandleForReading.readDataToEndOfFile()); group.leave() }
    group.enter()
    DispatchQueue.global().async { errData.set(stderr.fileHandleForReading.readDataToEndOfFile()); group.leave() }
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()
    group.wait()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal,
                         output: String(decoding: outData.get(), as: UTF8.self),
                         error: String(decoding: errData.get(), as: UTF8.self))
}

/// The package's root folder and the `gameday` executable `swift test` built.
public enum TestPaths {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built `gameday` executable: beside the test bundle (up to four folders up), or in
    /// .build/debug; `nil` when neither exists.
    public static var gamedayExecutable: String? {
        var candidates: [String] = []
        if let url = Bundle.main.executableURL { candidates.append(url.deletingLastPathComponent().appendingPathComponent("gameday").path) }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(folder.appendingPathComponent("gameday").path)
            folder = folder.deletingLastPathComponent()
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/gameday").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// Data written by one thread and read by another.
final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}

import Foundation
import GamedayModel
@testable import GamedayRecords

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var examplesDirectory: String { packageRoot.appendingPathComponent("postmortems").path }
}

/// A fresh temporary folder, removed when the value goes away.
final class TemporaryFolder: Sendable {
    let path: String

    init() {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("gameday-records-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        path = base.path
        // A repository root marker, so scenario lookups stop here.
        try! FileManager.default.createDirectory(atPath: path + "/.git", withIntermediateDirectories: true)
    }

    func file(_ relative: String) -> String { (path as NSString).appendingPathComponent(relative) }

    @discardableResult
    func write(_ relative: String, _ text: String) -> String {
        let target = file(relative)
        try! FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: URL(fileURLWithPath: target))
        return target
    }

    func read(_ relative: String) -> String { String(decoding: FileManager.default.contents(atPath: file(relative))!, as: UTF8.self) }
    func bytes(_ relative: String) -> [UInt8] { Array(FileManager.default.contents(atPath: file(relative))!) }

    /// Copies every bundled scenario (the package's scenarios/) to scenarios/.
    func addBundledScenarios() {
        let bundled = Fixtures.packageRoot.appendingPathComponent("scenarios")
        for file in (try? FileManager.default.contentsOfDirectory(atPath: bundled.path)) ?? [] where file.hasSuffix(".yaml") {
            write("scenarios/" + file, String(decoding: FileManager.default.contents(atPath: bundled.appendingPathComponent(file).path)!, as: UTF8.self))
        }
    }

    /// Copies the fixture scenario to scenarios/checkout-config-push.yaml.
    func addScenario() {
        let text = String(decoding: FileManager.default.contents(atPath: Fixtures.path("checkout-config-push.yaml"))!, as: UTF8.self)
        write("scenarios/checkout-config-push.yaml", text)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A small evidence entry for tests.
func sampleEntry(action: String? = nil, note: String? = nil) -> EvidenceEntry {
    EvidenceEntry(kind: .counterfactual, at: "2025-07-20T10:02:11Z", engine: "gameday 0.1.0",
                  scenario: ScenarioStamp(path: "scenarios/checkout-config-push.yaml", sha256: "9f2c0000000000000000000000000000000000000000000000000000000000aa"),
                  seed: 42, trials: 100_000, controls: ["canary-deploys"], action: action, note: note,
                  result: [
                      "incident_probability": ["baseline": 0.93, "variant": 0.18, "variant_ci95": [0.178, 0.182]],
                      "averted": ["share": 0.79, "ci95": [0.787, 0.793]],
                  ])
}

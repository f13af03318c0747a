import Foundation
import Testing
@testable import GamedayModel

/// Files made to hurt a parser must give a clear error quickly, and never crash or hang.
///
/// Each check is timed; the limit is far above what they take (milliseconds) so that a busy
/// machine does not fail them, yet far below what a blow-up would take.
private let timeLimit: Duration = .seconds(5)

private func timed<T>(_ body: () throws -> T) rethrows -> (T, Duration) {
    let clock = ContinuousClock()
    let start = clock.now
    let value = try body()
    return (value, clock.now - start)
}

private func check(_ text: String) -> (ScenarioLoader.Result, Duration) {
    timed { ScenarioLoader.check(text: text, path: "hostile.yaml") }
}

private func rendered(_ result: ScenarioLoader.Result) -> [String] {
    result.diagnostics.map { "\($0.location.line):\($0.location.column): \($0.text)" }
}

@Test func billionLaughsStopsAtTheNodeLimit() {
    // Nine levels of nine aliases each: 9^9 ≈ 387 million strings once expanded.
    var text = "scenario:\n  a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
    var previous = "a"
    for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
        text += "  \(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
        previous = name
    }
    let (result, elapsed) = check(text)
    #expect(elapsed < timeLimit)
    #expect(result.scenario == nil)
    #expect(result.diagnostics.count == 1)
    #expect(result.diagnostics.first?.text == "document has more than 250000 values once aliases are expanded (gameday files are far smaller; an alias like *name counts once for every place it is used)")
}

@Test(arguments: [
    ("closed flow lists", String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000) + "\n"),
    ("unclosed flow lists", String(repeating: "[", count: 100_000) + "\n"),
    ("flow mappings", "a: " + String(repeating: "{b: ", count: 3_000) + "1" + String(repeating: "}", count: 3_000) + "\n"),
])
func deeplyNestedFlowCollectionsAreRejected(_ name: String, _ text: String) {
    let (result, elapsed) = check(text)
    #expect(elapsed < timeLimit, "\(name)")
    #expect(result.scenario == nil)
    #expect(result.diagnostics.count == 1, "\(name): \(result.diagnostics)")
    #expect(result.diagnostics.first?.text == "nesting deeper than 64 levels (gameday files nest a few levels deep; this looks like a broken or hostile file)")
}

@Test func deeplyNestedBlockMappingsAreRejectedWhereTheLimitIsCrossed() throws {
    var marked = ""
    for depth in 0..<100 {
        marked += String(repeating: "  ", count: depth) + (depth == 64 ? "1️⃣" : "") + "k\(depth):\n"
    }
    let text = MarkedText(marked)
    let (result, elapsed) = check(text.text)
    #expect(elapsed < timeLimit)
    #expect(rendered(result) == ["\(try #require(text.position())): nesting deeper than 64 levels (gameday files nest a few levels deep; this looks like a broken or hostile file)"])
}

@Test func textOverTheSizeLimitIsRejectedBeforeParsing() {
    let text = "scenario:\n  description: \"" + String(repeating: "x", count: 5 << 20) + "\"\n"
    let (result, elapsed) = check(text)
    #expect(elapsed < timeLimit)
    #expect(rendered(result) == ["1:1: file is \(text.utf8.count) bytes, over the limit of 4194304 bytes (a scenario file is text of a few kilobytes; check that this is the right file)"])
}

@Test func fileOverTheSizeLimitIsRejectedBeforeReading() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("gameday-large-\(UUID().uuidString).yaml").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let data = Data(repeating: UInt8(ascii: "#"), count: 4_194_305)
    try data.write(to: URL(fileURLWithPath: path))
    let (result, elapsed) = timed { ScenarioLoader.check(path: path) }
    #expect(elapsed < timeLimit)
    #expect(result.diagnostics.map(\.description) == ["\(path):1:1: error: file is 4194305 bytes, over the limit of 4194304 bytes (a scenario file is text of a few kilobytes; check that this is the right file)"])
}

@Test func nonUTF8BytesAreReportedWhereTheyAre() throws {
    // "café" in Latin-1: the é is the single byte 0xE9, which UTF-8 does not allow there.
    let marked = MarkedText("scenario:\n  id: x\n  title: caf1️⃣E\n")
    var bytes = Array(marked.text.utf8)
    let index = try #require(bytes.firstIndex(of: UInt8(ascii: "E")))
    bytes[index] = 0xE9
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("gameday-latin1-\(UUID().uuidString).yaml").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let result = ScenarioLoader.check(path: path)
    #expect(result.diagnostics.map { "\($0.location.line):\($0.location.column): \($0.text)" }
        == ["\(try #require(marked.position())): file is not UTF-8 text: byte 0xE9 here is not part of a UTF-8 character (save the file with UTF-8 encoding)"])
}

@Test func byteOrderMarkIsNotContent() throws {
    let result = ScenarioLoader.check(text: "\u{FEFF}" + minimalScenario, path: "bom.yaml")
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    // Columns count from after the mark, as an editor shows them.
    let broken = MarkedText("\u{FEFF}1️⃣scenari: {id: x, title: y}\nservices: []\ninjections: []\n")
    let diagnostics = ScenarioLoader.check(text: broken.text, path: "bom.yaml").diagnostics
    #expect(diagnostics.first.map { "\($0.location.line):\($0.location.column)" } == "1:1")
}

@Test func longDependencyChainDoesNotOverflowTheStack() {
    // A cycle through thousands of services: a recursive search would overflow a test thread's stack.
    let count = 3_000
    var text = "scenario: {id: chain, title: Chain}\ninjections: []\nservices:\n"
    for i in 0..<count { text += "  - {id: s\(i), depends_on: [s\((i + 1) % count)]}\n" }
    let (result, elapsed) = check(text)
    #expect(elapsed < timeLimit)
    #expect(result.diagnostics.map(\.message) == ["dependency cycle: s0 -> s1 -> s2 -> s3 -> s4 -> s5 -> ...(2992 more) -> s2998 -> s2999 -> s0"])
}

@Test func longForwardingChainIsWalkedOnce() {
    let count = 3_000
    var text = "scenario: {id: relay, title: Relay}\nservices: [{id: web}]\ninjections: []\nresponders:\n"
    for i in 0..<count { text += "  - {id: r\(i), acknowledge: 1m, forwards_to: r\(i + 1)}\n" }
    text += "  - {id: r\(count), acknowledge: 1m, diagnose: 5m}\n"
    let (result, elapsed) = check(text)
    #expect(elapsed < timeLimit)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics.prefix(3))")
}

@Test func manyControlsInALargeFileAreRefusedRatherThanCheckedForHours() {
    var text = "scenario: {id: many, title: Many}\ninjections: []\nservices:\n"
    for i in 0..<2_000 { text += "  - {id: s\(i), description: padding to make the document large}\n" }
    text += "controls:\n"
    for i in 0..<300 { text += "  - {id: c\(i), remove: [services.s\(i)]}\n" }
    let (result, elapsed) = check(text)
    #expect(elapsed < timeLimit)
    #expect(result.diagnostics.map(\.message) == ["too many controls to check: 300 controls in a file of 11813 values"])
}

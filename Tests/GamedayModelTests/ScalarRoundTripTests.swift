import Foundation
import Testing
@testable import GamedayModel

private func value<T>(_ parsed: Scalars.Parsed<T>) throws -> T {
    switch parsed {
    case .success(let value): return value
    case .failure(let failure): throw DiagnosticError(Diagnostic(at: SourceLocation(file: "-", line: 0, column: 0), failure.message, help: failure.help))
    }
}

// MARK: Durations

@Test(arguments: [
    ("90s", 90.0), ("5m", 300), ("1h30m", 5_400), ("2d", 172_800), ("1.5h", 5_400), ("0m", 0), ("0s", 0),
    ("45s", 45), ("2d3h", 183_600), ("1h0m30s", 3_630), ("1d2h3m4s", 93_784), ("0.5s", 0.5), (" 5m ", 300),
])
func durationParses(_ text: String, _ seconds: Double) throws {
    #expect(try value(Scalars.duration(text)) == seconds)
}

@Test(arguments: ["90s", "5m", "1h30m", "2d", "1.5h", "0m", "45s", "2d3h", "1h0m30s", "36h", "1.25m", "0.001s", "100d"])
func durationFormatIsStable(_ text: String) throws {
    let seconds = try value(Scalars.duration(text))
    let formatted = Scalars.formatDuration(seconds)
    #expect(try value(Scalars.duration(formatted)) == seconds, "\(text) -> \(formatted)")
    #expect(Scalars.formatDuration(try value(Scalars.duration(formatted))) == formatted)
}

@Test(arguments: [
    (90.0, "1m30s"), (300, "5m"), (5_400, "1h30m"), (172_800, "2d"), (0, "0m"), (45, "45s"), (183_600, "2d3h"),
    (3_630, "1h30s"), (0.5, "0.5s"), (86_399, "23h59m59s"),
])
func durationFormats(_ seconds: Double, _ text: String) {
    #expect(Scalars.formatDuration(seconds) == text)
}

@Test func everyMillisecondMultipleReadsBack() throws {
    // Deterministic spread of values, from milliseconds to weeks.
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    for _ in 0..<2_000 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let milliseconds = Double((state >> 24) % 1_000_000_000)
        let seconds = milliseconds / 1000
        let formatted = Scalars.formatDuration(seconds)
        let back = try value(Scalars.duration(formatted))
        #expect(abs(back - seconds) < 1e-9 * max(1, seconds), "\(seconds) -> \(formatted) -> \(back)")
        #expect(Scalars.formatDuration(back) == formatted)
    }
}

@Test(arguments: ["90", "0", "-5m", "5min", "m", "1.2.3m", "30m1h", "1h1h", "5 m", "", "1e3s", ".inf"])
func durationRejects(_ text: String) {
    guard case .failure(let failure) = Scalars.duration(text) else {
        Issue.record("'\(text)' should not parse as a duration")
        return
    }
    #expect(!failure.help.isEmpty)
}

// MARK: Probabilities and shares

@Test(arguments: [
    ("0.95", 0.95), ("95%", 0.95), ("0%", 0.0), ("100%", 1.0), ("0", 0), ("1", 1), ("0.1%", 0.001),
    ("99.9%", 0.999), ("99.99%", 0.9999), ("12.5%", 0.125), ("7%", 0.07), ("33.3%", 0.333), (" 40 % ", 0.4),
])
func probabilityParses(_ text: String, _ expected: Double) throws {
    // Exact: a percentage is the double nearest its decimal value, like the fraction written out.
    #expect(try value(Scalars.probability(text)) == expected)
}

@Test(arguments: [0.95, 0.0, 1.0, 0.001, 0.999, 0.9999, 0.125, 0.07, 0.333, 0.5, 0.3, 0.29])
func probabilityFormatReadsBack(_ probability: Double) throws {
    let text = Scalars.formatPercent(probability, digits: 6)
    #expect(try value(Scalars.probability(text)) == probability, "\(probability) -> \(text)")
}

@Test(arguments: ["120%", "-5%", "NaN", ".nan", ".inf", "-.inf", "1.5", "1e400", "95 percent", "%", ""])
func probabilityRejects(_ text: String) {
    guard case .failure = Scalars.probability(text) else {
        Issue.record("'\(text)' should not parse as a probability")
        return
    }
}

@Test func shareMayExceedOneButNotBeNegative() throws {
    #expect(try value(Scalars.share("250%")) == 2.5)
    #expect(try value(Scalars.share("0.05")) == 0.05)
    guard case .failure = Scalars.share("-1%") else {
        Issue.record("a negative share should not parse")
        return
    }
}

// MARK: Traffic

@Test(arguments: [
    ("1200/min", 20.0), ("20/s", 20), ("72000/h", 20), ("1728000/d", 20), ("0/s", 0), ("1.5/s", 1.5), ("90 / min", 1.5),
])
func trafficParses(_ text: String, _ perSecond: Double) throws {
    #expect(try value(Scalars.traffic(text)) == perSecond)
}

@Test(arguments: ["1200", "1200/m", "1200/minute", "-5/s", "/s", "5/", "a/s"])
func trafficRejects(_ text: String) {
    guard case .failure = Scalars.traffic(text) else {
        Issue.record("'\(text)' should not parse as traffic")
        return
    }
}

// MARK: Distributions

private func readTime(_ yaml: String) throws -> TimeDistribution? {
    let node = try #require(try YAMLParser.parse("value: \(yaml)\n", file: "distribution.yaml")?["value"])
    let diagnostics = DiagnosticCollector()
    let distribution = NodeReader(diagnostics: diagnostics).timeDistribution(node, what: "value")
    #expect(diagnostics.diagnostics.isEmpty, "\(yaml): \(diagnostics.diagnostics)")
    return distribution
}

private func readProbability(_ yaml: String) throws -> ProbabilityValue? {
    let node = try #require(try YAMLParser.parse("value: \(yaml)\n", file: "probability.yaml")?["value"])
    let diagnostics = DiagnosticCollector()
    let probability = NodeReader(diagnostics: diagnostics).probabilityValue(node, what: "value")
    #expect(diagnostics.diagnostics.isEmpty, "\(yaml): \(diagnostics.diagnostics)")
    return probability
}

@Test(arguments: [
    TimeDistribution.constant(300), .constant(90), .constant(0), .constant(5_400.5),
    .uniform(120, 600), .uniform(0, 0),
    .triangular(min: 180, mode: 300, max: 900), .triangular(min: 60, mode: 60, max: 60),
    .exponential(mean: 600), .exponential(mean: 0.25),
    .lognormal(median: 60, p90: 240), .lognormal(median: 720, p90: 2_700),
    .empirical([180, 300, 420, 1_860]), .empirical([30]),
])
func timeDistributionReadsBackFromItsText(_ distribution: TimeDistribution) throws {
    #expect(try readTime(distribution.yamlText) == distribution, "\(distribution.yamlText)")
}

@Test(arguments: [
    ("5m", TimeDistribution.constant(300)),
    ("{uniform: [2m, 10m]}", .uniform(120, 600)),
    ("{triangular: [2m, 5m, 30m]}", .triangular(min: 120, mode: 300, max: 1_800)),
    ("{exponential: {mean: 10m}}", .exponential(mean: 600)),
    ("{lognormal: {median: 5m, p90: 20m}}", .lognormal(median: 300, p90: 1_200)),
    ("{empirical: [7m, 3m, 31m, 5m]}", .empirical([180, 300, 420, 1_860])),
])
func timeDistributionTextIsStable(_ text: String, _ expected: TimeDistribution) throws {
    let distribution = try #require(try readTime(text))
    #expect(distribution == expected)
    #expect(try readTime(distribution.yamlText) == distribution)
}

@Test(arguments: [
    ProbabilityValue.fixed(0.95), .fixed(0), .fixed(1), .fixed(0.999), .fixed(0.001),
    .uniform(0.6, 0.9), .uniform(0.999, 0.9999),
    .triangular(min: 0.5, mode: 0.8, max: 0.95), .triangular(min: 0, mode: 0.5, max: 1),
])
func probabilityValueReadsBackFromItsText(_ probability: ProbabilityValue) throws {
    #expect(try readProbability(probability.yamlText) == probability, "\(probability.yamlText)")
}

@Test func lognormalSigmaMatchesTheSpec() {
    // sigma = ln(p90 / median) / 1.2815516
    let sigma = TimeDistribution.lognormalSigma(median: 300, p90: 1_200)
    #expect(abs(sigma - log(4) / 1.2815516) < 1e-6)
}

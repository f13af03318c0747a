import GamedayModel
import GamedaySimulation
import GamedayStatistics

/// How a check or one of its expectations came out (spec section 12).
public enum CheckStatus: String, Sendable, Hashable, Comparable {
    /// The whole 95% interval is on the right side of the threshold.
    case pass
    /// The interval straddles the threshold: more trials might decide it. Fails unless allowed.
    case inconclusive
    /// The whole interval is on the wrong side.
    case fail
    /// Too few trials had the quantity to decide at all (a p90 with no data): always a failure.
    case insufficient = "insufficient-data"
    /// The check could not be run (a variant could not be made, the run failed).
    case error

    /// Severity order: pass < inconclusive < fail < insufficient < error.
    var rank: Int {
        switch self {
        case .pass: return 0
        case .inconclusive: return 1
        case .fail: return 2
        case .insufficient: return 3
        case .error: return 4
        }
    }

    public static func < (lhs: CheckStatus, rhs: CheckStatus) -> Bool { lhs.rank < rhs.rank }

    /// Whether this status fails the run.
    public func fails(allowInconclusive: Bool) -> Bool {
        switch self {
        case .pass: return false
        case .inconclusive: return !allowInconclusive
        case .fail, .insufficient, .error: return true
        }
    }
}

/// One expectation decided by its 95% interval.
public struct ExpectationResult: Sendable, Hashable {
    /// The expectation as written.
    public var expectation: Expectation
    /// The decision.
    public var status: CheckStatus
    /// The estimate (`nil` without data).
    public var estimate: Double?
    /// The interval's lower bound (`-infinity`: unbounded, as a quantile interval can be).
    public var lower: Double?
    /// The interval's upper bound (`+infinity`: unbounded).
    public var upper: Double?
    /// How many trials the estimate rests on.
    public var n: Int
    /// The decision in words: `incident_probability 6.4% [5.9%, 7%] < 20%`.
    public var message: String
}

/// One check's result.
public struct CheckResult: Sendable {
    /// The check.
    public var check: Check
    /// The worst of its expectations' statuses (or `error`).
    public var status: CheckStatus
    /// Each expectation.
    public var expectations: [ExpectationResult]
    /// Why it could not be run.
    public var error: String?
}

/// The checks of one scenario file.
public struct ScenarioCheckResults: Sendable {
    /// The file.
    public var path: String
    /// The scenario's id (`nil` when it did not load).
    public var scenarioID: String?
    /// The scenario file's SHA-256 (`nil` when it did not load), for evidence.
    public var sha256: String?
    /// Each check, in file order.
    public var checks: [CheckResult]
    /// Why the file could not be checked (load errors).
    public var diagnostics: [Diagnostic]
    /// The seed.
    public var seed: UInt64
    /// The trials per run.
    public var trials: Int

    /// A file that did not load.
    public init(path: String, diagnostics: [Diagnostic], seed: UInt64, trials: Int) {
        self.path = path
        self.scenarioID = nil
        self.checks = []
        self.diagnostics = diagnostics
        self.seed = seed
        self.trials = trials
    }

    init(path: String, scenarioID: String, sha256: String? = nil, checks: [CheckResult], seed: UInt64, trials: Int) {
        self.path = path
        self.scenarioID = scenarioID
        self.sha256 = sha256
        self.checks = checks
        self.diagnostics = []
        self.seed = seed
        self.trials = trials
    }

    /// Whether any check (or the file) fails.
    public func fails(allowInconclusive: Bool) -> Bool {
        !diagnostics.isEmpty || checks.contains { $0.status.fails(allowInconclusive: allowInconclusive) }
    }
}

/// `gameday check`: runs a scenario's checks and decides each with its 95% interval (spec section 12).
public enum Checks {
    /// The default number of trials per run: conclusive for the bundled checks, which are written
    /// with wide margins, and quick enough for CI.
    public static let defaultTrials = 10_000

    /// Decides a comparison from an interval: pass only when the whole interval is on the right
    /// side, fail when it is wholly on the wrong side, inconclusive when it straddles.
    ///
    /// `below` and `above` are strict; `at_most` and `at_least` accept the threshold itself.
    public static func decide(_ comparison: Expectation.Comparison, threshold: Double, lower: Double, upper: Double) -> CheckStatus {
        switch comparison {
        case .below: return upper < threshold ? .pass : lower >= threshold ? .fail : .inconclusive
        case .atMost: return upper <= threshold ? .pass : lower > threshold ? .fail : .inconclusive
        case .above: return lower > threshold ? .pass : upper <= threshold ? .fail : .inconclusive
        case .atLeast: return lower >= threshold ? .pass : upper < threshold ? .fail : .inconclusive
        }
    }

    /// Runs every check of a scenario: the baseline and each distinct set of controls once, paired.
    public static func run(_ scenario: Scenario, seed: UInt64 = 42, trials: Int = defaultTrials, threads: Int = 1,
                           progress: (@Sendable (Int) -> Void)? = nil) async -> ScenarioCheckResults {
        let path = scenario.source.path
        guard !scenario.checks.isEmpty else {
            return ScenarioCheckResults(path: path, scenarioID: scenario.id, sha256: scenario.source.sha256, checks: [], seed: seed, trials: trials)
        }
        // Distinct sets of controls, in order of first use; the baseline as a set of its own when a
        // baseline check asks for a paired quantity.
        var sets: [[String]] = []
        var failures: [[String]: String] = [:]
        var variants: [CompiledScenario] = []
        for check in scenario.checks {
            let set = check.with.map(\.id)
            guard !sets.contains(set), failures[set] == nil else { continue }
            do {
                let variant = try scenario.variant(with: set)
                sets.append(set)
                variants.append(CompiledScenario(variant))
            } catch {
                failures[set] = error.diagnostics.map(\.description).joined(separator: "; ")
            }
        }
        let baseline = CompiledScenario(scenario)
        var configuration = PairedConfiguration(seed: seed, trials: trials, threads: threads)
        configuration.progress = progress
        let run: PairedRun
        do {
            run = try await PairedRunner.run(baseline: baseline, variants: variants, configuration: configuration)
        } catch {
            let message = "\(path): \(error)"
            return ScenarioCheckResults(path: path, scenarioID: scenario.id, sha256: scenario.source.sha256, checks: scenario.checks.map {
                CheckResult(check: $0, status: .error, expectations: [], error: message)
            }, seed: seed, trials: trials)
        }
        var results: [CheckResult] = []
        for check in scenario.checks {
            let set = check.with.map(\.id)
            if let failure = failures[set] {
                results.append(CheckResult(check: check, status: .error, expectations: [], error: failure))
                continue
            }
            let v = sets.firstIndex(of: set)!
            let expectations = check.expectations.map { decide($0, result: run.variants[v], paired: run.comparisons[v]) }
            let status = expectations.map(\.status).max() ?? .pass
            results.append(CheckResult(check: check, status: status, expectations: expectations, error: nil))
        }
        return ScenarioCheckResults(path: path, scenarioID: scenario.id, sha256: scenario.source.sha256, checks: results, seed: seed, trials: trials)
    }

    /// Decides one expectation from a variant's run and its paired comparison with the baseline.
    public static func decide(_ expectation: Expectation, result: RunResult, paired: PairedComparison) -> ExpectationResult {
        let unit = ExpectationGrammar.unit(of: expectation.quantity)
        func outcome(_ estimate: Double?, _ lower: Double?, _ upper: Double?, n: Int, insufficient: String?) -> ExpectationResult {
            let symbol: String
            switch expectation.comparison {
            case .below: symbol = "<"
            case .above: symbol = ">"
            case .atMost: symbol = "≤"
            case .atLeast: symbol = "≥"
            }
            let name = String(expectation.key.dropLast("_\(expectation.comparison.rawValue)".count))
            let wanted = "\(symbol) \(format(expectation.threshold, unit))"
            if let insufficient {
                return ExpectationResult(expectation: expectation, status: .insufficient, estimate: estimate, lower: lower, upper: upper, n: n,
                                         message: "\(name): \(insufficient), cannot decide \(wanted)")
            }
            let lo = lower ?? -.infinity, hi = upper ?? .infinity
            let status = Checks.decide(expectation.comparison, threshold: expectation.threshold, lower: lo, upper: hi)
            let verdict: String
            switch status {
            case .pass: verdict = "whole interval \(wanted)"
            case .fail: verdict = "whole interval on the wrong side of \(wanted)"
            default: verdict = "interval straddles \(format(expectation.threshold, unit)): run more trials to decide \(wanted)"
            }
            let interval = "[\(lower.map { format($0, unit) } ?? "-∞"), \(upper.map { format($0, unit) } ?? "∞")]"
            return ExpectationResult(expectation: expectation, status: status, estimate: estimate, lower: lo, upper: hi, n: n,
                                     message: "\(name) \(estimate.map { format($0, unit) } ?? "–") \(interval) (n = \(Scalars.formatCount(Double(n)))): \(verdict)")
        }
        switch expectation.quantity {
        case .incidentProbability, .preventedProbability, .containedProbability:
            let outcomeKind: TrialOutcome = expectation.quantity == .incidentProbability ? .incident : expectation.quantity == .preventedProbability ? .prevented : .contained
            let p = result.probability(outcomeKind)
            return outcome(p.estimate, p.interval.lower, p.interval.upper, n: result.trials, insufficient: result.trials == 0 ? "no trials" : nil)
        case .milestoneProbability(let metric):
            let p = result.milestoneProbability(metric)
            return outcome(p.estimate, p.interval.lower, p.interval.upper, n: p.of, insufficient: p.of == 0 ? "no trial had customer impact" : nil)
        case .averted:
            let share = paired.incident.avertedShare()
            return outcome(share.share, share.interval.lower, share.interval.upper, n: paired.incident.baselineEvents,
                           insufficient: paired.incident.baselineEvents == 0 ? "no baseline trial was an incident" : nil)
        case .newHarm:
            let share = paired.incident.newHarmShare()
            return outcome(share.share, share.interval.lower, share.interval.upper, n: paired.incident.atRiskWithoutEvent,
                           insufficient: paired.incident.atRiskWithoutEvent == 0 ? "no baseline trial had a fault without an incident" : nil)
        case .metric(let metric, let statistic):
            let k = Metric.allCases.firstIndex(of: metric)!
            if let q = statistic.quantile {
                let histogram = result.histograms.metrics[k]
                guard histogram.count > 0, let interval = histogram.quantileInterval(q) else {
                    return outcome(nil, nil, nil, n: 0, insufficient: "no trial had a \(spaced(metric.rawValue))")
                }
                return outcome(histogram.quantile(q), interval.lower, interval.upper, n: Int(histogram.count), insufficient: nil)
            }
            let moments = result.totals.moments[k]
            guard let interval = moments.meanInterval(confidence: 0.95) else {
                return outcome(moments.count > 0 ? moments.mean : nil, nil, nil, n: moments.count,
                               insufficient: "\(moments.count) trial\(moments.count == 1 ? "" : "s") had a \(spaced(metric.rawValue)), an interval needs 2")
            }
            return outcome(moments.mean, interval.lower, interval.upper, n: moments.count, insufficient: nil)
        case .metricChange(let metric):
            let d = paired.differences[metric] ?? PairedDifference()
            guard let interval = d.meanInterval() else {
                return outcome(d.count > 0 ? d.mean : nil, nil, nil, n: d.count,
                               insufficient: "\(d.count) trial\(d.count == 1 ? "" : "s") had a \(spaced(metric.rawValue)) in both runs, an interval needs 2")
            }
            return outcome(d.mean, interval.lower, interval.upper, n: d.count, insufficient: nil)
        }
    }

    /// A threshold or estimate in its unit, as a person writes it.
    public static func format(_ value: Double, _ unit: ExpectationGrammar.ThresholdUnit) -> String {
        guard value.isFinite else { return value > 0 ? "∞" : "-∞" }
        switch unit {
        case .probability, .share: return Scalars.formatPercent(value)
        case .duration: return Scalars.formatDuration(value.rounded())
        case .signedDuration: return (value < 0 ? "-" : "+") + Scalars.formatDuration(abs(value).rounded())
        case .number: return abs(value) >= 100 ? Scalars.formatCount(value) : Scalars.formatSignificant(value)
        }
    }

    /// The results as JSON: one object per file with each check's status and expectations.
    public static func json(_ files: [ScenarioCheckResults], allowInconclusive: Bool) -> JSONValue {
        var failed = 0, passed = 0, inconclusive = 0
        let items: [JSONValue] = files.map { file in
            var o = JSONObject()
            o["path"] = .string(file.path)
            o["scenario"] = file.scenarioID.map { .string($0) } ?? .null
            if let sha = file.sha256 { o["sha256"] = .string(sha) }
            o["seed"] = .uint64(file.seed)
            o["trials"] = .int(file.trials)
            if !file.diagnostics.isEmpty {
                o["diagnostics"] = .array(file.diagnostics.map { .string($0.description) })
                failed += 1
            }
            o["checks"] = .array(file.checks.map { check in
                if check.status == .pass { passed += 1 }
                if check.status == .inconclusive { inconclusive += 1 }
                if check.status.fails(allowInconclusive: allowInconclusive) { failed += 1 }
                var c = JSONObject()
                c["name"] = .string(check.check.name)
                c["with"] = .array(check.check.with.map { .string($0.id) })
                c["status"] = .string(check.status.rawValue)
                c["line"] = .int(check.check.location.line)
                if let error = check.error { c["error"] = .string(error) }
                c["expectations"] = .array(check.expectations.map { e in
                    [
                        "key": .string(e.expectation.key), "threshold": .number(e.expectation.threshold), "status": .string(e.status.rawValue),
                        "estimate": .number(e.estimate), "ci95": .array([finite(e.lower), finite(e.upper)]), "n": .int(e.n),
                        "message": .string(e.message),
                    ]
                })
                return .object(c)
            })
            return .object(o)
        }
        return [
            "files": .array(items), "passed": .int(passed), "inconclusive": .int(inconclusive), "failed": .int(failed),
            "allow_inconclusive": .bool(allowInconclusive),
        ]
    }

    static func finite(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    /// JUnit XML that CI systems read: a `testsuite` per scenario file and a `testcase` per check,
    /// with a `failure` for each failed check (its type the status) and `skipped` for an
    /// inconclusive one that `--allow-inconclusive` let pass. Deterministic: no times or host names.
    public static func junit(_ files: [ScenarioCheckResults], allowInconclusive: Bool) -> String {
        var suites: [String] = []
        var totalTests = 0, totalFailures = 0, totalErrors = 0, totalSkipped = 0
        for file in files {
            var cases: [String] = []
            var failures = 0, errors = 0, skipped = 0
            let suiteName = file.scenarioID ?? file.path
            if !file.diagnostics.isEmpty {
                errors += 1
                let text = file.diagnostics.map(\.description).joined(separator: "\n")
                cases.append("    <testcase classname=\"\(xml(suiteName))\" name=\"load\" file=\"\(xml(file.path))\">\n"
                             + "      <error type=\"invalid\" message=\"\(xml(file.diagnostics.first!.description))\">\(xml(text))</error>\n"
                             + "    </testcase>")
            }
            for check in file.checks {
                var body = ""
                let details = check.error ?? check.expectations.map { "\($0.status.rawValue): \($0.message)" }.joined(separator: "\n")
                let first = check.error ?? check.expectations.first { $0.status != .pass }?.message ?? check.expectations.first?.message ?? ""
                switch check.status {
                case .pass:
                    body = "      <system-out>\(xml(details))</system-out>\n"
                case .inconclusive where allowInconclusive:
                    skipped += 1
                    body = "      <skipped message=\"\(xml("inconclusive (allowed): " + first))\"/>\n      <system-out>\(xml(details))</system-out>\n"
                case .error:
                    errors += 1
                    body = "      <error type=\"error\" message=\"\(xml(first))\">\(xml(details))</error>\n"
                default:
                    failures += 1
                    body = "      <failure type=\"\(check.status.rawValue)\" message=\"\(xml(first))\">\(xml(details))</failure>\n"
                }
                cases.append("    <testcase classname=\"\(xml(suiteName))\" name=\"\(xml(check.check.name))\" file=\"\(xml(file.path))\" line=\"\(check.check.location.line)\">\n"
                             + body + "    </testcase>")
            }
            let tests = cases.count
            totalTests += tests
            totalFailures += failures
            totalErrors += errors
            totalSkipped += skipped
            var suite = "  <testsuite name=\"\(xml(suiteName))\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" skipped=\"\(skipped)\">\n"
            suite += "    <properties>\n"
            suite += "      <property name=\"path\" value=\"\(xml(file.path))\"/>\n"
            suite += "      <property name=\"seed\" value=\"\(file.seed)\"/>\n"
            suite += "      <property name=\"trials\" value=\"\(file.trials)\"/>\n"
            suite += "    </properties>\n"
            suite += cases.map { $0 + "\n" }.joined()
            suite += "  </testsuite>"
            suites.append(suite)
        }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"gameday check\" tests=\"\(totalTests)\" failures=\"\(totalFailures)\" errors=\"\(totalErrors)\" skipped=\"\(totalSkipped)\">\n"
        out += suites.map { $0 + "\n" }.joined()
        out += "</testsuites>\n"
        return out
    }

    /// Escapes text for XML attributes and content; drops characters XML 1.0 cannot carry.
    public static func xml(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\t", "\r": out += "&#\(scalar.value);"
            default:
                let v = scalar.value
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

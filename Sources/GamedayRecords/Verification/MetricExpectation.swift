import GamedayModel

/// A machine-checkable action metric, such as `incident_probability_below: 10%`.
///
/// The grammar is the one of scenario checks (scenario.md section 12): `QUANTITY_COMPARISON`
/// with the comparisons `below`, `above`, `at_most` and `at_least`, and the quantities
/// `incident_probability`, `averted`, `new_harm`, `time_to_detect_p90`, `failed_requests_change`,
/// `time_to_detect_probability`, .... Records add two quantities for single runs: a bare metric
/// (`time_to_mitigate_below: 20m`, read from a drill's or replay's outcome) and `score` (a drill's
/// points as a share of the maximum: `score_at_least: 70%`).
public struct MetricExpectation: Hashable, Sendable, CustomStringConvertible {
    /// The quantity's name as evidence results use it (`incident_probability`, `time_to_mitigate_p50`, `score`).
    public var quantity: String
    /// How the evidence's value is compared with the threshold.
    public var comparison: Expectation.Comparison
    /// The threshold in the quantity's unit (a fraction, seconds or a count).
    public var threshold: Double
    /// The unit the threshold was written in.
    public var unit: ExpectationGrammar.ThresholdUnit
    /// The key as written (`incident_probability_below`).
    public var key: String
    /// The threshold as written (`10%`).
    public var thresholdText: String
    /// Where it was written.
    public var location: SourceLocation

    /// `incident_probability_below: 10%`.
    public var description: String { "\(key): \(thresholdText)" }

    /// Parses one `KEY: VALUE` pair.
    public static func parse(key: String, value: String, at location: SourceLocation) -> Result<MetricExpectation, ParseError> {
        let quantity: String
        let comparison: Expectation.Comparison
        let unit: ExpectationGrammar.ThresholdUnit
        switch ExpectationGrammar.parse(key, singleTrial: false) {
        case .success(let (parsed, cmp)):
            comparison = cmp
            unit = ExpectationGrammar.unit(of: parsed)
            quantity = String(key.dropLast(suffixLength(cmp)))
        case .failure(let multiTrialFailure):
            if case .success(let (parsed, cmp)) = ExpectationGrammar.parse(key, singleTrial: true) {
                comparison = cmp
                unit = ExpectationGrammar.unit(of: parsed)
                quantity = String(key.dropLast(suffixLength(cmp)))
            } else if let cmp = Expectation.Comparison.allCases.first(where: { key == "score_" + $0.rawValue }) {
                comparison = cmp
                unit = .probability
                quantity = "score"
            } else {
                return .failure(ParseError(message: multiTrialFailure.message,
                                                    help: multiTrialFailure.help + "; records also accept a bare metric for one run (time_to_mitigate_below: 20m) and score_at_least: 70%"))
            }
        }
        let parsedThreshold: Scalars.Parsed<Double>
        switch unit {
        case .probability: parsedThreshold = Scalars.probability(value, what: "threshold")
        case .share: parsedThreshold = Scalars.share(value, what: "threshold")
        case .duration: parsedThreshold = Scalars.duration(value)
        case .signedDuration:
            let trimmed = value.trimmingCharacters
            parsedThreshold = trimmed.hasPrefix("-") ? Scalars.duration(String(trimmed.dropFirst())).map { -$0 } : Scalars.duration(trimmed)
        case .number: parsedThreshold = Scalars.number(value, what: "threshold")
        }
        switch parsedThreshold {
        case .success(let threshold):
            return .success(MetricExpectation(quantity: quantity, comparison: comparison, threshold: threshold, unit: unit,
                                              key: key, thresholdText: value, location: location))
        case .failure(let failure):
            return .failure(ParseError(message: "\(key): \(failure.message)", help: failure.help))
        }
    }

    /// Why an expectation was rejected: what is wrong and what is allowed.
    public struct ParseError: Error, Hashable, Sendable {
        /// What is wrong.
        public var message: String
        /// What is allowed.
        public var help: String
    }

    private static func suffixLength(_ comparison: Expectation.Comparison) -> Int { comparison.rawValue.count + 1 }

    /// Whether a value meets the expectation.
    public func holds(for value: Double) -> Bool {
        switch comparison {
        case .below: return value < threshold
        case .above: return value > threshold
        case .atMost: return value <= threshold
        case .atLeast: return value >= threshold
        }
    }

    /// Formats a value in the threshold's unit (`18%`, `16m`, `-31,800`).
    public func format(_ value: Double) -> String {
        switch unit {
        case .probability, .share: return Scalars.formatPercent(value)
        case .duration, .signedDuration: return Scalars.formatDuration(value.rounded())
        case .number: return Scalars.formatCount(value)
        }
    }
}

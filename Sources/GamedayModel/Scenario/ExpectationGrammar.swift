/// The grammar of check expectations and rubric metrics: `QUANTITY_COMPARISON`.
///
/// Quantities: `incident_probability`, `prevented_probability`, `contained_probability`,
/// `averted`, `new_harm`, `METRIC_STAT` (STAT is mean, p50, p90 or p99, e.g.
/// `time_to_detect_p90`), `METRIC_change` (the paired mean change against the baseline) and
/// `MILESTONE_probability` (e.g. `time_to_detect_probability`, the chance the milestone happens).
/// Comparisons: `below`, `above`, `at_most`, `at_least`. For a single trial (drill rubrics), a
/// bare metric is its value on that trial: `slo_budget_consumed_below`.
public enum ExpectationGrammar {
    /// The unit a threshold is written in.
    public enum ThresholdUnit: Sendable {
        case probability, share, duration, signedDuration, number
    }

    /// Splits a key into its quantity and comparison.
    public static func parse(_ key: String, singleTrial: Bool) -> Result<(CheckQuantity, Expectation.Comparison), Scalars.ScalarError> {
        let comparisons: [(String, Expectation.Comparison)] = [("_at_least", .atLeast), ("_at_most", .atMost), ("_below", .below), ("_above", .above)]
        guard let (suffix, comparison) = comparisons.first(where: { key.hasSuffix($0.0) }) else {
            let names = singleTrial ? Metric.allCases.map(\.rawValue) : knownQuantities
            let keys = names.flatMap { name in comparisons.map { name + $0.0 } }
            return .failure(Scalars.ScalarError(message: "'\(key)' does not end in _below, _above, _at_most or _at_least",
                                                help: hint(key, among: keys) + "write QUANTITY_below: VALUE, e.g. " + (singleTrial ? "slo_budget_consumed_below: 5%" : "incident_probability_below: 25%")))
        }
        let name = String(key.dropLast(suffix.count))
        if singleTrial {
            if let metric = Metric(rawValue: name) { return .success((.metric(metric, .mean), comparison)) }
            return .failure(Scalars.ScalarError(message: "unknown metric '\(name)' in '\(key)'",
                                                help: hint(name, among: Metric.allCases.map(\.rawValue)) + "metrics: " + Metric.allCases.map(\.rawValue).joined(separator: ", ")))
        }
        switch name {
        case "incident_probability": return .success((.incidentProbability, comparison))
        case "prevented_probability": return .success((.preventedProbability, comparison))
        case "contained_probability": return .success((.containedProbability, comparison))
        case "averted": return .success((.averted, comparison))
        case "new_harm": return .success((.newHarm, comparison))
        default: break
        }
        for metric in Metric.allCases {
            if name == metric.rawValue + "_change" { return .success((.metricChange(metric), comparison)) }
            if metric.isMilestone, name == metric.rawValue + "_probability" { return .success((.milestoneProbability(metric), comparison)) }
            for statistic in Statistic.allCases where name == metric.rawValue + "_" + statistic.rawValue {
                return .success((.metric(metric, statistic), comparison))
            }
        }
        let known = knownQuantities
        return .failure(Scalars.ScalarError(message: "unknown quantity '\(name)' in '\(key)'",
                                            help: hint(name, among: known) + "e.g. incident_probability, averted, new_harm, time_to_detect_p90, failed_requests_mean, failed_requests_change, time_to_detect_probability"))
    }

    /// Every quantity name a check can use.
    public static var knownQuantities: [String] {
        var known = ["incident_probability", "prevented_probability", "contained_probability", "averted", "new_harm"]
        for metric in Metric.allCases {
            known += Statistic.allCases.map { metric.rawValue + "_" + $0.rawValue }
            known.append(metric.rawValue + "_change")
            if metric.isMilestone { known.append(metric.rawValue + "_probability") }
        }
        return known
    }

    private static func hint(_ name: String, among known: [String]) -> String {
        Suggestions.closest(to: name, in: known).map { "did you mean '\($0)'? " } ?? ""
    }

    /// The unit a quantity's threshold is written in.
    public static func unit(of quantity: CheckQuantity) -> ThresholdUnit {
        switch quantity {
        case .incidentProbability, .preventedProbability, .containedProbability, .milestoneProbability, .averted, .newHarm:
            return .probability
        case .metric(let metric, _):
            return unit(of: metric)
        case .metricChange(let metric):
            switch metric {
            case .timeToDetect, .timeToAcknowledge, .timeToMitigate, .timeToRecover, .impactDuration: return .signedDuration
            default: return .number
            }
        }
    }

    private static func unit(of metric: Metric) -> ThresholdUnit {
        switch metric {
        case .timeToDetect, .timeToAcknowledge, .timeToMitigate, .timeToRecover, .impactDuration: return .duration
        case .failedRequests: return .number
        case .sloBudgetConsumed: return .share
        case .peakErrorRate: return .probability
        }
    }
}

/// Minimal ISO-8601 date-time handling for timeline fields (`2025-07-14T13:58:00Z`,
/// `2025-07-14T15:58:00+02:00`, fractional seconds allowed) without Foundation's formatters.
public enum ISO8601 {
    /// Seconds since 1970-01-01T00:00:00Z, or `nil` when the text is not a date-time with a zone.
    public static func parse(_ text: String) -> Double? {
        let chars = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= chars.count else { return nil }
            var value = 0
            for c in chars[range] {
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard chars.count >= 20, chars[4] == 45, chars[7] == 45, chars[10] == 84 || chars[10] == 116 || chars[10] == 32,
              chars[13] == 58, chars[16] == 58,
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 61 else { return nil }
        var index = 19
        var fraction = 0.0
        if index < chars.count, chars[index] == 46 {
            index += 1
            var scale = 0.1
            let start = index
            while index < chars.count, chars[index] >= 48 && chars[index] <= 57 {
                fraction += Double(chars[index] - 48) * scale
                scale /= 10
                index += 1
            }
            if index == start { return nil }
        }
        guard index < chars.count else { return nil }
        var offset = 0
        if chars[index] == 90 || chars[index] == 122 {
            index += 1
        } else if chars[index] == 43 || chars[index] == 45 {
            let sign = chars[index] == 43 ? 1 : -1
            guard let oh = number(index + 1..<index + 3), index + 3 < chars.count, chars[index + 3] == 58,
                  let om = number(index + 4..<index + 6) else { return nil }
            offset = sign * (oh * 3600 + om * 60)
            index += 6
        } else {
            return nil
        }
        guard index == chars.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Double(days * 86_400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }

    /// Formats seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ` (whole seconds, UTC).
    public static func format(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.down))
        var days = total / 86_400
        var rest = total % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let (y, m, d) = civilFromDays(days)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d))T\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
    }

    /// Formats a calendar date `YYYY-MM-DD` from seconds since the epoch (UTC).
    public static func formatDate(_ seconds: Double) -> String {
        String(format(seconds).prefix(10))
    }

    /// Parses a calendar date `YYYY-MM-DD` (midnight UTC) or a full date-time.
    public static func parseDate(_ text: String) -> Double? {
        if let full = parse(text) { return full }
        return parse(text + "T00:00:00Z")
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil and civil_from_days.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}

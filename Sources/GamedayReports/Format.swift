import GamedayModel
import GamedayStatistics

/// How reports write numbers: durations as people say them, shares as percents, counts with
/// thousands separators, and intervals next to their estimates.
public enum Format {
    /// A duration for a report: `45s`, `8m30s`, `1h05m`, `2d3h`; fractions of a second below a minute.
    public static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "–" }
        if seconds < 0 { return "-" + duration(-seconds) }
        if seconds < 1 { return seconds == 0 ? "0s" : Scalars.formatSignificant(seconds, digits: 2) + "s" }
        if seconds < 60 { return Scalars.formatSignificant(seconds, digits: 3) + "s" }
        let total = Int(seconds.rounded())
        let d = total / 86_400, h = total % 86_400 / 3600, m = total % 3600 / 60, s = total % 60
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        if d > 0 { return "\(d)d\(h)h" }
        if h > 0 { return "\(h)h\(two(m))m" }
        return s == 0 ? "\(m)m" : "\(m)m\(two(s))s"
    }

    /// A signed duration change: `-12m30s`, `+45s`.
    public static func signedDuration(_ seconds: Double?) -> String {
        guard let seconds else { return "–" }
        return (seconds > 0 ? "+" : seconds < 0 ? "-" : "±") + duration(abs(seconds))
    }

    /// A share as a percent with sensible precision: `93.1%`, `0.04%`, `100%`.
    public static func percent(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        let p = value * 100
        if p == 0 { return "0%" }
        if p == 100 { return "100%" }
        if abs(p) >= 10 { return Scalars.formatFixed(p, decimals: 1) + "%" }
        if abs(p) >= 0.1 { return Scalars.formatFixed(p, decimals: 2) + "%" }
        return Scalars.formatSignificant(p, digits: 2) + "%"
    }

    /// A signed change in percentage points: `-77.5 pp`.
    public static func points(_ value: Double?) -> String {
        guard let value else { return "–" }
        let p = value * 100
        let text = abs(p) >= 10 ? Scalars.formatFixed(p, decimals: 1) : Scalars.formatSignificant(p, digits: 2)
        return (p > 0 ? "+" : "") + text + " pp"
    }

    /// A count: `41,000`; fractional counts below 10 keep one decimal.
    public static func count(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        if abs(value) < 10 && value != value.rounded() { return Scalars.formatFixed(value, decimals: 1) }
        return Scalars.formatCount(value)
    }

    /// A signed count: `+1,200`, `-31,800`.
    public static func signedCount(_ value: Double?) -> String {
        guard let value else { return "–" }
        return (value > 0 ? "+" : "") + count(value)
    }

    /// A value of a metric in its unit.
    public static func metric(_ metric: Metric, _ value: Double?) -> String {
        switch metric {
        case .failedRequests: return count(value)
        case .sloBudgetConsumed, .peakErrorRate: return percent(value)
        default: return duration(value)
        }
    }

    /// A change of a metric in its unit.
    public static func metricChange(_ metric: Metric, _ value: Double?) -> String {
        switch metric {
        case .failedRequests: return signedCount(value)
        case .sloBudgetConsumed, .peakErrorRate: return points(value)
        default: return signedDuration(value)
        }
    }

    /// `[low, high]` in a formatter.
    public static func interval(_ interval: ConfidenceInterval?, _ format: (Double?) -> String) -> String {
        guard let interval else { return "" }
        return "[\(format(interval.lower)), \(format(interval.upper))]"
    }

    /// The people's name of a metric: "time to detect".
    public static func name(_ metric: Metric) -> String {
        switch metric {
        case .sloBudgetConsumed: return "SLO budget used"
        default: return metric.rawValue.replacingUnderscores
        }
    }
}

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}

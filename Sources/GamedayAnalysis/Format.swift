import Foundation
import GamedayModel

/// How the analysis writes numbers for people: probabilities that keep their distance from 0 and
/// 1 visible (99.95%, not 100%), three significant digits between, percentage points, factors.
public enum AnalysisFormat {
    /// A probability as a percentage, with enough digits that a value near 0 or 1 does not round
    /// to it: `32.2%`, `99.95%`, `0.05%`, `100%` only when exactly 1.
    public static func probability(_ p: Double) -> String {
        guard p.isFinite else { return "n/a" }
        if p <= 0 { return "0%" }
        if p >= 1 { return "100%" }
        let percent = p * 100
        if percent < 1e-4 { return String(format: "%.2g%%", percent) }
        if percent < 1 { return Scalars.formatSignificant(percent, digits: 2) + "%" }
        if percent > 99 {
            var decimals = 1
            var complement = 100 - percent
            while complement < 1, decimals < 12 {
                complement *= 10
                decimals += 1
            }
            let text = Scalars.formatFixed(percent, decimals: decimals)
            return text == "100" ? ">99.999999999%" : text + "%"
        }
        return Scalars.formatSignificant(percent, digits: 3) + "%"
    }

    /// A change in probability as signed percentage points: `+13.8 pp`, `+0.05 pp`, `0 pp`.
    public static func points(_ delta: Double) -> String {
        let pp = delta * 100
        if pp == 0 { return "0 pp" }
        let sign = pp > 0 ? "+" : "-"
        let magnitude = abs(pp)
        let text = magnitude < 0.1 ? Scalars.formatSignificant(magnitude, digits: 2) : Scalars.formatFixed(magnitude, decimals: 1)
        return sign + text + " pp"
    }

    /// A risk reduction factor: three significant digits, `inf` when infinite.
    public static func factor(_ value: Double) -> String {
        if value.isInfinite { return "inf" }
        return Scalars.formatSignificant(value, digits: 3)
    }

    /// A time distribution as a person writes it.
    public static func time(_ distribution: TimeDistribution) -> String { distribution.yamlText }

    /// A service condition: `checkout error rate > 30% for 3m`.
    public static func condition(_ c: ServiceCondition) -> String {
        var text = "\(c.service.id) error rate > \(Scalars.formatPercent(c.errorRateAbove))"
        if c.holdFor > 0 { text += " for \(Scalars.formatDuration(c.holdFor))" }
        return text
    }

    /// A detect condition on a watched service.
    public static func detectCondition(_ detect: Detect) -> String {
        var text: String
        switch detect.condition {
        case .errorRate(let above, let holdFor):
            text = "error rate > \(Scalars.formatPercent(above))"
            if holdFor > 0 { text += " for \(Scalars.formatDuration(holdFor))" }
        case .burnRate(let above, let window):
            text = "burn rate > \(Scalars.formatSignificant(above, digits: 4)) over \(Scalars.formatDuration(window))"
        }
        if let every = detect.every {
            text += ", checked every \(Scalars.formatDuration(every))"
        }
        return text
    }

    /// How an injection heals by itself.
    public static func healing(_ lasts: Lasts) -> String {
        switch lasts {
        case .untilMitigated: return "never heals by itself (until_mitigated)"
        case .whileTriggered: return "heals when its trigger condition stops holding"
        case .duration(let d): return "heals by itself after \(d.yamlText)"
        }
    }

    /// Ids joined for a sentence: `a`, `a and b`, `a, b and c`.
    public static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return "none"
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }
}

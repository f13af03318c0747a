import GamedayModel
import GamedayReports
import GamedaySimulation

/// Plain-language feedback for a trainee: one note per late or missed objective, per penalty and
/// per harmful action, and one on the outcome against the modelled responders.
public enum DrillFeedback {
    /// The notes for a result, in rubric order, then penalties, then the outcome.
    public static func items(for result: DrillResult) -> [FeedbackItem] {
        var items: [FeedbackItem] = []
        for objective in result.scorecard.objectives {
            guard let text = text(for: objective, in: result) else { continue }
            items.append(FeedbackItem(about: "objective", id: objective.id, text: text))
        }
        for penalty in result.scorecard.penalties {
            let text = "\(penalty.by) (\(penalty.role)) took “\(result.label(of: penalty.action))” at \(Format.duration(penalty.at)) "
                + "(\(penalty.points) points). " + penalty.feedback.trimmingSpaces
            items.append(FeedbackItem(about: "penalty", id: penalty.action, text: text))
        }
        for harmful in result.scorecard.harmfulUnpenalized {
            items.append(FeedbackItem(about: "harmful", id: harmful.action,
                                      text: "\(harmful.by) took “\(result.label(of: harmful.action))” at \(Format.duration(harmful.at)), which this scenario marks as harmful: look at what it started before trying it again."))
        }
        if let outcome = outcomeText(result) {
            items.append(FeedbackItem(about: "outcome", id: "time_to_mitigate", text: outcome))
        }
        return items
    }

    static func anchorPhrase(_ objective: ObjectiveResult, in result: DrillResult) -> String {
        let when = objective.anchorAt.map { " (at \(Format.duration($0)))" } ?? ""
        switch objective.from ?? "start" {
        case "start": return "the start of the drill"
        case "first_page": return "the first page" + when
        case "detection": return "detection" + when
        case let action: return "“\(result.label(of: action))”" + (objective.anchorAt.map { " (first taken at \(Format.duration($0)))" } ?? "")
        }
    }

    /// Before what the anchor stands for: "before any page arrived".
    static func beforeAnchor(_ objective: ObjectiveResult, in result: DrillResult) -> String {
        switch objective.from ?? "start" {
        case "start": return "before the drill started"
        case "first_page": return "before any page arrived"
        case "detection": return "before the incident was detected"
        case let action: return "before anyone took “\(result.label(of: action))”"
        }
    }

    /// Why an anchor that never came leaves the objective out: "no page arrived".
    static func anchorNeverCame(_ objective: ObjectiveResult, in result: DrillResult) -> String {
        switch objective.from ?? "start" {
        case "start": return "the drill never started"
        case "first_page": return "no page arrived"
        case "detection": return "the incident was never detected"
        case let action: return "nobody took “\(result.label(of: action))”"
        }
    }

    static func text(for objective: ObjectiveResult, in result: DrillResult) -> String? {
        switch objective.status {
        case .met:
            return nil
        case .notApplicable:
            // The anchor never came, but the action was taken anyway: say so, without points.
            guard let action = objective.action, let earlyAt = objective.earlyAt, objective.anchorAt == nil else { return nil }
            return "\(objective.objective): does not count, as \(anchorNeverCame(objective, in: result)) before the drill ended; "
                + "\(objective.earlyBy ?? "someone") took “\(result.label(of: action))” at \(Format.duration(earlyAt)) all the same. "
                + "Act on what you see, not on what you expect."
        case .late:
            guard let action = objective.action, let at = objective.at else { return nil }
            let elapsed = objective.elapsed.map { ", \(Format.duration($0)) after \(anchorPhrase(objective, in: result))" } ?? ""
            let target = objective.within.map { "; the target is \(Format.duration($0))" } ?? ""
            return "\(objective.objective): late by \(Format.duration(objective.lateBy ?? 0)). "
                + "\(objective.by ?? "someone") took “\(result.label(of: action))” at \(Format.duration(at))\(elapsed)\(target). "
                + hint(objective, in: result)
        case .missed:
            if let action = objective.action, let earlyAt = objective.earlyAt {
                let target = objective.within.map { "within \(Format.duration($0)) of \(anchorPhrase(objective, in: result))" } ?? "after \(anchorPhrase(objective, in: result))"
                return "\(objective.objective): missed. \(objective.earlyBy ?? "Someone") took “\(result.label(of: action))” at \(Format.duration(earlyAt)), "
                    + "\(beforeAnchor(objective, in: result)), and not again after it: an action taken before what it answers does not count. "
                    + "Act on what you see: take it \(target)."
            }
            if let action = objective.action {
                let role = result.drill.action(action)?.role.map { " (it is for the \($0) role)" } ?? ""
                let target = objective.within.map { "within \(Format.duration($0)) of \(anchorPhrase(objective, in: result))" } ?? "during the drill"
                return "\(objective.objective): missed. Nobody took “\(result.label(of: action))”\(role). Aim to take it \(target)."
            }
            guard let metric = objective.metric else { return nil }
            let value = objective.value.map { formatMetric(metric, $0) } ?? "never reached"
            let threshold = objective.threshold.map { formatMetric(metric, $0) } ?? "?"
            var text = "\(objective.objective): missed. \(metricName(metric)) was \(value) (target: \(comparisonWords(metric)) \(threshold))."
            if let ttm = result.timeToMitigate {
                text += " Your team removed the cause \(Format.duration(ttm)) after the first impact"
                if let model = result.comparison?.sameTrial.value(.timeToMitigate) {
                    text += "; on this trial the modelled responders did it in \(Format.duration(model))"
                }
                text += ". Mitigating sooner is what keeps it down."
            } else if result.metrics.firstImpactAt != nil {
                text += " The cause was never removed before the horizon: find it and use the mitigation that removes it."
            }
            return text
        }
    }

    /// What to do differently about a late objective, by what its deadline counts from.
    static func hint(_ objective: ObjectiveResult, in result: DrillResult) -> String {
        switch objective.from ?? "start" {
        case "start": return "It counts from the start of the drill: make it an earlier step of your response."
        case "first_page": return "Start it as soon as the page arrives; the digging can follow."
        case "detection": return "Start it as soon as the incident is detected; it does not need the cause."
        case let other: return "Start it right after “\(result.label(of: other))”."
        }
    }

    static func outcomeText(_ result: DrillResult) -> String? {
        guard result.metrics.firstImpactAt != nil else { return nil }
        var parts: [String] = []
        let c = result.comparison
        if let ttm = result.timeToMitigate {
            parts.append("Your team mitigated \(Format.duration(ttm)) after the first impact")
            if let median = c?.medianTimeToMitigate { parts.append("the model's median is \(Format.duration(median))") }
        } else {
            parts.append("Your team did not mitigate before the horizon")
            if let share = c?.mitigatedShare {
                parts.append("\(Format.percent(share)) of the modelled responses did" + (c?.medianTimeToMitigate.map { " (median \(Format.duration($0)))" } ?? ""))
            }
        }
        if let c {
            if let model = c.sameTrial.value(.timeToMitigate) {
                parts.append("on this exact trial the model would have mitigated at \(Format.duration(model))")
            } else if c.sameTrial.firstImpactAt != nil {
                parts.append("on this exact trial the model would not have mitigated before the horizon either")
            }
            if result.timeToMitigate != nil, let p = c.timeToMitigatePercentile {
                parts.append("you were faster than \(Format.percent(1 - p)) of the modelled responses")
            }
        }
        return parts.joined(separator: "; ") + "."
    }

    static func metricName(_ key: String) -> String {
        guard let metric = Metric.allCases.first(where: { key.hasPrefix($0.rawValue) }) else { return key }
        switch metric {
        case .sloBudgetConsumed: return "The error budget consumed"
        case .failedRequests: return "Failed requests"
        case .timeToDetect: return "The time to detect"
        case .timeToAcknowledge: return "The time to acknowledge"
        case .timeToMitigate: return "The time to mitigate"
        case .timeToRecover: return "The time to recover"
        case .impactDuration: return "The impact duration"
        case .peakErrorRate: return "The peak error rate"
        }
    }

    static func formatMetric(_ key: String, _ value: Double) -> String {
        guard let metric = Metric.allCases.first(where: { key.hasPrefix($0.rawValue) }) else { return "\(value)" }
        return Format.metric(metric, value)
    }

    static func comparisonWords(_ key: String) -> String {
        if key.hasSuffix("_below") { return "below" }
        if key.hasSuffix("_at_most") { return "at most" }
        if key.hasSuffix("_at_least") { return "at least" }
        return "above"
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c.isWhitespace { s.removeFirst() }
        while let c = s.last, c.isWhitespace { s.removeLast() }
        return String(s)
    }
}

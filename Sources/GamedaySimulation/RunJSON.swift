import GamedayModel
import GamedayStatistics

/// A summary of one metric: the numbers reports print (spec section 11).
public struct MetricSummary: Sendable, Hashable {
    /// Trials in which the metric is defined.
    public var n: Int
    /// Trials with impact where the milestone did not happen (time metrics).
    public var censored: Int?
    /// Of those, the trials whose impact ended without it (it was not needed).
    public var notNeeded: Int?
    /// The mean.
    public var mean: Double?
    /// The 95% interval of the mean (Monte Carlo error).
    public var meanInterval: ConfidenceInterval?
    /// Quantiles from the histogram.
    public var p50: Double?, p90: Double?, p99: Double?
}

extension RunResult {
    /// Incidents, prevented, contained and no-fault counts.
    public func count(_ outcome: TrialOutcome) -> Int { totals.outcomes[outcome.rawValue] }

    /// The Wilson 95% interval of an outcome's probability.
    public func probability(_ outcome: TrialOutcome) -> (estimate: Double, interval: ConfidenceInterval) {
        let k = count(outcome)
        let n = trials
        return (n == 0 ? 0 : Double(k) / Double(n), Wilson.interval(successes: k, trials: n, z: Confidence.z95))
    }

    /// The summary of one metric.
    public func summary(_ metric: Metric) -> MetricSummary {
        let k = Metric.allCases.firstIndex(of: metric)!
        let totals = self.totals
        let moments = totals.moments[k]
        let histogram = histograms.metrics[k]
        return MetricSummary(
            n: moments.count,
            censored: metric.isMilestone ? totals.censored[k] : nil,
            notNeeded: metric.isMilestone ? totals.notNeeded[k] : nil,
            mean: moments.count > 0 ? moments.mean : nil,
            meanInterval: moments.meanInterval(confidence: 0.95).map { interval in
                // Every metric is zero or more: a normal-approximation bound below zero says nothing more than zero.
                ConfidenceInterval(lower: max(0, interval.lower), upper: interval.upper)
            },
            p50: histogram.quantile(0.5), p90: histogram.quantile(0.9), p99: histogram.quantile(0.99))
    }

    /// The chance a milestone happens before the horizon, among trials with customer impact.
    public func milestoneProbability(_ metric: Metric) -> (estimate: Double, interval: ConfidenceInterval, of: Int) {
        let k = Metric.allCases.firstIndex(of: metric)!
        let totals = self.totals
        let happened = totals.moments[k].count
        let of = happened + totals.censored[k]
        return (of == 0 ? 0 : Double(happened) / Double(of), Wilson.interval(successes: happened, trials: of, z: Confidence.z95), of)
    }

    /// The counts of one barrier's states.
    public func barrierCounts(_ b: Int) -> [BarrierOutcome: Int] {
        let totals = self.totals
        var counts: [BarrierOutcome: Int] = [:]
        for outcome in BarrierOutcome.allCases {
            let index = b * BarrierOutcome.allCases.count + Int(outcome.rawValue)
            counts[outcome] = index < totals.barrierCounts.count ? totals.barrierCounts[index] : 0
        }
        return counts
    }

    /// The run object of spec/output.md (`gameday run --format json`).
    ///
    /// - Parameter mergeable: include the shard and merge state (for `--shard`).
    public func json(mergeable: Bool = false, engineVersion: String) -> JSONValue {
        var object = JSONObject()
        object["scenario"] = ["id": .string(scenarioID), "path": .string(scenarioPath), "sha256": .string(scenarioSHA256)]
        object["seed"] = .number(Double(seed))
        object["trials"] = .int(trials)
        object["controls"] = .array(controls.map { .string($0) })
        var outcomes = JSONObject()
        for outcome in [TrialOutcome.noFault, .prevented, .contained, .incident] { outcomes[outcome.name] = .int(count(outcome)) }
        object["outcomes"] = .object(outcomes)
        let incident = probability(.incident)
        object["incident_probability"] = ["estimate": .number(incident.estimate), "ci95": interval(incident.interval)]
        var metrics = JSONObject()
        for metric in Metric.allCases {
            let s = summary(metric)
            var m = JSONObject()
            m["n"] = .int(s.n)
            if let censored = s.censored { m["censored"] = .int(censored) }
            if let notNeeded = s.notNeeded { m["not_needed"] = .int(notNeeded) }
            m["mean"] = .number(s.mean)
            m["ci95_mean"] = s.meanInterval.map(interval) ?? .null
            m["p50"] = .number(s.p50)
            m["p90"] = .number(s.p90)
            m["p99"] = .number(s.p99)
            metrics[metric.rawValue] = .object(m)
        }
        object["metrics"] = .object(metrics)
        var barriers = JSONObject()
        for (b, id) in barrierIDs.enumerated() {
            let counts = barrierCounts(b)
            barriers[id] = .object(JSONObject(BarrierOutcome.allCases.map { ($0.name, .int(counts[$0] ?? 0)) }))
        }
        object["barriers"] = .object(barriers)
        var probabilities = JSONObject()
        for outcome in [TrialOutcome.noFault, .prevented, .contained, .incident] {
            let p = probability(outcome)
            probabilities[outcome.name] = ["estimate": .number(p.estimate), "ci95": interval(p.interval)]
        }
        object["outcome_probabilities"] = .object(probabilities)
        var milestones = JSONObject()
        for metric in Metric.allCases where metric.isMilestone {
            let p = milestoneProbability(metric)
            milestones[metric.rawValue] = ["estimate": .number(p.estimate), "ci95": interval(p.interval), "of": .int(p.of)]
        }
        object["milestone_probabilities"] = .object(milestones)
        object["trials_with_impact"] = .int(totals.impacted)
        if let stopping {
            object["stopping"] = ["reason": .string(stopping.reason.rawValue), "unmet": .array(stopping.unmet.map { .string($0) })]
        }
        if let trace {
            object["trace"] = .object(["trial": .int(trace.trial), "events": TraceFormatter.json(trace.events, names: names)])
        }
        if mergeable, let shard {
            object["shard"] = [
                "index": .int(shard.index), "count": .int(shard.count), "of_trials": .int(totalTrials),
                "first_block": .int(blocks.firstBlock), "end_block": .int(blocks.endBlock),
            ]
            object["merge_state"] = mergeState
        }
        object["provenance"] = ["engine": .string("gameday \(engineVersion)"), "note": "intervals are Monte Carlo error (95%); more trials narrow them"]
        return .object(object)
    }

    private func interval(_ i: ConfidenceInterval) -> JSONValue { .array([.number(i.lower), .number(i.upper)]) }
}

/// Ids by section, to name trace subjects.
public struct TraceNames: Sendable, Hashable {
    /// Injection ids in file order.
    public var injections: [String]
    /// Barrier ids in file order.
    public var barriers: [String]
    /// Responder ids in file order.
    public var responders: [String]

    /// Names from a scenario.
    public init(_ scenario: Scenario) {
        self.init(injections: scenario.injections.map(\.id), barriers: scenario.barriers.map(\.id), responders: scenario.responders.map(\.id))
    }

    /// Names from lists.
    public init(injections: [String], barriers: [String], responders: [String]) {
        self.injections = injections
        self.barriers = barriers
        self.responders = responders
    }

    /// The subject address of an event, such as `barriers.checkout-5xx-alert`.
    public func subject(_ event: TraceEvent) -> String {
        "\(event.subject.section).\(id(event.subject, Int(event.index)))"
    }

    /// The id of an element.
    public func id(_ subject: TraceEvent.Subject, _ index: Int) -> String {
        let list: [String]
        switch subject {
        case .injection: list = injections
        case .barrier: list = barriers
        case .responder: list = responders
        }
        return index >= 0 && index < list.count ? list[index] : "?"
    }
}

/// Formats trajectories.
public enum TraceFormatter {
    /// The spec's trace list: `{"at", "event", "subject", "cause"}` plus a `detail` where useful.
    public static func json(_ events: [TraceEvent], names: TraceNames) -> JSONValue {
        .array(events.map { event in
            var o = JSONObject()
            o["at"] = .number(event.at)
            o["event"] = .string(event.name.text)
            o["subject"] = .string(names.subject(event))
            o["cause"] = event.cause >= 0 ? .int(Int(event.cause)) : .null
            if let detail = detail(event, names: names) { o["detail"] = .string(detail) }
            return .object(o)
        })
    }

    /// The related element of an event, as an address.
    public static func detail(_ event: TraceEvent, names: TraceNames) -> String? {
        guard event.detail >= 0, let kind = event.detailSubject else { return nil }
        return "\(kind.section).\(names.id(kind, Int(event.detail)))"
    }
}

/// A proposed change to the scenario: a patch applied to the document (spec section 7).
public struct Control: Hashable, Sendable {
    /// Its id.
    public var id: String
    /// Optional link to a postmortem action, such as `PM-2025-014#A2`.
    public var actionItem: String?
    /// What the control is, in plain words.
    public var description: String?
    /// Elements appended, by section (`barriers`, `injections`, ...), each as written.
    public var add: [(section: String, element: YAMLNode)]
    /// Values replaced at dotted paths.
    public var set: [(path: ElementPath, value: YAMLNode)]
    /// Elements or fields deleted.
    public var remove: [ElementPath]
    /// Where it was written.
    public var location: SourceLocation

    public static func == (lhs: Control, rhs: Control) -> Bool {
        lhs.id == rhs.id && lhs.actionItem == rhs.actionItem && lhs.description == rhs.description
            && lhs.add.map(\.section) == rhs.add.map(\.section) && lhs.add.map(\.element) == rhs.add.map(\.element)
            && lhs.set.map(\.path) == rhs.set.map(\.path) && lhs.set.map(\.value) == rhs.set.map(\.value)
            && lhs.remove == rhs.remove
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
    }

    /// Every path this control touches: added elements as `section.id`, set paths, removed paths.
    public var touchedPaths: [ElementPath] {
        var paths: [ElementPath] = add.compactMap { entry in
            entry.element["id"]?.scalar.map { ElementPath([entry.section, $0.text], at: entry.element.location) }
        }
        paths += set.map(\.path)
        paths += remove
        return paths
    }
}

/// A dotted path into a scenario document, such as `barriers.checkout-5xx-alert.when`.
///
/// The first component is a section; in list sections the second is an element id.
public struct ElementPath: Hashable, Sendable, CustomStringConvertible {
    /// The components.
    public var components: [String]
    /// Where the path was written.
    public var location: SourceLocation

    /// Creates a path from components.
    public init(_ components: [String], at location: SourceLocation) {
        self.components = components
        self.location = location
    }

    /// Parses `a.b.c`.
    public init(parsing text: String, at location: SourceLocation) {
        self.init(text.split(separator: ".", omittingEmptySubsequences: false).map(String.init), at: location)
    }

    /// Whether one path is a prefix of the other (they touch the same part of the document).
    public func overlaps(_ other: ElementPath) -> Bool {
        let n = min(components.count, other.components.count)
        return Array(components.prefix(n)) == Array(other.components.prefix(n))
    }

    public var description: String { components.joined(separator: ".") }
    public static func == (lhs: ElementPath, rhs: ElementPath) -> Bool { lhs.components == rhs.components }
    public func hash(into hasher: inout Hasher) { hasher.combine(components) }
}

/// The real incident, for factual and counterfactual replay (spec section 8).
public struct Observed: Hashable, Sendable {
    /// The postmortem's id.
    public var postmortem: String?
    /// The wall-clock time of t = 0, as written (ISO-8601).
    public var started: String?
    /// Draws fixed to what really happened, in file order.
    public var pins: [Pin]
    /// What the postmortem says happened, in seconds from t = 0.
    public var timeline: [Milestone: Double]
}

/// A milestone of an incident's timeline.
public enum Milestone: String, Hashable, Sendable, CaseIterable, Comparable {
    case detected
    case acknowledged
    case diagnosed
    case mitigated
    case recovered

    public static func < (lhs: Milestone, rhs: Milestone) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// One pinned draw: an address and the value it took (spec sections 8 and 9).
public struct Pin: Hashable, Sendable {
    /// The draw address, such as `responders.primary-oncall.acknowledge` or `barriers.rollback.works#2`.
    public var address: DrawAddress
    /// What the draw gave.
    public var value: Value
    /// Where the pin was written.
    public var location: SourceLocation

    /// A pinned outcome.
    public enum Value: Hashable, Sendable {
        /// A yes/no draw: it happened or not.
        case bool(Bool)
        /// A time draw, in seconds.
        case time(Double)
        /// An uncertain probability's value.
        case probability(Double)
    }
}

/// The address of a random draw (spec section 9): an element path, a purpose and a repeat index.
public struct DrawAddress: Hashable, Sendable, CustomStringConvertible, Comparable {
    /// The address without its repeat suffix, for example `barriers.rollback.works`.
    public var base: String
    /// 1 for the first draw; k ≥ 2 adds the suffix `#k`.
    public var repeatIndex: Int

    /// Creates an address.
    public init(_ base: String, repeat repeatIndex: Int = 1) {
        self.base = base
        self.repeatIndex = repeatIndex
    }

    /// Parses `base` or `base#k`. Returns `nil` for a malformed suffix.
    public init?(parsing text: String) {
        if let hash = text.lastIndex(of: "#") {
            guard let k = Int(text[text.index(after: hash)...]), k >= 2 else { return nil }
            self.init(String(text[..<hash]), repeat: k)
        } else {
            self.init(text)
        }
    }

    /// `base` or `base#k`.
    public var description: String { repeatIndex == 1 ? base : "\(base)#\(repeatIndex)" }

    public static func < (lhs: DrawAddress, rhs: DrawAddress) -> Bool {
        (lhs.base, lhs.repeatIndex) < (rhs.base, rhs.repeatIndex)
    }
}

/// An assertion about a scenario, run by `gameday check` (spec section 12).
public struct Check: Hashable, Sendable {
    /// What it asserts, in words.
    public var name: String
    /// Controls applied (empty: the baseline).
    public var with: [Reference]
    /// The expectations; all must hold.
    public var expectations: [Expectation]
    /// Where it was written.
    public var location: SourceLocation
}

/// One expectation of a check, such as `incident_probability_below: 25%`.
public struct Expectation: Hashable, Sendable, CustomStringConvertible {
    /// What is measured.
    public var quantity: CheckQuantity
    /// How it is compared.
    public var comparison: Comparison
    /// The threshold, in the quantity's unit (seconds, fraction, count).
    public var threshold: Double
    /// The key as written.
    public var key: String
    /// Where it was written.
    public var location: SourceLocation

    /// The comparisons a check can make.
    public enum Comparison: String, Hashable, Sendable, CaseIterable {
        case below
        case above
        case atMost = "at_most"
        case atLeast = "at_least"

        /// Whether the value must be small (below, at most) rather than large.
        public var wantsSmall: Bool { self == .below || self == .atMost }
    }

    public var description: String { key }
    public static func == (lhs: Expectation, rhs: Expectation) -> Bool {
        lhs.quantity == rhs.quantity && lhs.comparison == rhs.comparison && lhs.threshold == rhs.threshold
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(key); hasher.combine(threshold) }
}

/// The quantities a check can assert on.
public enum CheckQuantity: Hashable, Sendable {
    /// P(incident).
    case incidentProbability
    /// P(prevented): every injection that occurred was stopped by prevent barriers.
    case preventedProbability
    /// P(contained).
    case containedProbability
    /// P(a milestone happens before the horizon), over trials with impact.
    case milestoneProbability(Metric)
    /// Share of baseline incidents that are not incidents with the check's controls.
    case averted
    /// Share of baseline trials with a fault and no incident that become incidents.
    case newHarm
    /// A statistic of a metric.
    case metric(Metric, Statistic)
    /// The paired mean change of a metric against the baseline.
    case metricChange(Metric)
}

/// A per-trial metric (spec section 10).
public enum Metric: String, Hashable, Sendable, CaseIterable {
    case timeToDetect = "time_to_detect"
    case timeToAcknowledge = "time_to_acknowledge"
    case timeToMitigate = "time_to_mitigate"
    case timeToRecover = "time_to_recover"
    case failedRequests = "failed_requests"
    case impactDuration = "impact_duration"
    case sloBudgetConsumed = "slo_budget_consumed"
    case peakErrorRate = "peak_error_rate"

    /// Whether it is a time milestone (censored when it does not happen) rather than an impact metric.
    public var isMilestone: Bool {
        switch self {
        case .timeToDetect, .timeToAcknowledge, .timeToMitigate, .timeToRecover: return true
        default: return false
        }
    }

    /// Whether its values are times in seconds.
    public var isTime: Bool { isMilestone || self == .impactDuration }
}

/// A summary statistic of a metric.
public enum Statistic: String, Hashable, Sendable, CaseIterable {
    case mean
    case p50
    case p90
    case p99

    /// The quantile's level, or `nil` for the mean.
    public var quantile: Double? {
        switch self {
        case .mean: return nil
        case .p50: return 0.5
        case .p90: return 0.9
        case .p99: return 0.99
        }
    }
}

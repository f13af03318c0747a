import GamedayModel
import GamedayRandom

/// The seed's Philox keys for every draw site of a compiled scenario (spec section 9).
///
/// Keys for first draws are computed once per run; the key of the k-th repeat (`#k`) is derived
/// from the site's FNV-1a state without allocating.
public struct DrawKeys: Sendable {
    /// The seed.
    public let seed: UInt64
    let first: [DrawKey]
    let hashes: [FNV1a64]

    /// Computes the keys of every site of `compiled` for `seed`.
    public init(compiled: CompiledScenario, seed: UInt64) {
        self.seed = seed
        self.hashes = compiled.siteHashes
        self.first = compiled.siteHashes.map { DrawKey(seed: seed, hash: $0) }
    }

    /// The key of a site's k-th draw (k = 1 for the first, which has no suffix).
    @inline(__always)
    public func key(site: Int, repeat k: Int) -> DrawKey {
        k == 1 ? first[site] : DrawKey(seed: seed, hash: hashes[site].repeated(k))
    }
}

/// A draw's site and repeat index, the key of a pin.
public struct PinKey: Hashable, Sendable {
    /// The draw site.
    public var site: Int32
    /// The repeat index, 1 for the first draw.
    public var repeatIndex: Int

    /// Creates a key.
    public init(site: Int32, repeat repeatIndex: Int) {
        self.site = site
        self.repeatIndex = repeatIndex
    }
}

/// How a pinned draw is fixed.
public enum PinBehaviour: Sendable, Hashable {
    /// A yes/no draw forced to this outcome (its uniform sampled within the interval that gives it).
    case event(Bool)
    /// A time draw forced to this observed value (its uniform is the value's quantile).
    case time(Double)
    /// An uncertain probability fixed to this value.
    case probability(Double)
    /// The draw's uniform fixed to this value (a counterfactual keeps the factual trial's luck).
    case uniform(Double)
}

/// Pins keyed by draw: the factual pins of `observed`, or the uniforms a factual trial used.
public struct PinSet: Sendable {
    var entries: [PinKey: PinBehaviour] = [:]

    /// An empty set.
    public init() {}

    /// Whether no draw is pinned.
    public var isEmpty: Bool { entries.isEmpty }

    /// The pinned behaviour of a draw.
    public subscript(key: PinKey) -> PinBehaviour? {
        get { entries[key] }
        set { entries[key] = newValue }
    }

    /// The scenario's observed pins, for the factual replay. Pins on draws this scenario does not
    /// make (a variant removed the element) are skipped.
    public init(observed: Observed, compiled: CompiledScenario) {
        for pin in observed.pins {
            guard let site = compiled.site(for: pin.address.base) else { continue }
            let key = PinKey(site: Int32(site), repeat: pin.address.repeatIndex)
            switch pin.value {
            case .bool(let b): entries[key] = .event(b)
            case .time(let t): entries[key] = .time(t)
            case .probability(let p): entries[key] = .probability(p)
            }
        }
    }

    /// The uniforms a factual trial used, re-keyed by address onto another compiled scenario (a
    /// variant), for counterfactual replay.
    public init(uniforms: [(key: PinKey, u: Double)], from factual: CompiledScenario, onto variant: CompiledScenario) {
        for (key, u) in uniforms {
            let address = factual.siteAddresses[Int(key.site)]
            guard let site = variant.site(for: address) else { continue }
            entries[PinKey(site: Int32(site), repeat: key.repeatIndex)] = .uniform(u)
        }
    }
}

/// What one trial produced (spec section 10): outcome, milestones in absolute time, impact.
public struct TrialMetrics: Sendable, Hashable {
    /// The trial's outcome.
    public var outcome = TrialOutcome.noFault
    /// Injections that occurred.
    public var occurred = 0
    /// Injections stopped before they took effect: by a prevent barrier, or removed (mitigated or
    /// healed) while a prevent barrier was still deciding.
    public var prevented = 0
    /// First customer impact (a service with traffic above zero errors).
    public var firstImpactAt: Double?
    /// First page delivered to a person, or an automatic mitigation firing.
    public var detectedAt: Double?
    /// First acknowledgement by a responder who diagnoses.
    public var acknowledgedAt: Double?
    /// First correct diagnosis that named a cause.
    public var diagnosedAt: Double?
    /// The last impacting injection removed or healed (nil when one is still active at the horizon).
    public var mitigatedAt: Double?
    /// Every service with traffic back to zero errors (nil when errors remain at the horizon).
    public var recoveredAt: Double?
    /// Σ traffic × error rate over time at services with traffic.
    public var failedRequests = 0.0
    /// Time during which any service with traffic has errors.
    public var impactDuration = 0.0
    /// The largest error rate at a service with traffic.
    public var peakErrorRate = 0.0
    /// Failed requests as a share of the SLO error budget, summed over services with an SLO.
    public var sloBudgetConsumed = 0.0
    /// Events processed.
    public var events = 0
    /// Whether the trial hit the event cap.
    public var runaway = false
    /// When it hit the cap.
    public var runawayAt: Double?

    /// Creates empty metrics.
    public init() {}

    /// A metric's value in this trial: times relative to the first customer impact (0 when the
    /// milestone came first); `nil` for a time when there was no impact or the milestone did not
    /// happen (see ``isCensored(_:)``).
    public func value(_ metric: Metric) -> Double? {
        switch metric {
        case .failedRequests: return failedRequests
        case .impactDuration: return impactDuration
        case .peakErrorRate: return peakErrorRate
        case .sloBudgetConsumed: return sloBudgetConsumed
        case .timeToDetect: return relative(detectedAt)
        case .timeToAcknowledge: return relative(acknowledgedAt)
        case .timeToMitigate: return relative(mitigatedAt)
        case .timeToRecover: return relative(recoveredAt)
        }
    }

    private func relative(_ time: Double?) -> Double? {
        guard let start = firstImpactAt, let time else { return nil }
        return max(0, time - start)
    }

    /// Whether a time metric is censored: there was customer impact but the milestone did not
    /// happen before the horizon.
    public func isCensored(_ metric: Metric) -> Bool {
        metric.isMilestone && firstImpactAt != nil && value(metric) == nil
    }

    /// Whether a censored milestone was not needed: customer impact ended without it (a prevent
    /// barrier or a self-heal got there first), rather than going on past the horizon.
    public func isNotNeeded(_ metric: Metric) -> Bool {
        isCensored(metric) && recoveredAt != nil
    }

    /// An observed-timeline milestone's absolute time.
    public func time(of milestone: Milestone) -> Double? {
        switch milestone {
        case .detected: return detectedAt
        case .acknowledged: return acknowledgedAt
        case .diagnosed: return diagnosedAt
        case .mitigated: return mitigatedAt
        case .recovered: return recoveredAt
        }
    }
}

/// The outcome of a trial (spec section 10).
public enum TrialOutcome: Int, Sendable, Hashable, CaseIterable {
    /// No injection occurred.
    case noFault
    /// Every injection that occurred was stopped before it took effect (by prevent barriers, or
    /// removed while one was still deciding).
    case prevented
    /// Customer impact, not above `incident_when`.
    case contained
    /// Impact above `incident_when`.
    case incident

    /// The name used in output.
    public var name: String {
        switch self {
        case .noFault: return "no-fault"
        case .prevented: return "prevented"
        case .contained: return "contained"
        case .incident: return "incident"
        }
    }
}

/// One event of a trajectory, with the index of the event that caused it.
public struct TraceEvent: Sendable, Hashable {
    /// The kind of subject.
    public enum Subject: UInt8, Sendable {
        case injection, barrier, responder

        /// The section name used in addresses.
        public var section: String {
            switch self {
            case .injection: return "injections"
            case .barrier: return "barriers"
            case .responder: return "responders"
            }
        }
    }

    /// The event names of spec section 10.
    public enum Name: UInt8, Sendable {
        case occurred, exposed, prevented, tookEffect, triggered, mitigated, healed, recovered
        case fired, paged, held, failed
        case acknowledged, escalated, forwarded, diagnosed, misdiagnosed, attempted

        /// The name as written in addresses and output.
        public var text: String {
            switch self {
            case .tookEffect: return "took-effect"
            default: return "\(self)"
            }
        }
    }

    /// When, in seconds from t = 0.
    public var at: Double
    /// The subject's kind.
    public var subject: Subject
    /// The subject's index in its section.
    public var index: Int32
    /// What happened.
    public var name: Name
    /// The index in the trace of the event that caused it, or -1.
    public var cause: Int32
    /// A related element: the barrier that prevented or mitigated, the injection diagnosed or
    /// decided on, the mitigation attempted, the responder paged or attempting; -1 when none.
    public var detail: Int32
    /// The kind of the related element.
    public var detailSubject: Subject?
}

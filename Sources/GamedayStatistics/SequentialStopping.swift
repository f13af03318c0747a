/// One metric's current estimate and interval half-width, for sequential
/// stopping.
public struct MetricPrecision: Sendable, Hashable {
    /// The metric's name (for reports).
    public var name: String
    /// The current estimate (a mean or a proportion).
    public var estimate: Double
    /// The half-width of its interval, or `nil` while it cannot be estimated
    /// (fewer than two values).
    public var halfWidth: Double?
    /// The metric's own relative target, or `nil` for the rule's.
    public var target: Double?

    /// Creates a measurement.
    ///
    /// - Parameters:
    ///   - name: The metric's name.
    ///   - estimate: The current estimate.
    ///   - halfWidth: The interval's half-width, or `nil`.
    ///   - target: A relative target for this metric, or `nil` for the rule's.
    public init(name: String, estimate: Double, halfWidth: Double?, target: Double? = nil) {
        self.name = name
        self.estimate = estimate
        self.halfWidth = halfWidth
        self.target = target
    }

    /// The precision of a mean (``MomentAccumulator/meanHalfWidth(confidence:)``).
    ///
    /// - Parameters:
    ///   - name: The metric's name.
    ///   - moments: The metric's accumulator.
    ///   - confidence: The two-sided level (default 0.95).
    ///   - target: A relative target for this metric, or `nil` for the rule's.
    public init(name: String, moments: MomentAccumulator, confidence: Double = 0.95, target: Double? = nil) {
        self.init(
            name: name, estimate: moments.mean, halfWidth: moments.meanHalfWidth(confidence: confidence),
            target: target)
    }

    /// The precision of a proportion: its estimate and half the width of its
    /// Wilson interval.
    ///
    /// - Parameters:
    ///   - name: The metric's name.
    ///   - proportion: The metric's counter.
    ///   - z: The critical value (default ``Confidence/z95``).
    ///   - target: A relative target for this metric, or `nil` for the rule's.
    public init(name: String, proportion: ProportionCounter, z: Double = Confidence.z95, target: Double? = nil) {
        self.init(
            name: name, estimate: proportion.estimate ?? 0,
            halfWidth: proportion.trials > 0 ? proportion.interval(z: z).halfWidth : nil, target: target)
    }

    /// `halfWidth / |estimate|`: 0 for an exact zero (`estimate` and
    /// `halfWidth` both 0), `+infinity` while not estimable or when only the
    /// estimate is 0.
    public var relativeHalfWidth: Double {
        guard let halfWidth else { return .infinity }
        if halfWidth == 0 { return 0 }
        if estimate == 0 { return .infinity }
        return halfWidth / abs(estimate)
    }
}

/// The `--precision H` rule: sample until every metric's 95% interval
/// half-width is at most `H` times its estimate, after a minimum number of
/// trials and of incidents, and never past a trial cap (spec section 11).
///
/// The rule is pure: the runner asks it only at fixed batch boundaries
/// (multiples of ``batchTrials``, themselves multiples of
/// ``BlockReduction/blockSize``), with accumulators folded in block order, so
/// the stopping point is the same on any number of threads.
public struct StoppingRule: Sendable, Hashable, Codable {
    /// The default relative half-width `H` for metrics without their own target.
    public var relativePrecision: Double
    /// No stop for precision before this many trials.
    public var minimumTrials: Int
    /// No stop for precision before this many incidents.
    public var minimumIncidents: Int
    /// Always stop at this many trials.
    public var maximumTrials: Int
    /// The trials between two decisions (a positive multiple of the block size).
    public var batchTrials: Int

    /// Creates a rule.
    ///
    /// - Parameters:
    ///   - relativePrecision: `H > 0`.
    ///   - minimumTrials: The minimum number of trials (`>= 0`).
    ///   - minimumIncidents: The minimum number of incidents (`>= 0`).
    ///   - maximumTrials: The trial cap (`>= minimumTrials`, `> 0`).
    ///   - batchTrials: Trials between decisions, a positive multiple of
    ///     ``BlockReduction/blockSize`` (default: one block).
    public init(
        relativePrecision: Double, minimumTrials: Int, minimumIncidents: Int, maximumTrials: Int,
        batchTrials: Int = BlockReduction.blockSize
    ) {
        precondition(relativePrecision > 0 && relativePrecision.isFinite, "a relative precision is positive")
        precondition(minimumTrials >= 0 && minimumIncidents >= 0, "minimums are not negative")
        precondition(maximumTrials > 0 && maximumTrials >= minimumTrials, "the trial cap is at least the minimum")
        precondition(
            batchTrials > 0 && batchTrials % BlockReduction.blockSize == 0,
            "decisions fall on block boundaries")
        self.relativePrecision = relativePrecision
        self.minimumTrials = minimumTrials
        self.minimumIncidents = minimumIncidents
        self.maximumTrials = maximumTrials
        self.batchTrials = batchTrials
    }

    /// The trial count at which the next decision is taken after `trials`:
    /// the next multiple of ``batchTrials``, but no more than the cap.
    ///
    /// - Parameter trials: The trials run so far.
    /// - Returns: Where the runner stops next to decide.
    public func nextCheckpoint(after trials: Int) -> Int {
        min(maximumTrials, (trials / batchTrials + 1) * batchTrials)
    }

    /// Decides whether to stop after `trials` trials.
    ///
    /// In order: below the minimum trials or incidents, continue (or stop at
    /// the cap); if every metric meets its target, stop for precision; else
    /// stop at the cap or continue.
    ///
    /// - Parameters:
    ///   - trials: The trials run so far.
    ///   - incidents: The incidents among them.
    ///   - metrics: Each tracked metric's precision.
    /// - Returns: The decision, with the metrics not yet precise enough.
    public func decide(trials: Int, incidents: Int, metrics: [MetricPrecision]) -> StoppingDecision {
        let unmet = metrics.filter { $0.relativeHalfWidth > ($0.target ?? relativePrecision) }.map(\.name)
        let atCap = trials >= maximumTrials
        if trials < minimumTrials {
            return StoppingDecision(reason: atCap ? .trialCap : .belowMinimumTrials, unmet: unmet)
        }
        if incidents < minimumIncidents {
            return StoppingDecision(reason: atCap ? .trialCap : .belowMinimumIncidents, unmet: unmet)
        }
        if unmet.isEmpty {
            return StoppingDecision(reason: .precisionReached, unmet: [])
        }
        return StoppingDecision(reason: atCap ? .trialCap : .precisionNotReached, unmet: unmet)
    }
}

/// The outcome of a ``StoppingRule`` decision.
public struct StoppingDecision: Sendable, Hashable {
    /// Why the run stops or continues.
    public enum Reason: String, Sendable, Hashable, Codable {
        /// Continue: fewer trials than the minimum.
        case belowMinimumTrials = "below-minimum-trials"
        /// Continue: fewer incidents than the minimum.
        case belowMinimumIncidents = "below-minimum-incidents"
        /// Continue: some metric is not yet precise enough.
        case precisionNotReached = "precision-not-reached"
        /// Stop: every metric is precise enough.
        case precisionReached = "precision-reached"
        /// Stop: the trial cap is reached.
        case trialCap = "trial-cap"
    }

    /// Why.
    public var reason: Reason
    /// The metrics whose precision is not reached yet.
    public var unmet: [String]

    /// Creates a decision.
    ///
    /// - Parameters:
    ///   - reason: Why.
    ///   - unmet: The metrics not yet precise enough.
    public init(reason: Reason, unmet: [String]) {
        self.reason = reason
        self.unmet = unmet
    }

    /// Whether the run stops here.
    public var shouldStop: Bool {
        reason == .precisionReached || reason == .trialCap
    }
}

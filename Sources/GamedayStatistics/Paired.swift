/// A count of successes among trials, with its Wilson interval: for
/// P(incident), P(prevented), P(each milestone). Integer counts, so merging
/// is exact in any order.
public struct ProportionCounter: BlockAccumulator, Hashable, Codable {
    /// The number of successes.
    public private(set) var successes: Int
    /// The number of trials.
    public private(set) var trials: Int

    /// Creates an empty counter.
    public init() {
        successes = 0
        trials = 0
    }

    /// Restores a counter from its state.
    ///
    /// - Parameters:
    ///   - successes: The number of successes (`0...trials`).
    ///   - trials: The number of trials.
    public init(successes: Int, trials: Int) {
        precondition(successes >= 0 && successes <= trials, "invalid proportion state")
        self.successes = successes
        self.trials = trials
    }

    /// Adds one trial.
    ///
    /// - Parameter success: Whether the event happened in it.
    public mutating func add(_ success: Bool) {
        trials += 1
        if success { successes += 1 }
    }

    /// Adds another counter's trials.
    ///
    /// - Parameter other: Another counter.
    public mutating func merge(_ other: ProportionCounter) {
        successes += other.successes
        trials += other.trials
    }

    /// The share of successes, or `nil` without trials.
    public var estimate: Double? {
        trials > 0 ? Double(successes) / Double(trials) : nil
    }

    /// The Wilson interval (``Wilson/interval(successes:trials:z:)``).
    ///
    /// - Parameter z: The critical value (default ``Confidence/z95``).
    /// - Returns: The interval; [0, 1] without trials.
    public func interval(z: Double = Confidence.z95) -> ConfidenceInterval {
        Wilson.interval(successes: successes, trials: trials, z: z)
    }
}

/// Per-trial differences `variant - baseline` of a metric, over the trials in
/// which both are defined (spec section 11): the paired mean difference and
/// its interval.
///
/// A ``MomentAccumulator`` underneath, so the same reduction rules apply:
/// add trials in index order within a block and fold blocks in order
/// (``BlockStates`` across shards).
public struct PairedDifference: BlockAccumulator, Hashable, Codable {
    /// The moments of the differences.
    public private(set) var differences: MomentAccumulator

    /// Creates an empty accumulator.
    public init() {
        differences = MomentAccumulator()
    }

    /// Restores an accumulator from the moments of its differences.
    ///
    /// - Parameter differences: The moments of `variant - baseline`.
    public init(differences: MomentAccumulator) {
        self.differences = differences
    }

    /// Adds one trial in which both values are defined.
    ///
    /// - Parameters:
    ///   - variant: The variant's value.
    ///   - baseline: The baseline's value in the same trial.
    public mutating func add(variant: Double, baseline: Double) {
        differences.add(variant - baseline)
    }

    /// Adds one trial if both values are defined, and skips it otherwise (a
    /// milestone that happened in only one of the two runs).
    ///
    /// - Parameters:
    ///   - variant: The variant's value, or `nil`.
    ///   - baseline: The baseline's value, or `nil`.
    public mutating func add(variant: Double?, baseline: Double?) {
        if let variant, let baseline {
            differences.add(variant - baseline)
        }
    }

    /// Appends another accumulator's differences (Chan's merge).
    ///
    /// - Parameter other: The accumulator of the following trials.
    public mutating func merge(_ other: PairedDifference) {
        differences.merge(other.differences)
    }

    /// The number of trials in which both were defined.
    public var count: Int {
        differences.count
    }

    /// The mean difference (0 when empty).
    public var mean: Double {
        differences.mean
    }

    /// The interval for the mean difference (see
    /// ``MomentAccumulator/meanInterval(confidence:)``).
    ///
    /// - Parameter confidence: The two-sided level (default 0.95).
    /// - Returns: The interval, or `nil` below two trials.
    public func meanInterval(confidence: Double = 0.95) -> ConfidenceInterval? {
        differences.meanInterval(confidence: confidence)
    }
}

/// A yes/no outcome (an incident, a milestone) compared trial by trial
/// between a baseline and a variant (spec section 11).
///
/// - `averted`: among baseline trials with the event, the share without it
///   in the variant (Wilson interval).
/// - `new_harm`: among baseline trials *at risk* without the event (for
///   incidents: a fault occurred and it was not an incident), the share with
///   it in the variant (Wilson interval).
/// - the change in probability: the paired mean of the indicator differences
///   `variant - baseline` in {-1, 0, 1} over all trials.
///
/// Everything is an integer count, so merging is exact in any order, and the
/// paired mean and variance are computed exactly from the counts: with `g`
/// trials gained (variant only) and `a` averted (baseline only) among `n`,
/// the mean is `(g - a) / n` and `Σ d² = g + a`.
public struct PairedEventCounts: BlockAccumulator, Hashable, Codable {
    /// The number of trials.
    public private(set) var trials: Int
    /// Trials with the event in the baseline.
    public private(set) var baselineEvents: Int
    /// Trials with the event in the variant.
    public private(set) var variantEvents: Int
    /// Trials with the event in the baseline and not in the variant.
    public private(set) var averted: Int
    /// Trials with the event in the variant and not in the baseline (at risk or not).
    public private(set) var gained: Int
    /// Baseline trials at risk and without the event: the denominator of ``newHarm``.
    public private(set) var atRiskWithoutEvent: Int
    /// Of those, trials with the event in the variant.
    public private(set) var newHarm: Int

    /// Creates empty counts.
    public init() {
        trials = 0
        baselineEvents = 0
        variantEvents = 0
        averted = 0
        gained = 0
        atRiskWithoutEvent = 0
        newHarm = 0
    }

    /// Restores counts from their state.
    ///
    /// - Parameters:
    ///   - trials: The number of trials.
    ///   - baselineEvents: Trials with the event in the baseline.
    ///   - variantEvents: Trials with the event in the variant.
    ///   - averted: Baseline event, no variant event.
    ///   - gained: Variant event, no baseline event.
    ///   - atRiskWithoutEvent: Baseline at risk without the event.
    ///   - newHarm: Of those, variant event.
    public init(
        trials: Int, baselineEvents: Int, variantEvents: Int, averted: Int, gained: Int,
        atRiskWithoutEvent: Int, newHarm: Int
    ) {
        precondition(
            averted <= baselineEvents && gained <= variantEvents && newHarm <= atRiskWithoutEvent
                && newHarm <= gained && baselineEvents <= trials && variantEvents <= trials
                && variantEvents - gained == baselineEvents - averted && min(averted, newHarm) >= 0,
            "inconsistent paired counts")
        self.trials = trials
        self.baselineEvents = baselineEvents
        self.variantEvents = variantEvents
        self.averted = averted
        self.gained = gained
        self.atRiskWithoutEvent = atRiskWithoutEvent
        self.newHarm = newHarm
    }

    /// Adds one trial.
    ///
    /// - Parameters:
    ///   - baseline: Whether the event happened in the baseline.
    ///   - variant: Whether it happened in the variant, in the same trial.
    ///   - atRisk: Whether a baseline trial without the event counts toward
    ///     ``newHarm``'s denominator (for `new_harm`: a fault occurred in the
    ///     baseline). Ignored when `baseline` is true.
    public mutating func add(baseline: Bool, variant: Bool, atRisk: Bool = true) {
        trials += 1
        if baseline { baselineEvents += 1 }
        if variant { variantEvents += 1 }
        if baseline && !variant { averted += 1 }
        if variant && !baseline { gained += 1 }
        if !baseline && atRisk {
            atRiskWithoutEvent += 1
            if variant { newHarm += 1 }
        }
    }

    /// Adds another accumulator's counts.
    ///
    /// - Parameter other: Other counts.
    public mutating func merge(_ other: PairedEventCounts) {
        trials += other.trials
        baselineEvents += other.baselineEvents
        variantEvents += other.variantEvents
        averted += other.averted
        gained += other.gained
        atRiskWithoutEvent += other.atRiskWithoutEvent
        newHarm += other.newHarm
    }

    /// The averted share and its Wilson interval, `averted / baselineEvents`.
    ///
    /// - Parameter z: The critical value (default ``Confidence/z95``).
    /// - Returns: The share (`nil` when no baseline trial had the event) and
    ///   the interval ([0, 1] then).
    public func avertedShare(z: Double = Confidence.z95) -> (share: Double?, interval: ConfidenceInterval) {
        let share = baselineEvents > 0 ? Double(averted) / Double(baselineEvents) : nil
        return (share, Wilson.interval(successes: averted, trials: baselineEvents, z: z))
    }

    /// The new-harm share and its Wilson interval, `newHarm / atRiskWithoutEvent`.
    ///
    /// - Parameter z: The critical value (default ``Confidence/z95``).
    /// - Returns: The share (`nil` without trials at risk) and the interval.
    public func newHarmShare(z: Double = Confidence.z95) -> (share: Double?, interval: ConfidenceInterval) {
        let share = atRiskWithoutEvent > 0 ? Double(newHarm) / Double(atRiskWithoutEvent) : nil
        return (share, Wilson.interval(successes: newHarm, trials: atRiskWithoutEvent, z: z))
    }

    /// The moments of the indicator differences `variant - baseline`, exact
    /// from the counts: `count = n`, `mean = (g - a) / n`,
    /// `m2 = g + a - (g - a)² / n`.
    public var changeMoments: MomentAccumulator {
        if trials == 0 { return MomentAccumulator() }
        let n = Double(trials)
        let net = Double(gained - averted)
        let m2 = max(0, Double(gained + averted) - net * net / n)
        return MomentAccumulator(count: trials, mean: net / n, m2: m2)
    }

    /// The change in probability, `(variantEvents - baselineEvents) / trials`
    /// (0 without trials).
    public var change: Double {
        changeMoments.mean
    }

    /// The paired interval for the change in probability (see
    /// ``MomentAccumulator/meanInterval(confidence:)``).
    ///
    /// - Parameter confidence: The two-sided level (default 0.95).
    /// - Returns: The interval, or `nil` below two trials.
    public func changeInterval(confidence: Double = 0.95) -> ConfidenceInterval? {
        changeMoments.meanInterval(confidence: confidence)
    }
}

import GamedayModel

// Hooks that tabletop drills need beyond `addInjection` and `attemptMitigation`.
//
// They live in their own file so that the engine's hot path (TrialEngine.swift) stays untouched:
// a drill steps one trial by hand, reads what has happened so far, and may hand the rest of the
// trial over to the modelled responders.
extension TrialEngine {
    /// The trial's metrics so far: impact integrated up to ``currentTime``, milestones reached so
    /// far. Outcome and censoring are decided only by ``finish()``.
    public var liveMetrics: TrialMetrics { metrics }

    /// Whether an injection has taken effect or is being decided and has not been removed or
    /// healed yet (a cause someone could still work on).
    public func isInjectionActive(_ i: Int) -> Bool { isActive(i) }

    /// Hands the rest of the trial over to the modelled responders (a drill's `--model-from T`).
    ///
    /// From now on pages start the modelled on-call's work as in a normal run. Every responder
    /// that a page reached before now (while the drill had people in their place) is paged again
    /// now, so its acknowledgement, escalation clock and diagnosis start at the hand-over, with
    /// the same draw addresses a run uses (`responders.ID.acknowledge`, ...). Mitigation attempts
    /// that people started keep running. Pages are sent in the order they first arrived.
    ///
    /// Needs ``Options/recordTrace`` (the earlier pages are read from the trace); without it only
    /// pages from now on reach the modelled responders.
    public mutating func handOverToModelledResponders() {
        options.modelResponders = true
        var seen = Set<Int32>()
        var order: [(responder: Int32, cause: Int32)] = []
        for (index, event) in trace.enumerated() where event.subject == .responder && event.name == .paged {
            if seen.insert(event.index).inserted { order.append((event.index, Int32(index))) }
        }
        for (r, cause) in order where !responders[Int(r)].paged {
            // A page event at this instant runs the engine's own page handling (escalation and
            // forwarding included); b = -1 marks it as not coming from a detect barrier.
            schedule(now, .pageArrive, phase: 2, sub: 0, element: r, a: r, b: -1, cause: cause)
        }
    }
}

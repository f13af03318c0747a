import GamedayRandom

extension TrialEngine {
    /// The uniform of a draw that no pin fixes, logged when ``Options/recordDraws`` is on.
    @inline(__always)
    mutating func sample(site: Int32, repeat k: Int) -> Double {
        if options.recordDraws { drawLog.append(PinKey(site: site, repeat: k)) }
        return uniform(site: site, repeat: k)
    }

    /// The draws the last trial sampled without a pin, in the order it made them (empty unless
    /// ``Options/recordDraws`` is on). Constant distributions and certain events (probability 0
    /// or 1) make no draw and are not listed.
    ///
    /// A factual replay lists these: they are the draws on the factual path that the postmortem
    /// did not pin, which make the replay a distribution (spec section 8).
    public var unpinnedDraws: [PinKey] { drawLog }
}

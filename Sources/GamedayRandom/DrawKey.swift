/// The Philox key of one draw address under one seed (spec section 9).
///
/// For seed `s` and address `a`:
///
/// ```
/// h = FNV-1a 64 of the UTF-8 bytes of a
/// k = SplitMix64(s XOR SplitMix64(h))
/// key = (low 32 bits of k, high 32 bits of k)
/// ```
///
/// A key does not depend on the trial, so an engine computes the keys of its
/// fixed addresses once per run. Repeated draws (`address#k`) change the
/// address, hence the key: keep the base address's ``FNV1a64`` state and use
/// ``init(seed:hash:)`` with `base.repeated(k)`, which costs a few
/// multiplications and allocates nothing.
public struct DrawKey: Sendable, Hashable {
    /// Key word 0: the low 32 bits of `k`.
    public let word0: UInt32
    /// Key word 1: the high 32 bits of `k`.
    public let word1: UInt32

    /// Creates a key from its two words.
    ///
    /// - Parameters:
    ///   - word0: Key word 0.
    ///   - word1: Key word 1.
    @inlinable
    public init(word0: UInt32, word1: UInt32) {
        self.word0 = word0
        self.word1 = word1
    }

    /// Creates the key of an address under a seed.
    ///
    /// - Parameters:
    ///   - seed: The run's seed `s`.
    ///   - address: The draw address, including any `#k` repeat suffix.
    @inlinable
    public init(seed: UInt64, address: String) {
        self.init(seed: seed, hash: FNV1a64(address))
    }

    /// Creates the key of an address, given the address's FNV-1a state.
    ///
    /// - Parameters:
    ///   - seed: The run's seed `s`.
    ///   - hash: The FNV-1a 64 state after combining the whole address
    ///     (including any `#k` repeat suffix).
    @inlinable
    public init(seed: UInt64, hash: FNV1a64) {
        let k = SplitMix64.mix(seed ^ SplitMix64.mix(hash.value))
        self.init(word0: UInt32(truncatingIfNeeded: k), word1: UInt32(truncatingIfNeeded: k >> 32))
    }

    /// The key as the two-word vector that ``Philox4x32x10/block(counter:key:)`` takes.
    @inlinable
    public var words: SIMD2<UInt32> {
        SIMD2(word0, word1)
    }

    /// The uniform of this address in one trial; see ``uniform(key:trial:)``.
    ///
    /// - Parameter trial: The trial index.
    /// - Returns: A number in the open interval (0, 1).
    @inlinable
    public func uniform(trial: UInt64) -> Double {
        GamedayRandom.uniform(key: self, trial: trial)
    }
}

/// The largest `Double` below 1, `1 - 2^-53`.
public let largestUniform: Double = 1 - 0x1p-53

/// The uniform draw of an address (given by its key) in one trial (spec section 9).
///
/// The Philox counter is `(low 32 of trial, high 32 of trial, 0, 0)`; from the
/// first two output words `w0`, `w1`,
/// `u = (Double((w0 << 21) ^ (w1 >> 11)) + 0.5) * 2^-53` (see
/// ``uniform(w0:w1:)``). An event of probability `p` happens when `u < p`.
///
/// - Parameters:
///   - key: The address's key under the run's seed.
///   - trial: The trial index `t`.
/// - Returns: A number in the open interval (0, 1).
@inlinable
public func uniform(key: DrawKey, trial: UInt64) -> Double {
    let w = Philox4x32x10.block(
        UInt32(truncatingIfNeeded: trial), UInt32(truncatingIfNeeded: trial >> 32), 0, 0,
        key: key.word0, key.word1
    )
    return uniform(w0: w.0, w1: w.1)
}

/// Maps two Philox output words to a uniform in (0, 1) (spec section 9).
///
/// `n = (w0 << 21) ^ (w1 >> 11)` is a 53-bit integer and the result is
/// `(Double(n) + 0.5) * 2^-53`. Two facts about IEEE doubles that this
/// implementation documents rather than hides:
///
/// - For `n >= 2^52` the sum `n + 0.5` is a tie and rounds to even, so in the
///   upper half of (0, 1) the result is a multiple of `2^-52` (each reached by
///   two values of `n`); the bias is below `2^-53` and no event threshold `p`
///   that is itself a double is affected.
/// - For the single value `n = 2^53 - 1` the formula rounds to exactly 1.0,
///   which would break `0 < u < 1` (an event of probability 1 would fail,
///   an exponential would be infinite). That one input returns
///   ``largestUniform`` (`1 - 2^-53`) instead; every other input follows the
///   formula bit for bit.
///
/// - Parameters:
///   - w0: Philox output word 0.
///   - w1: Philox output word 1.
/// - Returns: A number in the open interval (0, 1).
@inlinable
public func uniform(w0: UInt32, w1: UInt32) -> Double {
    let n = (UInt64(w0) << 21) ^ (UInt64(w1) >> 11)
    let u = (Double(n) + 0.5) * 0x1p-53
    return u < 1 ? u : 1 - 0x1p-53
}

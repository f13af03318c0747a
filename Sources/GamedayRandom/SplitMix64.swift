/// The SplitMix64 generator of Steele, Lea and Flood (OOPSLA 2014), as
/// published by Vigna (`splitmix64.c`).
///
/// The spec's `SplitMix64(x)` (section 9) is read as *the first output of a
/// SplitMix64 generator whose state is `x`*, which is ``mix(_:)``:
///
/// ```
/// z = x &+ 0x9E3779B97F4A7C15
/// z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
/// z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
/// return z ^ (z >> 31)
/// ```
///
/// So `mix(0) == 0xE220A8397B1DCDAF`, the first output of `splitmix64.c`
/// seeded with 0. (Some libraries call only the last three lines the
/// "finalizer"; that is *not* what is used here: the golden-ratio increment
/// comes first.)
public struct SplitMix64: Sendable, Hashable {
    /// The golden-ratio increment added to the state before each output.
    public static let increment: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The generator's state.
    public var state: UInt64

    /// Creates a generator with the given state.
    ///
    /// - Parameter state: The initial state (the seed).
    @inlinable
    public init(state: UInt64) {
        self.state = state
    }

    /// Returns the next output and advances the state by ``increment``.
    ///
    /// - Returns: The next 64-bit output.
    @inlinable
    public mutating func next() -> UInt64 {
        let output = SplitMix64.mix(state)
        state &+= 0x9E37_79B9_7F4A_7C15
        return output
    }

    /// The spec's `SplitMix64(x)`: the output of a generator in state `x`.
    ///
    /// - Parameter x: The state.
    /// - Returns: The mixed 64-bit value.
    @inlinable
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

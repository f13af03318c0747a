/// The Philox4x32-10 counter-based block function.
///
/// Philox is the counter-based generator of Salmon, Moraes, Dror and Shaw,
/// "Parallel Random Numbers: As Easy as 1, 2, 3" (SC11). A block function maps
/// a 128-bit counter and a 64-bit key to 128 output bits; there is no hidden
/// state, so any draw can be computed directly from its coordinates. This is
/// the `philox4x32_10` variant of the Random123 library (four 32-bit words,
/// ten rounds) with Random123's constants, and it reproduces Random123's
/// published known-answer vectors bit for bit.
///
/// The functions are pure, allocation-free and `@inlinable`, so a caller in
/// another module can use them in a hot loop.
public enum Philox4x32x10 {
    /// Round multiplier for counter word 0 (`PHILOX_M4x32_0`).
    public static let multiplier0: UInt32 = 0xD251_1F53
    /// Round multiplier for counter word 2 (`PHILOX_M4x32_1`).
    public static let multiplier1: UInt32 = 0xCD9E_8D57
    /// Weyl increment for key word 0 (`PHILOX_W32_0`, the golden ratio).
    public static let weyl0: UInt32 = 0x9E37_79B9
    /// Weyl increment for key word 1 (`PHILOX_W32_1`, sqrt(3) - 1).
    public static let weyl1: UInt32 = 0xBB67_AE85
    /// The number of rounds.
    public static let rounds = 10

    /// Applies the block function to one counter under one key.
    ///
    /// - Parameters:
    ///   - counter: The four counter words `(c0, c1, c2, c3)`.
    ///   - key: The two key words `(k0, k1)`.
    /// - Returns: The four output words `(w0, w1, w2, w3)`.
    @inlinable
    public static func block(counter: SIMD4<UInt32>, key: SIMD2<UInt32>) -> SIMD4<UInt32> {
        let w = block(counter[0], counter[1], counter[2], counter[3], key: key[0], key[1])
        return SIMD4(w.0, w.1, w.2, w.3)
    }

    /// Applies the block function to one counter under one key (scalar form).
    ///
    /// - Parameters:
    ///   - c0: Counter word 0.
    ///   - c1: Counter word 1.
    ///   - c2: Counter word 2.
    ///   - c3: Counter word 3.
    ///   - k0: Key word 0.
    ///   - k1: Key word 1.
    /// - Returns: The four output words `(w0, w1, w2, w3)`.
    @inlinable
    public static func block(
        _ c0: UInt32, _ c1: UInt32, _ c2: UInt32, _ c3: UInt32,
        key k0: UInt32, _ k1: UInt32
    ) -> (UInt32, UInt32, UInt32, UInt32) {
        var x0 = c0, x1 = c1, x2 = c2, x3 = c3
        var key0 = k0, key1 = k1
        // Round 1 uses the key as given; each later round first bumps the key.
        for round in 0..<10 {
            if round > 0 {
                key0 &+= 0x9E37_79B9
                key1 &+= 0xBB67_AE85
            }
            let product0 = UInt64(0xD251_1F53 as UInt32) &* UInt64(x0)
            let product1 = UInt64(0xCD9E_8D57 as UInt32) &* UInt64(x2)
            let hi0 = UInt32(truncatingIfNeeded: product0 >> 32)
            let lo0 = UInt32(truncatingIfNeeded: product0)
            let hi1 = UInt32(truncatingIfNeeded: product1 >> 32)
            let lo1 = UInt32(truncatingIfNeeded: product1)
            x0 = hi1 ^ x1 ^ key0
            x1 = lo1
            x2 = hi0 ^ x3 ^ key1
            x3 = lo0
        }
        return (x0, x1, x2, x3)
    }
}

import Testing
import GamedayRandom

/// A known-answer vector of Random123's `kat_vectors` for `philox4x32_10`.
struct PhiloxVector: Sendable, CustomTestStringConvertible {
    let counter: SIMD4<UInt32>
    let key: SIMD2<UInt32>
    let expected: SIMD4<UInt32>
    var testDescription: String { "counter \(counter) key \(key)" }
}

@Suite("Philox4x32-10")
struct PhiloxTests {
    static let vectors: [PhiloxVector] = [
        PhiloxVector(
            counter: SIMD4(0, 0, 0, 0), key: SIMD2(0, 0),
            expected: SIMD4(0x6627_E8D5, 0xE169_C58D, 0xBC57_AC4C, 0x9B00_DBD8)),
        PhiloxVector(
            counter: SIMD4(0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF), key: SIMD2(0xFFFF_FFFF, 0xFFFF_FFFF),
            expected: SIMD4(0x408F_276D, 0x41C8_3B0E, 0xA20B_C7C6, 0x6D54_51FD)),
        PhiloxVector(
            counter: SIMD4(0x243F_6A88, 0x85A3_08D3, 0x1319_8A2E, 0x0370_7344), key: SIMD2(0xA409_3822, 0x299F_31D0),
            expected: SIMD4(0xD16C_FE09, 0x94FD_CCEB, 0x5001_E420, 0x2412_6EA1)),
    ]

    @Test("reproduces Random123's known-answer vectors", arguments: vectors)
    func knownAnswers(vector: PhiloxVector) {
        #expect(Philox4x32x10.block(counter: vector.counter, key: vector.key) == vector.expected)
    }

    @Test("scalar and vector forms agree", arguments: vectors)
    func scalarForm(vector: PhiloxVector) {
        let c = vector.counter, k = vector.key
        let w = Philox4x32x10.block(c[0], c[1], c[2], c[3], key: k[0], k[1])
        #expect(SIMD4(w.0, w.1, w.2, w.3) == vector.expected)
    }

    @Test("constants are Random123's")
    func constants() {
        #expect(Philox4x32x10.multiplier0 == 0xD251_1F53)
        #expect(Philox4x32x10.multiplier1 == 0xCD9E_8D57)
        #expect(Philox4x32x10.weyl0 == 0x9E37_79B9)
        #expect(Philox4x32x10.weyl1 == 0xBB67_AE85)
        #expect(Philox4x32x10.rounds == 10)
    }
}

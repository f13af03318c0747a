import Testing
import GamedayRandom

@Suite("FNV-1a 64, SplitMix64 and draw keys")
struct AddressingTests {
    @Test(
        "FNV-1a 64 test vectors",
        arguments: [
            ("", 0xCBF2_9CE4_8422_2325 as UInt64),
            ("a", 0xAF63_DC4C_8601_EC8C),
            ("foobar", 0x8594_4171_F739_67E8),
            ("injections.bad-config.occurs", 0x94F6_1156_37DC_492A),
        ])
    func fnvVectors(input: String, expected: UInt64) {
        #expect(FNV1a64(input).value == expected)
        var incremental = FNV1a64()
        incremental.combine(bytes: Array(input.utf8))
        #expect(incremental.value == expected)
        var bytewise = FNV1a64()
        for byte in input.utf8 { bytewise.combine(byte: byte) }
        #expect(bytewise.value == expected)
    }

    @Test("a hash can be continued from its value")
    func continuation() {
        var prefix = FNV1a64("barriers.")
        let stored = prefix.value
        prefix.combine(string: "rollback.works")
        var resumed = FNV1a64(value: stored)
        resumed.combine(string: "rollback.works")
        #expect(resumed == prefix)
        #expect(resumed == FNV1a64("barriers.rollback.works"))
    }

    @Test("decimal digits match the string form", arguments: [0, 1, 9, 10, 11, 99, 100, 101, 123, 1000, 98_765, Int.max])
    func decimals(number: Int) {
        var hash = FNV1a64("x")
        hash.combine(decimal: number)
        #expect(hash == FNV1a64("x\(number)"))
    }

    @Test("the k-th repeat appends #k, the first appends nothing", arguments: [1, 2, 3, 9, 10, 12, 100, 4096])
    func repeatSuffix(k: Int) {
        let base = FNV1a64("barriers.rollback.works")
        let expected = k == 1 ? FNV1a64("barriers.rollback.works") : FNV1a64("barriers.rollback.works#\(k)")
        #expect(base.repeated(k) == expected)
        var mutated = base
        mutated.combine(repeat: k)
        #expect(mutated == expected)
    }

    @Test("SplitMix64 matches splitmix64.c")
    func splitMix() {
        // Vigna's splitmix64.c seeded with 0 and with 1234567.
        #expect(SplitMix64.mix(0) == 0xE220_A839_7B1D_CDAF)
        var generator = SplitMix64(state: 1_234_567)
        #expect(generator.next() == 6_457_827_717_110_365_317)
        #expect(generator.next() == 3_203_168_211_198_807_973)
        #expect(generator.next() == 9_817_491_932_198_370_423)
        #expect(generator.state == 1_234_567 &+ 3 &* SplitMix64.increment)
    }

    /// Golden values from an independent Python implementation of section 9;
    /// they freeze the generator: a change here changes every published result.
    @Test("keys and uniforms of addresses are frozen", arguments: goldenDraws)
    func golden(draw: GoldenDraw) {
        let key = DrawKey(seed: draw.seed, address: draw.address)
        #expect(key == DrawKey(word0: draw.word0, word1: draw.word1))
        #expect(key.words == SIMD2(draw.word0, draw.word1))
        #expect(uniform(key: key, trial: draw.trial) == draw.uniform)
        #expect(key.uniform(trial: draw.trial) == draw.uniform)
    }

    @Test("a repeat key from a hash state equals the key of the spelled-out address")
    func repeatKeys() {
        let base = FNV1a64("barriers.rollback.takes")
        for k in 1...20 {
            let spelled = k == 1 ? "barriers.rollback.takes" : "barriers.rollback.takes#\(k)"
            #expect(DrawKey(seed: 7, hash: base.repeated(k)) == DrawKey(seed: 7, address: spelled))
        }
    }

    @Test("#k keys differ from the base key and from each other")
    func repeatKeysDiffer() {
        let base = FNV1a64("responders.primary-oncall.diagnose")
        var keys = Set<DrawKey>()
        for k in 1...1000 {
            keys.insert(DrawKey(seed: 42, hash: base.repeated(k)))
        }
        #expect(keys.count == 1000)
    }

    @Test("the seed changes every key")
    func seedsDiffer() {
        let a = DrawKey(seed: 1, address: "injections.bad-config.occurs")
        let b = DrawKey(seed: 2, address: "injections.bad-config.occurs")
        #expect(a != b)
        #expect(uniform(key: a, trial: 0) != uniform(key: b, trial: 0))
    }

    @Test("word-to-uniform mapping at its edges")
    func uniformEdges() {
        // n = 0: (0 + 0.5) * 2^-53 = 2^-54.
        #expect(uniform(w0: 0, w1: 0) == 0x1p-54)
        // n = 2^53 - 1 would round to exactly 1.0; it is kept below 1.
        #expect(uniform(w0: .max, w1: .max) == largestUniform)
        #expect(largestUniform < 1)
        // n = 2^52 - 1: below 2^52, n + 0.5 is exact.
        #expect(uniform(w0: 0x7FFF_FFFF, w1: .max) == (0x1p52 - 0.5) * 0x1p-53)
        // n = 2^52 + 1: the tie rounds to even, 2^52 + 2.
        #expect(uniform(w0: 0x8000_0000, w1: 1 << 11) == (0x1p52 + 2) * 0x1p-53)
        // w1's low 11 bits are discarded.
        #expect(uniform(w0: 12345, w1: 0x7FF) == uniform(w0: 12345, w1: 0))
    }
}

/// One draw computed by an independent implementation.
struct GoldenDraw: Sendable, CustomTestStringConvertible {
    let seed: UInt64
    let address: String
    let trial: UInt64
    let word0: UInt32
    let word1: UInt32
    let uniform: Double
    var testDescription: String { "seed \(seed) \"\(address)\" trial \(trial)" }
}

let goldenDraws: [GoldenDraw] = [
    GoldenDraw(seed: 42, address: "injections.bad-config.occurs", trial: 0, word0: 0x980C_AE34, word1: 0x721B_74FC,
               uniform: 0.833356237011742),
    GoldenDraw(seed: 42, address: "injections.bad-config.occurs", trial: 1, word0: 0x980C_AE34, word1: 0x721B_74FC,
               uniform: 0.48662333334702396),
    GoldenDraw(seed: 42, address: "barriers.rollback.works#2", trial: 7, word0: 0xDE84_D223, word1: 0xC6CE_37E4,
               uniform: 0.5465151834924877),
    GoldenDraw(seed: 0, address: "", trial: 0, word0: 0x8F3D_62F5, word1: 0x21FA_69A5, uniform: 0.8915007392104122),
    GoldenDraw(seed: UInt64.max, address: "responders.primary-oncall.diagnose#12", trial: (1 << 40) + 3,
               word0: 0x17AB_FC8E, word1: 0xF7D0_1924, uniform: 0.720623090299368),
]

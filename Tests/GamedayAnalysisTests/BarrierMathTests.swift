import GamedayModel
import Testing
@testable import GamedayAnalysis

/// The exact arithmetic, checked against hand-computed values and against a brute-force sum over
/// every outcome of every draw.
@Suite struct BarrierMathTests {
    static let tolerance = 1e-12

    func layer(_ id: String, _ chance: Double, group: String? = nil, beta: Double = 0) -> BarrierLayer {
        BarrierLayer(id: id, chance: chance, group: group, beta: beta)
    }

    /// Sums the probability of every joint outcome (each group fails or not, each barrier's own
    /// draw succeeds or not) in which every barrier fails: the model itself, with no algebra.
    func bruteForceAllFail(_ layers: [BarrierLayer]) -> Double {
        var groups: [(group: String, beta: Double)] = []
        for l in layers { if let g = l.group, !groups.contains(where: { $0.group == g }) { groups.append((g, l.beta)) } }
        var total = 0.0
        for groupMask in 0..<(1 << groups.count) {
            for ownMask in 0..<(1 << layers.count) {
                var weight = 1.0
                for (i, g) in groups.enumerated() { weight *= groupMask & (1 << i) != 0 ? g.beta : 1 - g.beta }
                var anyWorks = false
                for (i, l) in layers.enumerated() {
                    let own = ownMask & (1 << i) != 0
                    weight *= own ? l.chance : 1 - l.chance
                    let groupFailed = l.group.map { g in groupMask & (1 << groups.firstIndex { $0.group == g }!) != 0 } ?? false
                    if own && !groupFailed { anyWorks = true }
                }
                if !anyWorks { total += weight }
            }
        }
        return total
    }

    @Test func threeIndependentBarriersMultiply() {
        // 50%, 60%, 70%: P(pass) = 0.5 × 0.4 × 0.3 = 0.06.
        let path = [layer("a", 0.5), layer("b", 0.6), layer("c", 0.7)]
        #expect(abs(BarrierMath.allFail(path) - 0.06) < Self.tolerance)
        #expect(abs(BarrierMath.allFailBySubsets(path) - 0.06) < Self.tolerance)
        #expect(abs(BarrierMath.independentProduct(path) - 0.06) < Self.tolerance)
        // Marginal values: without a, 0.4 × 0.3 = 0.12 (+0.06); without b, 0.5 × 0.3 = 0.15 (+0.09);
        // without c, 0.5 × 0.4 = 0.20 (+0.14).
        let marginal = BarrierMath.marginalValues(path)
        for (value, expected) in zip(marginal, [0.06, 0.09, 0.14]) { #expect(abs(value - expected) < Self.tolerance) }
    }

    @Test func twoBarriersInOneGroupAreCappedByBeta() {
        // Two 90% barriers, one group, beta 10%: the group fails together with 0.1; otherwise both
        // must fail on their own, 0.1 × 0.1. P(pass) = 0.1 + 0.9 × 0.01 = 0.109.
        let path = [layer("a", 0.9, group: "g", beta: 0.1), layer("b", 0.9, group: "g", beta: 0.1)]
        #expect(abs(BarrierMath.allFail(path) - 0.109) < Self.tolerance)
        #expect(abs(BarrierMath.allFailBySubsets(path) - 0.109) < Self.tolerance)
        // Multiplying the effective values, (1 - 0.9 × 0.9)² = 0.19² = 0.0361, is three times too optimistic.
        #expect(abs(BarrierMath.independentProduct(path) - 0.0361) < Self.tolerance)
        // Each barrier alone after common cause: 0.9 × 0.9 = 0.81, RRF 1 / 0.19.
        #expect(abs(path[0].effectiveChance - 0.81) < Self.tolerance)
        #expect(abs(BarrierMath.riskReductionFactor(pfd: path[0].pfd) - 1 / 0.19) < 1e-9)
        // Removing one leaves 0.1 + 0.9 × 0.1 = 0.19: marginal 0.19 - 0.109 = 0.081 each.
        for value in BarrierMath.marginalValues(path) { #expect(abs(value - 0.081) < Self.tolerance) }
    }

    @Test func groupAndOutsiderOnOnePath() {
        // a 50% and b 60% in group g (beta 20%), c 70% outside it.
        // Subsets of groups: g holds (0.8): 0.5 × 0.4 × 0.3 = 0.06 → 0.048; g fails (0.2): only c
        // counts, 0.3 → 0.06. P(pass) = 0.048 + 0.06 = 0.108.
        // Factorized: c: 0.3; group: 0.2 + 0.8 × (0.5 × 0.4) = 0.36; 0.3 × 0.36 = 0.108.
        let path = [layer("a", 0.5, group: "g", beta: 0.2), layer("b", 0.6, group: "g", beta: 0.2), layer("c", 0.7)]
        #expect(abs(BarrierMath.allFail(path) - 0.108) < Self.tolerance)
        #expect(abs(BarrierMath.allFailBySubsets(path) - 0.108) < Self.tolerance)
        #expect(abs(bruteForceAllFail(path) - 0.108) < Self.tolerance)
        // Marginal values:
        //   without a: (0.2 + 0.8 × 0.4) × 0.3 = 0.52 × 0.3 = 0.156 → +0.048
        //   without b: (0.2 + 0.8 × 0.5) × 0.3 = 0.60 × 0.3 = 0.180 → +0.072
        //   without c: 0.36 → +0.252
        let marginal = BarrierMath.marginalValues(path)
        for (value, expected) in zip(marginal, [0.048, 0.072, 0.252]) { #expect(abs(value - expected) < Self.tolerance) }
    }

    @Test func detectCoverageWithAndWithoutCommonCause() {
        // Reliabilities 95% and 90%, independent: misses both 0.05 × 0.1 = 0.005, coverage 0.995.
        let independent = [layer("a", 0.95), layer("b", 0.9)]
        #expect(abs((1 - BarrierMath.allFail(independent)) - 0.995) < Self.tolerance)
        // Same group, beta 5%: misses 0.05 + 0.95 × 0.005 = 0.05475, coverage 0.94525.
        let shared = [layer("a", 0.95, group: "g", beta: 0.05), layer("b", 0.9, group: "g", beta: 0.05)]
        #expect(abs((1 - BarrierMath.allFail(shared)) - 0.94525) < Self.tolerance)
    }

    @Test func emptyPathAlwaysPasses() {
        #expect(BarrierMath.allFail([]) == 1)
        #expect(BarrierMath.marginalValues([]).isEmpty)
    }

    @Test func riskReductionFactorIsInfiniteOnlyWithoutFailure() {
        #expect(BarrierMath.riskReductionFactor(pfd: 0).isInfinite)
        #expect(abs(BarrierMath.riskReductionFactor(pfd: 0.7) - 1 / 0.7) < 1e-12)
        // A perfect barrier in a group with beta 10% is worth at most 10×.
        let perfect = layer("a", 1, group: "g", beta: 0.1)
        #expect(abs(BarrierMath.riskReductionFactor(pfd: perfect.pfd) - 10) < 1e-9)
    }

    /// Random paths (a fixed linear congruential sequence, so the test is deterministic): the
    /// factorized form, the subset sum and the brute force agree.
    @Test func factorizationMatchesSubsetSumAndBruteForce() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        for _ in 0..<200 {
            let count = 1 + Int(next() * 6)
            let groups = ["g1", "g2", "g3"]
            let betas = ["g1": next() * 0.3, "g2": next() * 0.3, "g3": next()]
            let path = (0..<count).map { i -> BarrierLayer in
                let pick = Int(next() * 5)
                let group: String? = pick < 3 ? groups[pick] : nil
                return layer("b\(i)", next(), group: group, beta: group.map { betas[$0]! } ?? 0)
            }
            let exact = BarrierMath.allFail(path)
            #expect(abs(exact - BarrierMath.allFailBySubsets(path)) < 1e-12)
            #expect(abs(exact - bruteForceAllFail(path)) < 1e-12)
            #expect(exact >= 0 && exact <= 1)
            // Common cause never helps: the exact chance is at least the naive product.
            #expect(exact >= BarrierMath.independentProduct(path) - 1e-12)
        }
    }

    @Test(arguments: [
        (TimeDistribution.constant(60), 120.0, 1.0),
        (.constant(120), 120, 0),                       // at the horizon: does not occur
        (.uniform(0, 200), 100, 0.5),
        (.triangular(min: 0, mode: 100, max: 200), 100, 0.5),
        (.triangular(min: 0, mode: 100, max: 200), 50, 0.125),  // 50² / (200 × 100)
        (.exponential(mean: 100), 100, 0.6321205588285577),     // 1 - e^-1
        (.lognormal(median: 300, p90: 1200), 300, 0.5),
        (.lognormal(median: 300, p90: 1200), 1200, 0.9),
        (.empirical([60, 120, 180, 240]), 180, 0.5),            // 60 and 120 are below 180
    ])
    func cumulativeDistribution(distribution: TimeDistribution, t: Double, expected: Double) {
        #expect(abs(TimeCDF.probabilityBelow(t, in: distribution) - expected) < 1e-9)
    }
}

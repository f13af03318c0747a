import Testing
import GamedayRandom

@Suite("Standard normal quantile (AS 241) and CDF")
struct StandardNormalTests {
    @Test("Φ⁻¹(0.9) is z90")
    func z90() {
        #expect(abs(StandardNormal.quantile(0.9) - 1.2815515655446004) < 1e-12)
        #expect(StandardNormal.z90 == 1.2815515655446004)
        #expect(StandardNormal.quantile(0.5) == 0)
        #expect(StandardNormal.quantile(0) == -.infinity)
        #expect(StandardNormal.quantile(1) == .infinity)
    }

    /// Reference quantiles of the double nearest each p, computed with mpmath
    /// at 50 digits (root of Φ(z) = p).
    @Test(
        "quantiles match 50-digit references to 1e-14 relative",
        arguments: [
            (1e-300, -37.047096299361199237), (1e-20, -9.2623400897984075796), (1e-10, -6.3613409024040561991),
            (0.001, -3.0902323061678135354), (0.025, -1.9599639845400542118), (0.075, -1.4395314709384559349),
            (0.1, -1.2815515655446004353), (0.3, -0.52440051270804081597), (0.7, 0.52440051270804065631),
            (0.9, 1.2815515655446005935), (0.95, 1.6448536269514722843), (0.975, 1.9599639845400538556),
            (0.999, 3.0902323061678132778), (0.9999999, 5.1993375822906610937),
        ])
    func references(p: Double, expected: Double) {
        let z = StandardNormal.quantile(p)
        #expect(abs(z - expected) <= 1e-14 * abs(expected))
    }

    @Test("the quantile is exactly odd about 1/2 where 1 - p is exact",
          arguments: [0x1p-50, 0x1p-20, 0.0009765625, 0.0078125, 0.0625, 0.125, 0.1875, 0.25, 0.375, 0.4375, 0.5])
    func exactSymmetry(p: Double) {
        #expect(StandardNormal.quantile(1 - p) == -StandardNormal.quantile(p))
    }

    @Test("the quantile is odd about 1/2 up to the rounding of 1 - p",
          arguments: [1e-6, 0.001, 0.01, 0.05, 0.075, 0.1, 0.3, 0.49])
    func symmetry(p: Double) {
        let lower = StandardNormal.quantile(p), upper = StandardNormal.quantile(1 - p)
        #expect(lower < 0 && upper > 0)
        #expect(abs(upper + lower) <= 1e-10 * abs(lower))
    }

    @Test(
        "round trip Φ(Φ⁻¹(p)) = p to 1e-12",
        arguments: [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.01, 0.02425, 0.05, 0.075, 0.0751, 0.1, 0.2, 0.3,
                    0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 0.925, 0.95, 0.975, 0.99, 0.999, 0.99999, 1 - 1e-10])
    func roundTrip(p: Double) {
        let back = StandardNormal.cdf(StandardNormal.quantile(p))
        #expect(abs(back - p) <= 1e-12 * min(p, 1 - p))
    }

    /// Reference values from mpmath's `ncdf` at 50 digits. The tolerance covers
    /// erfc's conditioning in the far tail (relative error ~ z² ulp).
    @Test(
        "CDF references",
        arguments: [
            (-30.0, 4.9067139271481870595e-198), (-10, 7.619853024160526066e-24), (-3, 0.0013498980316300945267),
            (-1.5, 0.066807201268858066004), (0, 0.5), (1, 0.84134474606854294859),
            (1.959963984540054, 0.97499999999999998912), (5, 0.99999971334842812081),
        ])
    func cdfReferences(z: Double, expected: Double) {
        #expect(abs(StandardNormal.cdf(z) - expected) <= 1e-12 * expected)
        #expect(abs(StandardNormal.survival(-z) - expected) <= 1e-12 * expected)
    }

    /// AS 241 is not correctly rounded, so between neighbouring doubles it may
    /// step back by a few ulps; it never steps back by more, not even where
    /// it switches approximations.
    @Test("the quantile is monotone up to a few ulps across AS 241's region boundaries")
    func monotoneAtBoundaries() {
        // |p - 0.5| = 0.425 and r = sqrt(-ln p) = 5 (p = exp(-25)).
        for boundary in [0.075, 0.925, 1.3887943864964021e-11, 1 - 1.3887943864964021e-11] {
            var p = boundary
            for _ in 0..<64 { p = p.nextDown }
            var previous = StandardNormal.quantile(p)
            for _ in 0..<128 {
                p = p.nextUp
                let z = StandardNormal.quantile(p)
                #expect(z >= previous - 4 * previous.ulp)
                previous = z
            }
        }
    }
}

import GamedayRandom
import Testing

@testable import GamedayStatistics

@Suite("Wilson intervals, z values and Student's t")
struct IntervalTests {
    @Test("z constants match the normal quantile")
    func zValues() {
        #expect(Confidence.z95 == 1.959963984540054)
        #expect(Confidence.z999 == 3.2905267314919255)
        #expect(Confidence.z(confidence: 0.95) == Confidence.z95)
        #expect(Confidence.z(confidence: 0.999) == Confidence.z999)
        #expect(abs(StandardNormal.quantile(0.975) - Confidence.z95) < 1e-14)
        #expect(abs(StandardNormal.quantile(0.9995) - Confidence.z999) < 1e-14)
        // Φ⁻¹(0.95) = 1.6448536269514722 (mpmath).
        #expect(abs(Confidence.z(confidence: 0.9) - 1.6448536269514722) < 1e-14)
        // Φ⁻¹(0.995) = 2.5758293035489004 (mpmath).
        #expect(abs(Confidence.z(confidence: 0.99) - 2.5758293035489004) < 1e-14)
    }

    /// Hand-computed Wilson intervals with z = z95, z² = 3.841458820694124.
    ///
    /// - 0 of 10: p = 0, so center = (z²/2n) / (1 + z²/n) and
    ///   half = z / (1 + z²/n) · sqrt(z²/4n²) = (z²/2n) / (1 + z²/n) = center:
    ///   lower = 0, upper = 2 · center = z² / (n + z²)
    ///   = 3.841458820694124 / 13.841458820694124 = 0.2775327998628892.
    /// - 10 of 10: the mirror image, [1 - 0.2775327998628892, 1] = [0.7224672001371108, 1].
    /// - 5 of 10: p = 1/2, so center = (1/2 + z²/2n) / (1 + z²/n) = 1/2 and
    ///   half = z · sqrt(1/4n + z²/4n²) / (1 + z²/n) = 1.959964 · sqrt(0.025 + 0.0096036) / 1.3841459
    ///   = 0.263406909487436: [0.236593090512564, 0.763406909487436].
    /// - 1 of 100 and 985 of 1000: the same formula evaluated with mpmath at 30 digits.
    @Test(
        "Wilson against hand-computed values",
        arguments: [
            (0, 10, 0.0, 0.2775327998628892), (5, 10, 0.236593090512564, 0.763406909487436),
            (10, 10, 0.7224672001371108, 1.0), (1, 100, 0.0017674320641406482, 0.054486196178705314),
            (985, 1000, 0.9753990230730932, 0.99088902119591833),
        ])
    func wilson(successes: Int, trials: Int, lower: Double, upper: Double) {
        let interval = Wilson.interval(successes: successes, trials: trials, z: Confidence.z95)
        #expect(abs(interval.lower - lower) < 1e-9)
        #expect(abs(interval.upper - upper) < 1e-9)
        #expect(interval.contains(Double(successes) / Double(trials)))
    }

    @Test("Wilson edge cases")
    func wilsonEdges() {
        #expect(Wilson.interval(successes: 0, trials: 0) == ConfidenceInterval(lower: 0, upper: 1))
        #expect(Wilson.interval(successes: 0, trials: 10).lower == 0)
        #expect(Wilson.interval(successes: 10, trials: 10).upper == 1)
        let wide = Wilson.interval(successes: UInt64(5), trials: 10, z: Confidence.z999)
        let narrow = Wilson.interval(successes: UInt64(5), trials: 10, z: Confidence.z95)
        #expect(wide.lower < narrow.lower && wide.upper > narrow.upper)
        #expect(abs(narrow.halfWidth - 0.263406909487436) < 1e-9)
    }

    /// Student's t quantiles from scipy's `t.ppf`.
    @Test(
        "t quantiles against table values",
        arguments: [
            (0.975, 1, 12.706204736174694), (0.975, 2, 4.302652729749462), (0.975, 3, 3.1824463052837078),
            (0.975, 4, 2.7764451051977934), (0.975, 5, 2.5705818356363146), (0.975, 10, 2.228138851986274),
            (0.975, 20, 2.085963447265864), (0.975, 29, 2.045229642132703), (0.995, 1, 63.656741162871526),
            (0.995, 5, 4.032142983555228), (0.995, 29, 2.756385903670605), (0.9995, 1, 636.6192487687897),
            (0.9995, 2, 31.599054576445365), (0.9995, 10, 4.586893858702708), (0.9995, 29, 3.6594050194663748),
        ])
    func tQuantiles(p: Double, df: Int, expected: Double) {
        let t = StudentT.quantile(p, degreesOfFreedom: df)
        #expect(abs(t - expected) <= 1e-10 * expected)
        #expect(StudentT.quantile(1 - p, degreesOfFreedom: df) == -t)
        #expect(abs(StudentT.cdf(t, degreesOfFreedom: df) - p) < 1e-13)
    }

    @Test("t closed forms for one and two degrees of freedom")
    func tClosedForms() {
        // ν = 1 is Cauchy: F(t) = 1/2 + atan(t)/π; ν = 2: F(t) = 1/2 + t / (2 sqrt(2 + t²)).
        for t in [-50.0, -3, -1, -0.2, 0, 0.5, 2, 10, 1000] {
            #expect(abs(StudentT.cdf(t, degreesOfFreedom: 2) - (0.5 + t / (2 * (2 + t * t).squareRoot()))) < 1e-15)
        }
        #expect(abs(StudentT.cdf(1, degreesOfFreedom: 1) - 0.75) < 1e-15)
        #expect(StudentT.cdf(0, degreesOfFreedom: 7) == 0.5)
        #expect(StudentT.cdf(.infinity, degreesOfFreedom: 3) == 1)
    }

    @Test("t tends to the normal for many degrees of freedom")
    func tLarge() {
        // scipy: t.ppf(0.975, ν) for ν = 1000 (series), 1001 and 5000 (Cornish-Fisher).
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 1000) - 1.9623390808264083) < 1e-12)
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 1001) - 1.9623367052808798) < 1e-12)
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 5000) - 1.9604385517065073) < 1e-12)
    }
}

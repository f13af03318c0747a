import GamedayRandom
import RealModule

/// Student's t distribution with an integer number of degrees of freedom.
///
/// The CDF uses the exact finite series for integer `ν` (Abramowitz and
/// Stegun 26.7.3 and 26.7.4) with `θ = atan(t / √ν)`; the quantile inverts it
/// by bisection to full double precision. Each CDF evaluation costs O(ν), so
/// this is meant for the small samples where t matters (``MomentAccumulator``
/// uses it below 30 observations); above 1000 degrees of freedom the
/// quantile switches to the Cornish-Fisher expansion (error far below 1e-12).
public enum StudentT {
    /// `P(T <= t)` for `T` with `degreesOfFreedom` degrees of freedom.
    ///
    /// - Parameters:
    ///   - t: Any number.
    ///   - degreesOfFreedom: `ν >= 1`.
    /// - Returns: A probability in [0, 1].
    public static func cdf(_ t: Double, degreesOfFreedom: Int) -> Double {
        precondition(degreesOfFreedom >= 1, "Student's t needs at least one degree of freedom")
        if t.isNaN { return .nan }
        if t == .infinity { return 1 }
        if t == -.infinity { return 0 }
        let a = twoSided(abs(t), degreesOfFreedom)
        return t >= 0 ? 0.5 + 0.5 * a : 0.5 - 0.5 * a
    }

    /// The quantile `t_p` with `P(T <= t_p) = p`.
    ///
    /// - Parameters:
    ///   - p: A probability in (0, 1).
    ///   - degreesOfFreedom: `ν >= 1`.
    /// - Returns: The quantile; odd about `p = 0.5`.
    public static func quantile(_ p: Double, degreesOfFreedom: Int) -> Double {
        precondition(p > 0 && p < 1, "a t quantile needs p in (0, 1)")
        precondition(degreesOfFreedom >= 1, "Student's t needs at least one degree of freedom")
        if p == 0.5 { return 0 }
        if p < 0.5 { return -quantile(1 - p, degreesOfFreedom: degreesOfFreedom) }
        if degreesOfFreedom > 1000 { return cornishFisher(p, Double(degreesOfFreedom)) }
        // Solve A(t) = 2p - 1 for t > 0; A increases from 0 to 1.
        let target = 2 * p - 1
        var low = 0.0, high = 1.0
        while twoSided(high, degreesOfFreedom) < target {
            low = high
            high *= 2
            if high > 1e300 { return .infinity }
        }
        while true {
            let middle = low + (high - low) / 2
            if middle <= low || middle >= high { break }
            if twoSided(middle, degreesOfFreedom) < target { low = middle } else { high = middle }
        }
        return high
    }

    /// `A(t | ν) = P(|T| <= t)` for `t >= 0` (A&S 26.7.3 / 26.7.4).
    static func twoSided(_ t: Double, _ nu: Int) -> Double {
        let v = Double(nu)
        let cos2 = v / (v + t * t)  // cos²θ
        let sinTheta = t / (v + t * t).squareRoot()
        if nu % 2 == 1 {
            let theta = Double.atan(t / v.squareRoot())
            if nu == 1 { return 2 / Double.pi * theta }
            // (2/π) (θ + sinθ cosθ (1 + 2/3 cos²θ + 2·4/(3·5) cos⁴θ + ... up to cos^(ν-3)θ))
            var term = 1.0, sum = 1.0
            var j = 1
            while 2 * j + 1 <= nu - 2 {
                term *= cos2 * Double(2 * j) / Double(2 * j + 1)
                sum += term
                j += 1
            }
            let cosTheta = cos2.squareRoot()
            return min(1, 2 / Double.pi * (theta + sinTheta * cosTheta * sum))
        } else {
            // sinθ (1 + 1/2 cos²θ + 1·3/(2·4) cos⁴θ + ... up to cos^(ν-2)θ)
            var term = 1.0, sum = 1.0
            var j = 1
            while 2 * j <= nu - 2 {
                term *= cos2 * Double(2 * j - 1) / Double(2 * j)
                sum += term
                j += 1
            }
            return min(1, sinTheta * sum)
        }
    }

    /// The Cornish-Fisher expansion of the t quantile in powers of 1/ν
    /// (Abramowitz and Stegun 26.7.5).
    static func cornishFisher(_ p: Double, _ v: Double) -> Double {
        let z = StandardNormal.quantile(p)
        let z2 = z * z
        let g1 = (z2 + 1) * z / 4
        let g2 = ((5 * z2 + 16) * z2 + 3) * z / 96
        let g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384
        let g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160
        return z + (g1 + (g2 + (g3 + g4 / v) / v) / v) / v
    }
}

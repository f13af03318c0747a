import RealModule

/// The standard normal distribution: a high-accuracy quantile and CDF.
public enum StandardNormal {
    /// The exact 0.9 quantile of the standard normal, `Φ⁻¹(0.9)`, rounded to
    /// the nearest double. The lognormal's `sigma = ln(p90 / median) / z90`
    /// uses this constant (the spec's `1.2815516` is this number rounded).
    public static let z90: Double = 1.2815515655446004

    /// The standard normal quantile `Φ⁻¹(p)` (probit).
    ///
    /// Wichura's algorithm AS 241 (`PPND16`, Applied Statistics 37, 1988),
    /// relative accuracy about 1e-16 over the whole range. The function is
    /// odd about 0.5: `quantile(1 - p) == -quantile(p)` whenever `1 - p` is
    /// exact. `quantile(0.5)` is exactly 0.
    ///
    /// Increasing, up to rounding: like any approximation that is not
    /// correctly rounded, between neighbouring doubles `p` the result can
    /// step back by a few ulps (relative 1e-15), also where AS 241 switches
    /// between its three rational approximations (|p - 0.5| = 0.425 and
    /// `sqrt(-ln min(p, 1 - p)) = 5`).
    ///
    /// - Parameter p: A probability in [0, 1].
    /// - Returns: The z with `Φ(z) = p`; `-infinity` for 0, `+infinity` for 1.
    @inlinable
    public static func quantile(_ p: Double) -> Double {
        precondition(p >= 0 && p <= 1, "StandardNormal.quantile needs p in [0, 1]")
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            let numerator =
                (((((((2.5090809287301226727e+3 * r + 3.3430575583588128105e+4) * r
                    + 6.7265770927008700853e+4) * r + 4.5921953931549871457e+4) * r
                    + 1.3731693765509461125e+4) * r + 1.9715909503065514427e+3) * r
                    + 1.3314166789178437745e+2) * r + 3.3871328727963666080e0)
            let denominator =
                (((((((5.2264952788528545610e+3 * r + 2.8729085735721942674e+4) * r
                    + 3.9307895800092710610e+4) * r + 2.1213794301586595867e+4) * r
                    + 5.3941960214247511077e+3) * r + 6.8718700749205790830e+2) * r
                    + 4.2313330701600911252e+1) * r + 1.0)
            return q * numerator / denominator
        }
        var r = q < 0 ? p : 1 - p
        if r == 0 {
            return q < 0 ? -.infinity : .infinity
        }
        r = (-Double.log(r)).squareRoot()
        let value: Double
        if r <= 5 {
            r -= 1.6
            let numerator =
                (((((((7.74545014278341407640e-4 * r + 2.27238449892691845833e-2) * r
                    + 2.41780725177450611770e-1) * r + 1.27045825245236838258e0) * r
                    + 3.64784832476320460504e0) * r + 5.76949722146069140550e0) * r
                    + 4.63033784615654529590e0) * r + 1.42343711074968357734e0)
            let denominator =
                (((((((1.05075007164441684324e-9 * r + 5.47593808499534494600e-4) * r
                    + 1.51986665636164571966e-2) * r + 1.48103976427480074590e-1) * r
                    + 6.89767334985100004550e-1) * r + 1.67638483018380384940e0) * r
                    + 2.05319162663775882187e0) * r + 1.0)
            value = numerator / denominator
        } else {
            r -= 5
            let numerator =
                (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r
                    + 1.24266094738807843860e-3) * r + 2.65321895265761230930e-2) * r
                    + 2.96560571828504891230e-1) * r + 1.78482653991729133580e0) * r
                    + 5.46378491116411436990e0) * r + 6.65790464350110377720e0)
            let denominator =
                (((((((2.04426310338993978564e-15 * r + 1.42151175831644588870e-7) * r
                    + 1.84631831751005468180e-5) * r + 7.86869131145613259100e-4) * r
                    + 1.48753612908506148525e-2) * r + 1.36929880922735805310e-1) * r
                    + 5.99832206555887937690e-1) * r + 1.0)
            value = numerator / denominator
        }
        return q < 0 ? -value : value
    }

    /// The standard normal CDF `Φ(z) = erfc(-z / √2) / 2`.
    ///
    /// Computed through the complementary error function, so the lower tail
    /// keeps its relative accuracy (`cdf(-30)` is about 5e-198, not 0).
    ///
    /// - Parameter z: Any number; `-infinity` gives 0 and `+infinity` gives 1.
    /// - Returns: `P(Z <= z)`.
    @inlinable
    public static func cdf(_ z: Double) -> Double {
        0.5 * Double.erfc(-z * 0.70710678118654752440)
    }

    /// The upper tail `1 - Φ(z) = erfc(z / √2) / 2`, accurate for large `z`.
    ///
    /// - Parameter z: Any number.
    /// - Returns: `P(Z > z)`.
    @inlinable
    public static func survival(_ z: Double) -> Double {
        0.5 * Double.erfc(z * 0.70710678118654752440)
    }
}

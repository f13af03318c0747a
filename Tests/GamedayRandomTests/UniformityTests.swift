import Testing
import GamedayRandom

/// The 99.9% two-sided standard normal critical value.
let z999 = 3.2905267314919255

/// `count` uniforms of one address, trials 0..<count.
func uniforms(seed: UInt64, address: String, count: Int) -> [Double] {
    let key = DrawKey(seed: seed, address: address)
    return (0..<UInt64(count)).map { uniform(key: key, trial: $0) }
}

/// Pearson correlation of two equally long samples.
func correlation(_ x: [Double], _ y: [Double]) -> Double {
    let n = Double(x.count)
    let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
    var sxy = 0.0, sxx = 0.0, syy = 0.0
    for i in x.indices {
        sxy += (x[i] - mx) * (y[i] - my)
        sxx += (x[i] - mx) * (x[i] - mx)
        syy += (y[i] - my) * (y[i] - my)
    }
    return sxy / (sxx * syy).squareRoot()
}

@Suite("Addressed uniforms are uniform and independent")
struct UniformityTests {
    static let n = 100_000

    @Test("all uniforms lie in (0, 1) and their mean is 1/2 within a 99.9% interval",
          arguments: ["injections.bad-config.occurs", "barriers.rollback.works#3", ""])
    func mean(address: String) {
        let u = uniforms(seed: 42, address: address, count: Self.n)
        #expect(u.allSatisfy { $0 > 0 && $0 < 1 })
        let mean = u.reduce(0, +) / Double(Self.n)
        // Var(U) = 1/12, so the mean's standard error is sqrt(1 / (12 n)).
        let standardError = (1.0 / (12.0 * Double(Self.n))).squareRoot()
        #expect(abs(mean - 0.5) < z999 * standardError)
    }

    @Test("100 equal bins pass a chi-square test at the 99.9% level")
    func chiSquare() {
        let u = uniforms(seed: 2025, address: "responders.primary-oncall.acknowledge", count: Self.n)
        var bins = [Int](repeating: 0, count: 100)
        for x in u { bins[Int(x * 100)] += 1 }
        let expected = Double(Self.n) / 100
        let statistic = bins.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        // chi2.ppf(0.999, df = 99) = 148.23035916510173 (scipy).
        #expect(statistic < 148.23035916510173)
        // And not suspiciously good: chi2.ppf(0.001, 99) = 60.5 (scipy: 60.54).
        #expect(statistic > 60.5)
    }

    @Test("distinct addresses give uncorrelated streams")
    func distinctAddresses() {
        let a = uniforms(seed: 42, address: "barriers.checkout-5xx-alert.works", count: Self.n)
        let b = uniforms(seed: 42, address: "barriers.slo-burn-alert.works", count: Self.n)
        let c = uniforms(seed: 42, address: "barriers.checkout-5xx-alert.works#2", count: Self.n)
        // Under independence, r is about N(0, 1/n).
        let bound = z999 / Double(Self.n).squareRoot()
        #expect(abs(correlation(a, b)) < bound)
        #expect(abs(correlation(a, c)) < bound)
        #expect(abs(correlation(b, c)) < bound)
        // Consecutive trials of one address are uncorrelated too.
        #expect(abs(correlation(Array(a.dropLast()), Array(a.dropFirst()))) < bound)
        // Two addresses agree on no trial (probability about n * 2^-52 that any does).
        #expect(zip(a, b).allSatisfy { $0 != $1 })
    }

    @Test("an event of probability p happens in a share p of trials")
    func events() {
        let u = uniforms(seed: 9, address: "barriers.rollback.works", count: Self.n)
        for p in [0.01, 0.3, 0.9] {
            let share = Double(u.filter { $0 < p }.count) / Double(Self.n)
            #expect(abs(share - p) < z999 * (p * (1 - p) / Double(Self.n)).squareRoot())
        }
    }
}

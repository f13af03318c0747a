import Testing
import GamedayRandom

/// A named distribution, for parameterized tests.
struct Case: Sendable, CustomTestStringConvertible {
    let name: String
    let distribution: Distribution
    var testDescription: String { name }
}

/// Continuous distributions (times in seconds), including the edge shapes.
let continuousCases: [Case] = {
    do {
        return [
            Case(name: "uniform 2m..10m", distribution: .uniform(try UniformDistribution(lower: 120, upper: 600))),
            Case(name: "uniform probability 60%..90%",
                 distribution: .uniform(try UniformDistribution(lower: 0.6, upper: 0.9))),
            Case(name: "triangular 2m, 5m, 30m",
                 distribution: .triangular(try TriangularDistribution(minimum: 120, mode: 300, maximum: 1800))),
            Case(name: "triangular mode = min",
                 distribution: .triangular(try TriangularDistribution(minimum: 60, mode: 60, maximum: 900))),
            Case(name: "triangular mode = max",
                 distribution: .triangular(try TriangularDistribution(minimum: 60, mode: 900, maximum: 900))),
            Case(name: "triangular probability 50%, 80%, 95%",
                 distribution: .triangular(try TriangularDistribution(minimum: 0.5, mode: 0.8, maximum: 0.95))),
            Case(name: "exponential mean 10m", distribution: .exponential(try ExponentialDistribution(mean: 600))),
            Case(name: "lognormal 5m / 20m", distribution: .lognormal(try LognormalDistribution(median: 300, p90: 1200))),
            Case(name: "lognormal 1m / 4m", distribution: .lognormal(try LognormalDistribution(median: 60, p90: 240))),
        ]
    } catch {
        fatalError("bad test case: \(error)")
    }
}()

/// Uniforms spanning (0, 1), tails included.
let roundTripUniforms: [Double] = [1e-12, 1e-9, 1e-6, 0.001, 0.01, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5,
                                   0.6, 0.7, 0.75, 0.8, 0.9, 0.95, 0.99, 0.999, 0.999999]

@Suite("Inverse-CDF samplers")
struct DistributionTests {
    @Test("cdf(quantile(u)) == u to 1e-9", arguments: continuousCases)
    func roundTrip(testCase: Case) {
        let d = testCase.distribution
        for u in roundTripUniforms {
            let x = d.quantile(u)
            #expect(d.support.contains(x))
            #expect(abs(d.cdf(x) - u) <= 1e-9, "u = \(u), x = \(x)")
            // A pin on that value recovers its quantile.
            guard case .quantile(let pinned)? = d.pin(x) else {
                Issue.record("no quantile pin for \(x)")
                continue
            }
            #expect(abs(pinned - u) <= 1e-9)
            #expect(abs(d.quantile(pinned) - x) <= 1e-9 * max(1, abs(x)))
        }
    }

    @Test("quantiles are monotone non-decreasing in u", arguments: continuousCases)
    func monotone(testCase: Case) {
        let d = testCase.distribution
        var previous = d.quantile(0)
        for i in 1...20_000 {
            let x = d.quantile(Double(i) / 20_000)
            #expect(x >= previous, "u = \(Double(i) / 20_000)")
            previous = x
        }
    }

    @Test("the triangular quantile is monotone across the mode, ulp by ulp")
    func triangularAtMode() throws {
        let d = try TriangularDistribution(minimum: 120, mode: 300, maximum: 1800)
        var u = d.cdf(300)
        for _ in 0..<200 { u = u.nextDown }
        var previous = d.quantile(u)
        for _ in 0..<400 {
            u = u.nextUp
            let x = d.quantile(u)
            #expect(x >= previous)
            previous = x
        }
        #expect(d.quantile(d.cdf(300)) == 300)
    }

    @Test("the quantile at 0 and 1 gives the support's bounds")
    func supportBounds() throws {
        for testCase in continuousCases {
            let d = testCase.distribution
            #expect(d.quantile(0) == d.support.lower, "\(testCase.name)")
            #expect(d.quantile(1) == d.support.upper, "\(testCase.name)")
            #expect(d.cdf(d.support.lower - 1) == 0)
        }
    }

    @Test("lognormal sigma from (median, p90) and back")
    func lognormalParameters() throws {
        for (median, p90) in [(300.0, 1200.0), (60, 240), (720, 2700), (480, 1800), (1, 1.0001), (5, 5e6)] {
            let d = try LognormalDistribution(median: median, p90: p90)
            #expect(d.sigma > 0)
            #expect(d.quantile(0.5) == median)
            #expect(abs(d.quantile(0.9) - p90) <= 1e-9 * p90)
            #expect(abs(d.p90 - p90) <= 1e-12 * p90)
            #expect(abs(d.cdf(p90) - 0.9) <= 1e-12)
        }
        // p90 == median is a constant.
        let flat = try LognormalDistribution(median: 120, p90: 120)
        #expect(flat.sigma == 0)
        #expect(flat.quantile(0.01) == 120 && flat.quantile(0.99) == 120)
        #expect(flat.pin(120) == .value(120))
        #expect(flat.pin(121) == nil)
    }

    @Test("exponential samples have the right mean (99.9% interval)")
    func exponentialMean() throws {
        let d = try ExponentialDistribution(mean: 900)
        let key = DrawKey(seed: 42, address: "barriers.customer-reports.delay")
        let n = 100_000
        var sum = 0.0
        for t in 0..<UInt64(n) { sum += d.sample(key: key, trial: t) }
        // The standard deviation of an exponential equals its mean.
        #expect(abs(sum / Double(n) - 900) < 3.2905267314919255 * 900 / Double(n).squareRoot())
    }

    @Test("triangular and uniform samples have the right mean (99.9% interval)")
    func otherMeans() throws {
        let n = 100_000
        let triangular = try TriangularDistribution(minimum: 180, mode: 300, maximum: 900)
        let uniformTime = try UniformDistribution(lower: 120, upper: 600)
        let key = DrawKey(seed: 3, address: "barriers.rollback.takes#2")
        var triangularSum = 0.0, uniformSum = 0.0
        for t in 0..<UInt64(n) {
            let u = uniform(key: key, trial: t)
            triangularSum += triangular.quantile(u)
            uniformSum += uniformTime.quantile(u)
        }
        // Triangular: mean (a + b + c) / 3, variance (a² + b² + c² - ab - ac - bc) / 18.
        let (a, b, c) = (180.0, 300.0, 900.0)
        let triangularSD = ((a * a + b * b + c * c - a * b - a * c - b * c) / 18).squareRoot()
        #expect(abs(triangularSum / Double(n) - (a + b + c) / 3) < 3.2905267314919255 * triangularSD / Double(n).squareRoot())
        // Uniform: mean (lo + hi) / 2, standard deviation (hi - lo) / sqrt(12).
        let uniformSD = 480 / 12.0.squareRoot()
        #expect(abs(uniformSum / Double(n) - 360) < 3.2905267314919255 * uniformSD / Double(n).squareRoot())
    }

    @Test("lognormal samples: half below the median, 90% below p90 (99.9% intervals)")
    func lognormalShares() throws {
        let d = try LognormalDistribution(median: 180, p90: 900)
        let key = DrawKey(seed: 11, address: "responders.primary-oncall.acknowledge")
        let n = 100_000
        var belowMedian = 0, belowP90 = 0
        for t in 0..<UInt64(n) {
            let x = d.sample(key: key, trial: t)
            if x < 180 { belowMedian += 1 }
            if x < 900 { belowP90 += 1 }
        }
        let bound50 = 3.2905267314919255 * (0.25 / Double(n)).squareRoot()
        let bound90 = 3.2905267314919255 * (0.09 / Double(n)).squareRoot()
        #expect(abs(Double(belowMedian) / Double(n) - 0.5) < bound50)
        #expect(abs(Double(belowP90) / Double(n) - 0.9) < bound90)
    }

    @Test("empirical: sorted values, index min(n - 1, floor(u n))")
    func empiricalIndex() throws {
        let d = try EmpiricalDistribution([1860, 180, 420, 300])
        #expect(d.values == [180, 300, 420, 1860])
        #expect(d.quantile(0) == 180)
        #expect(d.quantile(0.2499999) == 180)
        #expect(d.quantile(0.25) == 300)
        #expect(d.quantile(0.5) == 420)
        #expect(d.quantile(0.75) == 1860)
        #expect(d.quantile(largestUniform) == 1860)
        #expect(d.quantile(1) == 1860)
        #expect(d.cdf(100) == 0 && d.cdf(300) == 0.5 && d.cdf(2000) == 1)
        #expect(d.support == Support(lower: 180, upper: 1860))
    }

    @Test("empirical pins: every uniform of the interval yields the value", arguments: 1...40)
    func empiricalIntervals(n: Int) throws {
        // n values with duplicates: value i / 3 for i in 0..<n.
        let values = (0..<n).map { Double($0 / 3) }
        let d = try EmpiricalDistribution(values)
        var covered = 0.0
        for value in Set(values) {
            guard case .interval(let interval)? = d.pin(value) else {
                Issue.record("no interval for \(value)")
                continue
            }
            covered += interval.width
            #expect(d.quantile(interval.lower) == value)
            #expect(d.quantile(interval.upper.nextDown) == value)
            #expect(d.quantile(interval.map(1e-17)) == value)
            #expect(d.quantile(interval.map(largestUniform)) == value)
            if interval.lower > 0 { #expect(d.quantile(interval.lower.nextDown) != value) }
            if interval.upper < 1 { #expect(d.quantile(interval.upper) != value) }
            let share = Double(values.filter { $0 == value }.count) / Double(n)
            #expect(abs(interval.width - share) < 1e-15)
        }
        #expect(abs(covered - 1) < 1e-14)
        #expect(d.pin(-1) == nil)
        #expect(d.pin(0.5) == nil)
    }

    @Test("pins outside the support are rejected; constants pin to their value")
    func pinSupport() throws {
        #expect(try UniformDistribution(lower: 120, upper: 600).pin(60) == nil)
        #expect(try UniformDistribution(lower: 120, upper: 600).pin(600) == .quantile(1))
        #expect(try UniformDistribution(lower: 120, upper: 120).pin(120) == .value(120))
        #expect(try TriangularDistribution(minimum: 180, mode: 300, maximum: 900).pin(901) == nil)
        #expect(try ExponentialDistribution(mean: 60).pin(-1) == nil)
        #expect(try ExponentialDistribution(mean: 60).pin(.infinity) == nil)
        #expect(try ExponentialDistribution(mean: 60).pin(0) == .quantile(0))
        #expect(try LognormalDistribution(median: 60, p90: 240).pin(.nan) == nil)
        let constant = Distribution.constant(try ConstantDistribution(360))
        #expect(constant.pin(360) == .value(360))
        #expect(constant.pin(420) == nil)
        #expect(constant.quantile(0.3) == 360)
        #expect(constant.support.isPoint)
    }

    @Test("yes/no pins: the interval of uniforms that gives the observed answer")
    func eventPins() throws {
        // A detect barrier with reliability 95% that failed: u in [0.95, 1).
        let failed = try #require(UniformInterval.event(probability: 0.95, happened: false))
        #expect(failed == UniformInterval(lower: 0.95, upper: 1))
        // Under 99% reliability it works when u < 0.99: in 80% of the interval.
        let n = 100_000
        var works = 0
        for i in 0..<n where failed.map((Double(i) + 0.5) / Double(n)) < 0.99 { works += 1 }
        #expect(abs(Double(works) / Double(n) - 0.8) < 1e-4)
        #expect(UniformInterval.event(probability: 0.3, happened: true) == UniformInterval(lower: 0, upper: 0.3))
        #expect(UniformInterval.event(probability: 0, happened: true) == nil)
        #expect(UniformInterval.event(probability: 1, happened: false) == nil)
        #expect(failed.contains(0.95) && !failed.contains(0.9499999))
    }

    @Test("invalid parameters are rejected")
    func errors() {
        #expect(throws: DistributionError.p90BelowMedian) { try LognormalDistribution(median: 300, p90: 200) }
        #expect(throws: DistributionError.notPositive(parameter: "median")) {
            try LognormalDistribution(median: 0, p90: 200)
        }
        #expect(throws: DistributionError.outOfOrder("uniform bounds")) { try UniformDistribution(lower: 2, upper: 1) }
        #expect(throws: DistributionError.self) { try TriangularDistribution(minimum: 1, mode: 5, maximum: 3) }
        #expect(throws: DistributionError.negative(parameter: "mean")) { try ExponentialDistribution(mean: -1) }
        #expect(throws: DistributionError.notFinite(parameter: "mean")) { try ExponentialDistribution(mean: .infinity) }
        #expect(throws: DistributionError.noValues) { try EmpiricalDistribution([]) }
        #expect(throws: DistributionError.self) { try EmpiricalDistribution([1, .nan]) }
        #expect(throws: DistributionError.self) { try ConstantDistribution(.nan) }
        #expect(DistributionError.p90BelowMedian.description == "p90 must not be below the median")
    }

    @Test("degenerate shapes are constants")
    func degenerate() throws {
        #expect(try TriangularDistribution(minimum: 5, mode: 5, maximum: 5).quantile(0.7) == 5)
        #expect(try UniformDistribution(lower: 5, upper: 5).quantile(0.7) == 5)
        #expect(try ExponentialDistribution(mean: 0).quantile(0.7) == 0)
        #expect(try ExponentialDistribution(mean: 0).pin(0) == .value(0))
    }

    @Test("a variant maps a pinned quantile through its own distribution")
    func counterfactualQuantile() throws {
        // An unlucky 25-minute diagnosis under median 12m / p90 45m ...
        let baseline = try LognormalDistribution(median: 720, p90: 2700)
        guard case .quantile(let u)? = baseline.pin(1500) else {
            Issue.record("expected a quantile pin")
            return
        }
        // ... stays as unlucky under a runbook that multiplies diagnosis by 1/1.8.
        let runbook = try LognormalDistribution(median: 720 / 1.8, p90: 2700 / 1.8)
        #expect(abs(runbook.quantile(u) - 1500 / 1.8) < 1e-9 * 1500)
    }
}

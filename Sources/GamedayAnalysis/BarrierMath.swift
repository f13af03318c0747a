import GamedayModel

/// One barrier on a path, reduced to the numbers the exact arithmetic needs.
public struct BarrierLayer: Hashable, Sendable {
    /// The barrier's id.
    public var id: String
    /// The chance it does its job on its own, before common cause: for a prevent barrier its
    /// ``GamedayModel/Barrier/stopChance`` (reliability × effectiveness), for a detect barrier its
    /// reliability. Uncertain probabilities enter by their mean (see ``BarrierMath``).
    public var chance: Double
    /// Its common-cause group, if any.
    public var group: String?
    /// The chance its group fails together (0 without a group).
    public var beta: Double

    /// Creates a layer; `beta` is ignored without a group.
    public init(id: String, chance: Double, group: String? = nil, beta: Double = 0) {
        self.id = id
        self.chance = chance
        self.group = group
        self.beta = group == nil ? 0 : beta
    }

    /// Creates a layer from a barrier's common-cause group.
    public init(id: String, chance: Double, commonCause: CommonCause?) {
        self.init(id: id, chance: chance, group: commonCause?.group, beta: commonCause?.beta ?? 0)
    }

    /// The chance it does its job once common cause is counted: (1 - beta) × chance.
    public var effectiveChance: Double { (1 - beta) * chance }

    /// Its probability of failure on demand once common cause is counted: 1 - effective chance.
    public var pfd: Double { 1 - effectiveChance }
}

/// The exact probability arithmetic of barriers in series with common-cause groups (spec section 5).
///
/// Model, per trial: each common-cause group on the path fails together with probability beta
/// (one draw per group per trial); a barrier whose group did not fail does its job with its own
/// chance, independently of every other barrier. A path is breached when every barrier on it fails.
///
/// The exact chance that every barrier fails is the sum over the subsets F of groups that fail
/// together:
///
///     P(all fail) = Σ_F  Π_{g ∈ F} beta_g × Π_{g ∉ F} (1 - beta_g) × Π_{i not in a group of F} (1 - c_i)
///
/// By distributivity this sum factorizes over groups, which is how ``allFail(_:)`` computes it in
/// linear time:
///
///     P(all fail) = Π_{i ungrouped} (1 - c_i) × Π_g [ beta_g + (1 - beta_g) × Π_{i ∈ g} (1 - c_i) ]
///
/// ``allFailBySubsets(_:)`` evaluates the sum literally, as a reference for tests.
///
/// Uncertain probabilities (`{uniform: [...]}`, `{triangular: [...]}`) enter by their mean. This
/// is exact for these marginal chances: each uncertain value has its own draw once per trial
/// (address `PATH.FIELD`), independent of every other draw, so E[Π(1 - c_i)] = Π(1 - E[c_i]).
/// No two barriers share one uncertain value. (A prevent barrier against several injections
/// uses the same effectiveness draw for all of them; that correlates injections with each other,
/// not the barriers of one path, so per-injection numbers stay exact.)
public enum BarrierMath {
    /// The exact chance that every layer fails (for prevent barriers: the injection passes).
    /// An empty path always "fails": 1.
    public static func allFail(_ layers: [BarrierLayer]) -> Double {
        var product = 1.0
        var groupOrder: [String] = []
        var groupBeta: [String: Double] = [:]
        var groupOwnFail: [String: Double] = [:]
        for layer in layers {
            if let group = layer.group {
                if groupBeta[group] == nil {
                    groupOrder.append(group)
                    groupBeta[group] = layer.beta
                    groupOwnFail[group] = 1
                }
                groupOwnFail[group]! *= 1 - layer.chance
            } else {
                product *= 1 - layer.chance
            }
        }
        for group in groupOrder {
            let beta = groupBeta[group]!
            product *= beta + (1 - beta) * groupOwnFail[group]!
        }
        return product
    }

    /// The exact chance that every layer fails, as the literal sum over the subsets of common-cause
    /// groups that fail together. Exponential in the number of groups: a reference for tests.
    ///
    /// - Precondition: at most 20 groups.
    public static func allFailBySubsets(_ layers: [BarrierLayer]) -> Double {
        var groups: [(group: String, beta: Double)] = []
        for layer in layers {
            if let group = layer.group, !groups.contains(where: { $0.group == group }) { groups.append((group, layer.beta)) }
        }
        precondition(groups.count <= 20, "allFailBySubsets enumerates 2^groups subsets")
        var total = 0.0
        for mask in 0..<(1 << groups.count) {
            var term = 1.0
            var failed: Set<String> = []
            for (index, group) in groups.enumerated() {
                if mask & (1 << index) != 0 {
                    term *= group.beta
                    failed.insert(group.group)
                } else {
                    term *= 1 - group.beta
                }
            }
            for layer in layers {
                if let group = layer.group, failed.contains(group) { continue }
                term *= 1 - layer.chance
            }
            total += term
        }
        return total
    }

    /// What multiplying each layer's effective failure chance gives, Π(1 - (1 - beta_i) × c_i):
    /// the naive LOPA product. It equals ``allFail(_:)`` when no two layers share a group and is
    /// too small (optimistic) when they do.
    public static func independentProduct(_ layers: [BarrierLayer]) -> Double {
        layers.reduce(1) { $0 * $1.pfd }
    }

    /// For each layer, how much the chance that all fail rises when that layer is removed:
    /// allFail(without i) - allFail(all), exact.
    public static func marginalValues(_ layers: [BarrierLayer]) -> [Double] {
        let all = allFail(layers)
        return layers.indices.map { index in
            var without = layers
            without.remove(at: index)
            // Removing a barrier never lowers the chance; clamp rounding noise at zero.
            return max(0, allFail(without) - all)
        }
    }

    /// A risk reduction factor, 1 / PFD: infinite when the PFD is 0.
    public static func riskReductionFactor(pfd: Double) -> Double {
        pfd <= 0 ? .infinity : 1 / pfd
    }
}

import Foundation
import GamedayRandom
import Testing

@testable import GamedayStatistics

/// What one block of a simulated run accumulates: a metric's moments and
/// histogram, a proportion, and a paired comparison.
struct BlockResult: BlockAccumulator, Equatable, Codable {
    var moments = MomentAccumulator()
    var histogram = LogLinearHistogram()
    var incidents = ProportionCounter()
    var paired = PairedDifference()

    mutating func merge(_ other: BlockResult) {
        moments.merge(other.moments)
        histogram.merge(other.histogram)
        incidents.merge(other.incidents)
        paired.merge(other.paired)
    }
}

/// A stand-in for the engine: trial `t`'s metric is a lognormal draw of an
/// addressed uniform, so every block is a pure function of its index.
enum FakeRun {
    static let trials = 10 * BlockReduction.blockSize + 1000  // the last block is partial
    static let seed: UInt64 = 42
    static let timeKey = DrawKey(seed: seed, address: "responders.primary-oncall.diagnose")
    static let incidentKey = DrawKey(seed: seed, address: "injections.bad-config.occurs")
    static let diagnose = try! LognormalDistribution(median: 720, p90: 2700)
    static let runbook = try! LognormalDistribution(median: 400, p90: 1500)

    static func block(_ b: Int) -> BlockResult {
        var result = BlockResult()
        for t in BlockReduction.trialRange(block: b, trials: trials) {
            let u = uniform(key: timeKey, trial: UInt64(t))
            let time = diagnose.quantile(u)
            result.moments.add(time)
            result.histogram.add(time)
            result.incidents.add(uniform(key: incidentKey, trial: UInt64(t)) < 0.3)
            result.paired.add(variant: runbook.quantile(u), baseline: time)
        }
        return result
    }

    static var blockCount: Int { BlockReduction.blockCount(trials: trials) }
}

/// Bit-level equality of two accumulators' floating-point state.
func bitIdentical(_ a: MomentAccumulator, _ b: MomentAccumulator) -> Bool {
    a.count == b.count && a.mean.bitPattern == b.mean.bitPattern && a.m2.bitPattern == b.m2.bitPattern
}

@Suite("Deterministic block reduction")
struct BlockReductionTests {
    @Test("block geometry")
    func geometry() {
        #expect(BlockReduction.blockSize == 4096)
        #expect(BlockReduction.blockCount(trials: 0) == 0)
        #expect(BlockReduction.blockCount(trials: 4096) == 1)
        #expect(BlockReduction.blockCount(trials: 4097) == 2)
        #expect(BlockReduction.trialRange(block: 1, trials: 5000) == 4096..<5000)
        // 10 blocks in 3 shards: 4, 3, 3, contiguous and covering.
        #expect(BlockReduction.blocks(ofShard: 0, of: 3, blockCount: 10) == 0..<4)
        #expect(BlockReduction.blocks(ofShard: 1, of: 3, blockCount: 10) == 4..<7)
        #expect(BlockReduction.blocks(ofShard: 2, of: 3, blockCount: 10) == 7..<10)
        #expect(BlockReduction.blocks(ofShard: 4, of: 5, blockCount: 3) == 3..<3)
    }

    @Test("blocks computed on any threads in any order fold to bit-identical results")
    func threadOrder() async {
        let sequential = BlockReduction.fold((0..<FakeRun.blockCount).map(FakeRun.block))

        // Concurrently, collected in completion order, then placed by index.
        var slots = [BlockResult?](repeating: nil, count: FakeRun.blockCount)
        await withTaskGroup(of: (Int, BlockResult).self) { group in
            for b in (0..<FakeRun.blockCount).reversed() {
                group.addTask { (b, FakeRun.block(b)) }
            }
            for await (b, result) in group { slots[b] = result }
        }
        let concurrent = BlockReduction.fold(slots.map { $0! })

        // In a scrambled computation order.
        var scrambled = [BlockResult?](repeating: nil, count: FakeRun.blockCount)
        for b in [7, 2, 10, 0, 5, 9, 1, 3, 8, 6, 4] { scrambled[b] = FakeRun.block(b) }
        let shuffled = BlockReduction.fold(scrambled.map { $0! })

        for result in [concurrent, shuffled] {
            #expect(bitIdentical(result.moments, sequential.moments))
            #expect(bitIdentical(result.paired.differences, sequential.paired.differences))
            #expect(result == sequential)
        }
        #expect(sequential.moments.count == FakeRun.trials)
        #expect(sequential.histogram.count == UInt64(FakeRun.trials))
    }

    @Test("shards: histograms and counts merge exactly; moments need per-block states")
    func shards() throws {
        let blocks = (0..<FakeRun.blockCount).map(FakeRun.block)
        let single = BlockReduction.fold(blocks)
        let ranges = (0..<3).map { BlockReduction.blocks(ofShard: $0, of: 3, blockCount: FakeRun.blockCount) }

        // Histograms and counters: fold each shard, merge the shard results in any order.
        let shardFolds = ranges.map { BlockReduction.fold(blocks[$0]) }
        for order in [[0, 1, 2], [2, 0, 1], [1, 2, 0]] {
            var histogram = LogLinearHistogram(), incidents = ProportionCounter()
            for i in order {
                histogram.merge(shardFolds[i].histogram)
                incidents.merge(shardFolds[i].incidents)
            }
            #expect(histogram == single.histogram)
            #expect(incidents == single.incidents)
        }

        // Moments: merging the shards' folded moments regroups the merges, which
        // is close but not guaranteed bit-identical (MomentTests.notAssociative) ...
        var merged = MomentAccumulator()
        for fold in shardFolds { merged.merge(fold.moments) }
        #expect(merged.count == single.moments.count)
        #expect(abs(merged.mean - single.moments.mean) <= 1e-12 * single.moments.mean)

        // ... so each shard keeps its per-block states and the merge refolds every block.
        let shardStates = ranges.map { BlockStates(firstBlock: $0.lowerBound, blocks: Array(blocks[$0])) }
        let combined = try BlockStates.concatenate([shardStates[2], shardStates[0], shardStates[1]])
        #expect(combined.firstBlock == 0 && combined.endBlock == FakeRun.blockCount)
        let refolded = combined.folded()
        #expect(bitIdentical(refolded.moments, single.moments))
        #expect(bitIdentical(refolded.paired.differences, single.paired.differences))
        #expect(refolded == single)
    }

    @Test("shard states survive JSON bit for bit")
    func json() throws {
        let blocks = (0..<FakeRun.blockCount).map(FakeRun.block)
        let single = BlockReduction.fold(blocks)
        let encoder = JSONEncoder()
        let decoder = JSONDecoder()
        var decodedShards: [BlockStates<BlockResult>] = []
        for shard in 0..<4 {
            let range = BlockReduction.blocks(ofShard: shard, of: 4, blockCount: FakeRun.blockCount)
            var states = BlockStates<BlockResult>(firstBlock: range.lowerBound)
            for b in range { states.append(blocks[b]) }
            let data = try encoder.encode(states)
            decodedShards.append(try decoder.decode(BlockStates<BlockResult>.self, from: data))
            #expect(decodedShards.last == states)
        }
        let refolded = try BlockStates.concatenate(decodedShards.reversed()).folded()
        #expect(bitIdentical(refolded.moments, single.moments))
        #expect(refolded == single)
        // Awkward doubles round-trip too.
        let awkward = MomentAccumulator(count: 3, mean: 0.1 + 0.2, m2: .leastNonzeroMagnitude)
        let back = try decoder.decode(MomentAccumulator.self, from: encoder.encode(awkward))
        #expect(bitIdentical(back, awkward))
        // A histogram's JSON is its sparse state.
        let object = try JSONSerialization.jsonObject(with: encoder.encode(single.histogram)) as? [String: Any]
        #expect(Set(object?.keys.map { $0 } ?? []) == ["count", "zeroCount", "minimum", "maximum", "binKeys", "binCounts"])
    }

    @Test("shards that leave a gap or overlap are rejected")
    func contiguity() throws {
        let a = BlockStates(firstBlock: 0, blocks: [MomentAccumulator(), MomentAccumulator()])
        let c = BlockStates(firstBlock: 3, blocks: [MomentAccumulator()])
        #expect(throws: BlockStatesError.notContiguous(expected: 2, found: 3)) {
            try BlockStates.concatenate([a, c])
        }
        let overlapping = BlockStates(firstBlock: 1, blocks: [MomentAccumulator()])
        #expect(throws: BlockStatesError.notContiguous(expected: 2, found: 1)) {
            try BlockStates.concatenate([a, overlapping])
        }
        let empty = BlockStates<MomentAccumulator>(firstBlock: 9)
        #expect(try BlockStates.concatenate([empty, a]) == a)
        #expect(try BlockStates<MomentAccumulator>.concatenate([]).blocks.isEmpty)
    }
}

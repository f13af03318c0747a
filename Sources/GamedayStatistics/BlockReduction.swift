/// An accumulator that can be reduced over fixed blocks of trials.
///
/// `init()` is the empty accumulator and ``merge(_:)`` appends the values of
/// `other`, which come after this accumulator's in the reduction order.
/// Merging an empty accumulator, on either side, must be an exact identity.
public protocol BlockAccumulator: Sendable {
    /// Creates an empty accumulator.
    init()

    /// Merges the accumulator of the values that follow this one's.
    ///
    /// - Parameter other: The accumulator to append.
    mutating func merge(_ other: Self)
}

/// The fixed reduction shape that makes results bit-identical on any thread
/// count and any shard split (spec section 11).
///
/// 1. Trials are cut into consecutive blocks of ``blockSize`` trial indices:
///    block `b` holds trials `b · blockSize ..< (b + 1) · blockSize` (the last
///    block may be shorter).
/// 2. Each block's accumulators are built from its trials in index order,
///    starting empty. A block does not depend on any other, so blocks can be
///    computed on any thread in any order.
/// 3. The run's result is ``fold(_:)`` of the block accumulators in block
///    index order: `((empty ⊕ block 0) ⊕ block 1) ⊕ ...`.
///
/// Integer counts and histograms merge exactly, so for them any order gives
/// the same result and shards can merge their folded results. Floating-point
/// moments (``MomentAccumulator``) do not merge associatively: a shard must
/// keep its per-block states (``BlockStates``) and the merged run refolds all
/// blocks in order. The stopping points of `--precision` are block
/// boundaries too, so they do not depend on threads either.
public enum BlockReduction {
    /// The number of consecutive trials in a block. Fixed: changing it
    /// changes floating-point results in their last bits.
    public static let blockSize = 4096

    /// The number of blocks for a number of trials (the last may be partial).
    ///
    /// - Parameter trials: The number of trials, `>= 0`.
    /// - Returns: `ceil(trials / blockSize)`.
    public static func blockCount(trials: Int) -> Int {
        precondition(trials >= 0, "a number of trials is not negative")
        return (trials + blockSize - 1) / blockSize
    }

    /// The trial indices of a block.
    ///
    /// - Parameters:
    ///   - block: A block index in `0 ..< blockCount(trials:)`.
    ///   - trials: The run's number of trials.
    /// - Returns: `block · blockSize ..< min((block + 1) · blockSize, trials)`.
    public static func trialRange(block: Int, trials: Int) -> Range<Int> {
        precondition(block >= 0 && block < blockCount(trials: trials), "block index out of range")
        return (block * blockSize)..<min((block + 1) * blockSize, trials)
    }

    /// The contiguous range of blocks of one shard, when `blockCount` blocks
    /// are split into `shards` near-equal contiguous parts (the first
    /// `blockCount % shards` shards get one block more).
    ///
    /// - Parameters:
    ///   - shard: The shard's index in `0 ..< shards`.
    ///   - shards: The number of shards, `>= 1`.
    ///   - blockCount: The run's number of blocks.
    /// - Returns: The shard's blocks (possibly empty when there are more
    ///   shards than blocks).
    public static func blocks(ofShard shard: Int, of shards: Int, blockCount: Int) -> Range<Int> {
        precondition(shards >= 1 && shard >= 0 && shard < shards && blockCount >= 0, "invalid shard")
        let base = blockCount / shards, extra = blockCount % shards
        let start = shard * base + min(shard, extra)
        return start..<(start + base + (shard < extra ? 1 : 0))
    }

    /// Folds block accumulators in the order given (which must be block
    /// index order): `((empty ⊕ b₀) ⊕ b₁) ⊕ ...`.
    ///
    /// The same blocks in the same order always give bit-identical results,
    /// whichever threads computed them.
    ///
    /// - Parameter blocks: The blocks' accumulators, in block index order.
    /// - Returns: The run's accumulator.
    public static func fold<Blocks: Sequence>(_ blocks: Blocks) -> Blocks.Element
    where Blocks.Element: BlockAccumulator {
        var result = Blocks.Element()
        for block in blocks {
            result.merge(block)
        }
        return result
    }
}

/// Why shards' block states cannot be combined.
public enum BlockStatesError: Error, Sendable, Hashable {
    /// The shards' block ranges leave a gap or overlap: the block that was
    /// expected next, and the first block of the shard found instead.
    case notContiguous(expected: Int, found: Int)
}

/// The per-block accumulators of a contiguous range of blocks: what a shard
/// of a run must keep so that merging shards reproduces a single run bit for
/// bit, for accumulators whose merge is not associative
/// (``MomentAccumulator``).
///
/// A shard appends its blocks in index order and writes its states out;
/// ``concatenate(_:)`` puts shards back together (in any order given: they
/// are sorted by their first block) and ``folded()`` refolds every block in
/// index order, exactly as a single run does.
public struct BlockStates<Accumulator: BlockAccumulator>: Sendable {
    /// The index of the first block.
    public private(set) var firstBlock: Int
    /// The blocks' accumulators, in block index order from ``firstBlock``.
    public private(set) var blocks: [Accumulator]

    /// Creates an empty range of blocks that starts at `firstBlock`.
    ///
    /// - Parameter firstBlock: The index of the first block to come.
    public init(firstBlock: Int = 0) {
        precondition(firstBlock >= 0, "a block index is not negative")
        self.firstBlock = firstBlock
        self.blocks = []
    }

    /// Creates a range of blocks from their accumulators.
    ///
    /// - Parameters:
    ///   - firstBlock: The index of the first block.
    ///   - blocks: The accumulators of blocks `firstBlock`, `firstBlock + 1`, ...
    public init(firstBlock: Int, blocks: [Accumulator]) {
        precondition(firstBlock >= 0, "a block index is not negative")
        self.firstBlock = firstBlock
        self.blocks = blocks
    }

    /// One past the index of the last block.
    public var endBlock: Int {
        firstBlock + blocks.count
    }

    /// Appends the accumulator of block ``endBlock``.
    ///
    /// - Parameter block: The next block's accumulator.
    public mutating func append(_ block: Accumulator) {
        blocks.append(block)
    }

    /// Appends the blocks of the shard that follows this one.
    ///
    /// - Parameter other: States whose ``firstBlock`` is this one's ``endBlock``.
    /// - Throws: ``BlockStatesError/notContiguous(expected:found:)``.
    public mutating func append(contentsOf other: BlockStates) throws(BlockStatesError) {
        if other.blocks.isEmpty { return }
        if blocks.isEmpty && firstBlock == other.firstBlock {
            self = other
            return
        }
        guard other.firstBlock == endBlock else {
            throw .notContiguous(expected: endBlock, found: other.firstBlock)
        }
        blocks.append(contentsOf: other.blocks)
    }

    /// Combines shards into one contiguous range, sorting them by first block.
    ///
    /// - Parameter shards: Shards' states, in any order; empty ones are skipped.
    /// - Returns: The states of all their blocks.
    /// - Throws: ``BlockStatesError/notContiguous(expected:found:)`` when the
    ///   shards leave a gap or overlap.
    public static func concatenate(_ shards: [BlockStates]) throws(BlockStatesError) -> BlockStates {
        let ordered = shards.filter { !$0.blocks.isEmpty }.sorted { $0.firstBlock < $1.firstBlock }
        guard var result = ordered.first else { return BlockStates() }
        for shard in ordered.dropFirst() {
            try result.append(contentsOf: shard)
        }
        return result
    }

    /// The fold of every block in index order (``BlockReduction/fold(_:)``).
    ///
    /// - Returns: The accumulator of all the blocks' trials.
    public func folded() -> Accumulator {
        BlockReduction.fold(blocks)
    }
}

extension BlockStates: Equatable where Accumulator: Equatable {}
extension BlockStates: Hashable where Accumulator: Hashable {}
extension BlockStates: Codable where Accumulator: Codable {}

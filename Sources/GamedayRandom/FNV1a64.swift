/// An incremental 64-bit FNV-1a hash.
///
/// The hash starts at the offset basis `0xcbf29ce484222325`; each byte is
/// XORed in and the state multiplied by the prime `0x100000001b3` (mod 2^64).
/// Because the state is a plain value, a caller can hash a common prefix once
/// and copy the state to hash several continuations, for example a draw
/// address and its repeats `address#2`, `address#3`, ... (see
/// ``combine(repeat:)``). Nothing here allocates.
///
/// ```swift
/// var base = FNV1a64()
/// base.combine(string: "barriers.rollback.works")
/// let third = base.repeated(3)          // the hash of "barriers.rollback.works#3"
/// ```
public struct FNV1a64: Sendable, Hashable {
    /// The FNV-1a 64-bit offset basis (the hash of no bytes).
    public static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
    /// The FNV 64-bit prime.
    public static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// The hash of the bytes combined so far (the whole state of the hash).
    public var value: UInt64

    /// Creates the hash of the empty byte sequence.
    @inlinable
    public init() {
        value = 0xCBF2_9CE4_8422_2325
    }

    /// Creates the hash of a string's UTF-8 bytes.
    ///
    /// - Parameter string: The string whose UTF-8 encoding is hashed.
    @inlinable
    public init(_ string: String) {
        self.init()
        combine(string: string)
    }

    /// Creates a hash state from a previously read ``value`` (for example one
    /// stored by another component); combining more bytes continues that hash.
    ///
    /// - Parameter value: A state, as returned by ``value``.
    @inlinable
    public init(value: UInt64) {
        self.value = value
    }

    /// Combines one byte.
    ///
    /// - Parameter byte: The next byte of the hashed sequence.
    @inlinable
    public mutating func combine(byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    /// Combines a sequence of bytes, in order.
    ///
    /// - Parameter bytes: The next bytes of the hashed sequence.
    @inlinable
    public mutating func combine<Bytes: Sequence>(bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes {
            combine(byte: byte)
        }
    }

    /// Combines the UTF-8 bytes of a string, in order.
    ///
    /// - Parameter string: The string whose UTF-8 encoding continues the hash.
    @inlinable
    public mutating func combine(string: String) {
        for byte in string.utf8 {
            combine(byte: byte)
        }
    }

    /// Combines the decimal digits of a non-negative integer (no sign, no
    /// leading zeros; `0` is the single digit `0`), without building a string.
    ///
    /// - Parameter decimal: The number whose ASCII decimal digits are combined.
    @inlinable
    public mutating func combine(decimal: Int) {
        precondition(decimal >= 0, "FNV1a64.combine(decimal:) needs a non-negative number")
        var divisor = 1
        while decimal / divisor >= 10 {
            divisor &*= 10
        }
        var rest = decimal
        while divisor > 0 {
            let digit = rest / divisor
            combine(byte: UInt8(truncatingIfNeeded: digit) &+ 0x30)
            rest -= digit &* divisor
            divisor /= 10
        }
    }

    /// Combines the repeat suffix of a draw address (spec section 9).
    ///
    /// The first draw of an address has no suffix, so `k == 1` leaves the hash
    /// unchanged; the k-th repeat (`k >= 2`) appends `#` and the decimal digits
    /// of `k`.
    ///
    /// - Parameter k: The 1-based repeat index of the draw (`k >= 1`).
    @inlinable
    public mutating func combine(repeat k: Int) {
        precondition(k >= 1, "a draw's repeat index starts at 1")
        if k >= 2 {
            combine(byte: 0x23)  // "#"
            combine(decimal: k)
        }
    }

    /// Returns the hash of this address's k-th repeat; see ``combine(repeat:)``.
    ///
    /// - Parameter k: The 1-based repeat index of the draw (`k >= 1`).
    /// - Returns: This state unchanged for `k == 1`, otherwise this state
    ///   continued with `#k`.
    @inlinable
    public func repeated(_ k: Int) -> FNV1a64 {
        var copy = self
        copy.combine(repeat: k)
        return copy
    }
}

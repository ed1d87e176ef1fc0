/// Caps on what untrusted bytes may ask a reader to build. Lengths are also always checked
/// against the bytes that remain, so these only matter for items that take no bytes (nulls)
/// or for callers who want a tighter bound.
public struct AvroDecodingLimits: Sendable, Hashable {
    /// Most items in one array or map (all blocks together).
    public var maxCollectionItems: Int
    /// Deepest nesting of a recursive record (each level costs stack; a few bytes of input can
    /// ask for one more level).
    public var maxDepth: Int

    public init(maxCollectionItems: Int = 1 << 24, maxDepth: Int = 256) {
        self.maxCollectionItems = maxCollectionItems
        self.maxDepth = maxDepth
    }

    public static let `default` = AvroDecodingLimits()
}

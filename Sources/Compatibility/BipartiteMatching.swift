/// A maximum-cardinality matching in a bipartite graph (augmenting paths): how Confluent pairs
/// the subschemas of two combined schemas, whatever their order.
enum BipartiteMatching {
    /// Left index → right index for a largest set of pairs with `edge(left, right)`.
    static func maximum(left: Int, right: Int, edge: (Int, Int) -> Bool) -> [Int: Int] {
        var matchOfRight = [Int?](repeating: nil, count: right)
        func augment(_ l: Int, _ seen: inout [Bool]) -> Bool {
            for r in 0..<right where edge(l, r) && !seen[r] {
                seen[r] = true
                if matchOfRight[r] == nil || augment(matchOfRight[r]!, &seen) {
                    matchOfRight[r] = l
                    return true
                }
            }
            return false
        }
        for l in 0..<left {
            var seen = [Bool](repeating: false, count: right)
            _ = augment(l, &seen)
        }
        var matching: [Int: Int] = [:]
        for (r, l) in matchOfRight.enumerated() { if let l { matching[l] = r } }
        return matching
    }
}

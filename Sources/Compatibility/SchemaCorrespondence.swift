import JSONDocument

/// Where a place in one version of a schema is in another version, so that a finding located in
/// the baseline (FORWARD: the old schema reads) can be shown at the matching line of the new file.
/// Array elements that carry a "name" (Avro fields, named types in unions) are matched by name,
/// other elements by value, object members by key. Returns the deepest place that `target` has.
func correspondingPointer(_ pointer: JSONPointer, from source: JSONValue, to target: JSONValue) -> JSONPointer {
    var sourceNode: JSONValue? = source
    var targetNode = target
    var result = JSONPointer.root
    for token in pointer.tokens {
        var mapped = token
        if case .array(let sourceItems)? = sourceNode, case .array(let targetItems) = targetNode, let index = Int(token), sourceItems.indices.contains(index) {
            let element = sourceItems[index]
            if let name = element.objectValue?["name"]?.stringValue,
               let match = targetItems.firstIndex(where: { $0.objectValue?["name"]?.stringValue.map { sameCodePoints($0, name) } == true }) {
                mapped = String(match)
            } else if let match = targetItems.firstIndex(of: element) {
                mapped = String(match)
            }
        }
        guard let next = child(of: targetNode, mapped) else { break }
        sourceNode = sourceNode.flatMap { child(of: $0, token) }
        targetNode = next
        result = result.appending(mapped)
    }
    return result
}

private func child(of value: JSONValue, _ token: String) -> JSONValue? {
    switch value {
    case .object(let object): return object[token]
    case .array(let items): return Int(token).flatMap { items.indices.contains($0) ? items[$0] : nil }
    default: return nil
    }
}

/// Doc comment lines from an Avro `doc` (split at line breaks), then a provenance line.
func docLines(_ doc: String?, provenance: String?) -> [String] {
    var lines = (doc ?? "").split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmingTrailingSpaces }
    if lines == [""] { lines = [] }
    if let provenance {
        if !lines.isEmpty { lines.append("") }
        lines.append(provenance)
    }
    return lines
}

/// Confluent Schema Registry's compatibility levels.
public enum CompatibilityLevel: String, Sendable, Hashable, CaseIterable {
    case none = "NONE"
    case backward = "BACKWARD"
    case backwardTransitive = "BACKWARD_TRANSITIVE"
    case forward = "FORWARD"
    case forwardTransitive = "FORWARD_TRANSITIVE"
    case full = "FULL"
    case fullTransitive = "FULL_TRANSITIVE"
}

/// Which JSON Schema differences a check tolerates (Confluent's `compatibilityPolicy`). LENIENT
/// assumes producers never send properties a schema does not declare, so it also accepts the
/// open and closed content-model changes that STRICT rejects; it relaxes no array rule.
public enum CompatibilityPolicy: String, Sendable, Hashable, CaseIterable {
    case strict = "STRICT"
    case lenient = "LENIENT"
}

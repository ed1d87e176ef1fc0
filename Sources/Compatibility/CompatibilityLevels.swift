import AvroSchema
import SchemaConfig

/// A finding of a level check: which previous version (1-based position in the list given,
/// oldest first), in which direction, and the incompatibility.
public struct CompatibilityFinding: Sendable, Hashable {
    public enum Direction: String, Sendable { case backward, forward }
    public var version: Int
    public var direction: Direction
    public var incompatibility: AvroIncompatibility
}

public struct CompatibilityResult: Sendable {
    public var level: CompatibilityLevel
    public var findings: [CompatibilityFinding]
    public var isCompatible: Bool { findings.isEmpty }
}

/// Confluent's level semantics over Avro's reader/writer rule: BACKWARD = the new schema reads the
/// previous one's data, FORWARD = the previous reads the new one's, FULL = both. Plain levels look at
/// the latest previous version only; transitive ones at every version, newest first, stopping at the
/// first incompatible one (as Confluent's `CompatibilityChecker` does). FULL checks forward first.
public enum AvroLevelChecker {
    public static func check(_ new: AvroSchema, against previous: [AvroSchema], level: CompatibilityLevel) -> CompatibilityResult {
        let transitive = [.backwardTransitive, .forwardTransitive, .fullTransitive].contains(level)
        let versions = Array(previous.enumerated().reversed().prefix(transitive ? previous.count : 1))
        var findings: [CompatibilityFinding] = []
        for (index, old) in versions where level != .none {
            var found: [CompatibilityFinding] = []
            if [.forward, .forwardTransitive, .full, .fullTransitive].contains(level) {
                found += AvroCompatibilityChecker.incompatibilities(reader: old, writer: new).map {
                    CompatibilityFinding(version: index + 1, direction: .forward, incompatibility: $0)
                }
            }
            if [.backward, .backwardTransitive, .full, .fullTransitive].contains(level) {
                found += AvroCompatibilityChecker.incompatibilities(reader: new, writer: old).map {
                    CompatibilityFinding(version: index + 1, direction: .backward, incompatibility: $0)
                }
            }
            if !found.isEmpty {
                findings = found
                break
            }
        }
        return CompatibilityResult(level: level, findings: findings)
    }
}

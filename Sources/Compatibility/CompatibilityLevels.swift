import AvroSchema
import SchemaConfig

/// Which way a level check looked: BACKWARD (the new schema against a previous version's data)
/// or FORWARD (a previous version against the new schema's data).
public enum CompatibilityDirection: String, Sendable, Hashable { case backward, forward }

/// A finding of a level check: which previous version (1-based position in the list given,
/// oldest first), in which direction, and the incompatibility.
public struct CompatibilityFinding: Sendable, Hashable {
    public typealias Direction = CompatibilityDirection
    public var version: Int
    public var direction: Direction
    public var incompatibility: AvroIncompatibility
}

public struct CompatibilityResult: Sendable {
    public var level: CompatibilityLevel
    public var findings: [CompatibilityFinding]
    public var isCompatible: Bool { findings.isEmpty }
}

/// Confluent's level semantics over a format's one-way rule: BACKWARD = the new schema against
/// the previous one, FORWARD = the other way round, FULL = both. Plain levels look at the latest
/// previous version only; transitive ones at every version, newest first, stopping at the first
/// incompatible one (as Confluent's `CompatibilityChecker` does). FULL checks forward first.
enum ConfluentLevels {
    static func findings<Issue>(level: CompatibilityLevel, previousCount: Int,
                                check: (_ index: Int, _ direction: CompatibilityDirection) -> [Issue]) -> [(version: Int, direction: CompatibilityDirection, issue: Issue)] {
        guard level != .none else { return [] }
        let transitive = [.backwardTransitive, .forwardTransitive, .fullTransitive].contains(level)
        let directions: [CompatibilityDirection] = switch level {
        case .forward, .forwardTransitive: [.forward]
        case .backward, .backwardTransitive: [.backward]
        default: [.forward, .backward]
        }
        for index in Array((0..<previousCount).reversed().prefix(transitive ? previousCount : 1)) {
            let found = directions.flatMap { direction in check(index, direction).map { (version: index + 1, direction: direction, issue: $0) } }
            if !found.isEmpty { return found }
        }
        return []
    }
}

/// Confluent's levels over Avro's reader/writer rule: BACKWARD = the new schema reads the
/// previous one's data, FORWARD = the previous reads the new one's.
public enum AvroLevelChecker {
    public static func check(_ new: AvroSchema, against previous: [AvroSchema], level: CompatibilityLevel) -> CompatibilityResult {
        let found = ConfluentLevels.findings(level: level, previousCount: previous.count) { index, direction in
            direction == .backward
                ? AvroCompatibilityChecker.incompatibilities(reader: new, writer: previous[index])
                : AvroCompatibilityChecker.incompatibilities(reader: previous[index], writer: new)
        }
        return CompatibilityResult(level: level, findings: found.map {
            CompatibilityFinding(version: $0.version, direction: $0.direction, incompatibility: $0.issue)
        })
    }
}

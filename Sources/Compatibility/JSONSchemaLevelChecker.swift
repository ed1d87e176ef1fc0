import SchemaConfig

/// An incompatible difference found by a level check: which previous version (1-based, oldest
/// first), which direction, the difference and its message. BACKWARD differences are located in
/// the new schema (the update), FORWARD ones in the previous version's.
public struct JSONSchemaFinding: Sendable, Hashable {
    public var version: Int
    public var direction: CompatibilityDirection
    public var difference: JSONSchemaDifference
    public var message: String

    public var type: JSONSchemaDifferenceType { difference.type }
    /// RFC 6901 pointer into the update schema of this direction.
    public var pointer: String { difference.pointer }
}

public struct JSONSchemaCompatibilityResult: Sendable {
    public var level: CompatibilityLevel
    public var policy: CompatibilityPolicy
    public var findings: [JSONSchemaFinding]
    public var isCompatible: Bool { findings.isEmpty }
}

/// Confluent's levels over its JSON Schema differ: BACKWARD compares original = previous with
/// update = new ("does the new schema accept every document the previous one accepts?"),
/// FORWARD swaps the roles; the policy decides which differences are tolerated.
public enum JSONSchemaLevelChecker {
    public static func check(_ new: JSONSchemaGraph, against previous: [JSONSchemaGraph], level: CompatibilityLevel,
                             policy: CompatibilityPolicy = .strict) -> JSONSchemaCompatibilityResult {
        let found = ConfluentLevels.findings(level: level, previousCount: previous.count) { index, direction in
            let (original, update) = direction == .backward ? (previous[index], new) : (new, previous[index])
            return JSONSchemaDiffer.differences(original: original, update: update, policy: policy).filter { !policy.isCompatible($0.type) }
        }
        return JSONSchemaCompatibilityResult(level: level, policy: policy, findings: found.map { version, direction, difference in
            let names = direction == .backward ? (update: "new", original: "version \(version)") : (update: "version \(version)", original: "new")
            return JSONSchemaFinding(version: version, direction: direction, difference: difference,
                                     message: difference.type.message(path: difference.path, update: names.update, original: names.original))
        })
    }
}

import Diagnostics
import Yams

/// `schemactl.yaml`: which schema file serves which subject and topic, at which compatibility level,
/// and which schema references a subject declares.
///
/// ```yaml
/// version: 1
/// defaults:
///   compatibility: BACKWARD
/// registry:                          # optional: for push, pull and registry commands
///   url: http://localhost:8081
/// subjects:
///   - subject: jobs.completed-value
///     topic: jobs.completed
///     schema: schemas/auteur/JobCompleted.avsc
///     compatibility: FULL            # optional, overrides the default
///     compatibility_policy: LENIENT  # optional (JSON Schema subjects; default STRICT)
///     references:                    # optional, Confluent schema references
///       - name: com.auteur.kafka.events.JobType
///         subject: com.auteur.kafka.events.JobType
///         version: 1
/// ```
public struct ProjectConfig: Sendable, Hashable {
    public var version: Int
    public var defaultCompatibility: CompatibilityLevel
    public var defaultPolicy: CompatibilityPolicy = .strict
    /// The registry `push`, `pull` and `registry …` talk to when no --registry or SCHEMA_REGISTRY_URL is given.
    public var registryURL: String?
    public var subjects: [SubjectConfig]

    public init(version: Int = 1, defaultCompatibility: CompatibilityLevel = .backward, subjects: [SubjectConfig] = []) {
        self.version = version
        self.defaultCompatibility = defaultCompatibility
        self.subjects = subjects
    }

    public static let fileName = "schemactl.yaml"

    public func subject(named name: String) -> SubjectConfig? { subjects.first { $0.subject == name } }

    /// The subjects whose schema is the file at `path` (relative to the config's folder, normalised).
    public func subjects(forSchemaPath path: String) -> [SubjectConfig] {
        let wanted = normalizePath(path)
        return subjects.filter { normalizePath($0.schema) == wanted }
    }

    public func compatibility(of subject: SubjectConfig) -> CompatibilityLevel {
        subject.compatibility ?? defaultCompatibility
    }

    public func policy(of subject: SubjectConfig) -> CompatibilityPolicy {
        subject.policy ?? defaultPolicy
    }
}

public struct SubjectConfig: Sendable, Hashable {
    public var subject: String
    public var topic: String?
    /// Path of the schema file, relative to the folder of schemactl.yaml.
    public var schema: String
    public var compatibility: CompatibilityLevel?
    /// JSON Schema only: which differences are tolerated.
    public var policy: CompatibilityPolicy?
    public var references: [ReferenceConfig]

    public init(subject: String, topic: String? = nil, schema: String, compatibility: CompatibilityLevel? = nil,
                policy: CompatibilityPolicy? = nil, references: [ReferenceConfig] = []) {
        self.subject = subject
        self.policy = policy
        self.topic = topic
        self.schema = schema
        self.compatibility = compatibility
        self.references = references
    }
}

/// A Confluent schema reference: the name the schema uses (an Avro fullname), and the subject
/// and version that hold the referenced schema.
public struct ReferenceConfig: Sendable, Hashable {
    public var name: String
    public var subject: String
    public var version: Int?

    public init(name: String, subject: String, version: Int? = nil) {
        self.name = name
        self.subject = subject
        self.version = version
    }
}

/// `a/./b/../c` → `a/c`, so paths written differently compare equal.
public func normalizePath(_ path: String) -> String {
    var parts: [Substring] = []
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
        switch part {
        case ".": continue
        case "..": if let last = parts.last, last != ".." { parts.removeLast() } else { parts.append(part) }
        default: parts.append(part)
        }
    }
    return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
}

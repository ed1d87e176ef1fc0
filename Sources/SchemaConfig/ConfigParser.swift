import Diagnostics
import Yams

/// Reads schemactl.yaml strictly: unknown keys, wrong types and dangling references are
/// diagnostics with line and column, so a typo never silently changes what CI checks.
public enum ConfigParser {
    public static let rules: [RuleDescription] = [
        RuleDescription(id: "CONFIG_SYNTAX", severity: .error, summary: "schemactl.yaml is not valid YAML."),
        RuleDescription(id: "CONFIG_UNKNOWN_KEY", severity: .error, summary: "schemactl.yaml has a key schemactl does not know."),
        RuleDescription(id: "CONFIG_INVALID_VALUE", severity: .error, summary: "A value in schemactl.yaml has the wrong type or is not allowed."),
        RuleDescription(id: "CONFIG_MISSING_KEY", severity: .error, summary: "A required key is missing in schemactl.yaml."),
        RuleDescription(id: "CONFIG_DUPLICATE_SUBJECT", severity: .error, summary: "Two entries of schemactl.yaml declare the same subject."),
        RuleDescription(id: "CONFIG_UNKNOWN_SUBJECT", severity: .error, summary: "A reference names a subject schemactl.yaml does not declare."),
    ]

    /// The config, or the diagnostics that explain why it cannot be used.
    public static func parse(_ text: String) -> Result<ProjectConfig, ConfigError> {
        var state = State()
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            return .failure(ConfigError(diagnostics: [syntaxDiagnostic(error)]))
        } catch {
            return .failure(ConfigError(diagnostics: [Diagnostic(severity: .error, rule: "CONFIG_SYNTAX", message: "\(error)")]))
        }
        guard let root, let mapping = root.mapping else {
            return .failure(ConfigError(diagnostics: [Diagnostic(severity: .error, rule: "CONFIG_INVALID_VALUE",
                message: "schemactl.yaml must be a mapping with \"version\" and \"subjects\"")]))
        }
        let config = state.readConfig(mapping, node: root)
        return state.diagnostics.isEmpty ? .success(config) : .failure(ConfigError(diagnostics: state.diagnostics))
    }

    private static func syntaxDiagnostic(_ error: YamlError) -> Diagnostic {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return Diagnostic(severity: .error, rule: "CONFIG_SYNTAX", message: "invalid YAML: \(problem)", line: mark.line, column: mark.column)
        default:
            return Diagnostic(severity: .error, rule: "CONFIG_SYNTAX", message: "invalid YAML: \(error)")
        }
    }

    private struct State {
        var diagnostics: [Diagnostic] = []

        mutating func fail(_ rule: String, _ message: String, at node: Node, pointer: String) {
            let mark = node.mark
            diagnostics.append(Diagnostic(severity: .error, rule: rule, message: message, pointer: pointer,
                                          line: mark?.line ?? 1, column: mark?.column ?? 1))
        }

        mutating func checkKeys(_ mapping: Node.Mapping, allowed: [String], at pointer: String) {
            for (key, _) in mapping {
                guard let name = key.string, !allowed.contains(name) else { continue }
                let close = allowed.min { editDistance($0, name) < editDistance($1, name) }
                let hint = close.map { editDistance($0, name) <= 3 ? "; did you mean \"\($0)\"?" : "" } ?? ""
                fail("CONFIG_UNKNOWN_KEY", "unknown key \"\(name)\" (allowed here: \(allowed.joined(separator: ", ")))\(hint)", at: key, pointer: pointer + "/" + name)
            }
        }

        mutating func string(_ mapping: Node.Mapping, _ key: String, at pointer: String, required: Bool) -> String? {
            guard let node = mapping[key] else {
                if required, let anchor = mapping.first?.key {
                    fail("CONFIG_MISSING_KEY", "missing \"\(key)\"", at: anchor, pointer: pointer)
                }
                return nil
            }
            guard let scalar = node.scalar, !scalar.string.isEmpty else {
                fail("CONFIG_INVALID_VALUE", "\"\(key)\" must be a non-empty string", at: node, pointer: pointer + "/" + key)
                return nil
            }
            return scalar.string
        }

        mutating func level(_ mapping: Node.Mapping, at pointer: String) -> CompatibilityLevel? {
            guard let text = string(mapping, "compatibility", at: pointer, required: false), let node = mapping["compatibility"] else { return nil }
            guard let level = CompatibilityLevel(rawValue: text.uppercased()) else {
                fail("CONFIG_INVALID_VALUE", "compatibility \"\(text)\" is not one of \(CompatibilityLevel.allCases.map(\.rawValue).joined(separator: ", "))", at: node, pointer: pointer + "/compatibility")
                return nil
            }
            return level
        }

        mutating func policy(_ mapping: Node.Mapping, at pointer: String) -> CompatibilityPolicy? {
            guard let text = string(mapping, "compatibility_policy", at: pointer, required: false), let node = mapping["compatibility_policy"] else { return nil }
            guard let policy = CompatibilityPolicy(rawValue: text.uppercased()) else {
                fail("CONFIG_INVALID_VALUE", "compatibility_policy \"\(text)\" is not one of STRICT, LENIENT", at: node, pointer: pointer + "/compatibility_policy")
                return nil
            }
            return policy
        }

        mutating func readConfig(_ mapping: Node.Mapping, node: Node) -> ProjectConfig {
            checkKeys(mapping, allowed: ["version", "defaults", "registry", "subjects"], at: "")
            var config = ProjectConfig()
            if let versionNode = mapping["version"] {
                if let version = versionNode.int, version == 1 { config.version = version } else {
                    fail("CONFIG_INVALID_VALUE", "\"version\" must be 1 (the only format version so far)", at: versionNode, pointer: "/version")
                }
            }
            if let defaultsNode = mapping["defaults"] {
                if let defaults = defaultsNode.mapping {
                    checkKeys(defaults, allowed: ["compatibility", "compatibility_policy"], at: "/defaults")
                    if let level = level(defaults, at: "/defaults") { config.defaultCompatibility = level }
                    if let policy = policy(defaults, at: "/defaults") { config.defaultPolicy = policy }
                } else {
                    fail("CONFIG_INVALID_VALUE", "\"defaults\" must be a mapping", at: defaultsNode, pointer: "/defaults")
                }
            }
            if let registryNode = mapping["registry"] {
                if let registry = registryNode.mapping {
                    checkKeys(registry, allowed: ["url"], at: "/registry")
                    if let url = string(registry, "url", at: "/registry", required: true) {
                        if url.hasPrefix("http://") || url.hasPrefix("https://") { config.registryURL = url } else {
                            fail("CONFIG_INVALID_VALUE", "registry url must start with http:// or https://", at: registry["url"]!, pointer: "/registry/url")
                        }
                    }
                } else {
                    fail("CONFIG_INVALID_VALUE", "\"registry\" must be a mapping with \"url\"", at: registryNode, pointer: "/registry")
                }
            }
            if let subjectsNode = mapping["subjects"] {
                if let sequence = subjectsNode.sequence {
                    for (index, entry) in sequence.enumerated() {
                        if let subject = readSubject(entry, at: "/subjects/\(index)") { config.subjects.append(subject) }
                    }
                } else {
                    fail("CONFIG_INVALID_VALUE", "\"subjects\" must be a list of entries with subject and schema", at: subjectsNode, pointer: "/subjects")
                }
            }
            checkSubjects(config, mapping: mapping)
            return config
        }

        mutating func readSubject(_ node: Node, at pointer: String) -> SubjectConfig? {
            guard let mapping = node.mapping else {
                fail("CONFIG_INVALID_VALUE", "a subject entry must be a mapping with \"subject\" and \"schema\"", at: node, pointer: pointer)
                return nil
            }
            checkKeys(mapping, allowed: ["subject", "topic", "schema", "compatibility", "compatibility_policy", "references"], at: pointer)
            let subject = string(mapping, "subject", at: pointer, required: true)
            let schema = string(mapping, "schema", at: pointer, required: true)
            let topic = string(mapping, "topic", at: pointer, required: false)
            let compatibility = level(mapping, at: pointer)
            let policy = policy(mapping, at: pointer)
            var references: [ReferenceConfig] = []
            if let referencesNode = mapping["references"] {
                if let sequence = referencesNode.sequence {
                    for (index, entry) in sequence.enumerated() {
                        if let reference = readReference(entry, at: pointer + "/references/\(index)") { references.append(reference) }
                    }
                } else {
                    fail("CONFIG_INVALID_VALUE", "\"references\" must be a list of {name, subject, version}", at: referencesNode, pointer: pointer + "/references")
                }
            }
            guard let subject, let schema else { return nil }
            return SubjectConfig(subject: subject, topic: topic, schema: schema, compatibility: compatibility, policy: policy, references: references)
        }

        mutating func readReference(_ node: Node, at pointer: String) -> ReferenceConfig? {
            guard let mapping = node.mapping else {
                fail("CONFIG_INVALID_VALUE", "a reference must be a mapping with name, subject and version", at: node, pointer: pointer)
                return nil
            }
            checkKeys(mapping, allowed: ["name", "subject", "version"], at: pointer)
            let name = string(mapping, "name", at: pointer, required: true)
            let subject = string(mapping, "subject", at: pointer, required: true)
            var version: Int? = nil
            if let versionNode = mapping["version"] {
                if let v = versionNode.int, v >= 1 { version = v } else {
                    fail("CONFIG_INVALID_VALUE", "a reference \"version\" must be a positive integer", at: versionNode, pointer: pointer + "/version")
                }
            }
            guard let name, let subject else { return nil }
            return ReferenceConfig(name: name, subject: subject, version: version)
        }

        mutating func checkSubjects(_ config: ProjectConfig, mapping: Node.Mapping) {
            guard let sequence = mapping["subjects"]?.sequence else { return }
            var seen: Set<String> = []
            let declared = Set(config.subjects.map(\.subject))
            for (index, entry) in sequence.enumerated() {
                guard let entryMapping = entry.mapping, let subjectNode = entryMapping["subject"], let name = subjectNode.string else { continue }
                if !seen.insert(name).inserted {
                    fail("CONFIG_DUPLICATE_SUBJECT", "subject \"\(name)\" is declared twice", at: subjectNode, pointer: "/subjects/\(index)/subject")
                }
                for (refIndex, reference) in (entryMapping["references"]?.sequence ?? []).enumerated() {
                    guard let refSubjectNode = reference.mapping?["subject"], let refSubject = refSubjectNode.string else { continue }
                    if !declared.contains(refSubject) {
                        fail("CONFIG_UNKNOWN_SUBJECT", "reference to subject \"\(refSubject)\", which this file does not declare; add an entry for it under subjects", at: refSubjectNode, pointer: "/subjects/\(index)/references/\(refIndex)/subject")
                    }
                }
            }
        }
    }
}

/// schemactl.yaml could not be used.
public struct ConfigError: Error, Sendable {
    public var diagnostics: [Diagnostic]
}

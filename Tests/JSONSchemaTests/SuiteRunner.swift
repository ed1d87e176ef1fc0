import Foundation
import JSONDocument
import JSONSchema
import TestSupport

/// Runs JSON-Schema-Test-Suite files from ../shared/vectors (read in place). Remotes are served
/// through the resource mapping: http://localhost:1234/ → remotes/.
struct SuiteRunner {
    struct Outcome: Sendable {
        var passed = 0
        var failures: [String] = []
        var total: Int { passed + failures.count }
    }

    let dialect: Dialect
    let folder: String

    init(_ dialect: Dialect) {
        self.dialect = dialect
        folder = switch dialect { case .draft7: "draft7"; case .draft2019_09: "draft2019-09"; case .draft2020_12: "draft2020-12" }
    }

    static let suite = TestPaths.vectors.appendingPathComponent("json-schema-test-suite")

    /// Remote documents, parsed once: other drafts' own folders are left out.
    static func remotes(for folder: String) -> @Sendable (String) throws -> JSONValue? {
        let root = suite.appendingPathComponent("remotes")
        // Other drafts' remotes are served too: cross-draft tests reference them (they declare $schema).
        let otherDrafts = ["draft3", "draft4", "draft6", "v1"]
        return { uri in
            let prefix = "http://localhost:1234/"
            guard uri.hasPrefix(prefix) else { return nil }
            let relative = String(uri.dropFirst(prefix.count))
            if otherDrafts.contains(where: { relative.hasPrefix($0 + "/") }) { return nil }
            guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(relative).path) else { return nil }
            return try JSONDocument(parsing: [UInt8](data)).root
        }
    }

    func files(_ subfolder: String) -> [URL] {
        let directory = Self.suite.appendingPathComponent("tests/\(folder)/\(subfolder)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map { directory.appendingPathComponent($0) }
    }

    func run(_ files: [URL], assertFormats: Bool) -> Outcome {
        var outcome = Outcome()
        let retrieve = Self.remotes(for: folder)
        for file in files {
            guard let bytes = try? TestPaths.read(file), let document = try? JSONDocument(parsing: bytes),
                  case .array(let groups) = document.root else {
                outcome.failures.append("\(file.lastPathComponent): cannot load")
                continue
            }
            for group in groups {
                guard case .object(let g) = group, let schema = g["schema"], case .array(let tests)? = g["tests"] else { continue }
                let description = g["description"]?.stringValue ?? "?"
                let validator: JSONSchemaValidator
                do {
                    validator = try JSONSchemaValidator(schema: schema, uri: "http://localhost:1234/\(folder)/schema.json",
                        options: ValidatorOptions(defaultDialect: dialect, assertFormats: assertFormats, retrieve: retrieve))
                } catch {
                    for test in tests {
                        outcome.failures.append("\(file.lastPathComponent) | \(description) | \(test.objectValue?["description"]?.stringValue ?? "?"): schema error \(error)")
                    }
                    continue
                }
                for test in tests {
                    guard case .object(let t) = test, let data = t["data"], case .bool(let expected)? = t["valid"] else { continue }
                    let quick = validator.isValid(data)
                    let errors = validator.validate(data)
                    let name = "\(file.lastPathComponent) | \(description) | \(t["description"]?.stringValue ?? "?")"
                    if quick == expected && errors.isEmpty == expected {
                        outcome.passed += 1
                    } else {
                        outcome.failures.append("\(name): expected \(expected), isValid \(quick), \(errors.count) errors \(errors.first.map { "\($0.keywordLocation): \($0.error)" } ?? "")")
                    }
                }
            }
        }
        return outcome
    }
}

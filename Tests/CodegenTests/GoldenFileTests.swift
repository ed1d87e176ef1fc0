import Foundation
import Testing
import TestSupport

/// The generated Swift for the seed schemas (Avro and JSON Schema) and Confluent's test schemas, compared byte for byte
/// with the committed files under Tests/Golden (which the Golden* targets compile).
/// `SCHEMACTL_UPDATE_GOLDEN=1 swift test --filter GoldenFileTests` rewrites them; review the diff.
struct GoldenFileTests {
    static let confluent = TestPaths.vectors.appendingPathComponent("confluent/avro-schemas")

    /// Golden folder → the codegen arguments that produce it.
    static let sets: [(golden: String, inputs: [String])] = [
        ("Seeds", ["schemas/vtryon", "schemas/auteur"]),
        ("Recursive", ["Tests/Fixtures/codegen/recursive"]),
        ("JSONSchema", ["schemas/deeplens", "schemas/rnle", "Tests/Fixtures/codegen/jsonschema"]),
    ] + ["avro-data", "avro-serde", "avro-serializer", "schema-rules"].map {
        ("Confluent/\($0)", [confluent.appendingPathComponent($0).path])
    }

    @Test(arguments: sets.map(\.golden))
    func generatedSwiftMatchesGolden(golden: String) throws {
        let inputs = try #require(Self.sets.first { $0.golden == golden }).inputs
        let out = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try runSchemactl(["codegen", "--out", out.path] + inputs)
        #expect(result.status == 0, "\(result.stderr)")
        let goldenFolder = TestPaths.packageRoot.appendingPathComponent("Tests/Golden/\(golden)")
        let generated = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        if ProcessInfo.processInfo.environment["SCHEMACTL_UPDATE_GOLDEN"] == "1" {
            try? FileManager.default.removeItem(at: goldenFolder)
            try FileManager.default.copyItem(at: out, to: goldenFolder)
            return
        }
        let expected = try FileManager.default.contentsOfDirectory(atPath: goldenFolder.path).sorted()
        #expect(generated == expected)
        for name in generated where expected.contains(name) {
            let actual = try Data(contentsOf: out.appendingPathComponent(name))
            let committed = try Data(contentsOf: goldenFolder.appendingPathComponent(name))
            #expect(actual == committed, "\(golden)/\(name) differs from the golden file; run with SCHEMACTL_UPDATE_GOLDEN=1 and review the diff")
        }
    }
}

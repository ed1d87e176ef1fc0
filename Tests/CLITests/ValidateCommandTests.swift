import Foundation
import Testing
import TestSupport

/// `schemactl validate` end to end: the built binary, real files, exit codes and every format.
struct ValidateCommandTests {
    @Test func projectSchemasAreClean() throws {
        let result = try runSchemactl(["validate", "--strict", "schemas/"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasSuffix("files checked: 0 errors, 0 warnings\n"))
    }

    @Test func seedOriginalsFailWithFindingsInEveryFormat() throws {
        for format in ["text", "json", "github", "junit", "sarif"] {
            let result = try runSchemactl(["validate", "--format", format, "Tests/Fixtures/seed-originals"])
            #expect(result.status == 1, "\(format): \(result.stderr)")
            #expect(result.stdout.contains("AVRO_FIELD_LEVEL_COMPLEX_TYPE"), "\(format)")
            #expect(result.stdout.contains("JSON_COMMENT"), "\(format)")
        }
    }

    @Test func jsonOutputShape() throws {
        let result = try runSchemactl(["validate", "--format", "json", "Tests/Fixtures/seed-originals/vtryon/WorkflowRequest.avsc"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let file = try #require((object["files"] as? [[String: Any]])?.first)
        #expect(file["path"] as? String == "Tests/Fixtures/seed-originals/vtryon/WorkflowRequest.avsc")
        #expect(file["valid"] as? Bool == false)
        let diagnostic = try #require((file["diagnostics"] as? [[String: Any]])?.first)
        #expect(diagnostic["rule"] as? String == "AVRO_FIELD_LEVEL_COMPLEX_TYPE")
        #expect(diagnostic["pointer"] as? String == "/fields/6/type/items/fields/3/type")
        #expect(diagnostic["line"] as? Int == 21)
        #expect(diagnostic["column"] as? Int == 38)
        #expect(diagnostic["severity"] as? String == "error")
    }

    @Test func warningsPassUnlessStrict() throws {
        let file = "Tests/Fixtures/seed-originals/vtryon/LatentEncoderResponse.avsc"
        #expect(try runSchemactl(["validate", file]).status == 0)
        let strict = try runSchemactl(["validate", "--strict", file])
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("warning[AVRO_NULLABLE_WITHOUT_DEFAULT]"))
    }

    @Test func avroSpecEditionDecidesUnionDefaults() throws {
        let folder = try makeTemporaryDirectory()
        let file = folder.appendingPathComponent("u.avsc")
        try #"{"type":"record","name":"R","fields":[{"name":"x","type":["null","string"],"default":"foo"}]}"#.write(to: file, atomically: true, encoding: .utf8)
        let v12 = try runSchemactl(["validate", file.path], in: folder)
        #expect(v12.status == 0)
        #expect(v12.stdout.contains("AVRO_UNION_DEFAULT_NOT_FIRST"))
        let v11 = try runSchemactl(["validate", "--avro-spec", "1.11", file.path], in: folder)
        #expect(v11.status == 1)
        #expect(v11.stdout.contains("error[AVRO_INVALID_DEFAULT]"))
        #expect(v11.stdout.contains("first branch"))
    }

    @Test func usageAndIOErrorsExitTwo() throws {
        let cases: [[String]] = [
            ["validate"],
            ["validate", "--format", "yaml", "schemas/"],
            ["validate", "--avro-spec", "1.10", "schemas/"],
            ["validate", "--no-such-flag", "schemas/"],
            ["validate", "does/not/exist.avsc"],
            ["validate", "--config", "does/not/exist.yaml", "schemas/"],
            ["fingerprint", "--algorithm", "crc32", "schemas/vtryon/SamplingRequest.avsc"],
            ["frobnicate"],
        ]
        for arguments in cases {
            let result = try runSchemactl(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stdout) \(result.stderr)")
            #expect(!result.stderr.isEmpty, "\(arguments) says nothing")
        }
    }

    @Test func invalidConfigIsReportedWithPositionAndExitsTwo() throws {
        let folder = try makeTemporaryDirectory()
        try "version: 1\nsubjectz: []\n".write(to: folder.appendingPathComponent("schemactl.yaml"), atomically: true, encoding: .utf8)
        try #""int""#.write(to: folder.appendingPathComponent("a.avsc"), atomically: true, encoding: .utf8)
        let result = try runSchemactl(["validate", "a.avsc"], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr.contains("schemactl.yaml:2:1: error[CONFIG_UNKNOWN_KEY]"))
        #expect(result.stderr.contains("did you mean \"subjects\""))
    }

    @Test func helpTeachesAndExitsZero() throws {
        let result = try runSchemactl(["validate", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("--strict"))
        #expect(result.stdout.contains("Exit codes"))
        let rules = try runSchemactl(["rules"])
        #expect(rules.status == 0)
        #expect(rules.stdout.contains("AVRO_FIELD_LEVEL_LOGICAL_TYPE"))
        #expect(rules.stdout.contains("JSON_COMMENT"))
    }
}

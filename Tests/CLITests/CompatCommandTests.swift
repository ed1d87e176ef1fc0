import Foundation
import Testing
import TestSupport

struct CompatCommandTests {
    static func folder() throws -> URL {
        let dir = try makeTemporaryDirectory()
        let files = [
            "v1.avsc": #"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#,
            "v2.avsc": "{\"type\":\"record\",\"name\":\"R\",\"fields\":[\n  {\"name\":\"a\",\"type\":\"long\"},\n  {\"name\":\"b\",\"type\":\"string\"}\n]}",
            "bad.avsc": #"{"type":"record","name":"R","fields":[{"name":"a","type":"nope"}]}"#,
            "j.json": #"{"type":"object"}"#,
        ]
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    @Test func jsonOutputShapeAndExitCodes() throws {
        let dir = try Self.folder()
        let result = try runSchemactl(["compat", "--level", "BACKWARD", "--format", "json", "v2.avsc", "v1.avsc"], in: dir)
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["compatible"] as? Bool == false)
        #expect(object["level"] as? String == "BACKWARD")
        let finding = try #require((object["findings"] as? [[String: Any]])?.first)
        #expect(finding["type"] as? String == "READER_FIELD_MISSING_DEFAULT_VALUE")
        #expect(finding["pointer"] as? String == "/fields/1")
        #expect(finding["version"] as? Int == 1)
        #expect(finding["line"] as? Int == 3)
        #expect(finding["column"] as? Int == 3)
        // int → long is a promotion: the reverse direction (FORWARD) fails on long → int instead.
        #expect(try runSchemactl(["compat", "--level", "none", "v2.avsc", "v1.avsc"], in: dir).status == 0)
        let forward = try runSchemactl(["compat", "--level", "forward", "v2.avsc", "v1.avsc"], in: dir)
        #expect(forward.status == 1)
        #expect(forward.stdout.contains("error[TYPE_MISMATCH]: version 1 cannot read the new schema: reader type: INT not compatible with writer type: LONG"))
    }

    @Test func neverAWrongCompatibleOnBadInput() throws {
        let dir = try Self.folder()
        for arguments in [["compat", "--level", "BACKWARD", "bad.avsc", "v1.avsc"], ["compat", "--level", "BACKWARD", "v1.avsc", "bad.avsc"],
                          ["compat", "--level", "BACKWARD", "v1.avsc", "j.json"], ["compat", "--level", "SIDEWAYS", "v1.avsc", "v1.avsc"],
                          ["compat", "--level", "BACKWARD", "v1.avsc"], ["compat", "--level", "BACKWARD", "v1.avsc", "missing.avsc"]] {
            let result = try runSchemactl(arguments, in: dir)
            #expect(result.status == 2, "\(arguments): \(result.stdout)")
            #expect(!result.stderr.isEmpty)
        }
    }

    static func jsonFolder() throws -> URL {
        let dir = try makeTemporaryDirectory()
        let files = [
            "v1.json": "{\n  \"type\": \"object\",\n  \"properties\": {\n    \"a\": {\"type\": \"string\"}\n  }\n}\n",
            "v2.json": "{\n  \"type\": \"object\",\n  \"properties\": {\n    \"a\": {\"type\": \"string\"},\n    \"b\": {\"type\": \"integer\"}\n  }\n}\n",
            "bad.json": #"{"type": 5}"#,
            "broken.json": #"{"type": "#,
            "dangling.json": ##"{"$ref": "#/definitions/nowhere"}"##,
        ]
        for (name, text) in files { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }

    @Test func jsonSchemaFindingsWithLineAndColumnAndPolicy() throws {
        let dir = try Self.jsonFolder()
        let strict = try runSchemactl(["compat", "--level", "BACKWARD", "--format", "json", "v2.json", "v1.json"], in: dir)
        #expect(strict.status == 1, "\(strict.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(strict.stdout.utf8)) as? [String: Any])
        #expect(object["compatible"] as? Bool == false)
        #expect(object["level"] as? String == "BACKWARD")
        let finding = try #require((object["findings"] as? [[String: Any]])?.first)
        #expect(finding["type"] as? String == "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL")
        #expect(finding["pointer"] as? String == "/properties/b")
        #expect(finding["version"] as? Int == 1)
        #expect(finding["path"] as? String == "v2.json")
        #expect(finding["line"] as? Int == 5)
        #expect(finding["column"] as? Int == 10)
        #expect((finding["message"] as? String)?.contains("open content model") == true)
        // LENIENT accepts an optional property added to an open model; --type json works on any extension.
        #expect(try runSchemactl(["compat", "--level", "BACKWARD", "--policy", "lenient", "v2.json", "v1.json"], in: dir).status == 0)
        // FORWARD: the update is the previous version, so the finding points into v1.json... or none at all:
        // dropping b from an open model is fine.
        #expect(try runSchemactl(["compat", "--level", "FORWARD", "v2.json", "v1.json"], in: dir).status == 0)
        let full = try runSchemactl(["compat", "--level", "FULL", "v1.json", "v2.json"], in: dir)
        #expect(full.status == 1)
        #expect(full.stdout.contains("v2.json:5:10: error[OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL]: version 1 rejects data of the new schema"))
        #expect(try runSchemactl(["compat", "--level", "BACKWARD", "--policy", "sideways", "v2.json", "v1.json"], in: dir).status == 2)
    }

    @Test func invalidJSONSchemaIsAnErrorNeverCompatible() throws {
        let dir = try Self.jsonFolder()
        for bad in ["bad.json", "broken.json", "dangling.json"] {
            for arguments in [["compat", "--level", "NONE", bad, "v1.json"], ["compat", "--level", "BACKWARD", "v1.json", bad]] {
                let result = try runSchemactl(arguments, in: dir)
                #expect(result.status == 2, "\(arguments): \(result.stdout)")
                #expect(result.stderr.contains("is not a valid JSON Schema"), "\(arguments): \(result.stderr)")
            }
        }
        try #"{"type":"record","name":"R","fields":[]}"#.write(to: dir.appendingPathComponent("r.avsc"), atomically: true, encoding: .utf8)
        let mixed = try runSchemactl(["compat", "--level", "BACKWARD", "v1.json", "r.avsc"], in: dir)
        #expect(mixed.status == 2)
        #expect(mixed.stderr.contains("cannot compare an Avro schema with a JSON Schema"))
    }
}

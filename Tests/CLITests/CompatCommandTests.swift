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
}

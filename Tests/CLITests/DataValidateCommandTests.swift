import Foundation
import Testing
import TestSupport

/// `schemactl data validate` and `schemactl validate` on JSON Schemas, end to end.
struct DataValidateCommandTests {
    static func folder(_ files: [String: String]) throws -> URL {
        let folder = try makeTemporaryDirectory()
        for (name, text) in files {
            let url = folder.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return folder
    }

    static let schema = ##"{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","required":["id"],"properties":{"id":{"type":"string","pattern":"^[a-z]+$"},"at":{"type":"string","format":"date-time"}}}"##

    @Test func jsonLinesPerDocumentWithPositions() throws {
        let dir = try Self.folder(["s.json": Self.schema, "in.ndjson": "{\"id\":\"abc\"}\n\n{\"id\":\"ABC\"}\nnot json\n"])
        let result = try runSchemactl(["data", "validate", "--schema", "s.json", "--ndjson", "--format", "json", "in.ndjson"], in: dir)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(lines.count == 3)
        #expect(lines.map { $0["index"] as? Int } == [0, 1, 2])
        #expect(lines.map { $0["valid"] as? Bool } == [true, false, false])
        let error = try #require((lines[1]["errors"] as? [[String: Any]])?.first)
        #expect(error["instanceLocation"] as? String == "/id")
        #expect(error["keywordLocation"] as? String == "/properties/id/pattern")
        #expect(error["line"] as? Int == 3)
        #expect(error["column"] as? Int == 7)
        #expect(((lines[2]["errors"] as? [[String: Any]])?.first?["error"] as? String)?.hasPrefix("not a JSON document") == true)
    }

    @Test func textOutputStdinAndExitCodes() throws {
        let dir = try Self.folder(["s.json": Self.schema, "ok.json": #"{"id":"x","at":"not a date"}"#])
        let ok = try runSchemactl(["data", "validate", "--schema", "s.json", "ok.json"], in: dir)
        #expect(ok.status == 0)
        #expect(ok.stdout == "1 document: 1 valid, 0 invalid\n")
        let formats = try runSchemactl(["data", "validate", "--formats", "--schema", "s.json", "ok.json"], in: dir)
        #expect(formats.status == 1)
        #expect(formats.stdout.contains("ok.json:1:16: error: \"not a date\" is not a valid date-time"))
        // No INPUT: standard input (empty here) is one document, which is not JSON.
        let stdin = try runSchemactl(["data", "validate", "--schema", "s.json"], in: dir)
        #expect(stdin.status == 1)
        #expect(stdin.stdout.contains("<stdin>:1:1: error: not a JSON document"))
    }

    @Test func schemaProblemsExitTwo() throws {
        let dir = try Self.folder(["bad.json": #"{"type": "strnig"}"#, "cyc.json": #"{"$ref": "missing.json"}"#,
                                   "re.json": #"{"pattern": "(?P<x>a)"}"#, "d.json": "{}", "notjson.json": "{"])
        for schema in ["bad.json", "cyc.json", "re.json", "notjson.json", "absent.json"] {
            let result = try runSchemactl(["data", "validate", "--schema", schema, "d.json"], in: dir)
            #expect(result.status == 2, "\(schema): \(result.stdout)")
            #expect(!result.stderr.isEmpty)
        }
        let meta = try runSchemactl(["data", "validate", "--schema", "bad.json", "d.json"], in: dir)
        #expect(meta.stderr.contains("bad.json:1:10:"))
    }

    @Test func referencesResolveOfflineThroughMappings() throws {
        let dir = try Self.folder([
            "main.json": #"{"$id":"https://schemas.example.com/main.json","properties":{"a":{"$ref":"parts/a.json"},"b":{"$ref":"https://other.example.org/b.json"},"c":{"$ref":"https://lib.example.org/c/c.json"}}}"#,
            "parts/a.json": #"{"type":"integer"}"#,
            "vendor/b.json": #"{"type":"string"}"#,
            "lib/c.json": #"{"type":"boolean"}"#,
            "d.json": #"{"a":1,"b":"x","c":true}"#,
            "e.json": #"{"a":"no","b":2,"c":0}"#,
        ])
        let base = ["data", "validate", "--schema", "main.json", "--resource", "https://other.example.org/b.json=vendor/b.json",
                    "--resource-dir", "lib=https://lib.example.org/c"]
        let good = try runSchemactl(base + ["d.json"], in: dir)
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        let bad = try runSchemactl(base + ["--format", "json", "e.json"], in: dir)
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("/a") && bad.stdout.contains("/b") && bad.stdout.contains("/c"))
        let unmapped = try runSchemactl(["data", "validate", "--schema", "main.json", "d.json"], in: dir)
        #expect(unmapped.status == 2)
        #expect(unmapped.stderr.contains("is not fetched"))
        #expect(unmapped.stderr.contains("--allow-remote"))
    }

    /// --allow-remote fetches over HTTP: from a server on loopback started by the test.
    @Test func allowRemoteFetchesOverHTTP() throws {
        let dir = try Self.folder(["remote/r.json": #"{"type":"integer","minimum":10}"#, "d.json": "12", "e.json": "3"])
        // A one-folder HTTP server on loopback that writes "ready" once it listens.
        let ready = dir.appendingPathComponent("ready")
        let script = """
        import functools, http.server, sys
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
        httpd = http.server.HTTPServer(("127.0.0.1", 0), handler)
        open(sys.argv[2], "w").write(str(httpd.server_address[1]))
        httpd.serve_forever()
        """
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        server.arguments = ["python3", "-c", script, dir.appendingPathComponent("remote").path, ready.path]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        // SIGKILL: the test runner's threads block SIGTERM, and children inherit that mask.
        defer { kill(server.processIdentifier, SIGKILL); server.waitUntilExit() }
        var port = ""
        for _ in 0..<100 where port.isEmpty {
            port = (try? String(contentsOf: ready, encoding: .utf8)) ?? ""
            if port.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(!port.isEmpty)
        try #"{"$ref":"http://127.0.0.1:\#(port)/r.json"}"#.write(to: dir.appendingPathComponent("s.json"), atomically: true, encoding: .utf8)
        #expect(try runSchemactl(["data", "validate", "--schema", "s.json", "d.json"], in: dir).status == 2)
        #expect(try runSchemactl(["data", "validate", "--allow-remote", "--schema", "s.json", "d.json"], in: dir).status == 0)
        #expect(try runSchemactl(["data", "validate", "--allow-remote", "--schema", "s.json", "e.json"], in: dir).status == 1)
    }

    @Test func avroJSONEncodedDatums() throws {
        let file = "schemas/vtryon/LatentEncoderResponse.avsc"
        let dir = try Self.folder([
            "good.ndjson": #"{"request_id":"r1","correlation_id":{"string":"w1"},"status":"success","latent_file_path":{"string":"/o/l.pt"},"latent_shape":[1,4,64,64],"error_message":null,"timestamp":1700000000000}"# + "\n",
            "bad.ndjson": #"{"request_id":"r1","correlation_id":"w1","status":"done","latent_shape":[1,4,"x"],"timestamp":1700000000000,"extra":1}"# + "\n",
        ])
        let schema = TestPaths.packageRoot.appendingPathComponent(file).path
        let good = try runSchemactl(["data", "validate", "--schema", schema, "--ndjson", "good.ndjson"], in: dir)
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        let bad = try runSchemactl(["data", "validate", "--schema", schema, "--ndjson", "--format", "json", "bad.ndjson"], in: dir)
        #expect(bad.status == 1)
        for location in ["/correlation_id", "/status", "/latent_shape/2", "/extra"] { #expect(bad.stdout.contains("\"instanceLocation\":\"\(location)\""), "\(location)") }
    }

    @Test func validateLintsJSONSchemaFiles() throws {
        let dir = try Self.folder([
            "schemas/a.json": "{\n  \"$schema\": \"http://json-schema.org/draft-07/schema#\",\n  \"type\": \"object\",\n  \"requried\": [\"x\"],\n  \"properties\": {\"x\": {\"$ref\": \"b.json\"}}\n}\n",
            "schemas/b.json": #"{"$schema": "http://json-schema.org/draft-07/schema#", "type": "strnig"}"#,
            "schemas/c.json": #"{"$schema": "http://json-schema.org/draft-07/schema#", "$ref": "nowhere.json"}"#,
            "schemas/examples/a.valid.json": #"[{"x": 1}]"#,
        ])
        let result = try runSchemactl(["validate", "schemas"], in: dir)
        #expect(result.status == 1)
        #expect(result.stdout.contains("schemas/a.json:4:3: warning[JSONSCHEMA_UNKNOWN_KEYWORD]: \"requried\" is not a JSON Schema draft-07 keyword and is ignored; did you mean \"required\"?"))
        #expect(result.stdout.contains("schemas/b.json:1:64: error[JSONSCHEMA_META_SCHEMA]: must be one of [\"array\",\"boolean\",\"integer\",\"null\",\"number\",\"object\",\"string\"], found \"strnig\""))
        #expect(result.stdout.contains("schemas/c.json:1:64: error[JSONSCHEMA_INVALID]: cannot resolve reference"))
        #expect(!result.stdout.contains("examples"))
        #expect(result.stdout.hasSuffix("3 files checked: 2 errors, 1 warning\n"))
    }
}

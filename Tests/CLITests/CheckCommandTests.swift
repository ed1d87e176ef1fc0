import Foundation
import Testing
import TestSupport

/// `schemactl check` on a real git repository made by the test: three commits.
struct CheckCommandTests {
    static func sh(_ arguments: [String], in dir: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = dir
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(arguments)")
    }

    static func write(_ files: [String: String], in dir: URL) throws {
        for (name, text) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
    }

    static func commit(_ message: String, in dir: URL) throws {
        try sh(["git", "add", "-A"], in: dir)
        try sh(["git", "-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-q", "-m", message], in: dir)
    }

    static let config = """
    version: 1
    subjects:
      - subject: orders-value
        topic: orders
        schema: schemas/Order.avsc
      - subject: users-value
        topic: users
        schema: schemas/User.avsc
        compatibility: FULL

    """

    /// v1; v2 adds a field with a default (compatible); v3 adds one without, and drops users-value.
    static func repository() throws -> URL {
        let dir = try makeTemporaryDirectory()
        try sh(["git", "init", "-q"], in: dir)
        try write(["schemactl.yaml": config,
                   "schemas/Order.avsc": #"{"type":"record","name":"Order","fields":[{"name":"id","type":"string"}]}"#,
                   "schemas/User.avsc": #"{"type":"record","name":"User","fields":[{"name":"id","type":"string"}]}"#], in: dir)
        try commit("v1", in: dir)
        try write(["schemas/Order.avsc": #"{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"note","type":"string","default":""}]}"#], in: dir)
        try commit("v2", in: dir)
        try write(["schemactl.yaml": config.components(separatedBy: "  - subject: users-value")[0],
                   "schemas/Order.avsc": "{\"type\":\"record\",\"name\":\"Order\",\"fields\":[\n  {\"name\":\"id\",\"type\":\"string\"},\n  {\"name\":\"note\",\"type\":\"string\",\"default\":\"\"},\n  {\"name\":\"qty\",\"type\":\"int\"}\n]}"], in: dir)
        try commit("v3", in: dir)
        return dir
    }

    @Test func gateOverGitHistory() throws {
        let dir = try Self.repository()
        #expect(try runSchemactl(["check", "--against", "git:HEAD~2", "--config", "schemactl.yaml"], in: dir).status == 1)
        let previous = try runSchemactl(["check", "--against", "git:HEAD~1"], in: dir)
        #expect(previous.status == 1)
        #expect(previous.stdout.contains("schemas/Order.avsc:4:3: error[READER_FIELD_MISSING_DEFAULT_VALUE]: orders-value (BACKWARD): the new schema cannot read the baseline's data: qty (at /fields/2)"))
        #expect(previous.stdout.contains("schemactl.yaml:1:1: error[SUBJECT_REMOVED]: subject users-value"))
        // HEAD against itself: nothing changed.
        #expect(try runSchemactl(["check"], in: dir).status == 0)
        // Going back to v2 in the working tree makes it pass against v1.
        try Self.sh(["git", "checkout", "-q", "HEAD~1"], in: dir)
        #expect(try runSchemactl(["check", "--against", "git:HEAD~1"], in: dir).status == 0)
    }

    @Test func everyFormat() throws {
        let dir = try Self.repository()
        let json = try runSchemactl(["check", "--against", "git:HEAD~1", "--format", "json"], in: dir)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let rules = (object["files"] as? [[String: Any]] ?? []).flatMap { ($0["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String } }
        #expect(Set(rules) == ["READER_FIELD_MISSING_DEFAULT_VALUE", "SUBJECT_REMOVED"])
        let github = try runSchemactl(["check", "--against", "git:HEAD~1", "--format", "github"], in: dir)
        #expect(github.stdout.contains("::error file=schemas/Order.avsc,line=4,col=3,title=READER_FIELD_MISSING_DEFAULT_VALUE::"))
        let junit = try runSchemactl(["check", "--against", "git:HEAD~1", "--format", "junit"], in: dir)
        #expect(junit.stdout.contains("<failure type=\"SUBJECT_REMOVED\""))
        let sarif = try runSchemactl(["check", "--against", "git:HEAD~1", "--format", "sarif"], in: dir)
        let run = ((try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])?["runs"] as? [[String: Any]])?.first
        #expect((run?["results"] as? [[String: Any]])?.count == 2)
        for result in [json, github, junit, sarif] { #expect(result.status == 1) }
    }

    @Test func folderBaselineAndErrors() throws {
        let dir = try Self.repository()
        let baseline = try makeTemporaryDirectory()
        try Self.write(["schemactl.yaml": Self.config,
                        "schemas/Order.avsc": #"{"type":"record","name":"Order","fields":[{"name":"id","type":"int"}]}"#,
                        "schemas/User.avsc": #"{"type":"record","name":"User","fields":[{"name":"id","type":"string"}]}"#], in: baseline)
        let result = try runSchemactl(["check", "--against", "dir:" + baseline.path], in: dir)
        #expect(result.status == 1)
        #expect(result.stdout.contains("error[TYPE_MISMATCH]"))
        for against in ["git:does-not-exist", "registry:http://127.0.0.1:9", "svn:trunk", "dir:/no/such/folder"] {
            let bad = try runSchemactl(["check", "--against", against], in: dir)
            #expect(bad.status == 2, "\(against): \(bad.stdout)")
        }
        let notGit = try makeTemporaryDirectory()
        try Self.write(["schemactl.yaml": "version: 1\n"], in: notGit)
        #expect(try runSchemactl(["check"], in: notGit).status == 2)
        // An invalid schema on either side is an error, never a "compatible".
        try Self.write(["schemas/Order.avsc": #"{"type":"record","name":"Order","fields":[{"name":"id","type":"nope"}]}"#], in: dir)
        let invalid = try runSchemactl(["check"], in: dir)
        #expect(invalid.status == 1)
        #expect(invalid.stdout.contains("SCHEMA_INVALID"))
    }

    @Test func jsonSchemaSubjectsAreChecked() throws {
        let dir = try makeTemporaryDirectory()
        try Self.sh(["git", "init", "-q"], in: dir)
        let config = "version: 1\nsubjects:\n  - subject: events-value\n    schema: schemas/Event.json\n"
        try Self.write(["schemactl.yaml": config,
                        "schemas/Event.json": #"{"type":"object","properties":{"id":{"type":"string"}}}"#], in: dir)
        try Self.commit("v1", in: dir)
        try Self.write(["schemas/Event.json": "{\"type\":\"object\",\"properties\":{\n  \"id\":{\"type\":\"string\"},\n  \"at\":{\"type\":\"integer\"}\n}}"], in: dir)
        let strict = try runSchemactl(["check"], in: dir)
        #expect(strict.status == 1, "\(strict.stdout)")
        #expect(strict.stdout.contains("schemas/Event.json:3:8: error[OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL]"), "\(strict.stdout)")
        // The policy comes from schemactl.yaml.
        try Self.write(["schemactl.yaml": config + "    compatibility_policy: LENIENT\n"], in: dir)
        let lenient = try runSchemactl(["check"], in: dir)
        #expect(lenient.status == 0, "\(lenient.stdout)")
        try Self.write(["schemas/Event.json": #"{"type": 5}"#], in: dir)
        let invalid = try runSchemactl(["check"], in: dir)
        #expect(invalid.status == 1)
        #expect(invalid.stdout.contains("SCHEMA_INVALID"))
    }
}

import Foundation
import RegistryClient
import RegistryModel
import Testing
import TestSupport

/// `schemactl check --against registry:URL`: the registry's versions are the baseline, at the
/// levels of schemactl.yaml, transitive levels included.
@Suite struct RegistryGateTests {
    static let v1 = #"{"type":"record","name":"User","fields":[{"name":"id","type":"long"}]}"#
    static let v2 = #"{"type":"record","name":"User","fields":[{"name":"id","type":"long"},{"name":"age","type":"int","default":0}]}"#
    /// Reads v2's data, but not v1's (age has no default).
    static let local = #"{"type":"record","name":"User","fields":[{"name":"id","type":"long"},{"name":"age","type":"int"}]}"#

    func project(level: String) throws -> URL {
        let folder = try makeTemporaryDirectory()
        try "version: 1\nsubjects:\n  - subject: users-value\n    schema: users.avsc\n    compatibility: \(level)\n  - subject: brand-new-value\n    schema: new.avsc\n"
            .write(to: folder.appendingPathComponent("schemactl.yaml"), atomically: true, encoding: .utf8)
        try Self.local.write(to: folder.appendingPathComponent("users.avsc"), atomically: true, encoding: .utf8)
        try #"{"type":"record","name":"Fresh","fields":[]}"#.write(to: folder.appendingPathComponent("new.avsc"), atomically: true, encoding: .utf8)
        return folder
    }

    @Test func plainAndTransitiveLevels() throws {
        let server = try RegistryProcess()
        let client = RegistryClient(url: server.url)
        _ = try client.register(subject: "users-value", SchemaRequest(schema: Self.v1))
        _ = try client.register(subject: "users-value", SchemaRequest(schema: Self.v2))

        let plain = try runSchemactl(["check", "--against", "registry:" + server.url], in: try project(level: "BACKWARD"))
        #expect(plain.status == 0, "\(plain.stdout)\(plain.stderr)")

        let transitive = try runSchemactl(["check", "--against", "registry:" + server.url, "--format", "json"], in: try project(level: "BACKWARD_TRANSITIVE"))
        #expect(transitive.status == 1, "\(transitive.stdout)\(transitive.stderr)")
        #expect(transitive.stdout.contains("READER_FIELD_MISSING_DEFAULT_VALUE"))
        #expect(transitive.stdout.contains("registry version 1"))
    }

    @Test func unreachableRegistryIsAnErrorNotAPass() throws {
        let result = try runSchemactl(["check", "--against", "registry:http://127.0.0.1:1", "--retries", "0"], in: try project(level: "BACKWARD"))
        #expect(result.status == 2)
        #expect(result.stderr.contains("cannot reach the registry"))
    }
}

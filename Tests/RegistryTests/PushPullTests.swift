import Foundation
import RegistryClient
import RegistryModel
import Testing
import TestSupport

/// `schemactl push` and `pull`: schemas/ and a registry kept in step through schemactl.yaml.
@Suite struct PushPullTests {
    static let address = #"{"type":"record","name":"Address","namespace":"com.example","fields":[{"name":"city","type":"string"}]}"#
    static let person = #"{"type":"record","name":"Person","namespace":"com.example","fields":[{"name":"home","type":"com.example.Address"}]}"#
    static let event = #"{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"a":{"type":"string"}}}"#

    /// A project whose config names `url` as its registry.
    func project(url: String) throws -> URL {
        let folder = try makeTemporaryDirectory()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("schemas"), withIntermediateDirectories: true)
        try """
        version: 1
        defaults:
          compatibility: BACKWARD
        registry:
          url: \(url)
        subjects:
          - subject: person-value
            schema: schemas/Person.avsc
            compatibility: FULL
            references:
              - name: com.example.Address
                subject: com.example.Address
          - subject: com.example.Address
            schema: schemas/Address.avsc
          - subject: events-value
            schema: schemas/event.json
            compatibility_policy: LENIENT

        """.write(to: folder.appendingPathComponent("schemactl.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    func write(_ text: String, _ path: String, in folder: URL) throws {
        try text.write(to: folder.appendingPathComponent(path), atomically: true, encoding: .utf8)
    }

    @Test func pushThenPull() throws {
        let server = try RegistryProcess()
        let source = try project(url: server.url)
        try write(Self.address, "schemas/Address.avsc", in: source)
        try write(Self.person, "schemas/Person.avsc", in: source)
        try write(Self.event, "schemas/event.json", in: source)

        // The registry URL comes from schemactl.yaml; referenced subjects go first.
        let pushed = try runSchemactl(["push"], in: source)
        #expect(pushed.status == 0, "\(pushed.stdout)\(pushed.stderr)")
        let lines = pushed.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("com.example.Address: id 1, version 1") == true, "\(pushed.stdout)")
        let client = RegistryClient(url: server.url)
        #expect(try client.version(subject: "person-value").references == [SchemaReference(name: "com.example.Address", subject: "com.example.Address", version: 1)])
        #expect(try client.compatibilityLevel(subject: "person-value") == "FULL")
        #expect(try client.compatibilityLevel(subject: "com.example.Address") == "BACKWARD")
        #expect(try client.version(subject: "events-value").schemaType == .json)

        // Pushing again changes nothing.
        let again = try runSchemactl(["push"], in: source)
        #expect(again.status == 0 && again.stdout == pushed.stdout, "\(again.stdout)")
        #expect(try client.versions(subject: "person-value") == [1])

        // An incompatible change is refused by the registry: exit 1, the others still pushed.
        try write(#"{"type":"record","name":"Person","namespace":"com.example","fields":[{"name":"home","type":"com.example.Address"},{"name":"age","type":"int"}]}"#, "schemas/Person.avsc", in: source)
        let refused = try runSchemactl(["push"], in: source)
        #expect(refused.status == 1 && refused.stderr.contains("person-value") && refused.stderr.contains("40901"), "\(refused.stderr)")

        // Pull into an empty project: files written; then up to date; a formatted file that is equal is left alone.
        let target = try project(url: server.url)
        let pulled = try runSchemactl(["pull"], in: target)
        #expect(pulled.status == 0, "\(pulled.stdout)\(pulled.stderr)")
        let written = try String(contentsOf: target.appendingPathComponent("schemas/Person.avsc"), encoding: .utf8)
        #expect(written.contains("\n  \"fields\": [") && written.replacingOccurrences(of: "\n", with: "").replacingOccurrences(of: " ", with: "") == Self.person)
        let second = try runSchemactl(["pull", "--dry-run"], in: target)
        #expect(second.stdout.components(separatedBy: "is up to date").count - 1 == 3, "\(second.stdout)")
        let formatted = "{ \"type\": \"record\", \"name\": \"Address\", \"namespace\": \"com.example\",\n  \"fields\": [{\"name\": \"city\", \"type\": \"string\"}] }\n"
        try write(formatted, "schemas/Address.avsc", in: target)
        _ = try runSchemactl(["pull"], in: target)
        #expect(try String(contentsOf: target.appendingPathComponent("schemas/Address.avsc"), encoding: .utf8) == formatted)
    }

    /// The project's own schemas, references included (Avro by full name, JSON Schema by `$ref`
    /// text resolved against the referencing schema's `$id`).
    @Test func pushesEveryProjectSchema() throws {
        let server = try RegistryProcess()
        let pushed = try runSchemactl(["push", "--registry", server.url])
        #expect(pushed.status == 0, "\(pushed.stdout)\(pushed.stderr)")
        let subjects = try RegistryClient(url: server.url).subjects()
        #expect(subjects.count == pushed.stdout.split(separator: "\n").count)
        #expect(subjects.contains("images.failed-value") && subjects.contains("com.auteur.kafka.events.JobType"))
    }

    @Test func pullReportsSubjectsTheRegistryLacks() throws {
        let server = try RegistryProcess()
        let target = try project(url: server.url)
        let pulled = try runSchemactl(["pull"], in: target)
        #expect(pulled.status == 1)
        #expect(pulled.stderr.contains("person-value: not in the registry"))
        #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("schemas/Person.avsc").path))
    }

    @Test func noRegistryConfiguredIsAUsageError() throws {
        let folder = try makeTemporaryDirectory()
        try "version: 1\nsubjects: []\n".write(to: folder.appendingPathComponent("schemactl.yaml"), atomically: true, encoding: .utf8)
        let result = try runSchemactl(["push"], in: folder, environment: ["SCHEMA_REGISTRY_URL": ""])
        #expect(result.status == 2 && result.stderr.contains("no registry"), "\(result.stderr)")
    }
}

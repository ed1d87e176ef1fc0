import AvroSchema
import CAvro
import Diagnostics
import Foundation
import SchemaConfig
import Testing
import TestSupport
import Validation

/// The project's own schemas, Confluent's test schemas, and the seed originals with their mistakes.
struct ProjectSchemaTests {
    /// Schema files: `.avsc`, and `.json` outside `examples/`.
    static func sources(in folder: URL) throws -> [SourceFile] {
        let names = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".avsc") || ($0.hasSuffix(".json") && !$0.contains("examples/")) }.sorted()
        return try names.map { name in
            let url = folder.appendingPathComponent(name)
            return SourceFile(path: name, identity: url.standardizedFileURL.path, bytes: try TestPaths.read(url))
        }
    }

    static func projectConfig() throws -> ProjectConfig {
        let text = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("schemactl.yaml"), encoding: .utf8)
        var config = try ConfigParser.parse(text).get()
        for i in config.subjects.indices {
            config.subjects[i].schema = TestPaths.packageRoot.appendingPathComponent(config.subjects[i].schema).standardizedFileURL.path
        }
        return config
    }

    @Test func projectSchemasAreCleanWithoutWarnings() throws {
        let files = try Self.sources(in: TestPaths.packageRoot.appendingPathComponent("schemas"))
        #expect(files.count >= 27)
        let reports = SchemaValidator(config: try Self.projectConfig()).validate(files)
        for report in reports { #expect(report.diagnostics.isEmpty, "\(report.path): \(report.diagnostics)") }
    }

    @Test func everyConfiguredSchemaExistsAndEverySchemaIsConfigured() throws {
        let config = try Self.projectConfig()
        let files = Set(try Self.sources(in: TestPaths.packageRoot.appendingPathComponent("schemas")).map(\.identity))
        for subject in config.subjects { #expect(files.contains(subject.schema), "\(subject.subject): \(subject.schema)") }
        for file in files { #expect(!config.subjects(forSchemaPath: file).isEmpty, "\(file) is in no subject") }
        for subject in config.subjects where subject.topic != nil {
            #expect(subject.subject == subject.topic! + "-value", "TopicNameStrategy: \(subject.subject)")
        }
    }

    /// Without its reference file, a schema that uses JobType is invalid: the reference is real.
    @Test func referencingSchemaNeedsItsReference() throws {
        let all = try Self.sources(in: TestPaths.packageRoot.appendingPathComponent("schemas/auteur"))
        let completed = try #require(all.first { $0.path == "JobCompleted.avsc" })
        let alone = SchemaValidator().validate([completed])
        #expect(alone[0].diagnostics.map(\.rule) == ["AVRO_UNDEFINED_NAME"])
        let jobType = try #require(all.first { $0.path == "JobType.avsc" })
        let together = SchemaValidator(config: try Self.projectConfig()).analyze([completed], context: [jobType])
        #expect(together[0].report.diagnostics.isEmpty)
        #expect(together[0].schema?.canonicalForm.contains("\"name\":\"com.auteur.kafka.events.JobType\",\"type\":\"enum\"") == true)
    }

    @Test func confluentTestSchemasValidate() throws {
        let root = TestPaths.vectors.appendingPathComponent("confluent/avro-schemas")
        // (these folders hold only .avsc files)
        var count = 0
        for module in try FileManager.default.contentsOfDirectory(atPath: root.path).sorted() {
            let files = try Self.sources(in: root.appendingPathComponent(module))
            count += files.count
            for report in SchemaValidator().validate(files) {
                #expect(report.isValid, "\(module)/\(report.path): \(report.diagnostics)")
            }
        }
        #expect(count == 23)
    }

    /// Avro C parses every project schema that stands alone (it has no way to be given another
    /// file's named types, so the three auteur schemas with references are checked inlined).
    @Test func avroCParsesProjectSchemas() throws {
        let files = try Self.sources(in: TestPaths.packageRoot.appendingPathComponent("schemas")).filter { !$0.isJSONSchema }
        let analyses = SchemaValidator(config: try Self.projectConfig()).analyze(files)
        for analysis in analyses {
            let schema = try #require(analysis.schema)
            // The canonical form inlines referenced types, so Avro C sees one self-contained schema.
            let text = schema.canonicalForm
            var parsed: avro_schema_t? = nil
            let status = text.withCString { avro_schema_from_json_length($0, text.utf8.count, &parsed) }
            #expect(status == 0, "\(analysis.report.path): \(String(cString: avro_strerror()))")
            if let parsed { avro_schema_decref(parsed) }
        }
    }
}

import AvroSchema
import Diagnostics
import Foundation
import Testing
import TestSupport
import Validation

/// The seed documents' schemas, mistakes included (Tests/Fixtures/seed-originals): each mistake
/// gets its rule, at its line and column, with a message that says how to fix it.
struct SeedMistakeTests {
    static func validateFixtures(_ names: [String]) throws -> [String: FileReport] {
        let files = try names.map { name in
            SourceFile(path: name, bytes: try TestPaths.read(TestPaths.fixture("seed-originals/\(name)")))
        }
        return Dictionary(uniqueKeysWithValues: SchemaValidator().validate(files).map { ($0.path, $0) })
    }

    static func summary(_ report: FileReport?) -> [String] {
        (report?.diagnostics ?? []).map { "\($0.line):\($0.column) \($0.severity.rawValue) \($0.rule)" }
    }

    @Test func vtryonFieldLevelMap() throws {
        let report = try Self.validateFixtures(["vtryon/WorkflowRequest.avsc"])["vtryon/WorkflowRequest.avsc"]
        #expect(Self.summary(report) == ["21:38 error AVRO_FIELD_LEVEL_COMPLEX_TYPE"])
        let message = try #require(report?.diagnostics.first?.message)
        #expect(message.contains("\"type\": {\"type\":\"map\",\"values\":\"string\"}"))
        #expect(report?.diagnostics.first?.pointer == "/fields/6/type/items/fields/3/type")
    }

    @Test func vtryonNullableWithoutDefault() throws {
        let report = try Self.validateFixtures(["vtryon/LatentEncoderResponse.avsc"])["vtryon/LatentEncoderResponse.avsc"]
        #expect(Self.summary(report) == ["9:42 warning AVRO_NULLABLE_WITHOUT_DEFAULT"])
        #expect(report?.diagnostics.first?.message.contains("add \"default\": null") == true)
    }

    @Test func vtryonValidOnes() throws {
        let names = ["vtryon/LatentEncoderRequest.avsc", "vtryon/TextEncoderRequest.avsc", "vtryon/SamplingRequest.avsc"]
        for (name, report) in try Self.validateFixtures(names) { #expect(report.diagnostics.isEmpty, "\(name)") }
    }

    @Test func auteurTogether() throws {
        let names = ["auteur/JobRequested.avsc", "auteur/TranscriptionJob.avsc", "auteur/JobCompleted.avsc", "auteur/JobFailed.avsc"]
        let reports = try Self.validateFixtures(names)
        #expect(Self.summary(reports["auteur/JobRequested.avsc"]) == ["17:50 error JSON_COMMENT", "19:43 warning AVRO_FIELD_LEVEL_LOGICAL_TYPE"])
        #expect(Self.summary(reports["auteur/TranscriptionJob.avsc"]) == ["8:47 error JSON_COMMENT", "11:43 warning AVRO_FIELD_LEVEL_LOGICAL_TYPE"])
        #expect(Self.summary(reports["auteur/JobCompleted.avsc"]) == ["8:30 warning AVRO_UNDECLARED_REFERENCE", "9:49 error JSON_COMMENT", "11:43 warning AVRO_FIELD_LEVEL_LOGICAL_TYPE"])
        #expect(Self.summary(reports["auteur/JobFailed.avsc"]) == ["8:30 warning AVRO_UNDECLARED_REFERENCE", "13:43 warning AVRO_FIELD_LEVEL_LOGICAL_TYPE"])

        let comment = reports["auteur/JobRequested.avsc"]?.diagnostics.first { $0.rule == "JSON_COMMENT" }
        #expect(comment?.message.contains("// JSON string") == true)
        let logical = reports["auteur/JobRequested.avsc"]?.diagnostics.first { $0.rule == "AVRO_FIELD_LEVEL_LOGICAL_TYPE" }
        #expect(logical?.message.contains("\"type\": {\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}") == true)
        let reference = reports["auteur/JobFailed.avsc"]?.diagnostics.first { $0.rule == "AVRO_UNDECLARED_REFERENCE" }
        #expect(reference?.message.contains("auteur/JobRequested.avsc") == true)
        #expect(reference?.message.contains("references:") == true)
    }

    /// Alone, a file that uses another file's type has an undefined name.
    @Test func auteurAlone() throws {
        let report = try Self.validateFixtures(["auteur/JobFailed.avsc"])["auteur/JobFailed.avsc"]
        #expect(Self.summary(report) == ["8:30 error AVRO_UNDEFINED_NAME", "13:43 warning AVRO_FIELD_LEVEL_LOGICAL_TYPE"])
        #expect(report?.diagnostics.first?.message.contains("com.auteur.kafka.events.JobType is not defined") == true)
    }
}

import Foundation
import Testing
import TestSupport

struct CanonicalAndFingerprintCommandTests {
    /// The interop schema from canonical-extra.json, through the CLI.
    @Test func matchesTheVectors() throws {
        let vectors = try #require(try TestPaths.readJSON(TestPaths.vectors.appendingPathComponent("avro/canonical-extra.json")) as? [[String: Any]])
        let interop = try #require(vectors.first { $0["name"] as? String == "interop.avsc" })
        let folder = try makeTemporaryDirectory()
        let file = folder.appendingPathComponent("interop.avsc")
        try (interop["input"] as! String).write(to: file, atomically: true, encoding: .utf8)

        let canonical = try runSchemactl(["canonical", file.path], in: folder)
        #expect(canonical.status == 0, "\(canonical.stderr)")
        #expect(canonical.stdout == (interop["canonical"] as! String) + "\n")
        for (algorithm, key) in [("rabin", "rabin_le_hex"), ("md5", "md5_hex"), ("sha256", "sha256_hex")] {
            let result = try runSchemactl(["fingerprint", "--algorithm", algorithm, file.path], in: folder)
            #expect(result.status == 0)
            #expect(result.stdout == (interop[key] as! String) + "\n", "\(algorithm)")
        }
        #expect(try runSchemactl(["fingerprint", file.path], in: folder).stdout == (interop["rabin_le_hex"] as! String) + "\n")
    }

    /// A schema that takes JobType through a schemactl.yaml reference is written with JobType inlined.
    @Test func referencesAreInlined() throws {
        let result = try runSchemactl(["canonical", "schemas/auteur/JobCompleted.avsc"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix(#"{"name":"com.auteur.kafka.events.JobCompleted","type":"record","fields":[{"name":"job_id","type":"string"}"#))
        #expect(result.stdout.contains(#"{"name":"type","type":{"name":"com.auteur.kafka.events.JobType","type":"enum","symbols":["TRANSCRIPTION""#))
    }

    @Test func invalidSchemaPrintsErrorsAndExitsOne() throws {
        let result = try runSchemactl(["canonical", "Tests/Fixtures/seed-originals/vtryon/WorkflowRequest.avsc"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("21:38: error[AVRO_FIELD_LEVEL_COMPLEX_TYPE]"))
    }
}

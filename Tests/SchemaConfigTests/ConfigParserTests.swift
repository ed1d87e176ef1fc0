import Diagnostics
import Foundation
import SchemaConfig
import Testing
import TestSupport

struct ConfigParserTests {
    @Test func readsTheProjectConfig() throws {
        let text = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("schemactl.yaml"), encoding: .utf8)
        let config = try ConfigParser.parse(text).get()
        #expect(config.defaultCompatibility == .backward)
        let completed = try #require(config.subject(named: "jobs.completed-value"))
        #expect(completed.topic == "jobs.completed")
        #expect(completed.schema == "schemas/auteur/JobCompleted.avsc")
        #expect(completed.references == [ReferenceConfig(name: "com.auteur.kafka.events.JobType", subject: "com.auteur.kafka.events.JobType", version: 1)])
        #expect(config.compatibility(of: try #require(config.subject(named: "com.auteur.kafka.events.JobType"))) == .full)
        #expect(config.subjects.contains { $0.topic == "latent-encoder-dlq" })
    }

    @Test func unknownKeysWrongValuesAndDanglingReferencesAreLocated() throws {
        let text = """
        version: 1
        defaults:
          compatability: FULL
        subjects:
          - subject: a-value
            schema: a.avsc
            compatibility: SIDEWAYS
            references:
              - name: x.Y
                subject: nowhere
          - subject: a-value
            schema: b.avsc
          - topic: t
        """
        guard case .failure(let error) = ConfigParser.parse(text) else { Issue.record("accepted"); return }
        let found = error.diagnostics.map { "\($0.line):\($0.column) \($0.rule)" }
        #expect(found.contains("3:3 CONFIG_UNKNOWN_KEY"))
        #expect(found.contains("7:20 CONFIG_INVALID_VALUE"))
        #expect(found.contains("10:18 CONFIG_UNKNOWN_SUBJECT"))
        #expect(found.contains("11:14 CONFIG_DUPLICATE_SUBJECT"))
        #expect(found.contains { $0.hasSuffix("CONFIG_MISSING_KEY") })
        let typo = error.diagnostics.first { $0.rule == "CONFIG_UNKNOWN_KEY" }
        #expect(typo?.message.contains("did you mean \"compatibility\"") == true)
    }

    @Test func registryURL() throws {
        guard case .success(let config) = ConfigParser.parse("version: 1\nregistry:\n  url: http://localhost:8081\nsubjects: []\n") else { Issue.record("refused"); return }
        #expect(config.registryURL == "http://localhost:8081")
        guard case .failure(let error) = ConfigParser.parse("version: 1\nregistry:\n  url: localhost:8081\n  uri: x\n") else { Issue.record("accepted"); return }
        let found = error.diagnostics.map { "\($0.line):\($0.column) \($0.rule)" }
        #expect(found.contains("3:8 CONFIG_INVALID_VALUE"))
        #expect(found.contains("4:3 CONFIG_UNKNOWN_KEY"))
    }

    @Test func yamlSyntaxErrorsHaveAPosition() {
        guard case .failure(let error) = ConfigParser.parse("subjects:\n  - subject: [a\n") else { Issue.record("accepted"); return }
        #expect(error.diagnostics.first?.rule == "CONFIG_SYNTAX")
        #expect((error.diagnostics.first?.line ?? 0) >= 2)
    }

    @Test func pathsCompareNormalised() {
        #expect(normalizePath("schemas/./a/../b.avsc") == "schemas/b.avsc")
        #expect(normalizePath("/x//y/") == "/x/y")
        let config = ProjectConfig(subjects: [SubjectConfig(subject: "s", schema: "schemas/./b.avsc")])
        #expect(config.subjects(forSchemaPath: "schemas/b.avsc").count == 1)
    }
}

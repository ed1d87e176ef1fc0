import Foundation
import Testing
import TestSupport

@Suite("schemactl contract lint")
struct ContractLintTests {
    @Test func theProjectsContractsAreClean() throws {
        let result = try runSchemactl(["contract", "lint"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("0 errors"))
    }

    @Test func findingsAreLocatedAndExitWithOne() throws {
        let folder = try makeTemporaryDirectory()
        let text = """
        contract: schemactl/v1
        id: bad
        vars: { rid: { gen: uuid } }
        correlate: { by: value.request_id }
        send:
          topic: latent-encoder-requests
          value:
            request_id: "{{rid}}"
            image_path: "{{missing}}"
            output_dir: /out
            timestamp: soon
        expect:
          - topic: latent-encoder-respones
          - topic: latent-encoder-responses
            value: { statuz: success }
        ---
        contract: schemactl/v1
        id: bad
        send: { topic: rnle.commands, value: { taskId: "t-1", taskType: EXECUTE_ASSISTANT, timestamp: "2024-01-01T00:00:00Z" } }
        forbid: [{ topic: rnle.commands.dlq, quiet: 1s }]
        """
        let file = folder.appendingPathComponent("bad.yaml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let config = TestPaths.packageRoot.appendingPathComponent("schemactl.yaml").path
        let result = try runSchemactl(["contract", "lint", "--config", config, file.path])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map { $0.replacingOccurrences(of: file.path, with: "F") }
        #expect(lines.contains { $0.hasPrefix("F:1:1: error[CONTRACT_UNKNOWN_VARIABLE]: {{missing}}") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("F:11:16: error[CONTRACT_INVALID_EXAMPLE]") && $0.contains("/timestamp") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("F:13:5: error[CONTRACT_UNKNOWN_TOPIC]: topic latent-encoder-respones") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("F:15:22: error[CONTRACT_UNKNOWN_FIELD]") && $0.contains("did you mean \"status\"") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("F:17:1: error[CONTRACT_DUPLICATE_ID]") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("F:19:7: error[CONTRACT_BAD_CORRELATION]") }, "\(lines)")
    }

    @Test func verifyWithoutABrokerIsAUsageError() throws {
        let result = try runSchemactl(["contract", "verify", "--registry", "http://127.0.0.1:1"], environment: ["KAFKA_BOOTSTRAP_SERVERS": ""])
        #expect(result.status == 2)
        #expect(result.stderr.contains("no Kafka"))
    }
}

import Contracts
import Foundation
import Kafka
import RegistryClient
import Testing
import TestSupport

/// One `schemactl dev` (mock Kafka + registry with the project's subjects) for the suite.
let dev: DevProcess = try! DevProcess()

func registrySchemas() -> RegistrySchemaSource {
    RegistrySchemaSource(client: RegistryClient(url: dev.registryURL), readFile: { _ in throw ContractError("no files in this test") })
}

/// The latent encoder's contract with short windows, so that failing runs end quickly.
let latentEncoderContract = """
contract: schemactl/v1
id: latent-encoder.encode
service: latent-encoder
vars:
  rid: { gen: uuid }
  t0: { gen: now, unit: millis }
correlate: { by: value.request_id }
timeout: 5s
send:
  topic: latent-encoder-requests
  key: "{{rid}}"
  value:
    request_id: "{{rid}}"
    correlation_id: wf-1
    image_path: /data/in/person.png
    output_dir: /data/latents
    timestamp: "{{t0}}"
expect:
  - topic: latent-encoder-responses
    within: 2s
    key: "{{rid}}"
    value:
      request_id: "{{rid}}"
      correlation_id: wf-1
      status: success
      latent_file_path: { $match: regex, pattern: "^/data/latents/.+\\\\.pt$" }
      latent_shape: [1, 16, { $match: number, min: 1 }, { $match: type, type: integer }]
      error_message: { $match: absent }
      timestamp: { $match: timestamp, unit: millis, within: 1m }
forbid:
  - { topic: latent-encoder-dlq, quiet: 1s, correlate: { by: key } }
"""

func verify(_ text: String = latentEncoderContract, against behavior: TestLatentEncoder.Behavior) throws -> ContractOutcome {
    let parsed = ContractParser.parse(text)
    #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics)")
    let contract = try #require(parsed.contracts.first)
    let service = try TestLatentEncoder(bootstrapServers: dev.bootstrapServers, schemas: registrySchemas(), behavior: behavior)
    defer { service.stop() }
    return ContractVerifier(bootstrapServers: dev.bootstrapServers, schemas: registrySchemas(), kafkaProperties: ["log_level": "2"]).verify(contract)
}

/// Every suite that runs a TestLatentEncoder: one at a time, or one test's service would answer another's request.
@Suite("the test latent encoder", .serialized)
enum TestServiceSuites {}

extension TestServiceSuites {
    @Suite("contract verify against a test service")
    struct ContractVerifyTests {
        @Test func passesAgainstACorrectService() throws {
            let outcome = try verify(against: .correct)
            #expect(outcome.passed, "\(outcome.failures)")
        }

        @Test func reportsAWrongFieldAtItsLine() throws {
            let outcome = try verify(against: .wrongStatus)
            #expect(outcome.failures.map(\.rule) == ["CONTRACT_WRONG_VALUE"])
            let failure = try #require(outcome.failures.first)
            #expect(failure.message.contains("value/status: expected \"success\", found \"error\""), "\(failure.message)")
            #expect(failure.mark.line == 25)  // the `status: success` line of the contract
        }

        @Test func reportsAMissingResponse() throws {
            let outcome = try verify(against: .silent)
            #expect(outcome.failures.map(\.rule) == ["CONTRACT_MISSING_RESPONSE"])
            #expect(outcome.failures.first?.message.contains("on latent-encoder-responses with value.request_id = ") == true)
        }

        @Test func reportsAnAnswerOnTheDeadLetterQueue() throws {
            let outcome = try verify(against: .deadLetterOnly)
            #expect(Set(outcome.failures.map(\.rule)) == ["CONTRACT_MISSING_RESPONSE", "CONTRACT_FORBIDDEN_RECORD"])
            let forbidden = try #require(outcome.failures.first { $0.rule == "CONTRACT_FORBIDDEN_RECORD" })
            #expect(forbidden.message.contains("latent-encoder-dlq"))
            #expect(forbidden.message.contains("IMAGE_NOT_FOUND"))  // the DLQ record's value is shown
        }

        @Test func reportsALateAnswer() throws {
            let outcome = try verify(against: .late(seconds: 3))
            #expect(outcome.failures.map(\.rule) == ["CONTRACT_LATE_RESPONSE"])
            #expect(outcome.failures.first?.message.contains("the contract allows 2.00 s") == true)
        }

        @Test func reportsAnExtraAnswerWhereForbidSaysNone() throws {
            let outcome = try verify(against: .correctPlusDeadLetter)
            #expect(outcome.failures.map(\.rule) == ["CONTRACT_FORBIDDEN_RECORD"])
        }

        @Test func reportsMoreResponsesThanTheCountAllows() throws {
            // With a quiet window on the responses' own DLQ, collection runs 1 s: both answers are in by then.
            let outcome = try verify(against: .twice)
            #expect(outcome.failures.map(\.rule) == ["CONTRACT_TOO_MANY"])
        }

        @Test func aBrokerThatIsGoneIsASetupFailureNotAHang() throws {
            let contract = try #require(ContractParser.parse(latentEncoderContract).contracts.first)
            let outcome = ContractVerifier(bootstrapServers: "127.0.0.1:1", schemas: registrySchemas(), kafkaProperties: ["log_level": "0"]).verify(contract)
            #expect(outcome.failures.map(\.rule) == ["CONTRACT_SETUP"])
            #expect(outcome.failures.first?.message.contains("127.0.0.1:1") == true)
        }

        @Test func aBrokerThatGoesAwayMidRunEndsTheRunWithAFailure() throws {
            // A cluster of our own, so that taking its broker down disturbs no other test.
            let cluster = try MockCluster(brokers: 1)
            for topic in ["latent-encoder-requests", "latent-encoder-responses", "latent-encoder-dlq"] { try cluster.createTopic(topic) }
            let contract = try #require(ContractParser.parse(latentEncoderContract).contracts.first)
            let verifier = ContractVerifier(bootstrapServers: cluster.bootstrapServers, schemas: registrySchemas(), kafkaProperties: ["log_level": "0"])
            DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { cluster.setBroker(1, up: false) }
            let outcome = verifier.verify(contract)
            // Nobody answers and the broker is gone: the run ends (bounded by the contract's 5 s timeout) and says why.
            #expect(!outcome.passed)
            #expect(Set(outcome.failures.map(\.rule)).isSubset(of: ["CONTRACT_SETUP", "CONTRACT_MISSING_RESPONSE"]), "\(outcome.failures)")
            withExtendedLifetime(cluster) {}
        }

        @Test func theProjectsLatentEncoderContractPassesThroughTheCLI() throws {
            let service = try TestLatentEncoder(bootstrapServers: dev.bootstrapServers, schemas: registrySchemas(), behavior: .correct)
            defer { service.stop() }
            let result = try runSchemactl(["contract", "verify", "--bootstrap", dev.bootstrapServers, "--registry", dev.registryURL,
                                           "--id", "latent-encoder.encode", "--format", "json", "contracts/vtryon/latent-encoder.yaml"])
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("\"id\":\"latent-encoder.encode\",\"path\":\"contracts/vtryon/latent-encoder.yaml\",\"passed\":true"))
            #expect(result.stdout.hasSuffix("\"passed\":1,\"failed\":0}\n"))
        }

        @Test func theCLIReportsInJUnitAndExitsWithOne() throws {
            let folder = try makeTemporaryDirectory()
            let file = folder.appendingPathComponent("latent.yaml")
            try latentEncoderContract.write(to: file, atomically: true, encoding: .utf8)
            let service = try TestLatentEncoder(bootstrapServers: dev.bootstrapServers, schemas: registrySchemas(), behavior: .wrongStatus)
            defer { service.stop() }
            let config = TestPaths.packageRoot.appendingPathComponent("schemactl.yaml").path
            let result = try runSchemactl(["contract", "verify", "--config", config, "--bootstrap", dev.bootstrapServers, "--registry", dev.registryURL,
                                           "--format", "junit", file.path])
            #expect(result.status == 1, "\(result.stderr)")
            #expect(result.stdout.contains("<testcase classname=\"\(file.path)\" name=\"latent-encoder.encode\""))
            #expect(result.stdout.contains("<failure type=\"CONTRACT_WRONG_VALUE\""))
            #expect(result.stdout.contains("\(file.path):25:"))
        }
    }
}

import Contracts
import Diagnostics
import Foundation
import JSONDocument
import SchemaConfig
import Testing
import TestSupport

/// The latent encoder's contract (as in ContractVerifyTests) with provider states and a fixture.
let contractWithStatesAndFixtures = latentEncoderContract.replacingOccurrences(of: "send:\n", with: """
given:
  - models are loaded
  - state: an image is allowed
    params: { path: "{{workdir}}/in/person.png", request: "{{rid}}" }
fixtures:
  - from: fixtures/person.png
    to: "{{workdir}}/in/person.png"
  - { from: fixtures/mask.png, to: "{{workdir}}/in/mask.png", keep: true }
send:

""")

@Suite("contract fixtures and provider states")
struct FixturesAndStatesTests {
    func parse(_ text: String) throws -> Contract {
        let parsed = ContractParser.parse(text)
        #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics)")
        return try #require(parsed.contracts.first)
    }

    @Test func givenAndFixturesAreRead() throws {
        let contract = try parse(contractWithStatesAndFixtures).resolvingFixtures(relativeTo: "/project/contracts/vtryon")
        #expect(contract.given.map(\.name) == ["models are loaded", "an image is allowed"])
        #expect(contract.given[0].params == .object(JSONObject()))
        #expect(contract.given[1].params.compactText == #"{"path":"{{workdir}}/in/person.png","request":"{{rid}}"}"#)
        #expect(contract.fixtures.map(\.resolvedSource) == ["/project/contracts/vtryon/fixtures/person.png", "/project/contracts/vtryon/fixtures/mask.png"])
        #expect(contract.fixtures.map(\.destination) == ["{{workdir}}/in/person.png", "{{workdir}}/in/mask.png"])
        #expect(contract.fixtures.map(\.keep) == [false, true])
        #expect(contract.fixtures[0].sourceMark.line == 14 && contract.fixtures[0].sourceMark.column == 11)
    }

    @Test func badFixturesAndStatesAreLocatedDiagnostics() {
        let text = """
        contract: schemactl/v1
        id: bad
        given:
          - state: ready
            param: { a: 1 }
          - { state: other, params: [1, 2] }
        fixtures:
          - { from: a.png, to: /tmp/a.png, keep: sometimes }
          - { to: /tmp/b.png }
          - a.png
        send: { topic: t, value: 1 }
        forbid: [{ topic: t, quiet: 1s }]
        """
        let found = ContractParser.parse(text).diagnostics.map { "\($0.line ?? 0):\($0.column ?? 0) \($0.rule) \($0.pointer ?? "")" }
        #expect(found.contains("5:5 CONTRACT_UNKNOWN_KEY /given/0/param"), "\(found)")
        #expect(found.contains("6:29 CONTRACT_INVALID_VALUE /given/1/params"), "\(found)")
        #expect(found.contains("8:42 CONTRACT_INVALID_VALUE /fixtures/0/keep"), "\(found)")
        #expect(found.contains("9:5 CONTRACT_MISSING_KEY /fixtures/1"), "\(found)")
        #expect(found.contains("10:5 CONTRACT_INVALID_VALUE /fixtures/2"), "\(found)")
        #expect(found.count == 5, "\(found)")
    }

    @Test func lintReportsAMissingFixtureAtItsSourceAndKnowsWorkdir() throws {
        let folder = try makeTemporaryDirectory()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("fixtures"), withIntermediateDirectories: true)
        try Data([0x89]).write(to: folder.appendingPathComponent("fixtures/person.png"))
        let contract = try parse(contractWithStatesAndFixtures).resolvingFixtures(relativeTo: folder.path)
        let configText = try String(contentsOf: TestPaths.packageRoot.appendingPathComponent("schemactl.yaml"), encoding: .utf8)
        let config = try ConfigParser.parse(configText).get()
        let linter = ContractLinter(config: config, schemas: LocalSchemaSource(config: config, readFile: { path in
            try String(contentsOfFile: TestPaths.packageRoot.appendingPathComponent(path).path, encoding: .utf8)
        }), fileExists: { FileManager.default.fileExists(atPath: $0) })
        let found = linter.lint([contract]).map { "\($0.line ?? 0):\($0.column ?? 0) \($0.rule): \($0.message)" }
        #expect(found == ["16:13 CONTRACT_FIXTURE_MISSING: fixture fixtures/mask.png does not exist (\(folder.path)/fixtures/mask.png); fixture sources are relative to the contract file"],
                "\(found)")
    }

    @Test func aFailingStateHookFailsTheContractBeforeAnythingIsSent() throws {
        let contract = try parse(contractWithStatesAndFixtures)
        let environment = RecordingEnvironment(failingState: "an image is allowed")
        // No broker at all: the contract must stop at the hook, before Kafka is touched.
        let outcome = ContractVerifier(bootstrapServers: "127.0.0.1:1", schemas: registrySchemas(), environment: environment, workdir: "/w").verify(contract)
        #expect(outcome.failures.map(\.rule) == ["CONTRACT_PROVIDER_STATE"])
        #expect(outcome.failures.first?.message == "the provider could not be put into state \"an image is allowed\": the state hook exited with status 3: no such person")
        #expect(outcome.failures.first?.mark.line == 11)  // the `- state: an image is allowed` entry
        #expect(environment.events == ["state models are loaded {} for latent-encoder.encode"])
    }

    @Test func aFixtureThatCannotBeStagedFailsAndWhatWasStagedIsRemoved() throws {
        let contract = try parse(contractWithStatesAndFixtures)
        let environment = RecordingEnvironment(failingSource: "fixtures/mask.png")
        let outcome = ContractVerifier(bootstrapServers: "127.0.0.1:1", schemas: registrySchemas(), environment: environment, workdir: "/w").verify(contract)
        #expect(outcome.failures.map(\.rule) == ["CONTRACT_FIXTURE"])
        #expect(outcome.failures.first?.message == "cannot stage fixture fixtures/mask.png: fixtures/mask.png does not exist")
        #expect(environment.events.suffix(2) == ["stage fixtures/person.png -> /w/in/person.png", "remove /w/in/person.png"])
    }
}

extension TestServiceSuites {
    @Suite("contract verify with provider states and fixtures")
    struct StatesAndFixturesAgainstAService {
        @Test func statesThenFixturesThenTheRequestThenCleanup() throws {
            let contract = try #require(ContractParser.parse(contractWithStatesAndFixtures).contracts.first)
            let environment = RecordingEnvironment()
            let service = try TestLatentEncoder(bootstrapServers: dev.bootstrapServers, schemas: registrySchemas(), behavior: .correct)
            defer { service.stop() }
            let outcome = ContractVerifier(bootstrapServers: dev.bootstrapServers, schemas: registrySchemas(), kafkaProperties: ["log_level": "2"],
                                           environment: environment, workdir: "/w").verify(contract)
            #expect(outcome.passed, "\(outcome.failures)")
            let events = environment.events
            #expect(events.count == 5, "\(events)")
            #expect(events.first == "state models are loaded {} for latent-encoder.encode")
            // Parameters are templated with this run's variables.
            let second = try #require(events.dropFirst().first)
            #expect(second.hasPrefix(#"state an image is allowed {"path":"/w/in/person.png","request":""#) && !second.contains("{{rid}}"), "\(second)")
            #expect(Array(events.suffix(3)) == ["stage fixtures/person.png -> /w/in/person.png", "stage fixtures/mask.png -> /w/in/mask.png",
                                                "remove /w/in/person.png"])  // mask.png is kept
        }
    }
}

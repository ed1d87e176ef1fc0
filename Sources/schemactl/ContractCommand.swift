import ArgumentParser
import Contracts
import Diagnostics
import Foundation
import RegistryClient

struct ContractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contract",
        abstract: "Check recorded contracts (contracts/*.yaml) against the project, or verify a running service against them.",
        discussion: """
        A contract (format schemactl/v1) is a request a service receives on a topic, the responses
        it must produce (correlated to the request by a field, the key or a header), expected DLQ
        records, and topics that must stay quiet. Values are plain JSON datums; `{ $match: ... }`
        matchers (uuid, timestamp, regex, type, number, file, include, notEmpty, absent, oneOf,
        equals) handle dynamic fields; `{{var}}` placeholders take fresh values (vars: gen uuid/now).

        Examples:
          schemactl contract lint
          schemactl contract verify --bootstrap 127.0.0.1:9092 --registry http://127.0.0.1:8081 contracts/vtryon
          schemactl contract verify --format junit > contract-results.xml
        """,
        subcommands: [ContractLintCommand.self, ContractVerifyCommand.self, ContractRecordCommand.self]
    )
}

extension VerificationReport.Format: ExpressibleByArgument {}

/// Where Kafka is.
struct KafkaConnection: ParsableArguments {
    @Option(help: ArgumentHelp("Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS).", valueName: "host:port"))
    var bootstrap: String?

    func servers() throws -> String {
        guard let servers = bootstrap ?? ProcessInfo.processInfo.environment["KAFKA_BOOTSTRAP_SERVERS"], !servers.isEmpty else {
            throw Terminal.fail("no Kafka: give --bootstrap HOST:PORT or set KAFKA_BOOTSTRAP_SERVERS")
        }
        return servers
    }
}

/// Contract files and the project they belong to.
struct ContractFiles: ParsableArguments {
    @Argument(help: "Contract files or folders (default: contracts/ beside schemactl.yaml).")
    var paths: [String] = []

    @Option(help: ArgumentHelp("Project config; by default schemactl.yaml in the current folder or the nearest parent.", valueName: "file"))
    var config: String?

    /// Every file parsed: its contracts, or the diagnostics of why it cannot be used.
    func load() throws -> (workspace: Workspace, root: String, files: [(path: String, contracts: [Contract], diagnostics: [Diagnostic])]) {
        let workspace = try Workspace.load(configOption: config)
        let root = workspace.configPath.map { (Workspace.identity(of: $0) as NSString).deletingLastPathComponent } ?? FileManager.default.currentDirectoryPath
        let targets = paths.isEmpty ? [root + "/contracts"] : paths
        let files = try Workspace.schemaFiles(in: targets, extensions: ["yaml", "yml"])
        guard !files.isEmpty else { throw Terminal.fail("no contract files (*.yaml) in \(targets.joined(separator: ", "))") }
        return (workspace, root, try files.map { path in
            let file = try Workspace.read(path)
            let parsed = ContractParser.parse(String(decoding: file.bytes, as: UTF8.self))
            let folder = (path as NSString).deletingLastPathComponent
            return (path, parsed.contracts.map { $0.resolvingFixtures(relativeTo: folder) }, parsed.diagnostics)
        })
    }

    /// Reads schema files named by contracts, relative to the project root.
    static func fileReader(root: String) -> @Sendable (String) throws -> String {
        { path in
            let full = path.hasPrefix("/") ? path : root + "/" + path
            guard let data = FileManager.default.contents(atPath: full) else { throw ContractError("cannot read \(full)") }
            return String(decoding: data, as: UTF8.self)
        }
    }
}

struct ContractLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check contracts without a broker: syntax, known topics, declared variables, requests valid against their schemas.",
        discussion: "Exit codes: 0 clean, 1 findings, 2 usage or I/O error."
    )

    @OptionGroup var files: ContractFiles

    @Option(help: "Output format: text, json, github, junit or sarif.")
    var format: ReportFormat = .text

    func run() throws {
        let (workspace, root, loaded) = try files.load()
        guard let config = workspace.config else { throw Terminal.fail("contract lint needs schemactl.yaml (the topics and schemas contracts are checked against)") }
        let linter = ContractLinter(config: config, schemas: LocalSchemaSource(config: config, readFile: ContractFiles.fileReader(root: root)),
                                    fileExists: { FileManager.default.fileExists(atPath: $0) })
        var reports = loaded.map { FileReport(path: $0.path, diagnostics: $0.diagnostics + linter.lint($0.contracts)) }
        for duplicate in ContractLinter.duplicateIDs(loaded.flatMap { file in file.contracts.map { (file.path, $0) } }) {
            if let index = reports.firstIndex(where: { $0.path == duplicate.path }) { reports[index].diagnostics.append(duplicate.diagnostic) }
        }
        let rendered = format.render(reports, rules: ContractParser.rules + ContractLinter.rules)
        Terminal.out(rendered.hasSuffix("\n") ? rendered : rendered + "\n")
        if reports.errorCount > 0 { throw ExitCode(1) }
    }
}

struct ContractVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a running service: produce each contract's request, collect the correlated responses, check them.",
        discussion: """
        For each contract: listen at the end of every expected and forbidden topic, produce the request
        (Confluent framing, the schema's id from the registry), collect records correlated to it until
        the expectations are met and the quiet windows are over, or the contract's timeout; then check
        counts, timing (`within`), keys, headers and values. Responses are decoded with the schema
        their framing names. Contracts run one after another.

        Exit codes: 0 all passed, 1 a contract failed, 2 usage, I/O, or an invalid contract file.
        """
    )

    @OptionGroup var files: ContractFiles

    @OptionGroup var kafka: KafkaConnection

    @OptionGroup var registry: RegistryConnection

    @Option(name: .customLong("kafka-property"), help: ArgumentHelp("A librdkafka property for the verifier's clients (repeatable).", valueName: "name=value"))
    var kafkaProperties: [String] = []

    @Option(help: ArgumentHelp("Run only the contracts with these ids (repeatable).", valueName: "id"))
    var id: [String] = []

    @Option(help: "Output format: text, json or junit.")
    var format: VerificationReport.Format = .text

    @Option(name: .customLong("state-hook"), help: ArgumentHelp(
        "Shell command that puts the provider into a contract's `given` state; run once per state with {\"contract\",\"state\",\"params\"} as JSON on stdin (and SCHEMACTL_CONTRACT, SCHEMACTL_PROVIDER_STATE, SCHEMACTL_PROVIDER_STATE_PARAMS); a non-zero exit fails the contract.",
        valueName: "command"))
    var stateHook: String?

    @Option(name: .customLong("state-hook-timeout"), help: ArgumentHelp("How long a state hook may run, e.g. 60s.", valueName: "duration"))
    var stateHookTimeout: String = "60s"

    @Option(help: ArgumentHelp("The value of {{workdir}} in fixtures (a folder the service can read; default: a fresh temporary folder).", valueName: "folder"))
    var workdir: String?

    func run() throws {
        let servers = try kafka.servers()
        guard let hookTimeout = ContractParser.seconds(stateHookTimeout) else { throw Terminal.fail("--state-hook-timeout takes a duration like 60s, not \(stateHookTimeout)") }
        var properties: [String: String] = ["log_level": "2"]  // librdkafka's own connection chatter would drown the report
        for text in kafkaProperties {
            guard let equals = text.firstIndex(of: "=") else { throw Terminal.fail("--kafka-property takes NAME=VALUE, not \(text)") }
            properties[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        let client = try registry.client()
        let (_, root, loaded) = try files.load()
        let invalid = loaded.filter { !$0.diagnostics.isEmpty }
        guard invalid.isEmpty else {
            Terminal.err(ReportFormat.text.render(invalid.map { FileReport(path: $0.path, diagnostics: $0.diagnostics) }))
            throw Terminal.fail("fix the contract files above (schemactl contract lint checks them)")
        }
        let folder = workdir ?? NSTemporaryDirectory() + "schemactl-contracts-" + UUID().uuidString.lowercased().prefix(8)
        let verifier = ContractVerifier(bootstrapServers: servers, schemas: RegistrySchemaSource(client: client, readFile: ContractFiles.fileReader(root: root)),
                                        kafkaProperties: properties, environment: LocalContractEnvironment(stateHook: stateHook, hookTimeout: hookTimeout),
                                        workdir: (folder as NSString).standardizingPath)
        var results: [(path: String, outcome: ContractOutcome)] = []
        for file in loaded {
            for contract in file.contracts where id.isEmpty || id.contains(contract.id) {
                results.append((file.path, verifier.verify(contract)))
            }
        }
        guard !results.isEmpty else { throw Terminal.fail("no contract matched --id \(id.joined(separator: ", "))") }
        // A temporary workdir of our own goes with the run (a given --workdir stays: kept fixtures live there).
        if workdir == nil { try? FileManager.default.removeItem(atPath: verifier.workdir) }
        Terminal.out(VerificationReport.render(results, format: format))
        if results.contains(where: { !$0.outcome.passed }) { throw ExitCode(1) }
    }
}

struct ContractRecordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Write contracts from live traffic: requests on a topic and the records correlated to them.",
        discussion: """
        Listens from the current end of the request topic and the response topics for --duration (or
        until --max requests were seen and the traffic settled), then writes one contract per request:
        ids and times of the request become variables, responses that echo them use {{var}}, other
        UUIDs and times get matchers, and watched topics that stayed silent become quiet windows.
        Review what it inferred before committing.

        Example:
          schemactl contract record --request-topic latent-encoder-requests \\
            --response-topic latent-encoder-responses --response-topic latent-encoder-dlq \\
            --correlate value.request_id --service latent-encoder --max 1 > contracts/vtryon/recorded.yaml
        """
    )

    @OptionGroup var kafka: KafkaConnection

    @OptionGroup var registry: RegistryConnection

    @Option(help: "The topic the service reads requests from.")
    var requestTopic: String

    @Option(name: .customLong("response-topic"), help: "A topic the service answers on (repeatable; DLQs too).")
    var responseTopics: [String] = []

    @Option(help: "Where requests and responses carry the correlation id: key, headers.NAME or value.FIELD.")
    var correlate = "value.correlation_id"

    @Option(help: "How long to listen, e.g. 30s.")
    var duration = "30s"

    @Option(help: "Stop after this many requests (and 2 s of quiet; up to 10 s while one is unanswered).")
    var max: Int?

    @Option(help: "The service the contracts are about.")
    var service: String?

    @Option(help: "Contract ids are PREFIX.1, PREFIX.2, ... (default: the service or the request topic).")
    var idPrefix: String?

    func run() throws {
        let servers = try kafka.servers()
        guard let path = ContractParser.correlationPath(correlate) else { throw Terminal.fail("--correlate takes key, headers.NAME or value.FIELD, not \(correlate)") }
        guard let seconds = ContractParser.seconds(duration) else { throw Terminal.fail("--duration takes a duration like 30s or 2m, not \(duration)") }
        let client = try registry.client()
        let recorder = ContractRecorder(bootstrapServers: servers, schemas: RegistrySchemaSource(client: client, readFile: { _ in "" }), kafkaProperties: ["log_level": "2"])
        let exchanges: [RecordedExchange]
        do {
            exchanges = try recorder.record(requestTopic: requestTopic, responseTopics: responseTopics, correlate: path, duration: seconds,
                                            maxRequests: max ?? .max) { Terminal.err("schemactl contract record: listening on \(requestTopic)") }
        } catch { throw Terminal.fail(error.description) }
        guard !exchanges.isEmpty else { throw Terminal.fail("no decodable request with \(correlate) came on \(requestTopic) in \(duration)") }
        let prefix = idPrefix ?? service ?? requestTopic
        let documents = exchanges.enumerated().map { index, exchange in
            ContractWriter.yaml(for: exchange, id: "\(prefix).recorded-\(index + 1)", service: service, correlate: path, watchedTopics: responseTopics)
        }
        Terminal.out(documents.joined(separator: "---\n"))
        Terminal.err("schemactl contract record: \(exchanges.count) request\(exchanges.count == 1 ? "" : "s"), \(exchanges.reduce(0) { $0 + $1.responses.count }) correlated records")
    }
}

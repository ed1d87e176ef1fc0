import ArgumentParser
import Foundation
import HTTPServer
import Kafka
import RegistryModel
import RegistryServer
import SchemaConfig

struct DevCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev",
        abstract: "Run an embedded Kafka and schema registry with the project's topics and schemas, until stopped.",
        discussion: """
        Starts librdkafka's mock Kafka cluster (in memory, on a loopback port) with every topic of
        schemactl.yaml, and schemactl's registry (in memory) with every subject of schemactl.yaml
        registered (referenced subjects first) at its configured compatibility. Prints the addresses as
        shell `export` lines and runs until SIGINT or SIGTERM. Everything is gone when it stops.

        The mock cluster speaks the Kafka protocol for produce, fetch, consumer groups, commits,
        idempotence and transactions; it auto-creates unknown topics (4 partitions) and has no admin
        API (CreateTopics, DescribeGroups) and no SASL. It is for development and tests, not production.

        --print-env prints only the two export lines on stdout (progress goes to stderr), so that a
        script can read them: `schemactl dev --print-env > env.sh &` then `. env.sh` once it has two lines.

        Examples:
          schemactl dev
          schemactl dev --partitions 3 --registry-listen 127.0.0.1:8081
        """
    )

    @Option(help: ArgumentHelp("The project config (default: schemactl.yaml here or in a parent).", valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("Partitions of each topic.", valueName: "count"))
    var partitions = 1

    @Option(help: ArgumentHelp("Mock brokers in the cluster.", valueName: "count"))
    var brokers = 1

    @Option(help: ArgumentHelp("Registry address; port 0 picks a free port.", valueName: "host:port"))
    var registryListen = "127.0.0.1:0"

    @Flag(help: "Print only the export lines on stdout.")
    var printEnv = false

    // For test harnesses: stop when the parent closes our stdin (also when it dies without cleaning up).
    @Flag(help: .hidden)
    var stopOnStdinEOF = false

    func run() throws {
        let started = Date()
        guard (1...1000).contains(partitions), (1...16).contains(brokers) else { throw Terminal.fail("--partitions takes 1...1000 and --brokers 1...16") }
        let workspace = try Workspace.load(configOption: config)
        guard let project = workspace.config else { throw Terminal.fail("no schemactl.yaml found here or in a parent folder (or give --config)") }
        let (host, port) = try parseListenAddress(registryListen, option: "--registry-listen")

        let cluster: MockCluster
        do {
            cluster = try MockCluster(brokers: brokers)
            try cluster.createTopics(project.topics, partitions: partitions, replicationFactor: min(brokers, 3))
        } catch { throw Terminal.fail("embedded Kafka: \(error.description)") }

        let service: RegistryService
        do { service = try RegistryService(storage: "memory") } catch { throw Terminal.fail(error.description) }
        let refused = try register(project, into: service)
        let routes = RegistryRoutes(service: service)
        let server: HTTPServer
        do { server = try HTTPServer(host: host, port: port) { routes.handle($0) } } catch { throw Terminal.fail(error.description) }

        let stopSignal = StopSignal()
        if stopOnStdinEOF {
            Thread.detachNewThread {
                _ = FileHandle.standardInput.readDataToEndOfFile()
                kill(getpid(), SIGTERM)
            }
        }
        server.start()
        let registryURL = "http://\(host.contains(":") ? "[\(host)]" : host):\(server.port)"
        let exports = "export KAFKA_BOOTSTRAP_SERVERS=\(cluster.bootstrapServers)\nexport SCHEMA_REGISTRY_URL=\(registryURL)\n"
        let elapsed = Int(Date().timeIntervalSince(started) * 1000)
        let summary = "schemactl dev: Kafka (mock, \(brokers) broker\(brokers == 1 ? "" : "s")) with \(project.topics.count) topics, registry with \(project.subjects.count) subjects\(refused == 0 ? "" : " (\(refused) refused, see above)"); ready in \(elapsed) ms. Ctrl-C stops."
        if printEnv {
            Terminal.out(exports)
            Terminal.err(summary)
        } else {
            Terminal.out(exports + "# \(summary)\n")
        }
        stopSignal.wait()
        Terminal.err("schemactl dev: stopping")
        server.stop(grace: 5)
        service.close()
        withExtendedLifetime(cluster) {}
    }

    /// Registers every subject of the config, referenced subjects first, at its configured level.
    /// A subject the registry refuses is a warning, not the end of the dev environment; returns how many.
    private func register(_ project: ProjectConfig, into service: RegistryService) throws -> Int {
        var refused = 0
        for subject in try subjectsInReferenceOrder(project, only: []) {
            let file = try Workspace.read(subject.schema)
            let references = subject.references.map { SchemaReference(name: $0.name, subject: $0.subject, version: $0.version ?? -1) }
            let request = SchemaRequest(schema: String(decoding: file.bytes, as: UTF8.self), schemaType: subject.schema.hasSuffix(".json") ? .json : .avro,
                                        references: references)
            do {
                _ = try service.setConfig(subject: subject.subject, level: project.compatibility(of: subject).rawValue,
                                          policy: subject.schema.hasSuffix(".json") ? project.policy(of: subject).rawValue : nil)
                _ = try service.register(subject: subject.subject, request: request)
            } catch {
                Terminal.err("schemactl dev: warning: the registry refused \(subject.subject) (\(subject.schema)): \(error)")
                refused += 1
            }
        }
        return refused
    }
}

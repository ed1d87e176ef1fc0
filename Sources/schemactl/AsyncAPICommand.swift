import ArgumentParser
import Contracts
import Foundation

struct AsyncAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asyncapi",
        abstract: "Export an AsyncAPI 3.0 document (JSON) from schemactl.yaml and the contracts.",
        discussion: """
        A channel per topic, a message per subject (its Avro or JSON Schema as the payload, with the
        schema format named), and per service in contracts/ a `receive` operation on its request topic
        (its reply: the first expected topic) and a `send` operation per topic it answers on. Matchers,
        counts, DLQ expectations and quiet windows stay in the contracts: AsyncAPI cannot say them.

        Examples:
          schemactl asyncapi > asyncapi.json
          schemactl asyncapi --title "vtryon pipeline" --version 2.1.0 --server dev=localhost:9092
        """
    )

    @OptionGroup var files: ContractFiles

    @Option(help: "The document's title (default: the project folder's name).")
    var title: String?

    @Option(name: .customLong("api-version"), help: "The document's info.version.")
    var apiVersion = "1.0.0"

    @Option(name: .customLong("server"), help: ArgumentHelp("A Kafka server as NAME=HOST:PORT (repeatable).", valueName: "name=host:port"))
    var servers: [String] = []

    func run() throws {
        let (workspace, root, loaded) = try files.load()
        guard let config = workspace.config else { throw Terminal.fail("asyncapi needs schemactl.yaml (the topics and their schemas)") }
        let invalid = loaded.filter { !$0.diagnostics.isEmpty }
        guard invalid.isEmpty else { throw Terminal.fail("\(invalid[0].path) is not a valid contract file; run schemactl contract lint") }
        var parsedServers: [(name: String, host: String)] = []
        for server in servers {
            guard let equals = server.firstIndex(of: "=") else { throw Terminal.fail("--server takes NAME=HOST:PORT, not \(server)") }
            parsedServers.append((String(server[..<equals]), String(server[server.index(after: equals)...])))
        }
        let document = try AsyncAPIExport.document(config: config, contracts: loaded.flatMap(\.contracts), title: title ?? (root as NSString).lastPathComponent,
                                                   version: apiVersion, servers: parsedServers) { subject in
            String(decoding: try Workspace.read(subject.schema).bytes, as: UTF8.self)
        }
        Terminal.out(AsyncAPIExport.prettyText(document) + "\n")
    }
}

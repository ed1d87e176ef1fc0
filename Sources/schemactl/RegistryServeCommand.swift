import ArgumentParser
import Foundation
import HTTPServer
import RegistryServer

struct RegistryServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a Confluent-compatible schema registry (SQLite storage by default).",
        discussion: """
        Serves Confluent Schema Registry's REST API: subjects, versions, schemas by id, compatibility
        (checked with schemactl's own engines), config, mode (READWRITE, READONLY, IMPORT), soft and
        hard deletes, references. Any Confluent client works against it: set its URL to the one printed.

        Storage: sqlite:PATH (the default, sqlite:schemactl-registry.db; one file in WAL mode, each
        write on disk before it is acknowledged) or memory (gone on exit).

        Users: --users FILE with lines name:password:read or name:password:write turns on HTTP basic
        authentication; read users may read, look up and check compatibility. /health and /metrics
        (Prometheus) stay open. SIGINT or SIGTERM stops it gracefully: requests in progress finish.

        Examples:
          schemactl registry serve
          schemactl registry serve --listen 0.0.0.0:8081 --storage sqlite:/var/lib/registry.db --users users.txt
          schemactl registry serve --listen 127.0.0.1:0 --storage memory     # any free port; printed on start
        """
    )

    @Option(help: ArgumentHelp("Address to listen on; port 0 picks a free port.", valueName: "host:port"))
    var listen = "127.0.0.1:8081"

    @Option(help: ArgumentHelp("sqlite:PATH or memory.", valueName: "storage"))
    var storage = "sqlite:schemactl-registry.db"

    @Option(help: ArgumentHelp("Users for basic authentication: lines name:password:read|write.", valueName: "file"))
    var users: String?

    @Option(help: ArgumentHelp("Largest request body accepted, in bytes (larger ones get 413).", valueName: "bytes"))
    var maxBody = 16 * 1024 * 1024

    func run() throws {
        let (host, port) = try parseListenAddress(listen, option: "--listen")
        var accounts: [RegistryUser] = []
        if let users {
            guard let text = try? String(contentsOfFile: users, encoding: .utf8) else { throw Terminal.fail("cannot read users file \(users)") }
            do { accounts = try RegistryUser.parse(text) } catch { throw Terminal.fail(error.description) }
        }
        let service: RegistryService
        do { service = try RegistryService(storage: storage) } catch { throw Terminal.fail(error.description) }
        let routes = RegistryRoutes(service: service, users: accounts)
        var limits = HTTPServer.Limits()
        limits.maxBodyBytes = maxBody
        let server: HTTPServer
        do { server = try HTTPServer(host: host, port: port, limits: limits) { routes.handle($0) } } catch { throw Terminal.fail(error.description) }
        let stopSignal = StopSignal()
        server.start()
        let shownHost = host.contains(":") ? "[\(host)]" : host
        Terminal.out("schemactl registry listening on http://\(shownHost):\(server.port) (storage \(storage)\(accounts.isEmpty ? "" : ", \(accounts.count) users"))\n")
        stopSignal.wait()
        Terminal.err("schemactl registry: stopping; letting requests in progress finish")
        server.stop(grace: 10)
        service.close()
    }
}

import Foundation
import HTTPClient
import RegistryClient
import RegistryModel
import Testing
import TestSupport

/// Health, metrics and a graceful stop on SIGTERM.
@Suite struct ServerLifecycleTests {
    @Test func healthAndMetrics() throws {
        let server = try RegistryProcess()
        let client = RegistryClient(url: server.url)
        _ = try client.register(subject: "m", SchemaRequest(schema: "\"string\""))
        _ = try? client.schema(id: 99)
        let http = HTTPClient()
        let health = try http.send("GET", server.url + "/health")
        #expect(health.status == 200 && String(decoding: health.body, as: UTF8.self).contains("UP"))
        let metrics = String(decoding: try http.send("GET", server.url + "/metrics").body, as: UTF8.self)
        #expect(metrics.contains(#"schemactl_registry_requests_total{route="/subjects/{subject}/versions",method="POST",status="200"} 1"#))
        #expect(metrics.contains(#"schemactl_registry_requests_total{route="/schemas/ids/{id}",method="GET",status="404"} 1"#))
        #expect(metrics.contains("schemactl_registry_subjects 1"))
        #expect(metrics.contains("schemactl_registry_request_seconds_bucket"))
    }

    @Test func sigtermStopsGracefullyAndKeepsTheData() throws {
        let folder = try makeTemporaryDirectory()
        let storage = "sqlite:" + folder.appendingPathComponent("r.db").path
        let server = try RegistryProcess(storage: storage)
        _ = try RegistryClient(url: server.url).register(subject: "kept", SchemaRequest(schema: "\"string\""))
        server.process.terminate() // SIGTERM
        let deadline = Date().addingTimeInterval(15)
        while server.process.isRunning && Date() < deadline { usleep(20_000) }
        #expect(!server.process.isRunning, "the server did not stop on SIGTERM")
        #expect(server.process.terminationReason == .exit && server.process.terminationStatus == 0)
        let restarted = try RegistryProcess(storage: storage)
        #expect(try RegistryClient(url: restarted.url).versions(subject: "kept") == [1])
    }
}

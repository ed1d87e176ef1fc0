import Foundation
import HTTPClient
import RegistryClient
import RegistryModel
import Testing
import TestSupport

/// The client against answers of other registries and versions (Confluent ≤ 7.4, 8.x, proxies):
/// `{"id":N}` register answers, absent schemaType, 409 as error_code, bearer tokens, retries on 5xx.
@Suite struct ServerVersionToleranceTests {
    /// Starts canned_registry.py with `responses`; returns its URL and the process.
    func canned(_ responses: [String: Any]) throws -> (String, Process) {
        let folder = try makeTemporaryDirectory()
        let file = folder.appendingPathComponent("responses.json")
        try JSONSerialization.data(withJSONObject: responses).write(to: file)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", TestPaths.packageRoot.appendingPathComponent("Tests/RegistryTests/canned_registry.py").path, file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let port = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return ("http://127.0.0.1:\(port)", process)
    }

    func stop(_ process: Process) { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }

    @Test func olderAndNewerAnswerShapes() throws {
        let (url, process) = try canned([
            "POST /subjects/old-value/versions": [[200, #"{"id":7}"#]],
            "GET /subjects/old-value/versions/1": [[200, #"{"subject":"old-value","version":1,"id":7,"schema":"\"string\"","futureField":{"x":1}}"#]],
            "POST /subjects/new-value/versions": [[409, #"{"error_code":409,"message":"Schema being registered is incompatible"}"#]],
            "POST /subjects/newer-value/versions": [[409, #"{"error_code":40901,"message":"Schema being registered is incompatible"}"#]],
            "GET /schemas/ids/7": [[200, #"{"schema":"\"string\""}"#]],
            "GET /subjects/proxy/versions": [[502, "<html>Bad Gateway</html>"]],
        ])
        defer { stop(process) }
        let client = RegistryClient(url: url, retries: 0)
        let registered = try client.register(subject: "old-value", SchemaRequest(schema: "\"string\""))
        #expect(registered.id == 7 && registered.schemaType == .avro)
        let version = try client.version(subject: "old-value", "1")
        #expect(version.schemaType == .avro && version.id == 7)
        #expect(try client.schema(id: 7).id == 7)
        for subject in ["new-value", "newer-value"] {
            do {
                _ = try client.register(subject: subject, SchemaRequest(schema: "\"int\""))
                Issue.record("expected a refusal")
            } catch {
                guard case .server(let refusal) = error else { Issue.record("\(error)"); continue }
                #expect(refusal.status == 409 && [409, 40901].contains(refusal.code))
            }
        }
        // A non-JSON error page keeps its status and text.
        do {
            _ = try client.versions(subject: "proxy")
            Issue.record("expected an error")
        } catch {
            guard case .server(let refusal) = error else { Issue.record("\(error)"); return }
            #expect(refusal.status == 502 && refusal.message.contains("Bad Gateway"))
        }
    }

    @Test func retriesOnServerErrorsWithBackoff() throws {
        let (url, process) = try canned([
            "GET /subjects": [[503, #"{"error_code":50003,"message":"forwarding failed"}"#], [500, #"{"error_code":50001,"message":"store"}"#], [200, #"["a"]"#]],
        ])
        defer { stop(process) }
        #expect(try RegistryClient(url: url, retries: 3, backoff: 0.01).subjects() == ["a"])
        // Without retries the first 503 is the answer.
        let (url2, process2) = try canned(["GET /subjects": [[503, #"{"error_code":50003,"message":"forwarding failed"}"#], [200, "[]"]]])
        defer { stop(process2) }
        #expect(throws: RegistryClientError.self) { _ = try RegistryClient(url: url2, retries: 0).subjects() }
    }

    @Test func bearerToken() throws {
        let (url, process) = try canned(["*auth*": "Bearer t0ken", "GET /subjects": [[200, #"["secured"]"#]]])
        defer { stop(process) }
        var options = HTTPClient.Options()
        options.bearerToken = "t0ken"
        #expect(try RegistryClient(url: url, options: options, retries: 0).subjects() == ["secured"])
        options.bearerToken = "wrong"
        do {
            _ = try RegistryClient(url: url, options: options, retries: 0).subjects()
            Issue.record("expected 401")
        } catch {
            #expect(error.errorCode == 401)
        }
    }
}

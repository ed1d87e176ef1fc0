import Foundation
import HTTPClient
import JSONDocument
import RegistryClient
import Testing
import TestSupport

/// Hostile or broken requests get a Confluent-shaped error body, and the server keeps serving.
@Suite struct RegistryBadInputTests {
    /// Status and error_code of a raw request.
    func send(_ server: RegistryProcess, _ method: String, _ path: String, body: String? = nil, user: (String, String)? = nil) throws -> (status: Int, code: Int?, message: String?) {
        var options = HTTPClient.Options()
        options.basicAuth = user
        let response = try HTTPClient(options: options).send(method, server.url + path, headers: ["Content-Type: application/vnd.schemaregistry.v1+json"], body: body.map { Array($0.utf8) })
        let object = (try? JSONDocument(parsing: response.body))?.root.objectValue
        var code: Int?
        if case .integer(let n)? = object?["error_code"] { code = Int(n) }
        return (response.status, code, object?["message"]?.stringValue)
    }

    func stillServes(_ server: RegistryProcess, user: (String, String)? = nil) throws {
        #expect(try send(server, "GET", "/subjects", user: user).status == 200)
    }

    @Test func malformedBodies() throws {
        let server = try RegistryProcess()
        for body in ["{bad", "", "[1,2]", "\"just a string\"", #"{"schema": 5}"#, #"{"schema":"\"int\"","references":"x"}"#, String(repeating: "[", count: 100_000)] {
            let answer = try send(server, "POST", "/subjects/s/versions", body: body)
            #expect([400, 422].contains(answer.status), "\(body.prefix(20)) → \(answer.status)")
            #expect(answer.code == 400 || answer.code == 42201, "\(body.prefix(20)) → \(String(describing: answer.code))")
            #expect(answer.message?.isEmpty == false)
        }
        // Invalid schemas: 42201 with the reason.
        let invalid = try send(server, "POST", "/subjects/s/versions", body: #"{"schema":"{\"type\":\"record\",\"name\":\"1bad\",\"fields\":[]}"}"#)
        #expect(invalid.status == 422 && invalid.code == 42201 && invalid.message?.contains("1bad") == true)
        let badType = try send(server, "POST", "/subjects/s/versions", body: #"{"schema":"{}","schemaType":"XML"}"#)
        #expect(badType.code == 42201)
        try stillServes(server)
    }

    @Test func oversizedBody() throws {
        let server = try RegistryProcess(arguments: ["--max-body", "1000"])
        let answer = try send(server, "POST", "/subjects/s/versions", body: #"{"schema":""# + String(repeating: " ", count: 5000) + #""}"#)
        #expect(answer.status == 413 && answer.code == 413)
        try stillServes(server)
    }

    @Test func unknownRoutesAndMethods() throws {
        let server = try RegistryProcess()
        for path in ["/nothing", "/subjects/s/versions/1/nothing", "/schemas/ids/1/nothing", "/associations/resources/-/orders?resourceType=topic"] {
            let answer = try send(server, "GET", path)
            #expect(answer.status == 404 && answer.code != nil, "\(path)")
        }
        let answer = try send(server, "PATCH", "/subjects/s/versions")
        #expect(answer.status == 405 && answer.code == 405)
        #expect(try send(server, "GET", "/schemas/ids/notanumber").code == 40403)
        try stillServes(server)
    }

    @Test func oddSubjectNames() throws {
        let server = try RegistryProcess()
        let body = #"{"schema":"\"string\""}"#
        #expect(try send(server, "POST", "/subjects/a%2Fb/versions", body: body).status == 200)
        #expect(try send(server, "POST", "/subjects/%2E%2E/versions", body: body).status == 200)
        #expect(try send(server, "POST", "/subjects/bad%00name/versions", body: body).code == 42208)
        #expect(try send(server, "POST", "/subjects/bad%0Aname/versions", body: body).code == 42208)
        #expect(try send(server, "POST", "/subjects/__GLOBAL/versions", body: body).code == 42208)
        #expect(try send(server, "GET", "/subjects/%ZZ/versions").code == 40401) // kept as written, not found
        let names = try RegistryClient(url: server.url).subjects()
        #expect(names == ["a/b", ".."])
        try stillServes(server)
    }

    @Test func credentials() throws {
        let folder = try makeTemporaryDirectory()
        let users = folder.appendingPathComponent("users.txt")
        try "# name:password:role\nreader:r-secret:read\nwriter:w-secret:write\n".write(to: users, atomically: true, encoding: .utf8)
        let server = try RegistryProcess(arguments: ["--users", users.path])
        let body = #"{"schema":"\"string\""}"#
        #expect(try send(server, "GET", "/subjects").status == 401)
        #expect(try send(server, "GET", "/subjects", user: ("reader", "wrong")).code == 40101)
        #expect(try send(server, "GET", "/subjects", user: ("nobody", "r-secret")).status == 401)
        #expect(try send(server, "POST", "/subjects/s/versions", body: body, user: ("reader", "r-secret")).status == 403)
        #expect(try send(server, "PUT", "/config", body: #"{"compatibility":"NONE"}"#, user: ("reader", "r-secret")).code == 40301)
        #expect(try send(server, "POST", "/subjects/s/versions", body: body, user: ("writer", "w-secret")).status == 200)
        // Reads, lookups and compatibility checks are allowed to readers.
        #expect(try send(server, "POST", "/subjects/s", body: body, user: ("reader", "r-secret")).status == 200)
        #expect(try send(server, "POST", "/compatibility/subjects/s/versions/latest", body: body, user: ("reader", "r-secret")).status == 200)
        #expect(try send(server, "GET", "/health").status == 200)
        try stillServes(server, user: ("reader", "r-secret"))
    }

    @Test func garbageOnTheSocket() throws {
        let server = try RegistryProcess()
        let port = UInt16(server.url.split(separator: ":").last!)!
        for garbage in ["NOT HTTP AT ALL\r\n\r\n", "GET /subjects HTTP/1.1\r\nContent-Length: -5\r\n\r\n", "GET / HTTP/1.1\r\n" + String(repeating: "X-A: b\r\n", count: 20_000) + "\r\n"] {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            #expect(connected == 0)
            _ = garbage.withCString { Glibc.send(fd, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            var reply = [UInt8](repeating: 0, count: 512)
            let n = recv(fd, &reply, reply.count, 0)
            close(fd)
            #expect(n > 0 && String(decoding: reply.prefix(max(n, 0)), as: UTF8.self).hasPrefix("HTTP/1.1 4"))
        }
        try stillServes(server)
    }
}

import Foundation
import HTTPClient
import RegistryClient
import Testing
import TestSupport

/// The client's TLS options against a registry that requires a client certificate: a CA made by
/// openssl in the test, a server certificate for 127.0.0.1 and a client certificate.
@Suite struct TLSClientTests {
    func openssl(_ arguments: [String], in folder: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "openssl \(arguments.joined(separator: " "))")
    }

    /// CA, server (SAN 127.0.0.1) and client certificates in `folder`.
    func makeCertificates(in folder: URL) throws {
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=schemactl test CA"], in: folder)
        for name in ["server", "client"] {
            try openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(name)"], in: folder)
            try "subjectAltName=IP:127.0.0.1\n".write(to: folder.appendingPathComponent("\(name).ext"), atomically: true, encoding: .utf8)
            try openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "\(name).pem", "-days", "2", "-extfile", "\(name).ext"], in: folder)
        }
    }

    @Test func caFileAndClientCertificate() throws {
        let folder = try makeTemporaryDirectory()
        try makeCertificates(in: folder)
        let stub = Process()
        stub.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        stub.arguments = ["python3", TestPaths.packageRoot.appendingPathComponent("Tests/RegistryTests/tls_registry_stub.py").path,
                          folder.appendingPathComponent("ca.pem").path, folder.appendingPathComponent("server.pem").path, folder.appendingPathComponent("server.key").path]
        let output = Pipe()
        stub.standardOutput = output
        stub.standardError = FileHandle.nullDevice
        try stub.run()
        defer { kill(stub.processIdentifier, SIGKILL); stub.waitUntilExit() }
        let portLine = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let url = "https://127.0.0.1:\(portLine)"

        var options = HTTPClient.Options()
        options.caFile = folder.appendingPathComponent("ca.pem").path
        options.clientCertificate = folder.appendingPathComponent("client.pem").path
        options.clientKey = folder.appendingPathComponent("client.key").path
        #expect(try RegistryClient(url: url, options: options, retries: 0).subjects() == ["tls-ok"])

        // Without the CA the server's certificate is not trusted: an error, never an answer.
        var untrusted = options
        untrusted.caFile = nil
        #expect(throws: RegistryClientError.self) { _ = try RegistryClient(url: url, options: untrusted, retries: 0).subjects() }
        // Without a client certificate the server refuses the handshake.
        var anonymous = options
        anonymous.clientCertificate = nil
        anonymous.clientKey = nil
        #expect(throws: RegistryClientError.self) { _ = try RegistryClient(url: url, options: anonymous, retries: 0).subjects() }
        // --insecure skips verifying the server, but the client certificate is still needed.
        var insecure = options
        insecure.caFile = nil
        insecure.insecure = true
        #expect(try RegistryClient(url: url, options: insecure, retries: 0).subjects() == ["tls-ok"])
    }
}

import Foundation
import HTTPServer

/// A user of `--users FILE`: read-only users may read, look up and check compatibility; read-write
/// users may also register, delete and change config or mode.
public struct RegistryUser: Sendable, Equatable {
    public var name: String
    public var password: String
    public var canWrite: Bool

    public init(name: String, password: String, canWrite: Bool) {
        self.name = name
        self.password = password
        self.canWrite = canWrite
    }

    /// Lines `name:password:read` or `name:password:write`; `#` comments and blank lines skipped.
    public static func parse(_ text: String) throws(RegistryStartError) -> [RegistryUser] {
        var users: [RegistryUser] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, !parts[0].isEmpty, ["read", "write"].contains(parts[2]) else {
                throw RegistryStartError(description: "users file line \(number + 1): expected name:password:read or name:password:write")
            }
            users.append(RegistryUser(name: parts[0], password: parts[1], canWrite: parts[2] == "write"))
        }
        return users
    }
}

/// HTTP basic authentication. With no users configured every request is allowed; `/health` and
/// `/metrics` are always open so probes and scrapers need no credentials.
struct AccessControl: Sendable {
    let users: [RegistryUser]

    func check(_ request: HTTPRequest, isWrite: Bool) -> HTTPResponse? {
        guard !users.isEmpty else { return nil }
        let path = request.pathSegments
        if path == ["health"] || path == ["metrics"] { return nil }
        guard let header = request.headers["authorization"], header.lowercased().hasPrefix("basic "),
              let decoded = Data(base64Encoded: String(header.dropFirst(6)).trimmingCharacters(in: .whitespaces)),
              let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":"),
              let user = users.first(where: { $0.name == String(pair[..<colon]) && Self.same($0.password, String(pair[pair.index(after: colon)...])) })
        else {
            var response = RegistryRoutes.error(.init(status: 401, code: 40101, message: "Unauthorized: give a valid user name and password (HTTP basic authentication)"))
            response.headers.append(("WWW-Authenticate", "Basic realm=\"schemactl\""))
            return response
        }
        if isWrite && !user.canWrite {
            return RegistryRoutes.error(.init(status: 403, code: 40301, message: "User '\(user.name)' is read-only and cannot \(request.method) \(request.pathOnly)"))
        }
        return nil
    }

    /// Compares without stopping at the first difference.
    private static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var difference = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<min(x.count, y.count) { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

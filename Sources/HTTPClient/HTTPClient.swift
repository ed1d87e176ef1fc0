import CCurlLoader
import Foundation

/// HTTP(S) over libcurl with one kept-alive connection per client. libcurl is loaded on first use.
public final class HTTPClient: @unchecked Sendable {
    public struct Options: Sendable {
        /// Seconds for a whole request, and for connecting.
        public var timeout: Double = 30
        public var connectTimeout: Double = 10
        public var basicAuth: (user: String, password: String)?
        public var bearerToken: String?
        /// PEM files: a CA bundle to verify the server with; a client certificate and key.
        public var caFile: String?
        public var clientCertificate: String?
        public var clientKey: String?
        /// Skip verifying the server's certificate (never the default).
        public var insecure = false
        public var maxResponseBytes = 64 << 20
        public init() {}
    }

    public struct Response: Sendable {
        public var status: Int
        public var body: [UInt8]
    }

    /// No response: the server could not be reached, or the exchange broke off.
    public struct TransportError: Error, CustomStringConvertible, Sendable {
        public var message: String
        /// Connection refused, name not resolved, timed out, ... (worth retrying).
        public var isConnectError: Bool
        public var description: String { message }
    }

    public let options: Options
    private let lock = NSLock()
    private var handle: OpaquePointer?

    public init(options: Options = Options()) {
        self.options = options
    }

    deinit { schemactl_http_close(handle) }

    public func send(_ method: String, _ url: String, headers: [String] = [], body: [UInt8]? = nil) throws(TransportError) -> Response {
        lock.lock()
        defer { lock.unlock() }
        var error = [CChar](repeating: 0, count: 512)
        if handle == nil {
            handle = schemactl_http_open(&error, error.count)
            guard handle != nil else { throw TransportError(message: Self.text(error), isConnectError: false) }
        }
        var lines = headers
        if let token = options.bearerToken { lines.append("Authorization: Bearer \(token)") }
        var status = 0
        var responseBody: UnsafeMutablePointer<UInt8>?
        var length = 0
        let code: Int32 = method.withCString { methodText in url.withCString { urlText in withCStrings(lines) { headerPointers in
            withOptionalCString(options.basicAuth.map { "\($0.user):\($0.password)" }) { userPassword in
            withOptionalCString(options.caFile) { caFile in
            withOptionalCString(options.clientCertificate) { certificate in
            withOptionalCString(options.clientKey) { key in
                (body ?? []).withUnsafeBufferPointer { bytes in
                    var request = schemactl_http_request(
                        method: methodText, url: urlText, headers: headerPointers, header_count: lines.count,
                        body: body == nil ? nil : (bytes.baseAddress ?? UnsafePointer(bitPattern: 1)), body_length: bytes.count,
                        timeout_ms: Int(options.timeout * 1000), connect_timeout_ms: Int(options.connectTimeout * 1000),
                        user_password: userPassword, ca_file: caFile, client_cert: certificate, client_key: key,
                        insecure: options.insecure ? 1 : 0, max_response_bytes: options.maxResponseBytes)
                    return schemactl_http_perform(handle, &request, &status, &responseBody, &length, &error, error.count)
                }
            }}}}
        }}}
        guard code == 0 else {
            throw TransportError(message: Self.text(error), isConnectError: schemactl_http_is_connect_error(code) != 0)
        }
        defer { free(responseBody) }
        let bytes = responseBody.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []
        return Response(status: status, body: bytes)
    }

    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

private func withOptionalCString<T>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> T) -> T {
    guard let string else { return body(nil) }
    return string.withCString { body($0) }
}

private func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> T) -> T {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
}

/// `%` followed by two hex digits, percent-encoding everything but RFC 3986's unreserved characters.
public func percentEncoded(_ text: String) -> String {
    var out = ""
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            out.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            let hex = String(byte, radix: 16, uppercase: true)
            out += "%" + (hex.count == 1 ? "0" : "") + hex
        }
    }
    return out
}


#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Reads HTTP/1.1 requests off one connection, in order (pipelined requests included), enforcing
/// the header and body limits before reading or allocating what a client claims.
struct RequestReader {
    enum Outcome {
        case request(HTTPRequest, keepAlive: Bool)
        /// The peer closed, went idle too long, or the server is stopping.
        case closed
        /// A malformed or oversized request: answer `status` and close.
        case failed(status: Int, message: String)
    }

    let fd: Int32
    let limits: HTTPServer.Limits
    private var buffer: [UInt8] = []
    private var start = 0 // bytes before `start` are consumed
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)

    init(fd: Int32, limits: HTTPServer.Limits) {
        self.fd = fd
        self.limits = limits
    }

    mutating func next() -> Outcome {
        // Headers.
        var headerEnd: Int?
        while true {
            headerEnd = findHeaderEnd()
            if headerEnd != nil { break }
            if buffer.count - start > limits.maxHeaderBytes { return .failed(status: 431, message: "Request headers larger than \(limits.maxHeaderBytes) bytes") }
            if !fill() { return .closed }
        }
        let head = String(decoding: buffer[start..<headerEnd!], as: UTF8.self)
        start = headerEnd! + 4
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: true)
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1.") else {
            return .failed(status: 400, message: "Malformed request line")
        }
        var headers: [String: String] = [:]
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return .failed(status: 400, message: "Malformed header line") }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { $0 + ", " + value } ?? value
        }
        let version = requestLine[2]
        let connection = headers["connection"]?.lowercased() ?? ""
        let keepAlive = version == "HTTP/1.1" ? !connection.contains("close") : connection.contains("keep-alive")
        if headers["expect"]?.lowercased() == "100-continue" {
            _ = HTTPServer.write(fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }

        // Body.
        var body: [UInt8] = []
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            switch readChunked() {
            case .success(let bytes): body = bytes
            case .failure(let failure): return failure.outcome
            }
        } else if let lengthText = headers["content-length"] {
            guard let length = Int(lengthText), length >= 0 else { return .failed(status: 400, message: "Invalid Content-Length") }
            guard length <= limits.maxBodyBytes else {
                return .failed(status: 413, message: "Request body of \(length) bytes is larger than the limit of \(limits.maxBodyBytes) bytes")
            }
            while buffer.count - start < length { if !fill() { return .closed } }
            body = Array(buffer[start..<start + length])
            start += length
        }
        compact()
        return .request(HTTPRequest(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body), keepAlive: keepAlive)
    }

    private struct Failure: Error { let outcome: Outcome }

    private mutating func readChunked() -> Result<[UInt8], Failure> {
        var body: [UInt8] = []
        while true {
            guard let line = readLine() else { return .failure(Failure(outcome: .closed)) }
            let sizeText = line.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else { return .failure(Failure(outcome: .failed(status: 400, message: "Malformed chunk size"))) }
            if size == 0 {
                while let trailer = readLine(), !trailer.isEmpty {}
                return .success(body)
            }
            guard body.count + size <= limits.maxBodyBytes else {
                return .failure(Failure(outcome: .failed(status: 413, message: "Request body larger than the limit of \(limits.maxBodyBytes) bytes")))
            }
            while buffer.count - start < size + 2 { if !fill() { return .failure(Failure(outcome: .closed)) } }
            body += buffer[start..<start + size]
            start += size + 2
        }
    }

    private mutating func readLine() -> String? {
        while true {
            if let end = find([13, 10], from: start) {
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = end + 2
                return line
            }
            if buffer.count - start > limits.maxHeaderBytes || !fill() { return nil }
        }
    }

    private func findHeaderEnd() -> Int? { find([13, 10, 13, 10], from: start) }

    private func find(_ needle: [UInt8], from: Int) -> Int? {
        guard buffer.count - from >= needle.count else { return nil }
        var i = from
        while i + needle.count <= buffer.count {
            if buffer[i] == needle[0] && buffer[i..<i + needle.count].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// Reads more bytes; false when the peer closed, the idle timeout passed, or the socket failed.
    private mutating func fill() -> Bool {
        while true {
            let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 { buffer += scratch[0..<n]; return true }
            if n < 0 && errno == EINTR { continue }
            return false
        }
    }

    private mutating func compact() {
        if start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
        else if start > 64 * 1024 { buffer.removeFirst(start); start = 0 }
    }
}

#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A small HTTP/1.1 server on POSIX sockets: a thread per connection, keep-alive, Content-Length and
/// chunked bodies, limits on header and body sizes, and a graceful stop. It is what the registry
/// needs and no more, so the package carries no server framework (every CI run builds from scratch).
public final class HTTPServer: @unchecked Sendable {
    public struct Limits: Sendable {
        public var maxHeaderBytes = 64 * 1024
        public var maxBodyBytes = 16 * 1024 * 1024
        /// A connection that sends nothing for this long is closed.
        public var idleTimeoutSeconds = 30
        public var maxConnections = 1024
        public init() {}
    }

    public typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    public let host: String
    /// The bound port (the one the kernel chose when 0 was asked for).
    public private(set) var port: Int = 0
    private let limits: Limits
    private let handler: Handler
    private var listener: Int32 = -1
    private let lock = NSLock()
    private var connections: [Int32: Bool] = [:] // fd -> busy with a request
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)
    private var acceptThread: Thread?

    public init(host: String, port: Int, limits: Limits = Limits(), handler: @escaping Handler) throws(HTTPServerError) {
        self.host = host
        self.limits = limits
        self.handler = handler
        signal(SIGPIPE, SIG_IGN)
        listener = try Self.bind(host: host, port: port)
        self.port = Self.boundPort(listener)
    }

    /// Starts accepting connections on a background thread.
    public func start() {
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "http-accept"
        acceptThread = thread
        thread.start()
    }

    /// Stops accepting, lets requests in progress finish (up to `grace` seconds), then closes
    /// every connection.
    public func stop(grace: Double = 10) {
        lock.lock()
        if stopping { lock.unlock(); return }
        stopping = true
        let idle = connections.filter { !$0.value }.map(\.key)
        lock.unlock()
        Glibc.shutdown(listener, Int32(SHUT_RDWR))
        for fd in idle { Glibc.shutdown(fd, Int32(SHUT_RD)) }
        let deadline = Date().addingTimeInterval(grace)
        while Date() < deadline {
            lock.lock()
            let open = connections.count
            lock.unlock()
            if open == 0 { break }
            usleep(10_000)
        }
        lock.lock()
        for fd in connections.keys { Glibc.shutdown(fd, Int32(SHUT_RDWR)) }
        lock.unlock()
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                if errno == EMFILE || errno == ENFILE { usleep(10_000); continue }
                return // the listener was shut down
            }
            lock.lock()
            let refuse = stopping || connections.count >= limits.maxConnections
            if !refuse { connections[fd] = false }
            lock.unlock()
            if refuse {
                let response = HTTPResponse(status: 503, contentType: "application/json", body: #"{"error_code":503,"message":"Server busy or shutting down"}"#)
                _ = Self.write(fd, Self.serialize(response, keepAlive: false))
                close(fd)
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            var timeout = timeval(tv_sec: limits.idleTimeoutSeconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let thread = Thread { [self] in serve(fd) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private func setBusy(_ fd: Int32, _ busy: Bool) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        connections[fd] = busy
        return !stopping
    }

    private func serve(_ fd: Int32) {
        defer {
            lock.lock()
            connections[fd] = nil
            lock.unlock()
            close(fd)
        }
        var reader = RequestReader(fd: fd, limits: limits)
        while true {
            let outcome = reader.next()
            switch outcome {
            case .closed:
                return
            case .failed(let status, let message):
                let body = "{\"error_code\":\(status),\"message\":\"\(message)\"}"
                _ = Self.write(fd, Self.serialize(HTTPResponse(status: status, contentType: "application/json", body: body), keepAlive: false))
                return
            case .request(let request, let keepAlive):
                let running = setBusy(fd, true)
                let response = handler(request)
                let stayOpen = keepAlive && running && setBusy(fd, false)
                guard Self.write(fd, Self.serialize(response, keepAlive: stayOpen, head: request.method == "HEAD")) else { return }
                if !stayOpen { return }
            }
        }
    }

    static func serialize(_ response: HTTPResponse, keepAlive: Bool, head: Bool = false) -> [UInt8] {
        var text = "HTTP/1.1 \(response.status) \(reasonPhrase(response.status))\r\n"
        for (name, value) in response.headers { text += "\(name): \(value)\r\n" }
        text += "Content-Length: \(response.body.count)\r\n"
        text += keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n"
        var bytes = Array(text.utf8)
        if !head { bytes += response.body }
        return bytes
    }

    static func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 { if errno == EINTR { continue }; return false }
            sent += n
        }
        return true
    }

    private static func bind(host: String, port: Int) throws(HTTPServerError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var info: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &info)
        guard status == 0, let first = info else {
            throw .cannotListen("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(info) }
        let fd = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw .cannotListen("socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        guard Glibc.bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw .cannotListen("cannot listen on \(host):\(port): \(reason)")
        }
        guard listen(fd, 512) == 0 else {
            close(fd)
            throw .cannotListen("listen: \(String(cString: strerror(errno)))")
        }
        return fd
    }

    private static func boundPort(_ fd: Int32) -> Int {
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        let family = address.ss_family
        let raw: UInt16 = withUnsafePointer(to: &address) {
            if family == sa_family_t(AF_INET6) {
                return $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_port }
            }
            return $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_port }
        }
        return Int(UInt16(bigEndian: raw))
    }
}

public enum HTTPServerError: Error, CustomStringConvertible {
    case cannotListen(String)
    public var description: String {
        switch self { case .cannotListen(let message): message }
    }
}

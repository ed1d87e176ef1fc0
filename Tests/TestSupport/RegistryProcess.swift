import Foundation

/// A `schemactl registry serve` child process on a free loopback port, for tests that need a real
/// registry over HTTP. Stopped with SIGKILL (test processes block SIGTERM for their children).
public final class RegistryProcess: @unchecked Sendable {
    public let process: Process
    public let url: String
    public let storage: String

    /// Starts the server and waits for its "listening on" line.
    public init(storage: String = "memory", arguments: [String] = []) throws {
        self.storage = storage
        process = Process()
        process.executableURL = TestPaths.schemactl
        process.arguments = ["registry", "serve", "--listen", "127.0.0.1:0", "--storage", storage] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var line = ""
        let handle = output.fileHandleForReading
        while !line.contains("\n") {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            line += String(decoding: chunk, as: UTF8.self)
        }
        guard let range = line.range(of: "http://"), let end = line[range.lowerBound...].firstIndex(of: " ") else {
            process.terminate()
            throw RegistryProcessError(message: "the registry did not start: \(line)")
        }
        url = String(line[range.lowerBound..<end])
    }

    public func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { kill() }
}

public struct RegistryProcessError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

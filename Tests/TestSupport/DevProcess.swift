import Foundation

/// A `schemactl dev --print-env` child process: the embedded Kafka and registry of a project, for
/// tests that need both. Stopped with SIGKILL by `kill()`, or when this process ends (a suite-wide
/// instance is never deinitialized): its stdin closes and it stops itself.
public final class DevProcess: @unchecked Sendable {
    public let process: Process
    /// Our end of the child's stdin: when this process ends, it closes and the child stops.
    private let lifeline = Pipe()
    public let bootstrapServers: String
    public let registryURL: String
    /// From launch to both export lines read.
    public let secondsToReady: Double

    public init(arguments: [String] = [], in directory: URL = TestPaths.packageRoot) throws {
        let started = Date()
        process = Process()
        process.executableURL = TestPaths.schemactl
        process.arguments = ["dev", "--print-env", "--stop-on-stdin-eof"] + arguments
        process.currentDirectoryURL = directory
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = lifeline
        try process.run()
        var text = ""
        let handle = output.fileHandleForReading
        while text.split(separator: "\n").count < 2 {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        secondsToReady = Date().timeIntervalSince(started)
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("export ") {
            let assignment = line.dropFirst("export ".count)
            if let equals = assignment.firstIndex(of: "=") { values[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...]) }
        }
        guard let bootstrap = values["KAFKA_BOOTSTRAP_SERVERS"], let registry = values["SCHEMA_REGISTRY_URL"] else {
            if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
            throw RegistryProcessError(message: "schemactl dev did not start: \(text)")
        }
        bootstrapServers = bootstrap
        registryURL = registry
    }

    public func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { kill() }
}

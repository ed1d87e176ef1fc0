import Foundation

/// Where things are when tests run: the package root, the shared test vectors (read in place,
/// never copied into the project), and the built `schemactl` binary.
public enum TestPaths {
    /// The package root, found from this file's path.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared/vectors` beside the checkout, or `SCHEMACTL_VECTORS`.
    public static var vectors: URL {
        if let override = ProcessInfo.processInfo.environment["SCHEMACTL_VECTORS"] { return URL(fileURLWithPath: override) }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/vectors")
    }

    public static func fixture(_ relative: String) -> URL {
        packageRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(relative)
    }

    /// The `schemactl` executable that `swift test` built next to the test bundle.
    public static var schemactl: URL {
        if let override = ProcessInfo.processInfo.environment["SCHEMACTL_BIN"] { return URL(fileURLWithPath: override) }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("schemactl")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return packageRoot.appendingPathComponent(".build/debug/schemactl")
    }

    public static func read(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }

    public static func readJSON(_ url: URL) throws -> Any { try JSONSerialization.jsonObject(with: Data(contentsOf: url)) }
}

/// The outcome of running the CLI.
public struct CommandResult: Sendable {
    public var status: Int32
    /// How the process ended: exit or uncaught signal (a crash).
    public var terminatedBySignal: Bool
    public var stdout: String
    public var stderr: String
}

/// Runs `schemactl` with `arguments` in `directory`, feeding nothing on stdin.
public func runSchemactl(_ arguments: [String], in directory: URL = TestPaths.packageRoot,
                         environment: [String: String] = [:]) throws -> CommandResult {
    try runProcess(TestPaths.schemactl, arguments, in: directory, environment: environment, input: nil)
}

/// Runs a built executable with `arguments` in `directory` (the environment plus `environment`),
/// feeding nothing on stdin.
public func runExecutable(_ executable: URL, _ arguments: [String], in directory: URL,
                          environment: [String: String] = [:]) throws -> CommandResult {
    try runProcess(executable, arguments, in: directory, environment: environment, input: nil)
}

/// Runs a program found on PATH (kcat, python3) with `input` on stdin; waits for it to end.
public func runTool(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws -> CommandResult {
    try runProcess(URL(fileURLWithPath: "/usr/bin/env"), arguments, in: nil, environment: environment, input: input)
}

/// Runs a program to its end; nil `input` means stdin is /dev/null.
func runProcess(_ executable: URL, _ arguments: [String], in directory: URL?, environment: [String: String], input: String?) throws -> CommandResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let stdout = Pipe(), stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    let stdin = input.map { _ in Pipe() }
    process.standardInput = stdin ?? FileHandle.nullDevice
    try process.run()
    if let stdin, let input {
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
    }
    // Read both pipes concurrently so a large output cannot block the child.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async { errData = stderr.fileHandleForReading.readDataToEndOfFile(); group.leave() }
    let outData = stdout.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, terminatedBySignal: process.terminationReason == .uncaughtSignal,
                         stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}

/// A fresh temporary folder.
public func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("schemactl-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

import Contracts
import Foundation
import JSONDocument

/// The contract environment of `schemactl contract verify`: the local file system, the provider-state
/// hook (a shell command) and the `tensor-info` helper for tensor matchers.
struct LocalContractEnvironment: ContractEnvironment {
    /// Run with `/bin/sh -c` once per provider state; nil when none was given.
    var stateHook: String?
    /// How long a hook may take.
    var hookTimeout: Double = 60

    func fileExists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    func stageFixture(from source: String, to destination: String) throws {
        let manager = FileManager.default
        guard manager.fileExists(atPath: source) else { throw EnvironmentError("\(source) does not exist") }
        do {
            try manager.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            if manager.fileExists(atPath: destination) { try manager.removeItem(atPath: destination) }
            try manager.copyItem(atPath: source, toPath: destination)
        } catch {
            throw EnvironmentError("cannot copy \(source) to \(destination): \(error.localizedDescription)")
        }
    }

    func removeFixture(at destination: String) throws {
        do { try FileManager.default.removeItem(atPath: destination) } catch {
            throw EnvironmentError(error.localizedDescription)
        }
    }

    /// The hook gets {"contract": ID, "state": NAME, "params": {...}} on stdin and the same as
    /// SCHEMACTL_CONTRACT, SCHEMACTL_PROVIDER_STATE, SCHEMACTL_PROVIDER_STATE_PARAMS; exit 0 means ready.
    func setUpProviderState(_ name: String, params: JSONValue, contractID: String) throws {
        guard let stateHook else {
            throw EnvironmentError("the contract is given provider states but no hook sets them up; pass --state-hook CMD")
        }
        var request = JSONObject()
        request.append("contract", .string(contractID))
        request.append("state", .string(name))
        request.append("params", params)
        let environment = ["SCHEMACTL_CONTRACT": contractID, "SCHEMACTL_PROVIDER_STATE": name, "SCHEMACTL_PROVIDER_STATE_PARAMS": params.compactText]
        let result = try Self.run(["/bin/sh", "-c", stateHook], input: JSONValue.object(request).compactText + "\n", environment: environment, timeout: hookTimeout)
        guard result.status == 0 else {
            let detail = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").suffix(3).joined(separator: " | ")
            throw EnvironmentError("the state hook `\(stateHook)` \(result.timedOut ? "took longer than \(Int(hookTimeout)) s" : "exited with status \(result.status)")\(detail.isEmpty ? "" : ": \(detail)")")
        }
    }

    /// Asks `tensor-info` (built beside schemactl; SCHEMACTL_TENSOR_INFO overrides the path).
    func tensorInfo(at path: String) throws -> TensorInfo {
        let helper = ProcessInfo.processInfo.environment["SCHEMACTL_TENSOR_INFO"]
            ?? ((Bundle.main.executablePath ?? CommandLine.arguments[0]) as NSString).deletingLastPathComponent + "/tensor-info"
        guard FileManager.default.isExecutableFile(atPath: helper) else {
            throw EnvironmentError("tensor matchers need the tensor-info helper (swift build --product tensor-info), not found at \(helper)")
        }
        let result = try Self.run([helper, path], input: "", environment: [:], timeout: 120)
        guard result.status == 0 else { throw EnvironmentError(result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)) }
        guard case .object(let object)? = try? JSONDocument(parsing: Array(result.stdout.utf8)).root,
              case .array(let dims)? = object["shape"], case .string(let dtype)? = object["dtype"] else {
            throw EnvironmentError("tensor-info printed something unexpected: \(result.stdout.prefix(200))")
        }
        return TensorInfo(shape: dims.compactMap { if case .integer(let n) = $0 { Int(n) } else { nil } }, dtype: dtype)
    }

    struct ProcessResult {
        var status: Int32
        var stdout: String
        var stderr: String
        var timedOut: Bool
    }

    /// Runs a program to completion (killed after `timeout` seconds); outputs are small here.
    static func run(_ arguments: [String], input: String, environment: [String: String], timeout: Double) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do { try process.run() } catch { throw EnvironmentError("cannot run \(arguments[0]): \(error.localizedDescription)") }
        // Drain the pipes while waiting so that a chatty child never blocks on a full pipe.
        let collected = OutputCollector()
        let group = DispatchGroup()
        for (handle, isError) in [(stdout.fileHandleForReading, false), (stderr.fileHandleForReading, true)] {
            group.enter()
            DispatchQueue.global().async {
                let data = handle.readDataToEndOfFile()
                collected.set(String(decoding: data, as: UTF8.self), isError: isError)
                group.leave()
            }
        }
        // A hook that exits without reading its input (`exit 0`) closes the pipe: the write must
        // fail with EPIPE (ignored: the hook's status decides), not kill schemactl with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                process.terminate()
                break
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        group.wait()
        return ProcessResult(status: timedOut ? -1 : process.terminationStatus, stdout: collected.stdout, stderr: collected.stderr, timedOut: timedOut)
    }
}

/// The two outputs of a child process, filled by the threads that read them.
private final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var out = "", err = ""
    var stdout: String { lock.withLock { out } }
    var stderr: String { lock.withLock { err } }
    func set(_ text: String, isError: Bool) { lock.withLock { if isError { err = text } else { out = text } } }
}

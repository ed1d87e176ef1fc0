import Contracts
import Foundation
import JSONDocument
import TensorFiles

/// An environment that records what verification asked of it, in order; tensor files are read for
/// real (through TensorFiles), the rest is pretend. `failingState` / `failingSource` make those steps fail.
final class RecordingEnvironment: ContractEnvironment, @unchecked Sendable {
    private let lock = NSLock()
    private var log: [String] = []
    let failingState: String?
    let failingSource: String?

    init(failingState: String? = nil, failingSource: String? = nil) {
        self.failingState = failingState
        self.failingSource = failingSource
    }

    var events: [String] { lock.withLock { log } }
    private func record(_ event: String) { lock.withLock { log.append(event) } }

    func fileExists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    func stageFixture(from source: String, to destination: String) throws {
        if source == failingSource { throw EnvironmentError("\(source) does not exist") }
        record("stage \(source) -> \(destination)")
    }

    func removeFixture(at destination: String) throws { record("remove \(destination)") }

    func setUpProviderState(_ name: String, params: JSONValue, contractID: String) throws {
        if name == failingState { throw EnvironmentError("the state hook exited with status 3: no such person") }
        record("state \(name) \(params.compactText) for \(contractID)")
    }

    func tensorInfo(at path: String) throws -> TensorInfo {
        let info = try TensorFile.info(atPath: path)
        return TensorInfo(shape: info.shape, dtype: info.dtype)
    }
}

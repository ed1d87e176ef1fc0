import JSONDocument

/// What verification needs from outside Kafka: files (fixtures, file matchers), the provider-state
/// hook and tensor files. The library only asks; the CLI supplies the real environment, tests fakes.
public protocol ContractEnvironment: Sendable {
    func fileExists(_ path: String) -> Bool
    /// Copies a fixture into place, creating the destination's folders.
    func stageFixture(from source: String, to destination: String) throws
    func removeFixture(at destination: String) throws
    /// Puts the provider into a named state; throws (with what went wrong) when it cannot.
    func setUpProviderState(_ name: String, params: JSONValue, contractID: String) throws
    /// Shape and dtype of the tensor in a torch.save / pickle_save file.
    func tensorInfo(at path: String) throws -> TensorInfo
}

/// The shape and element type of a tensor file; dtype as Python names it ("float32", "bfloat16", "int64").
public struct TensorInfo: Sendable, Hashable {
    public var shape: [Int]
    public var dtype: String
    public init(shape: [Int], dtype: String) {
        self.shape = shape
        self.dtype = dtype
    }
}

/// An error an environment reports, with the message to show in the contract's report.
public struct EnvironmentError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// An environment that only answers "does this file exist": no fixtures, no provider states, no
/// tensor files (each refused with a message that says what is missing).
public struct FileCheckEnvironment: ContractEnvironment {
    public var exists: @Sendable (String) -> Bool
    public init(_ exists: @escaping @Sendable (String) -> Bool = { _ in false }) { self.exists = exists }
    public func fileExists(_ path: String) -> Bool { exists(path) }
    public func stageFixture(from source: String, to destination: String) throws { throw EnvironmentError("this verifier cannot stage fixture files") }
    public func removeFixture(at destination: String) throws {}
    public func setUpProviderState(_ name: String, params: JSONValue, contractID: String) throws {
        throw EnvironmentError("no provider-state hook is configured (schemactl contract verify --state-hook CMD)")
    }
    public func tensorInfo(at path: String) throws -> TensorInfo { throw EnvironmentError("this verifier cannot read tensor files") }
}

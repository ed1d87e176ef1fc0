/// The durable copy of the registry's state. `commit` returns only once the changes would survive
/// the process being killed; the server answers 200 only after that.
protocol RegistryStore: Sendable {
    func load() throws(StoreError) -> RegistryState
    func commit(_ changes: [StateChange]) throws(StoreError)
    func close()
}

struct StoreError: Error, CustomStringConvertible {
    var description: String
}

/// `--storage memory`: nothing survives a restart (tests, throwaway registries).
struct MemoryStore: RegistryStore {
    func load() -> RegistryState { RegistryState() }
    func commit(_ changes: [StateChange]) {}
    func close() {}
}

/// What a registry-aware serializer needs from a schema registry: the id of a schema, and the
/// schema of an id. The runtime stays pure Swift; an adapter over a registry client (the
/// `AvroRegistry` library over `RegistryClient`) or a test double implements it.
public protocol SchemaIDResolver: Sendable {
    /// The id of `schema` under `subject`; with `register`, registers it first when it is new.
    func id(ofSchema schema: String, subject: String, register: Bool) throws(SchemaLookupError) -> Int32
    /// The schema text registered under `id`.
    func schema(ofID id: Int32) throws(SchemaLookupError) -> String
}

/// Why a registry lookup failed.
public struct SchemaLookupError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The registry does not have the schema or id (as opposed to being unreachable).
    public var isNotFound: Bool
    public var message: String

    public init(isNotFound: Bool, message: String) {
        self.isNotFound = isNotFound
        self.message = message
    }

    public var description: String { message }
}

/// Why a message could not be serialized or deserialized through a registry.
public enum AvroSerdeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The registry could not give the id or schema.
    case registry(SchemaLookupError)
    /// The writer's schema cannot be read as the type's.
    case resolution(AvroResolutionError)
    /// The bytes are not a datum (bad framing, an unknown id, truncation, …).
    case decoding(AvroDecodingError)

    public var description: String {
        switch self {
        case .registry(let error): "registry: \(error.message)"
        case .resolution(let error): "schema resolution: \(error.message)"
        case .decoding(let error): error.description
        }
    }
}

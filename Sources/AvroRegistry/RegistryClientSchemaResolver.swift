import AvroRuntime
import RegistryClient
import RegistryModel

/// The runtime's `SchemaIDResolver` over `RegistryClient`: any Confluent-compatible registry.
/// Generated code and the runtime stay free of HTTP; a service links this adapter to use
/// `AvroRegistrySerializer` and `AvroRegistryDeserializer` against a real registry.
public struct RegistryClientSchemaResolver: SchemaIDResolver {
    public let client: RegistryClient

    public init(client: RegistryClient) { self.client = client }

    public init(url: String) { self.init(client: RegistryClient(url: url)) }

    public func id(ofSchema schema: String, subject: String, register: Bool) throws(SchemaLookupError) -> Int32 {
        let request = SchemaRequest(schema: schema, schemaType: .avro)
        let registered: RegisteredSchema
        do throws(RegistryClientError) {
            registered = register ? try client.register(subject: subject, request) : try client.lookup(subject: subject, request)
        } catch {
            throw Self.lookupError(error)
        }
        guard let id = Int32(exactly: registered.id) else { throw SchemaLookupError(isNotFound: false, message: "schema id \(registered.id) is out of range") }
        return id
    }

    public func schema(ofID id: Int32) throws(SchemaLookupError) -> String {
        let registered: RegisteredSchema
        do throws(RegistryClientError) { registered = try client.schema(id: Int(id)) } catch { throw Self.lookupError(error) }
        guard registered.schemaType == .avro else { throw SchemaLookupError(isNotFound: false, message: "schema \(id) is \(registered.schemaType.rawValue), not AVRO") }
        return registered.schema
    }

    /// 404s (40401 subject, 40403 schema, …) mean "not there"; anything else is the registry's failure.
    static func lookupError(_ error: RegistryClientError) -> SchemaLookupError {
        let notFound = error.errorCode.map { $0 / 100 == 404 } ?? false
        return SchemaLookupError(isNotFound: notFound, message: error.description)
    }
}

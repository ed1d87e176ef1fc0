#if canImport(Foundation)
import Foundation
#endif

/// Serializes a generated type in Confluent's wire format (0x00, the 4-byte schema id, the datum).
/// The id is looked up (or registered) once, on first use, and cached.
public final class AvroRegistrySerializer<Message: AvroMessage>: @unchecked Sendable {
    public let subject: String
    private let resolver: any SchemaIDResolver
    private let register: Bool
    private let lock = NSLock()
    private var header: [UInt8]?

    /// `subject`: e.g. `<topic>-value` (Confluent's TopicNameStrategy). With `autoRegister`, a
    /// schema the subject does not have yet is registered (as Confluent's auto.register.schemas).
    public init(resolver: any SchemaIDResolver, subject: String, autoRegister: Bool = false) {
        self.resolver = resolver
        self.subject = subject
        self.register = autoRegister
    }

    public func serialize(_ message: Message) throws(AvroSerdeError) -> [UInt8] {
        var writer = AvroBinaryWriter(prefix: try framingHeader())
        message.encode(to: &writer)
        return writer.finish()
    }

    private func framingHeader() throws(AvroSerdeError) -> [UInt8] {
        if let header = lock.withLock({ header }) { return header }
        let id: Int32
        do throws(SchemaLookupError) { id = try resolver.id(ofSchema: Message.avroSchema, subject: subject, register: register) } catch {
            throw .registry(error)
        }
        let made = ConfluentFraming.header(schemaID: id)
        lock.withLock { header = made }
        return made
    }
}

/// Deserializes Confluent-framed datums into a generated type, whatever schema they were written
/// with: the writer's schema is fetched by id once, and a resolution plan to the type's schema
/// compiled once per id, then cached.
public final class AvroRegistryDeserializer<Message: AvroMessage>: @unchecked Sendable {
    private let resolver: any SchemaIDResolver
    private let limits: AvroDecodingLimits
    private let lock = NSLock()
    private var plans: [Int32: AvroResolution] = [:]

    public init(resolver: any SchemaIDResolver, limits: AvroDecodingLimits = .default) {
        self.resolver = resolver
        self.limits = limits
    }

    public func deserialize(_ bytes: [UInt8]) throws(AvroSerdeError) -> Message {
        let id: Int32, start: Int
        do throws(AvroDecodingError) { (id, start) = try ConfluentFraming.parse(bytes) } catch { throw .decoding(error) }
        let plan = try resolution(forID: id)
        do throws(AvroDecodingError) { return try Message(avro: bytes[start...], resolution: plan, limits: limits) } catch { throw .decoding(error) }
    }

    /// The plan for datums written with schema `id`; an id the registry does not know is
    /// `AvroDecodingError.unknownSchemaID` (the message is bad, not the consumer).
    private func resolution(forID id: Int32) throws(AvroSerdeError) -> AvroResolution {
        if let plan = lock.withLock({ plans[id] }) { return plan }
        let writerSchema: String
        do throws(SchemaLookupError) { writerSchema = try resolver.schema(ofID: id) } catch {
            if error.isNotFound { throw .decoding(.unknownSchemaID(id)) }
            throw .registry(error)
        }
        let plan: AvroResolution
        do throws(AvroResolutionError) { plan = try Message.resolution(fromWriterSchema: writerSchema) } catch { throw .resolution(error) }
        lock.withLock { plans[id] = plan }
        return plan
    }
}

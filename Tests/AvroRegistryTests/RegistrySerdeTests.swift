import AvroRegistry
import AvroRuntime
import Foundation
import GoldenSeeds
import RegistryClient
import RegistryModel
import Testing
import TestSupport

/// The registry-aware serializer and deserializer against a real registry (`schemactl registry
/// serve`): ids looked up or registered once, old writer schemas resolved, bad frames typed errors.
@Suite(.serialized) struct RegistrySerdeTests {
    /// Counts the calls that reach the registry, to see the caches work.
    final class CountingResolver: SchemaIDResolver, @unchecked Sendable {
        let inner: RegistryClientSchemaResolver
        private let lock = NSLock()
        private var count = 0
        var calls: Int { lock.withLock { count } }
        init(_ inner: RegistryClientSchemaResolver) { self.inner = inner }
        func id(ofSchema schema: String, subject: String, register: Bool) throws(SchemaLookupError) -> Int32 {
            lock.withLock { count += 1 }
            return try inner.id(ofSchema: schema, subject: subject, register: register)
        }
        func schema(ofID id: Int32) throws(SchemaLookupError) -> String {
            lock.withLock { count += 1 }
            return try inner.schema(ofID: id)
        }
    }

    static let request = SamplingRequest(requestId: "r", positiveEncodingFile: "p", negativeEncodingFile: "n", latentFile: "l", unetModelName: "u",
                                         loraModelName: "lo", samplingParams: SamplingParams(seed: 7), modelTransformParams: ModelTransformParams(), timestamp: 42)

    @Test func serializeRegistersOnceAndDeserializeReadsBack() throws {
        let registry = try RegistryProcess()
        defer { registry.kill() }
        let resolver = CountingResolver(RegistryClientSchemaResolver(url: registry.url))
        // Without auto-registration an unknown subject is a registry error, not a crash.
        let strict = AvroRegistrySerializer<SamplingRequest>(resolver: resolver, subject: "sampling-requests-value")
        #expect(performing: { try strict.serialize(Self.request) }, throws: { error in
            if case .registry(let lookup)? = error as? AvroSerdeError { lookup.isNotFound } else { false }
        })
        let serializer = AvroRegistrySerializer<SamplingRequest>(resolver: resolver, subject: "sampling-requests-value", autoRegister: true)
        let first = try serializer.serialize(Self.request)
        let second = try serializer.serialize(Self.request)
        let id = try RegistryClient(url: registry.url).version(subject: "sampling-requests-value").id
        #expect(Array(first.prefix(5)) == ConfluentFraming.header(schemaID: Int32(id)))
        #expect(Array(first.dropFirst(5)) == Self.request.avroBytes() && second == first)
        let deserializer = AvroRegistryDeserializer<SamplingRequest>(resolver: resolver)
        #expect(try deserializer.deserialize(first) == Self.request)
        #expect(try deserializer.deserialize(second) == Self.request)
        #expect(resolver.calls == 3)  // strict lookup, registration, then one fetch of schema id
    }

    @Test func oldWriterSchemasAreResolvedAndBadFramesAreTypedErrors() throws {
        let registry = try RegistryProcess()
        defer { registry.kill() }
        let client = RegistryClient(url: registry.url)
        let old = String(decoding: try TestPaths.read(TestPaths.fixture("resolution/SamplingResponse.v0.avsc")), as: UTF8.self)
        let oldID = try client.register(subject: "old-sampling-responses-value", SchemaRequest(schema: old)).id
        // A datum of the old schema: request_id "a", status "cancelled" (index 1), a path, timestamp 5.
        var writer = AvroBinaryWriter(prefix: ConfluentFraming.header(schemaID: Int32(oldID)))
        writer.writeString("a"); writer.writeEnumIndex(1); writer.writeUnionIndex(1); writer.writeString("/x.pt"); writer.writeLong(5)
        let deserializer = AvroRegistryDeserializer<SamplingResponse>(resolver: RegistryClientSchemaResolver(client: client))
        #expect(try deserializer.deserialize(writer.finish()) == SamplingResponse(requestId: "a", status: .error, outputLatentFilePath: "/x.pt", timestamp: 5))

        let unknown = ConfluentFraming.header(schemaID: 9_999) + [0x02, 0x61]
        #expect(throws: AvroSerdeError.decoding(.unknownSchemaID(9_999))) { try deserializer.deserialize(unknown) }
        #expect(throws: AvroSerdeError.decoding(.badMagicByte(expected: [0], found: [1]))) { try deserializer.deserialize([1, 0, 0, 0, 1, 2]) }
        #expect(throws: AvroSerdeError.decoding(.truncated(offset: 3))) { try deserializer.deserialize([0, 0, 0]) }
        // A writer schema that cannot be read as the type: a resolution error.
        let incompatible = String(decoding: try TestPaths.read(TestPaths.fixture("resolution/SamplingResponse.incompatible.avsc")), as: UTF8.self)
        let badID = try client.register(subject: "other-value", SchemaRequest(schema: incompatible)).id
        #expect(performing: { try deserializer.deserialize(ConfluentFraming.header(schemaID: Int32(badID)) + [0x02]) }, throws: { error in
            if case .resolution? = error as? AvroSerdeError { true } else { false }
        })
        // An unreachable registry is a registry error.
        registry.kill()
        let offline = AvroRegistryDeserializer<SamplingResponse>(resolver: RegistryClientSchemaResolver(client: RegistryClient(url: registry.url, retries: 0)))
        #expect(performing: { try offline.deserialize(ConfluentFraming.header(schemaID: Int32(oldID)) + [0x02]) }, throws: { error in
            if case .registry(let lookup)? = error as? AvroSerdeError { !lookup.isNotFound } else { false }
        })
    }
}

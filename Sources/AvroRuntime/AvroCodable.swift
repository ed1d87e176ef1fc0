/// A value with a generated Avro binary encoding: records, enums, fixed types and unions.
/// Generated code reads and writes fields in schema order through these two requirements; there is
/// no reflection and no intermediate tree.
public protocol AvroCodable: Sendable {
    init(from reader: inout AvroBinaryReader) throws(AvroDecodingError)
    func encode(to writer: inout AvroBinaryWriter)
}

/// The type of a schema's root: it knows its schema, so it can be framed and resolved.
public protocol AvroMessage: AvroCodable {
    /// The schema as written (minified JSON: defaults, docs and logical types kept).
    static var avroSchema: String { get }
    /// CRC-64-AVRO of the schema's Parsing Canonical Form.
    static var avroFingerprint: UInt64 { get }
}

extension AvroCodable {
    /// Decodes a datum that must use all of `bytes`.
    @inlinable public init(avro bytes: [UInt8], limits: AvroDecodingLimits = .default) throws(AvroDecodingError) {
        self = try AvroBinaryReader.read(bytes, limits: limits) { (reader) throws(AvroDecodingError) in
            let value = try Self(from: &reader)
            try reader.expectEnd()
            return value
        }
    }

    /// Decodes a datum that must use all of `bytes`.
    public init<Bytes: Collection>(avro bytes: Bytes, limits: AvroDecodingLimits = .default) throws(AvroDecodingError)
    where Bytes.Element == UInt8 {
        self = try AvroBinaryReader.read(bytes, limits: limits) { (reader) throws(AvroDecodingError) in
            let value = try Self(from: &reader)
            try reader.expectEnd()
            return value
        }
    }

    /// The datum's binary encoding, without framing.
    @inlinable public func avroBytes() -> [UInt8] {
        // Written on the stack (larger records continue on the heap), then copied into an array
        // of the exact size: one heap allocation for most records.
        withUnsafeTemporaryAllocation(byteCount: AvroBinaryWriter.scratchSize, alignment: 8) { scratch in
            var writer = AvroBinaryWriter(scratch: scratch)
            encode(to: &writer)
            return writer.finish()
        }
    }

    /// Lends the datum's binary encoding, without framing, to `body`, with no heap allocation
    /// for records up to 1 KiB: for callers that copy the bytes anyway (a Kafka client's
    /// produce call, a socket write). The bytes are valid only inside `body`.
    @inlinable public func withAvroBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try withUnsafeTemporaryAllocation(byteCount: AvroBinaryWriter.scratchSize, alignment: 8) { (scratch) throws(Failure) in
            var writer = AvroBinaryWriter(scratch: scratch)
            encode(to: &writer)
            return try writer.withBytes(body)
        }
    }
}

extension AvroMessage {
    /// Single-object encoding: C3 01, the schema's fingerprint, the datum.
    public func singleObjectBytes() -> [UInt8] {
        var writer = AvroBinaryWriter(prefix: SingleObjectEncoding.header(fingerprint: Self.avroFingerprint))
        encode(to: &writer)
        return writer.finish()
    }

    /// Decodes single-object bytes written with this type's schema (another fingerprint is an error:
    /// resolve it with the writer's schema instead).
    public init(singleObject bytes: [UInt8]) throws(AvroDecodingError) {
        let (fingerprint, payload) = try SingleObjectEncoding.parse(bytes)
        guard fingerprint == Self.avroFingerprint else { throw .unknownFingerprint(fingerprint) }
        try self.init(avro: bytes[payload...])
    }

    /// Confluent wire format: 0x00, the 4-byte big-endian schema id, the datum.
    public func confluentBytes(schemaID: Int32) -> [UInt8] {
        var writer = AvroBinaryWriter(prefix: ConfluentFraming.header(schemaID: schemaID))
        encode(to: &writer)
        return writer.finish()
    }
}

extension AvroMessage {
    /// Decodes Confluent-framed bytes whose schema id is one of `schemaIDs` (the ids under which
    /// this type's schema is registered); any other id is an error, not a guess.
    public init(confluent bytes: [UInt8], schemaIDs: Set<Int32>) throws(AvroDecodingError) {
        let (id, payload) = try ConfluentFraming.parse(bytes)
        guard schemaIDs.contains(id) else { throw .unknownSchemaID(id) }
        try self.init(avro: bytes[payload...])
    }
}

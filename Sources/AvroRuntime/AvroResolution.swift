/// Avro schema resolution ("Schema Resolution" in the spec): reads data written with one schema
/// (the writer's) as another (the reader's). The plan is compiled once per pair and rewrites the
/// writer's bytes into the reader's encoding — fields added with defaults filled in, removed fields
/// skipped, numbers promoted, enum symbols and union branches renumbered — so that a generated type
/// (or the generic codec) then decodes the result with its own fast, unchanged decoder.
public final class AvroResolution: Sendable {
    /// The reader schema the plan produces bytes for.
    public let readerSchema: String
    /// True when the writer's bytes are already the reader's (same types, same order): no rewrite.
    public let isIdentity: Bool
    let root: ResolutionStep

    /// Compiles the plan; throws when the schemas cannot be resolved (a field without default
    /// missing from the writer, types that do not match or promote, names that differ).
    public init(writerSchema: String, readerSchema: String) throws(AvroResolutionError) {
        self.readerSchema = readerSchema
        if writerSchema == readerSchema {
            isIdentity = true
            root = .copyNothing
            return
        }
        let writer = try RuntimeSchema(parsing: writerSchema)
        let reader = try RuntimeSchema(parsing: readerSchema)
        var compiler = ResolutionCompiler(writer: writer, reader: reader)
        root = try compiler.resolve(writer.root, reader.root, path: "")
        isIdentity = root.isIdentity
    }

    /// Rewrites one datum from `reader` (the writer's encoding) into `writer` (the reader's).
    public func transcode(from reader: inout AvroBinaryReader, to writer: inout AvroBinaryWriter) throws(AvroDecodingError) {
        try ResolutionExecutor.run(root, &reader, &writer)
    }

    /// The reader's encoding of a datum that must use all of `bytes` (written with the writer's schema).
    public func readerBytes<Bytes: Collection>(fromWriterBytes bytes: Bytes, limits: AvroDecodingLimits = .default) throws(AvroDecodingError) -> [UInt8]
    where Bytes.Element == UInt8 {
        if isIdentity { return Array(bytes) }
        return try AvroBinaryReader.read(bytes, limits: limits) { (reader) throws(AvroDecodingError) in
            var writer = AvroBinaryWriter(capacity: bytes.count + 16)
            try transcode(from: &reader, to: &writer)
            try reader.expectEnd()
            return writer.finish()
        }
    }
}

extension AvroMessage {
    /// The plan that reads data written with `writerSchema` as this type; compiled once per
    /// writer schema and cached.
    public static func resolution(fromWriterSchema writerSchema: String) throws(AvroResolutionError) -> AvroResolution {
        try AvroResolutionCache.shared.resolution(writerSchema: writerSchema, readerSchema: avroSchema)
    }

    /// Decodes a datum written with another schema, through a plan from `resolution(fromWriterSchema:)`.
    public init<Bytes: Collection>(avro bytes: Bytes, resolution: AvroResolution, limits: AvroDecodingLimits = .default) throws(AvroDecodingError)
    where Bytes.Element == UInt8 {
        assert(resolution.readerSchema == Self.avroSchema, "the resolution was compiled for another reader schema")
        if resolution.isIdentity {
            try self.init(avro: bytes, limits: limits)
        } else {
            try self.init(avro: try resolution.readerBytes(fromWriterBytes: bytes, limits: limits), limits: limits)
        }
    }
}

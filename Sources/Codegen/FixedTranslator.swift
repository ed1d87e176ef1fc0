import AvroSchema

/// fixed → a struct holding exactly `size` bytes (the initializer refuses any other count).
struct FixedTranslator {
    let mapping: AvroTypeMapping
    let access: AccessLevel

    func translate(_ fixed: AvroFixed, isRoot: Bool, schemaJSON: String?, fingerprint: UInt64) -> [SwiftDeclaration] {
        let name = mapping.types.swiftName(fixed.fullname)
        let structure = SwiftDeclaration.structure(SwiftType(
            doc: docLines(fixed.doc, provenance: "Avro fixed `\(fixed.fullname)` (\(fixed.size) bytes)."), access: access, name: name,
            conformances: ["Sendable", "Hashable"],
            members: [
                .property(SwiftProperty(access: access, isStatic: true, isLet: true, name: "size", type: nil, initializer: "\(fixed.size)")),
                .property(SwiftProperty(access: access, isLet: true, name: "bytes", type: "[UInt8]")),
                .function(SwiftFunction(doc: ["Nil unless `bytes` has exactly `size` bytes."], access: access, signature: "init?(bytes: [UInt8])", body: [
                    .line("guard bytes.count == Self.size else { return nil }"),
                    .line("self.bytes = bytes"),
                ])),
            ]))
        var codec: [SwiftDeclaration] = []
        if isRoot, let schemaJSON {
            codec.append(.property(SwiftProperty(access: access, isStatic: true, isLet: true, name: "avroSchema", type: nil, initializer: rawStringLiteral(schemaJSON))))
            codec.append(.property(SwiftProperty(access: access, isStatic: true, isLet: true, name: "avroFingerprint", type: "UInt64", initializer: hexLiteral(fingerprint))))
        }
        codec.append(.function(SwiftFunction(access: access, signature: "init(from reader: inout AvroBinaryReader) throws(AvroDecodingError)",
                                             body: [.line("bytes = try reader.readFixed(size: Self.size)")])))
        codec.append(.function(SwiftFunction(access: access, signature: "func encode(to writer: inout AvroBinaryWriter)",
                                             body: [.line("writer.writeFixed(bytes)")])))
        let codable = SwiftExtension(typeName: name, conformances: ["Codable"], members: [
            .function(SwiftFunction(access: access, signature: "init(from decoder: any Decoder) throws", body: [
                .line("let container = try decoder.singleValueContainer()"),
                .block("guard let value = Self(bytes: try container.decode([UInt8].self)) else", [
                    .line("throw DecodingError.dataCorruptedError(in: container, debugDescription: \"\(name) takes exactly \(fixed.size) bytes\")"),
                ]),
                .line("self = value"),
            ])),
            .function(SwiftFunction(access: access, signature: "func encode(to encoder: any Encoder) throws", body: [
                .line("var container = encoder.singleValueContainer()"),
                .line("try container.encode(bytes)"),
            ])),
        ])
        return [structure, .extension(SwiftExtension(typeName: name, conformances: [isRoot ? "AvroRuntime.AvroMessage" : "AvroRuntime.AvroCodable"], members: codec)),
                .extension(codable)]
    }
}

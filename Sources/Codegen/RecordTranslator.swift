import AvroSchema

/// record → a struct (Sendable, Hashable, Codable with the Avro field names as keys) with a
/// memberwise init whose defaults are the schema's, and an extension that reads and writes the
/// fields in schema order.
struct RecordTranslator {
    let mapping: AvroTypeMapping
    let access: AccessLevel

    struct Field {
        var avro: AvroField
        var property: String
        var label: String
        var swiftType: String
        var context: AvroTypeMapping.UnionContext
    }

    func fields(of record: AvroRecord) -> [Field] {
        record.fields.map { field in
            let property = SafeNames.memberName(field.name)
            let context = AvroTypeMapping.UnionContext(baseName: SafeNames.typeName(field.name))
            return Field(avro: field, property: property, label: SafeNames.bare(property),
                         swiftType: mapping.swiftType(field.type, context), context: context)
        }
    }

    func translate(_ record: AvroRecord, isRoot: Bool, schemaJSON: String?, fingerprint: UInt64) -> [SwiftDeclaration] {
        let name = mapping.types.swiftName(record.fullname)
        let fields = fields(of: record)
        let unions = UnionTranslator(mapping: mapping, access: access)

        let recursion = RecordRecursion(schema: mapping.schema)
        let indirect = Set(fields.filter { recursion.leadsBack(from: $0.avro.type, to: record.fullname, throughCollections: false) }.map(\.property))
        let nested = Set(fields.filter { recursion.leadsBack(from: $0.avro.type, to: record.fullname, throughCollections: true) }.map(\.property))
        var members: [SwiftDeclaration] = fields.map { field in
            .property(SwiftProperty(doc: docLines(field.avro.doc, provenance: nil),
                                    attributes: indirect.contains(field.property) ? ["@AvroIndirect"] : [],
                                    access: access, name: field.property, type: field.swiftType))
        }
        let parameters = fields.map { field -> String in
            let defaultValue = field.avro.defaultValue.flatMap { mapping.defaultLiteral(field.avro.type, $0, field.context) }
            return "\(field.label): \(field.swiftType)" + (defaultValue.map { " = \($0)" } ?? "")
        }
        members.append(.function(SwiftFunction(
            access: access, signature: "init(\(parameters.joined(separator: ", ")))",
            body: fields.map { .line("self.\($0.label) = \($0.label)") })))
        members.append(.enumeration(SwiftType(
            doc: [], access: .internal, name: "CodingKeys", conformances: ["String", "CodingKey"],
            members: fields.map { field in
                .enumCase(SwiftEnumCase(name: field.property, rawValue: field.label == field.avro.name ? nil : swiftStringLiteral(field.avro.name)))
            })))
        var unionExtensions: [SwiftDeclaration] = []
        for field in fields {
            for union in unions.unions(in: field.avro.type, field.context) {
                members.append(.enumeration(unions.declaration(union)))
                unionExtensions += unions.extensions(union, qualifiedName: "\(name).\(union.name)")
            }
        }

        let structure = SwiftDeclaration.structure(SwiftType(
            doc: docLines(record.doc, provenance: "Avro record `\(record.fullname)`."), access: access, name: name,
            conformances: ["Sendable", "Hashable", "Codable"], members: members))

        var codec: [SwiftDeclaration] = []
        if isRoot, let schemaJSON {
            codec.append(.property(SwiftProperty(access: access, isStatic: true, isLet: true, name: "avroSchema", type: nil,
                                                 initializer: rawStringLiteral(schemaJSON))))
            codec.append(.property(SwiftProperty(access: access, isStatic: true, isLet: true, name: "avroFingerprint", type: "UInt64",
                                                 initializer: hexLiteral(fingerprint))))
        }
        codec.append(.function(SwiftFunction(
            access: access, signature: "init(from reader: inout AvroBinaryReader) throws(AvroDecodingError)",
            body: fields.map { field in
                let read = mapping.read(field.avro.type, field.context)
                guard nested.contains(field.property) else { return .line("self.\(field.label) = \(read)") }
                return .line("self.\(field.label) = try reader.readNested { (reader) throws(AvroDecodingError) in \(read) }")
            })))
        codec.append(.function(SwiftFunction(
            access: access, signature: "func encode(to writer: inout AvroBinaryWriter)",
            body: fields.map { .line(mapping.write($0.avro.type, $0.property, $0.context)) })))
        let ext = SwiftDeclaration.extension(SwiftExtension(typeName: name, conformances: [isRoot ? "AvroRuntime.AvroMessage" : "AvroRuntime.AvroCodable"], members: codec))
        return [structure, ext] + unionExtensions
    }
}

/// `#"…"#` with enough `#` that the text cannot close it early.
func rawStringLiteral(_ text: String) -> String {
    var hashes = "#"
    while text.contains("\"" + hashes) { hashes += "#" }
    return hashes + "\"" + text + "\"" + hashes
}

func hexLiteral(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
}

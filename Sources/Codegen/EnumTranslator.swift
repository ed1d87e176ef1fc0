import AvroSchema

/// enum → a String-backed Swift enum whose raw values are the symbols. When the schema has an enum
/// default, JSON decoding reads an unknown symbol as that default (Avro's rule for a reader that
/// does not know a newer symbol), and `avroDefault` names it for schema resolution.
struct EnumTranslator {
    let mapping: AvroTypeMapping
    let access: AccessLevel

    func translate(_ enumeration: AvroEnum, isRoot: Bool, schemaJSON: String?, fingerprint: UInt64) -> [SwiftDeclaration] {
        let name = mapping.types.swiftName(enumeration.fullname)
        let cases = enumeration.symbols.map { (symbol: $0, name: SafeNames.memberName($0)) }
        let declaration = SwiftDeclaration.enumeration(SwiftType(
            doc: docLines(enumeration.doc, provenance: "Avro enum `\(enumeration.fullname)`."), access: access, name: name,
            conformances: ["String", "Sendable", "Hashable", "Codable", "CaseIterable"],
            members: cases.map { .enumCase(SwiftEnumCase(name: $0.name, rawValue: SafeNames.bare($0.name) == $0.symbol ? nil : swiftStringLiteral($0.symbol))) }))

        var codec: [SwiftDeclaration] = []
        if isRoot, let schemaJSON {
            codec.append(.property(SwiftProperty(access: access, isStatic: true, isLet: true, name: "avroSchema", type: nil, initializer: rawStringLiteral(schemaJSON))))
            codec.append(.property(SwiftProperty(access: access, isStatic: true, isLet: true, name: "avroFingerprint", type: "UInt64", initializer: hexLiteral(fingerprint))))
        }
        var readCases = cases.enumerated().dropLast().map { index, symbol in
            SwiftSwitchCase(pattern: "case \(index):", body: [.line("self = .\(symbol.name)")])
        }
        if let last = cases.last { readCases.append(SwiftSwitchCase(pattern: "default:", body: [.line("self = .\(last.name)")])) }
        codec.append(.function(SwiftFunction(
            access: access, signature: "init(from reader: inout AvroBinaryReader) throws(AvroDecodingError)",
            body: [.switchOver("try reader.readEnumIndex(symbolCount: \(cases.count))", readCases)])))
        codec.append(.function(SwiftFunction(
            access: access, signature: "func encode(to writer: inout AvroBinaryWriter)",
            body: [.switchOver("self", cases.enumerated().map { index, symbol in
                SwiftSwitchCase(pattern: "case .\(symbol.name):", body: [.line("writer.writeEnumIndex(\(index))")])
            })])))
        var declarations = [declaration, .extension(SwiftExtension(typeName: name, conformances: [isRoot ? "AvroRuntime.AvroMessage" : "AvroRuntime.AvroCodable"], members: codec))]

        if let defaultSymbol = enumeration.defaultSymbol {
            let defaultCase = SafeNames.memberName(defaultSymbol)
            declarations.append(.extension(SwiftExtension(typeName: name, conformances: [], members: [
                .property(SwiftProperty(doc: ["The schema's default: what a symbol this version does not know reads as."],
                                        access: access, isStatic: true, isLet: true, name: "avroDefault", type: name, initializer: ".\(defaultCase)")),
                .function(SwiftFunction(
                    doc: ["Reads a symbol this version does not know as `.\(SafeNames.bare(defaultCase))`, the schema's default."],
                    access: access, signature: "init(from decoder: any Decoder) throws",
                    body: [.line("let symbol = try decoder.singleValueContainer().decode(String.self)"),
                           .line("self = Self(rawValue: symbol) ?? .\(defaultCase)")])),
            ])))
        }
        return declarations
    }
}

import AvroSchema

/// A union other than `[null, T]` → an enum with one case per non-null branch (nested in the
/// record that uses it). With a null branch the field is Optional of that enum: `init?(from:)`
/// reads nil for null, and `static func encode(_:to:)` writes an Optional.
struct UnionTranslator {
    let mapping: AvroTypeMapping
    let access: AccessLevel

    struct Union {
        var name: String
        var branches: [AvroType]
        var shape: AvroTypeMapping.UnionShape
        var context: AvroTypeMapping.UnionContext
    }

    /// The unions that need an enum in a field's type (inside arrays and maps too).
    func unions(in type: AvroType, _ context: AvroTypeMapping.UnionContext) -> [Union] {
        switch type {
        case .array(let items, _): return unions(in: items, context.items())
        case .map(let values, _): return unions(in: values, context.values())
        case .union(let branches):
            let shape = AvroTypeMapping.shape(of: branches)
            if shape.isOptionalSingle { return unions(in: shape.branches[0].type, context) }
            return [Union(name: context.unionName, branches: branches, shape: shape, context: context)]
                + shape.branches.flatMap { unions(in: $0.type, context) }
        default: return []
        }
    }

    /// The case of a branch: the Swift type's name for named types, the Avro type name otherwise.
    static func caseName(_ branch: AvroType, mapping: AvroTypeMapping) -> String {
        switch mapping.resolved(branch) {
        case .record(let r): SafeNames.memberName(mapping.types.swiftName(r.fullname))
        case .enumeration(let e): SafeNames.memberName(mapping.types.swiftName(e.fullname))
        case .fixed(let f): SafeNames.memberName(mapping.types.swiftName(f.fullname))
        case .primitive(let p, _): SafeNames.memberName(p.rawValue)
        default: SafeNames.memberName(branch.kindName)
        }
    }

    /// The key of the branch in Avro's JSON encoding: the fullname, or the type's name.
    static func branchKey(_ branch: AvroType, mapping: AvroTypeMapping) -> String {
        mapping.resolved(branch).fullname ?? branch.kindName
    }

    func declaration(_ union: Union) -> SwiftType {
        let branchList = union.branches.map { $0.fullname ?? $0.kindName }.joined(separator: ", ")
        return SwiftType(
            doc: ["The Avro union [\(branchList)]" + (union.shape.nullIndex == nil ? "." : "; null is `nil`.")],
            access: access, name: union.name, conformances: ["Sendable", "Hashable"],
            members: union.shape.branches.map { branch in
                .enumCase(SwiftEnumCase(name: Self.caseName(branch.type, mapping: mapping), associatedType: mapping.swiftType(branch.type, union.context)))
            })
    }

    func extensions(_ union: Union, qualifiedName: String) -> [SwiftDeclaration] {
        let count = union.branches.count
        let nullable = union.shape.nullIndex != nil
        var readCases: [SwiftSwitchCase] = []
        if let nullIndex = union.shape.nullIndex { readCases.append(SwiftSwitchCase(pattern: "case \(nullIndex):", body: [.line("return nil")])) }
        for (position, branch) in union.shape.branches.enumerated() {
            let isLast = position == union.shape.branches.count - 1
            readCases.append(SwiftSwitchCase(
                pattern: isLast ? "default:" : "case \(branch.index):",
                body: [.line("self = .\(Self.caseName(branch.type, mapping: mapping))(\(mapping.read(branch.type, union.context)))")]))
        }
        let writeCases = union.shape.branches.map { branch in
            SwiftSwitchCase(pattern: "case .\(Self.caseName(branch.type, mapping: mapping))(let value):", body: [
                .line("writer.writeUnionIndex(\(branch.index))"),
                .line(mapping.write(branch.type, "value", union.context)),
            ])
        }
        var codec: [SwiftDeclaration] = [
            .function(SwiftFunction(
                doc: nullable ? ["Nil when the datum takes the null branch."] : [],
                access: access, signature: "init\(nullable ? "?" : "")(from reader: inout AvroBinaryReader) throws(AvroDecodingError)",
                body: [.switchOver("try reader.readUnionIndex(branchCount: \(count))", readCases)])),
            .function(SwiftFunction(access: access, signature: "func encode(to writer: inout AvroBinaryWriter)",
                                    body: [.switchOver("self", writeCases)])),
        ]
        if let nullIndex = union.shape.nullIndex {
            codec.append(.function(SwiftFunction(
                doc: ["Writes nil as the null branch."], access: access, signature: "static func encode(_ value: Self?, to writer: inout AvroBinaryWriter)",
                body: [.block("guard let value else", [.line("writer.writeUnionIndex(\(nullIndex))"), .line("return")]),
                       .line("value.encode(to: &writer)")])))
        }
        let jsonDecode = union.shape.branches.map { branch in
            SwiftSwitchCase(pattern: "case \(swiftStringLiteral(Self.branchKey(branch.type, mapping: mapping))):", body: [
                .line("self = .\(Self.caseName(branch.type, mapping: mapping))(try container.decode(\(mapping.swiftType(branch.type, union.context)).self, forKey: branch))"),
            ])
        } + [SwiftSwitchCase(pattern: "default:", body: [.line("throw AvroUnionBranchKey.unknownBranch(branch, in: container)")])]
        let jsonEncode = union.shape.branches.map { branch in
            SwiftSwitchCase(pattern: "case .\(Self.caseName(branch.type, mapping: mapping))(let value):", body: [
                .line("try container.encode(value, forKey: \(swiftStringLiteral(Self.branchKey(branch.type, mapping: mapping))))"),
            ])
        }
        let codable: [SwiftDeclaration] = [
            .function(SwiftFunction(
                doc: ["Avro's JSON form of a union value: `{\"<branch>\": value}`."],
                access: access, signature: "init(from decoder: any Decoder) throws",
                body: [.line("let container = try decoder.container(keyedBy: AvroUnionBranchKey.self)"),
                       .line("let branch = try AvroUnionBranchKey.single(in: container)"),
                       .switchOver("branch.stringValue", jsonDecode)])),
            .function(SwiftFunction(access: access, signature: "func encode(to encoder: any Encoder) throws", body: [
                .line("var container = encoder.container(keyedBy: AvroUnionBranchKey.self)"),
                .switchOver("self", jsonEncode),
            ])),
        ]
        return [.extension(SwiftExtension(typeName: qualifiedName, conformances: nullable ? [] : ["AvroRuntime.AvroCodable"], members: codec)),
                .extension(SwiftExtension(typeName: qualifiedName, conformances: ["Codable"], members: codable))]
    }
}

import AvroSchema
import JSONDocument

/// How one Avro type appears in Swift: its type, the expression that reads it, the statement that
/// writes it and the literal for a default. Named types are declared elsewhere; unions become
/// nested enums named by `UnionNaming`.
struct AvroTypeMapping {
    let schema: AvroSchema
    let types: TypeAssigner

    /// Where a union sits, to name its enum: `<Field>Union`, `<Field>ItemUnion`, `<Field>ValueUnion`.
    struct UnionContext {
        var baseName: String
        func items() -> UnionContext { UnionContext(baseName: baseName + "Item") }
        func values() -> UnionContext { UnionContext(baseName: baseName + "Value") }
        var unionName: String { baseName + "Union" }
    }

    /// A union's branches without null, and where null sits.
    struct UnionShape {
        var branches: [(index: Int, type: AvroType)]
        var nullIndex: Int?
        var isOptionalSingle: Bool { nullIndex != nil && branches.count == 1 }
    }

    static func shape(of branches: [AvroType]) -> UnionShape {
        var shape = UnionShape(branches: [], nullIndex: nil)
        for (index, branch) in branches.enumerated() {
            if case .primitive(.null, _) = branch { shape.nullIndex = index } else { shape.branches.append((index, branch)) }
        }
        return shape
    }

    func resolved(_ type: AvroType) -> AvroType { schema.resolve(type) }

    // MARK: - Swift types

    func swiftType(_ type: AvroType, _ context: UnionContext) -> String {
        switch resolved(type) {
        case .primitive(let primitive, let annotations):
            if let logical = logicalSwiftType(annotations.logicalType, on: primitive) { return logical }
            return primitiveSwiftType(primitive)
        case .fixed(let fixed):
            switch fixed.annotations.logicalType {
            case .decimal: return "AvroDecimal"
            case .duration: return "AvroDuration"
            case .uuid: return "UUID"
            default: return types.swiftName(fixed.fullname)
            }
        case .record(let record): return types.swiftName(record.fullname)
        case .enumeration(let enumeration): return types.swiftName(enumeration.fullname)
        case .reference(let name): return types.swiftName(name)
        case .array(let items, _): return "[\(swiftType(items, context.items()))]"
        case .map(let values, _): return "[String: \(swiftType(values, context.values()))]"
        case .union(let branches):
            let shape = Self.shape(of: branches)
            if shape.isOptionalSingle { return swiftType(shape.branches[0].type, context) + "?" }
            return context.unionName + (shape.nullIndex == nil ? "" : "?")
        }
    }

    func primitiveSwiftType(_ primitive: AvroPrimitive) -> String {
        switch primitive {
        case .null: "AvroNull"
        case .boolean: "Bool"
        case .int: "Int32"
        case .long: "Int64"
        case .float: "Float"
        case .double: "Double"
        case .bytes: "[UInt8]"
        case .string: "String"
        }
    }

    /// Logical types with a Swift type of their own; the others keep their underlying type.
    func logicalSwiftType(_ logical: AvroLogicalType?, on primitive: AvroPrimitive) -> String? {
        switch (logical, primitive) {
        case (.timestampMillis, .long), (.timestampMicros, .long), (.localTimestampMillis, .long), (.localTimestampMicros, .long): "Date"
        case (.date, .int): "AvroDate"
        case (.uuid, .string): "UUID"
        case (.decimal, .bytes): "AvroDecimal"
        default: nil
        }
    }

    /// Whether the Swift for `type` needs Foundation (Date, UUID).
    func usesFoundation(_ type: AvroType) -> Bool {
        switch resolved(type) {
        case .primitive(let primitive, let annotations):
            let swift = logicalSwiftType(annotations.logicalType, on: primitive)
            return swift == "Date" || swift == "UUID"
        case .fixed(let fixed): if case .uuid = fixed.annotations.logicalType { return true } else { return false }
        case .array(let items, _): return usesFoundation(items)
        case .map(let values, _): return usesFoundation(values)
        case .union(let branches): return branches.contains(where: usesFoundation)
        default: return false
        }
    }

    // MARK: - Reading

    /// An expression (with `try`) that reads `type` from `reader`.
    func read(_ type: AvroType, _ context: UnionContext) -> String {
        switch resolved(type) {
        case .primitive(let primitive, let annotations):
            switch (annotations.logicalType, primitive) {
            case (.timestampMillis, .long), (.localTimestampMillis, .long): return "try reader.readTimestampMillis()"
            case (.timestampMicros, .long), (.localTimestampMicros, .long): return "try reader.readTimestampMicros()"
            case (.date, .int): return "try reader.readDate()"
            case (.uuid, .string): return "try reader.readUUID()"
            case (.decimal(_, let scale), .bytes): return "try reader.readDecimal(scale: \(scale))"
            default: break
            }
            switch primitive {
            case .null: return "AvroNull()"
            case .boolean: return "try reader.readBoolean()"
            case .int: return "try reader.readInt()"
            case .long: return "try reader.readLong()"
            case .float: return "try reader.readFloat()"
            case .double: return "try reader.readDouble()"
            case .bytes: return "try reader.readBytes()"
            case .string: return "try reader.readString()"
            }
        case .fixed(let fixed):
            switch fixed.annotations.logicalType {
            case .decimal(_, let scale): return "try reader.readFixedDecimal(size: \(fixed.size), scale: \(scale))"
            case .duration: return "try reader.readDuration()"
            case .uuid: return "try reader.readFixedUUID()"
            default: return "try \(types.swiftName(fixed.fullname))(from: &reader)"
            }
        case .record, .enumeration, .reference: return "try \(swiftType(type, context))(from: &reader)"
        case .array(let items, _): return "try reader.readArray { \(Self.readerClosure) \(read(items, context.items())) }"
        case .map(let values, _): return "try reader.readMap { \(Self.readerClosure) \(read(values, context.values())) }"
        case .union(let branches):
            let shape = Self.shape(of: branches)
            if shape.isOptionalSingle, let nullIndex = shape.nullIndex {
                return "try reader.readOptional(nullIndex: \(nullIndex)) { \(Self.readerClosure) \(read(shape.branches[0].type, context)) }"
            }
            return "try \(context.unionName)(from: &reader)"
        }
    }

    static let readerClosure = "(reader) throws(AvroDecodingError) in"

    // MARK: - Writing

    /// A statement that writes `value` (an expression of `type`'s Swift type) to `writer`.
    func write(_ type: AvroType, _ value: String, _ context: UnionContext) -> String {
        switch resolved(type) {
        case .primitive(let primitive, let annotations):
            switch (annotations.logicalType, primitive) {
            case (.timestampMillis, .long), (.localTimestampMillis, .long): return "writer.writeTimestampMillis(\(value))"
            case (.timestampMicros, .long), (.localTimestampMicros, .long): return "writer.writeTimestampMicros(\(value))"
            case (.date, .int): return "writer.writeDate(\(value))"
            case (.uuid, .string): return "writer.writeUUID(\(value))"
            case (.decimal, .bytes): return "writer.writeDecimal(\(value))"
            default: break
            }
            switch primitive {
            case .null: return "writer.writeNull()"
            case .boolean: return "writer.writeBoolean(\(value))"
            case .int: return "writer.writeInt(\(value))"
            case .long: return "writer.writeLong(\(value))"
            case .float: return "writer.writeFloat(\(value))"
            case .double: return "writer.writeDouble(\(value))"
            case .bytes: return "writer.writeBytes(\(value))"
            case .string: return "writer.writeString(\(value))"
            }
        case .fixed(let fixed):
            switch fixed.annotations.logicalType {
            case .decimal: return "writer.writeFixedDecimal(\(value), size: \(fixed.size))"
            case .duration: return "writer.writeDuration(\(value))"
            case .uuid: return "writer.writeFixedUUID(\(value))"
            default: return "\(value).encode(to: &writer)"
            }
        case .record, .enumeration, .reference: return "\(value).encode(to: &writer)"
        case .array(let items, _): return "writer.writeArray(\(value)) { writer, item in \(write(items, "item", context.items())) }"
        case .map(let values, _): return "writer.writeMap(\(value)) { writer, value in \(write(values, "value", context.values())) }"
        case .union(let branches):
            let shape = Self.shape(of: branches)
            if shape.isOptionalSingle, let nullIndex = shape.nullIndex {
                return "writer.writeOptional(\(value), nullIndex: \(nullIndex)) { writer, value in \(write(shape.branches[0].type, "value", context)) }"
            }
            if shape.nullIndex != nil { return "\(context.unionName).encode(\(value), to: &writer)" }
            return "\(value).encode(to: &writer)"
        }
    }

    // MARK: - Defaults

    /// The Swift literal for a JSON default of `type`, or nil where none can be written.
    func defaultLiteral(_ type: AvroType, _ value: JSONValue, _ context: UnionContext) -> String? {
        switch resolved(type) {
        case .primitive(let primitive, let annotations):
            if let logical = annotations.logicalType, logicalSwiftType(logical, on: primitive) != nil {
                switch (logical, value) {
                case (.timestampMillis, .integer(let ms)), (.localTimestampMillis, .integer(let ms)):
                    return "Date(timeIntervalSince1970: \(Double(ms) / 1_000))"
                case (.date, .integer(let days)): return "AvroDate(daysSinceEpoch: \(days))"
                default: return nil
                }
            }
            switch (primitive, value) {
            case (.null, .null): return "AvroNull()"
            case (.boolean, .bool(let b)): return b ? "true" : "false"
            case (.int, .integer(let n)), (.long, .integer(let n)): return "\(n)"
            case (.float, .integer(let n)), (.double, .integer(let n)): return "\(n)"
            case (.float, .real(let x)), (.double, .real(let x)): return x.isFinite ? "\(x)" : nil
            case (.string, .string(let s)): return swiftStringLiteral(s)
            case (.bytes, .string(let s)):
                let bytes = s.unicodeScalars.map(\.value)
                guard bytes.allSatisfy({ $0 < 256 }) else { return nil }
                return "[" + bytes.map { "0x" + String($0, radix: 16) }.joined(separator: ", ") + "]"
            default: return nil
            }
        case .enumeration(let enumeration):
            guard case .string(let symbol) = value, enumeration.symbols.contains(symbol) else { return nil }
            return "." + SafeNames.memberName(symbol)
        case .record(let record):
            guard case .object(let object) = value else { return nil }
            var arguments: [String] = []
            for field in record.fields {
                let fieldContext = UnionContext(baseName: SafeNames.typeName(field.name))
                let label = SafeNames.bare(SafeNames.memberName(field.name))
                if let given = object.members.first(where: { $0.key == field.name })?.value {
                    guard let literal = defaultLiteral(field.type, given, fieldContext) else { return nil }
                    arguments.append("\(label): \(literal)")
                } else if field.defaultValue == nil || defaultLiteral(field.type, field.defaultValue!, fieldContext) == nil {
                    return nil
                }
            }
            return "\(types.swiftName(record.fullname))(\(arguments.joined(separator: ", ")))"
        case .array(let items, _):
            guard case .array(let elements) = value else { return nil }
            let literals = elements.map { defaultLiteral(items, $0, context.items()) }
            guard literals.allSatisfy({ $0 != nil }) else { return nil }
            return "[" + literals.map { $0! }.joined(separator: ", ") + "]"
        case .map(let values, _):
            guard case .object(let object) = value else { return nil }
            if object.isEmpty { return "[:]" }
            var entries: [String] = []
            for member in object.members {
                guard let literal = defaultLiteral(values, member.value, context.values()) else { return nil }
                entries.append("\(swiftStringLiteral(member.key)): \(literal)")
            }
            return "[" + entries.joined(separator: ", ") + "]"
        case .union(let branches):
            let shape = Self.shape(of: branches)
            if value == .null, shape.nullIndex != nil { return "nil" }
            // Spec 1.12: the default may match any branch; take the first that it matches.
            for (_, branch) in shape.branches {
                guard let literal = defaultLiteral(branch, value, context) else { continue }
                if shape.isOptionalSingle { return literal }
                return ".\(UnionTranslator.caseName(branch, mapping: self))(\(literal))"
            }
            return nil
        case .fixed, .reference: return nil
        }
    }
}

/// A Swift string literal: quotes, backslashes and control characters escaped.
func swiftStringLiteral(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7f { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
        }
    }
    return out + "\""
}

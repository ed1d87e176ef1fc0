/// Encodes a field's default (JSON, as in the schema) in the field's type, for fields that a
/// reader has and a writer did not: unions take the first branch the value matches, bytes and
/// fixed are ISO-8859-1 strings, records fill missing fields from their own defaults.
struct DefaultEncoder {
    let schema: RuntimeSchema

    /// False when the value does not match the type.
    func encode(_ value: SchemaJSON, as type: RuntimeSchema.Node, to writer: inout AvroBinaryWriter) -> Bool {
        switch (type, value) {
        case (.primitive(.null), .null): return true
        case (.primitive(.boolean), .bool(let b)): writer.writeBoolean(b); return true
        case (.primitive(.int), .number(let text)):
            guard let n = Int32(text) else { return false }
            writer.writeInt(n); return true
        case (.primitive(.long), .number(let text)):
            guard let n = Int64(text) else { return false }
            writer.writeLong(n); return true
        case (.primitive(.float), _), (.primitive(.double), _):
            guard let x = Self.number(value) else { return false }
            if case .primitive(.float) = type { writer.writeFloat(Float(x)) } else { writer.writeDouble(x) }
            return true
        case (.primitive(.string), .string(let s)): writer.writeString(s); return true
        case (.primitive(.bytes), .string(let s)):
            guard let bytes = Self.latin1(s) else { return false }
            writer.writeBytes(bytes); return true
        case (.array(let items), .array(let elements)):
            if !elements.isEmpty {
                writer.writeLong(Int64(elements.count))
                for element in elements { guard encode(element, as: items, to: &writer) else { return false } }
            }
            writer.writeLong(0); return true
        case (.map(let values), .object(let members)):
            if !members.isEmpty {
                writer.writeLong(Int64(members.count))
                for member in members {
                    writer.writeString(member.key)
                    guard encode(member.value, as: values, to: &writer) else { return false }
                }
            }
            writer.writeLong(0); return true
        case (.union(let branches), _):
            let start = writer.byteCount
            for (index, branch) in branches.enumerated() {
                writer.writeUnionIndex(index)
                if encode(value, as: branch, to: &writer) { return true }
                writer.rewind(to: start)
            }
            return false
        case (.named(let index), _): return encodeNamed(value, schema.named[index], to: &writer)
        default: return false
        }
    }

    private func encodeNamed(_ value: SchemaJSON, _ named: RuntimeSchema.Named, to writer: inout AvroBinaryWriter) -> Bool {
        switch (named.definition, value) {
        case (.enumeration(let symbols, _), .string(let symbol)):
            guard let index = symbols.firstIndex(of: symbol) else { return false }
            writer.writeEnumIndex(index); return true
        case (.fixed(let size), .string(let s)):
            guard let bytes = Self.latin1(s), bytes.count == size else { return false }
            writer.writeFixed(bytes); return true
        case (.record(let fields), .object):
            for field in fields {
                guard let fieldValue = value[field.name] ?? field.defaultValue, encode(fieldValue, as: field.type, to: &writer) else { return false }
            }
            return true
        default: return false
        }
    }

    static func number(_ value: SchemaJSON) -> Double? {
        switch value {
        case .number(let text): Double(text)
        case .string("NaN"): .nan
        case .string("Infinity"): .infinity
        case .string("-Infinity"): -.infinity
        default: nil
        }
    }

    static func latin1(_ s: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        for scalar in s.unicodeScalars {
            guard scalar.value < 256 else { return nil }
            bytes.append(UInt8(scalar.value))
        }
        return bytes
    }
}

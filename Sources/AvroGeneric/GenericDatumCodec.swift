import AvroRuntime
import AvroSchema
import JSONDocument

/// Why a JSON datum could not be encoded with a schema.
public struct GenericEncodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// JSON pointer of the offending value in the datum.
    public var path: JSONPointer
    public var message: String
    public var description: String { "\(path.tokens.isEmpty ? "/" : path.description): \(message)" }
}

/// Converts between Avro's JSON encoding of a datum (unions as `{"branch": value}`, bytes as
/// ISO-8859-1 strings) and its binary encoding, driven by a schema at run time. The CLI's
/// `data encode` and `data decode` use it; generated types do not need it.
public struct GenericDatumCodec: Sendable {
    public let schema: AvroSchema

    public init(schema: AvroSchema) { self.schema = schema }

    // MARK: - JSON → binary

    public func encode(_ datum: JSONValue, to writer: inout AvroBinaryWriter) throws(GenericEncodingError) {
        try encode(datum, as: schema.root, path: .root, to: &writer)
    }

    private func encode(_ value: JSONValue, as type: AvroType, path: JSONPointer, to writer: inout AvroBinaryWriter) throws(GenericEncodingError) {
        func fail(_ message: String) -> GenericEncodingError { GenericEncodingError(path: path, message: message) }
        switch schema.resolve(type) {
        case .primitive(let primitive, _):
            switch (primitive, value) {
            case (.null, .null): writer.writeNull()
            case (.boolean, .bool(let b)): writer.writeBoolean(b)
            case (.int, .integer(let n)):
                guard let int = Int32(exactly: n) else { throw fail("\(n) is out of the int range") }
                writer.writeInt(int)
            case (.long, .integer(let n)): writer.writeLong(n)
            case (.float, _), (.double, _):
                guard let number = Self.number(value) else { throw fail("expected a number, found \(value.typeName)") }
                if primitive == .float { writer.writeFloat(Float(number)) } else { writer.writeDouble(number) }
            case (.string, .string(let s)): writer.writeString(s)
            case (.bytes, .string(let s)): writer.writeBytes(try Self.latin1(s, path: path))
            default: throw fail("expected \(primitive.rawValue), found \(value.typeName)")
            }
        case .fixed(let fixed):
            guard case .string(let s) = value else { throw fail("expected a string for fixed \(fixed.fullname)") }
            let bytes = try Self.latin1(s, path: path)
            guard bytes.count == fixed.size else { throw fail("fixed \(fixed.fullname) takes \(fixed.size) bytes, found \(bytes.count)") }
            writer.writeFixed(bytes)
        case .enumeration(let enumeration):
            guard case .string(let symbol) = value, let index = enumeration.symbols.firstIndex(of: symbol) else {
                throw fail("expected a symbol of \(enumeration.fullname) (\(enumeration.symbols.joined(separator: ", ")))")
            }
            writer.writeEnumIndex(index)
        case .array(let items, _):
            guard case .array(let elements) = value else { throw fail("expected an array, found \(value.typeName)") }
            if !elements.isEmpty {
                writer.writeLong(Int64(elements.count))
                for (index, element) in elements.enumerated() { try encode(element, as: items, path: path / index, to: &writer) }
            }
            writer.writeLong(0)
        case .map(let values, _):
            guard case .object(let object) = value else { throw fail("expected an object, found \(value.typeName)") }
            if !object.isEmpty {
                writer.writeLong(Int64(object.count))
                for member in object.members {
                    writer.writeString(member.key)
                    try encode(member.value, as: values, path: path / member.key, to: &writer)
                }
            }
            writer.writeLong(0)
        case .record(let record):
            guard case .object(let object) = value else { throw fail("expected an object for record \(record.fullname)") }
            for field in record.fields {
                if let given = object.members.first(where: { sameCodePoints($0.key, field.name) })?.value {
                    try encode(given, as: field.type, path: path / field.name, to: &writer)
                } else if let defaultValue = field.defaultValue {
                    try encodeDefault(defaultValue, as: field.type, path: path / field.name, to: &writer)
                } else {
                    throw fail("missing field \(field.name) of \(record.fullname), which has no default")
                }
            }
            if let unknown = object.keys.first(where: { key in !record.fields.contains { sameCodePoints($0.name, key) } }) {
                throw fail("\(record.fullname) has no field \(unknown)")
            }
        case .union(let branches):
            if value == .null, let nullIndex = branches.firstIndex(where: { if case .primitive(.null, _) = $0 { true } else { false } }) {
                writer.writeUnionIndex(nullIndex)
                return
            }
            guard case .object(let object) = value, object.count == 1, let member = object.members.first else {
                throw fail("a union value is null or {\"<branch>\": value}")
            }
            guard let index = branches.firstIndex(where: { branchName($0) == member.key }) else {
                throw fail("\(member.key) is not a branch of the union (\(branches.map(branchName).joined(separator: ", ")))")
            }
            writer.writeUnionIndex(index)
            try encode(member.value, as: branches[index], path: path / member.key, to: &writer)
        case .reference(let name): throw fail("undefined type \(name)")
        }
    }

    /// A field default: like a datum, except that a union default is the bare value of a branch.
    private func encodeDefault(_ value: JSONValue, as type: AvroType, path: JSONPointer, to writer: inout AvroBinaryWriter) throws(GenericEncodingError) {
        guard case .union(let branches) = schema.resolve(type) else { return try encode(value, as: type, path: path, to: &writer) }
        let start = writer.byteCount
        for (index, branch) in branches.enumerated() {
            writer.writeUnionIndex(index)
            do throws(GenericEncodingError) {
                try encode(value, as: branch, path: path, to: &writer)
                return
            } catch { writer.rewind(to: start) }
        }
        throw GenericEncodingError(path: path, message: "the default matches no branch of the union")
    }

    /// The key of a branch in Avro's JSON encoding.
    func branchName(_ branch: AvroType) -> String { schema.resolve(branch).fullname ?? branch.kindName }

    static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let n): Double(n)
        case .real(let x): x
        case .bigNumber(let text): Double(text)
        case .string("NaN"): .nan
        case .string("Infinity"): .infinity
        case .string("-Infinity"): -.infinity
        default: nil
        }
    }

    static func latin1(_ s: String, path: JSONPointer) throws(GenericEncodingError) -> [UInt8] {
        var bytes: [UInt8] = []
        for scalar in s.unicodeScalars {
            guard scalar.value < 256 else { throw GenericEncodingError(path: path, message: "bytes are written as code points U+0000 to U+00FF") }
            bytes.append(UInt8(scalar.value))
        }
        return bytes
    }

    // MARK: - binary → JSON

    /// Reads one datum written with `schema` as Avro's JSON encoding.
    public func decode(from reader: inout AvroBinaryReader) throws(AvroDecodingError) -> JSONValue {
        try decode(schema.root, from: &reader)
    }

    private func decode(_ type: AvroType, from reader: inout AvroBinaryReader) throws(AvroDecodingError) -> JSONValue {
        switch schema.resolve(type) {
        case .primitive(let primitive, _):
            switch primitive {
            case .null: return .null
            case .boolean: return .bool(try reader.readBoolean())
            case .int: return .integer(Int64(try reader.readInt()))
            case .long: return .integer(try reader.readLong())
            case .float: return Self.json(Double(try reader.readFloat()))
            case .double: return Self.json(try reader.readDouble())
            case .bytes: return .string(Self.latin1String(try reader.readBytes()))
            case .string: return .string(try reader.readString())
            }
        case .fixed(let fixed): return .string(Self.latin1String(try reader.readFixed(size: fixed.size)))
        case .enumeration(let enumeration): return .string(enumeration.symbols[try reader.readEnumIndex(symbolCount: enumeration.symbols.count)])
        case .array(let items, _): return .array(try reader.readArray { (reader) throws(AvroDecodingError) in try decode(items, from: &reader) })
        case .map(let values, _):
            var members: [JSONObject.Member] = []
            var itemsSoFar = 0
            while true {
                let count = try reader.readBlockCount(itemsSoFar: itemsSoFar)
                if count == 0 { break }
                itemsSoFar += count
                for _ in 0..<count { members.append(JSONObject.Member(key: try reader.readString(), value: try decode(values, from: &reader))) }
            }
            return .object(JSONObject(members))
        case .record(let record):
            return try reader.readNested { (reader) throws(AvroDecodingError) in
                var members: [JSONObject.Member] = []
                for field in record.fields { members.append(JSONObject.Member(key: field.name, value: try decode(field.type, from: &reader))) }
                return .object(JSONObject(members))
            }
        case .union(let branches):
            let branch = branches[try reader.readUnionIndex(branchCount: branches.count)]
            if case .primitive(.null, _) = branch { return .null }
            return .object(JSONObject([JSONObject.Member(key: branchName(branch), value: try decode(branch, from: &reader))]))
        case .reference(let name): throw .invalidValue(offset: reader.offset, reason: "undefined type \(name)")
        }
    }

    static func json(_ x: Double) -> JSONValue {
        if x.isNaN { return .string("NaN") }
        if x.isInfinite { return .string(x > 0 ? "Infinity" : "-Infinity") }
        return .real(x)
    }

    static func latin1String(_ bytes: [UInt8]) -> String {
        var s = String.UnicodeScalarView()
        for byte in bytes { s.append(Unicode.Scalar(byte)) }
        return String(s)
    }
}

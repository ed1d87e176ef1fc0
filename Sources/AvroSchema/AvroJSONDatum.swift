import JSONDocument

/// A datum in Avro's JSON encoding that does not fit its schema.
public struct AvroDatumError: Sendable, Hashable {
    /// JSON pointer into the datum.
    public var instanceLocation: JSONPointer
    /// JSON pointer into the schema (`/fields/2/type`), where the type that refused it is written.
    public var schemaLocation: JSONPointer
    public var message: String
}

extension AvroSchema {
    /// Checks a datum written in Avro's JSON encoding (the avro-tools `fromjson` input): unions as
    /// `{"branch": value}` (`null` bare), bytes and fixed as ISO-8859-1 strings, records with every
    /// field that has no default, nothing else.
    public func validateJSONDatum(_ datum: JSONValue) -> [AvroDatumError] {
        var errors: [AvroDatumError] = []
        check(datum, against: root, instance: .root, schema: .root, errors: &errors)
        return errors
    }

    private func check(_ value: JSONValue, against type: AvroType, instance: JSONPointer, schema: JSONPointer, errors: inout [AvroDatumError]) {
        func fail(_ message: String) { errors.append(AvroDatumError(instanceLocation: instance, schemaLocation: schema, message: message)) }
        switch resolve(type) {
        case .primitive(let primitive, _):
            if let problem = Self.primitiveProblem(value, primitive) { fail(problem) }
        case .record(let record):
            guard case .object(let object) = value else { return fail("expected a \(record.fullname) record (a JSON object), found \(value.typeName)") }
            for (index, field) in record.fields.enumerated() {
                if let fieldValue = object[field.name] {
                    check(fieldValue, against: field.type, instance: instance / field.name, schema: schema / "fields" / index / "type", errors: &errors)
                } else if field.defaultValue == nil {
                    errors.append(AvroDatumError(instanceLocation: instance, schemaLocation: schema / "fields" / index,
                                                 message: "field \"\(field.name)\" of \(record.fullname) is missing and has no default"))
                }
            }
            let names = Set(record.fields.map(\.name))
            for key in object.keys where !names.contains(key) {
                errors.append(AvroDatumError(instanceLocation: instance / key, schemaLocation: schema,
                                             message: "\(record.fullname) has no field \"\(key)\""))
            }
        case .enumeration(let e):
            guard case .string(let symbol) = value, e.symbols.contains(symbol) else {
                return fail("expected a symbol of \(e.fullname) \(e.symbols), found \(value.compactText)")
            }
        case .fixed(let f):
            guard case .string(let s) = value else { return fail("expected \(f.fullname), a string of \(f.size) ISO-8859-1 characters") }
            if s.unicodeScalars.contains(where: { $0.value > 255 }) { return fail("bytes are written as characters U+0000 to U+00FF") }
            if s.unicodeScalars.count != f.size { fail("\(f.fullname) holds \(f.size) bytes, found \(s.unicodeScalars.count)") }
        case .array(let items, _):
            guard case .array(let elements) = value else { return fail("expected an array, found \(value.typeName)") }
            for (i, element) in elements.enumerated() { check(element, against: items, instance: instance / i, schema: schema / "items", errors: &errors) }
        case .map(let values, _):
            guard case .object(let object) = value else { return fail("expected a map (a JSON object), found \(value.typeName)") }
            for member in object.members { check(member.value, against: values, instance: instance / member.key, schema: schema / "values", errors: &errors) }
        case .union(let branches):
            if value == .null {
                if !branches.contains(where: { resolve($0) == .primitive(.null) }) { fail("null is not a branch of this union") }
                return
            }
            let names = branches.map(branchName)
            guard case .object(let object) = value, object.count == 1, let key = object.keys.first else {
                return fail("a non-null union value is written {\"<branch>\": value} with one of \(names.filter { $0 != "null" })")
            }
            guard let index = names.firstIndex(of: key) else { return fail("\"\(key)\" is not a branch of this union \(names)") }
            check(object[key]!, against: branches[index], instance: instance / key, schema: schema / index, errors: &errors)
        case .reference(let name):
            fail("type \(name) is not defined")
        }
    }

    /// The name a union branch has in the JSON encoding: the fullname of named types, else the type.
    public func branchName(_ type: AvroType) -> String {
        let resolved = resolve(type)
        return resolved.fullname ?? resolved.kindName
    }

    private static func primitiveProblem(_ value: JSONValue, _ primitive: AvroPrimitive) -> String? {
        switch (primitive, value) {
        case (.null, .null), (.boolean, .bool), (.string, .string), (.long, .integer): return nil
        case (.int, .integer(let n)): return Int64(Int32.min)...Int64(Int32.max) ~= n ? nil : "\(n) is outside the 32-bit range of int"
        case (.float, .integer), (.float, .real), (.double, .integer), (.double, .real): return nil
        case (.float, .string(let s)), (.double, .string(let s)):
            return ["NaN", "Infinity", "-Infinity"].contains(s) ? nil : "expected a number, found a string"
        case (.bytes, .string(let s)):
            return s.unicodeScalars.contains(where: { $0.value > 255 }) ? "bytes are written as characters U+0000 to U+00FF" : nil
        case (.long, .bigNumber(let literal)), (.int, .bigNumber(let literal)): return "\(literal) is outside the range of \(primitive.rawValue)"
        default: return "expected \(primitive.rawValue), found \(value.typeName) \(value.compactText.prefix(40))"
        }
    }
}

import AvroSchema
import JSONDocument

/// Contracts write Avro datums as plain JSON (a union's value as is, its branch inferred), as
/// people and most tools write them; Avro's JSON encoding wraps union values as {"branch": value}.
/// These two functions convert between the shapes, driven by the schema.
enum PlainAvroJSON {
    /// Plain JSON → Avro JSON encoding. Values already wrapped in {"branch": value} are kept.
    static func wrap(_ value: JSONValue, as type: AvroType, in schema: AvroSchema) -> JSONValue {
        switch schema.resolve(type) {
        case .union(let branches):
            if value == .null { return .null }
            if case .object(let object) = value, object.count == 1, let key = object.members.first?.key,
               let branch = branches.first(where: { branchName($0, schema) == key }),
               !branches.contains(where: { fits(value, $0, schema) && branchName($0, schema) != key }) {
                return .object(JSONObject([JSONObject.Member(key: key, value: wrap(object.members[0].value, as: branch, in: schema))]))
            }
            guard let branch = branches.first(where: { fits(value, $0, schema) }) else { return value }
            return .object(JSONObject([JSONObject.Member(key: branchName(branch, schema), value: wrap(value, as: branch, in: schema))]))
        case .record(let record):
            guard case .object(let object) = value else { return value }
            var result = JSONObject()
            for member in object.members {
                let field = record.fields.first { sameCodePoints($0.name, member.key) }
                result.append(member.key, field.map { wrap(member.value, as: $0.type, in: schema) } ?? member.value)
            }
            return .object(result)
        case .array(let items, _):
            guard case .array(let elements) = value else { return value }
            return .array(elements.map { wrap($0, as: items, in: schema) })
        case .map(let values, _):
            guard case .object(let object) = value else { return value }
            var result = JSONObject()
            for member in object.members { result.append(member.key, wrap(member.value, as: values, in: schema)) }
            return .object(result)
        default:
            return value
        }
    }

    /// Avro JSON encoding → plain JSON (union values unwrapped).
    static func unwrap(_ value: JSONValue, as type: AvroType, in schema: AvroSchema) -> JSONValue {
        switch schema.resolve(type) {
        case .union(let branches):
            guard case .object(let object) = value, object.count == 1, let member = object.members.first,
                  let branch = branches.first(where: { branchName($0, schema) == member.key }) else { return value }
            return unwrap(member.value, as: branch, in: schema)
        case .record(let record):
            guard case .object(let object) = value else { return value }
            var result = JSONObject()
            for member in object.members {
                let field = record.fields.first { sameCodePoints($0.name, member.key) }
                result.append(member.key, field.map { unwrap(member.value, as: $0.type, in: schema) } ?? member.value)
            }
            return .object(result)
        case .array(let items, _):
            guard case .array(let elements) = value else { return value }
            return .array(elements.map { unwrap($0, as: items, in: schema) })
        case .map(let values, _):
            guard case .object(let object) = value else { return value }
            var result = JSONObject()
            for member in object.members { result.append(member.key, unwrap(member.value, as: values, in: schema)) }
            return .object(result)
        default:
            return value
        }
    }

    static func branchName(_ branch: AvroType, _ schema: AvroSchema) -> String { schema.resolve(branch).fullname ?? branch.kindName }

    /// Whether a plain value could be a datum of `type` (shallowly, enough to pick a union branch).
    static func fits(_ value: JSONValue, _ type: AvroType, _ schema: AvroSchema) -> Bool {
        switch (schema.resolve(type), value) {
        case (.primitive(.null, _), .null): return true
        case (.primitive(.boolean, _), .bool): return true
        case (.primitive(.int, _), .integer(let n)): return Int32(exactly: n) != nil
        case (.primitive(.long, _), .integer): return true
        case (.primitive(.float, _), .integer), (.primitive(.float, _), .real), (.primitive(.double, _), .integer), (.primitive(.double, _), .real): return true
        case (.primitive(.string, _), .string), (.primitive(.bytes, _), .string): return true
        case (.enumeration(let enumeration), .string(let symbol)): return enumeration.symbols.contains(symbol)
        case (.fixed(let fixed), .string(let text)): return text.unicodeScalars.count == fixed.size
        case (.array, .array): return true
        case (.map, .object): return true
        case (.record(let record), .object(let object)):
            return object.members.allSatisfy { member in record.fields.contains { sameCodePoints($0.name, member.key) } }
                && record.fields.allSatisfy { field in field.defaultValue != nil || object.contains(field.name) }
        default: return false
        }
    }
}

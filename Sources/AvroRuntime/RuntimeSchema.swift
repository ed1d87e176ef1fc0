/// An Avro schema as the runtime needs it for resolution: types, names, aliases, field defaults.
/// Docs and logical types are dropped (resolution works on the underlying types). Named types live
/// in a table so that recursive schemas are plain indices, not reference cycles.
struct RuntimeSchema: Sendable {
    enum Primitive: String, Sendable { case null, boolean, int, long, float, double, bytes, string }

    indirect enum Node: Sendable {
        case primitive(Primitive)
        case named(Int)
        case array(Node)
        case map(Node)
        case union([Node])
    }

    struct Field: Sendable {
        var name: String
        var aliases: [String]
        var type: Node
        var defaultValue: SchemaJSON?
    }

    enum Definition: Sendable {
        case record([Field])
        case enumeration(symbols: [String], defaultSymbol: String?)
        case fixed(size: Int)
    }

    struct Named: Sendable {
        var fullname: String
        /// Fullnames (aliases are resolved against the type's namespace).
        var aliases: [String]
        var definition: Definition
        var name: Substring { fullname.split(separator: ".").last ?? Substring(fullname) }
    }

    var root: Node
    var named: [Named]

    /// Parses schema text; the error says what is wrong.
    init(parsing text: String) throws(AvroResolutionError) {
        guard let json = SchemaJSON.parse(text) else { throw AvroResolutionError("the schema is not valid JSON") }
        var builder = Builder()
        root = try builder.node(json, namespace: "")
        named = builder.named
    }

    private struct Builder {
        var named: [Named] = []
        var indexByName: [String: Int] = [:]

        static func fullname(_ name: String, namespace: String) -> String {
            name.contains(".") || namespace.isEmpty ? name : namespace + "." + name
        }

        mutating func node(_ json: SchemaJSON, namespace: String) throws(AvroResolutionError) -> Node {
            switch json {
            case .string(let name):
                if let primitive = Primitive(rawValue: name) { return .primitive(primitive) }
                if let index = indexByName[Self.fullname(name, namespace: namespace)] ?? indexByName[name] { return .named(index) }
                throw AvroResolutionError("unknown type \(name)")
            case .array(let branches):
                var nodes: [Node] = []
                for branch in branches { nodes.append(try node(branch, namespace: namespace)) }
                return .union(nodes)
            case .object:
                guard let type = json["type"]?.stringValue else {
                    if let nested = json["type"] { return try node(nested, namespace: namespace) }
                    throw AvroResolutionError("a schema object needs a type")
                }
                switch type {
                case "array":
                    guard let items = json["items"] else { throw AvroResolutionError("an array needs items") }
                    return .array(try node(items, namespace: namespace))
                case "map":
                    guard let values = json["values"] else { throw AvroResolutionError("a map needs values") }
                    return .map(try node(values, namespace: namespace))
                case "record", "error", "enum", "fixed": return try namedNode(json, type: type, namespace: namespace)
                default: return try node(.string(type), namespace: namespace)
                }
            default: throw AvroResolutionError("a schema is a name, an object or a union")
            }
        }

        mutating func namedNode(_ json: SchemaJSON, type: String, namespace: String) throws(AvroResolutionError) -> Node {
            guard let name = json["name"]?.stringValue else { throw AvroResolutionError("a \(type) needs a name") }
            let fullname = Self.fullname(name, namespace: json["namespace"]?.stringValue ?? namespace)
            let space = fullname.split(separator: ".").dropLast().joined(separator: ".")
            let aliases = Self.strings(json["aliases"]).map { Self.fullname($0, namespace: space) }
            let index = named.count
            // Registered before the fields are read, so that a record can refer to itself.
            named.append(Named(fullname: fullname, aliases: aliases, definition: .fixed(size: 0)))
            indexByName[fullname] = index
            switch type {
            case "enum":
                guard case .array(let values) = json["symbols"] else { throw AvroResolutionError("enum \(fullname) needs symbols") }
                named[index].definition = .enumeration(symbols: values.compactMap(\.stringValue), defaultSymbol: json["default"]?.stringValue)
            case "fixed":
                guard case .number(let text) = json["size"], let size = Int(text), size >= 0 else { throw AvroResolutionError("fixed \(fullname) needs a size") }
                named[index].definition = .fixed(size: size)
            default:
                guard case .array(let fieldsJSON) = json["fields"] else { throw AvroResolutionError("record \(fullname) needs fields") }
                var fields: [Field] = []
                for fieldJSON in fieldsJSON {
                    guard let fieldName = fieldJSON["name"]?.stringValue, let fieldType = fieldJSON["type"] else {
                        throw AvroResolutionError("a field of \(fullname) needs a name and a type")
                    }
                    fields.append(Field(name: fieldName, aliases: Self.strings(fieldJSON["aliases"]),
                                        type: try node(fieldType, namespace: space), defaultValue: fieldJSON["default"]))
                }
                named[index].definition = .record(fields)
            }
            return .named(index)
        }

        static func strings(_ json: SchemaJSON?) -> [String] {
            guard case .array(let items) = json else { return [] }
            return items.compactMap(\.stringValue)
        }
    }

    func describe(_ node: Node) -> String {
        switch node {
        case .primitive(let primitive): primitive.rawValue
        case .named(let index): named[index].fullname
        case .array(let items): "array<\(describe(items))>"
        case .map(let values): "map<\(describe(values))>"
        case .union(let branches): "[" + branches.map(describe).joined(separator: ", ") + "]"
        }
    }
}

/// Why a writer's schema cannot be resolved against a reader's (the pair is incompatible, or a
/// schema text is not a schema).
public struct AvroResolutionError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}

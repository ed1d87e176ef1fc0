import ECMARegex
import JSONDocument

/// Turns schema locations into `SchemaNode`s: once per location (shared, so recursion through
/// `$ref` is a cycle of nodes, not an endless tree), then resolves every reference.
final class SchemaCompiler {
    let registry: SchemaRegistry
    let assertFormats: Bool
    private var cache: [SchemaLocationKey: SchemaNode] = [:]
    private var pendingReferences: [(ReferenceBox, kind: ReferenceKind, pointer: String)] = []
    private(set) var dynamicAnchorNodes: [String: [String: SchemaNode]] = [:]
    private(set) var recursiveRoots: [String: SchemaNode] = [:]

    enum ReferenceKind { case ref, dynamic, recursive }

    init(registry: SchemaRegistry, assertFormats: Bool) {
        self.registry = registry
        self.assertFormats = assertFormats
    }

    /// Compiles the schema at `key` and everything it references.
    func compileAll(_ key: SchemaLocationKey) throws -> SchemaNode {
        let root = try node(at: key)
        try resolveReferences()
        return root
    }

    func resolveReferences() throws {
        var resolvedAnchors: Set<String> = []
        repeat {
            while let (box, kind, pointer) = pendingReferences.popLast() {
                let uri = URIReference(box.uri)
                guard let target = try registry.resolve(uri) else {
                    throw SchemaError("cannot resolve reference \"\(box.uri)\": no schema has that URI (map it with --resource URI=PATH or --resource-dir)", pointer: pointer)
                }
                box.target = try node(at: target)
                if kind == .dynamic, let fragment = uri.fragment, !fragment.isEmpty, !fragment.hasPrefix("/"),
                   case .object(let object)? = registry.value(at: target), object["$dynamicAnchor"] == .string(fragment) {
                    box.dynamicAnchor = fragment
                }
            }
            // Every dynamic anchor and recursive anchor of every loaded resource, for runtime lookups.
            for (resource, anchors) in registry.dynamicAnchors {
                for (name, key) in anchors where resolvedAnchors.insert(resource + "#" + name).inserted {
                    dynamicAnchorNodes[resource, default: [:]][name] = try node(at: key)
                }
            }
            for resource in registry.recursiveAnchors where recursiveRoots[resource] == nil {
                if let key = registry.resources[resource] { recursiveRoots[resource] = try node(at: key) }
            }
        } while !pendingReferences.isEmpty
    }

    // MARK: - Nodes

    func node(at key: SchemaLocationKey) throws -> SchemaNode {
        if let cached = cache[key] { return cached }
        guard let value = registry.value(at: key) else { throw SchemaError("no schema at \(key.pointer)", pointer: key.pointer) }
        let info = registry.locationInfo(key)
        let absolute = absoluteLocation(of: key, base: info.base)
        switch value {
        case .bool(let b):
            let node = SchemaNode(boolean: b, absoluteLocation: absolute, resource: info.base)
            cache[key] = node
            return node
        case .object(let object):
            let node = SchemaNode(boolean: nil, absoluteLocation: absolute, resource: info.base)
            cache[key] = node
            try compileKeywords(object, into: node, key: key, info: info)
            return node
        default:
            throw SchemaError("a schema must be an object or a boolean, not \(value.typeName)", pointer: key.pointer)
        }
    }

    private func absoluteLocation(of key: SchemaLocationKey, base: String) -> String {
        if let root = registry.resources[base], root.document == key.document, key.pointer.hasPrefix(root.pointer) {
            return base + "#" + key.pointer.dropFirst(root.pointer.count)
        }
        return base + "#" + key.pointer
    }

    private func child(_ key: SchemaLocationKey, _ tokens: String...) throws -> SchemaNode {
        var pointer = JSONPointer(parsing: key.pointer) ?? .root
        for token in tokens { pointer = pointer / token }
        return try node(at: SchemaLocationKey(document: key.document, pointer: pointer.description))
    }

    private func reference(_ text: String, base: String, kind: ReferenceKind, pointer: String) -> ReferenceBox {
        let box = ReferenceBox(uri: URIReference(base).resolving(text).description)
        pendingReferences.append((box, kind, pointer))
        return box
    }

    private func regex(_ pattern: String, pointer: String) throws -> ECMARegex {
        do { return try ECMARegex(pattern) } catch {
            throw SchemaError("pattern \"\(pattern)\" is not an ECMA-262 regular expression: \(error)", pointer: pointer)
        }
    }

    private func compileKeywords(_ object: JSONObject, into node: SchemaNode, key: SchemaLocationKey, info: LocationInfo) throws {
        let dialect = info.dialect
        let active = info.vocabularies
        func on(_ keyword: String) -> Bool {
            guard let vocabulary = Vocabulary.of(keyword, in: dialect) else { return false }
            if vocabulary == .formatAnnotation { return true }
            return active.contains(vocabulary)
        }
        var keywords: [CompiledKeyword] = []
        var last: [CompiledKeyword] = []
        func add(_ name: String, _ check: Keyword) { keywords.append(CompiledKeyword(name: name, check: check)) }
        let here = key.pointer

        if case .string(let ref)? = object["$ref"] {
            add("$ref", .ref(reference(ref, base: info.base, kind: .ref, pointer: here + "/$ref")))
            if dialect == .draft7 { node.keywords = keywords; return }
        }
        if on("$dynamicRef"), case .string(let ref)? = object["$dynamicRef"] {
            add("$dynamicRef", .dynamicRef(reference(ref, base: info.base, kind: .dynamic, pointer: here + "/$dynamicRef")))
        }
        if on("$recursiveRef"), case .string(let ref)? = object["$recursiveRef"] {
            add("$recursiveRef", .recursiveRef(reference(ref, base: info.base, kind: .recursive, pointer: here + "/$recursiveRef")))
        }

        // Validation vocabulary.
        if on("type") {
            switch object["type"] {
            case .string(let name)?: if let set = TypeSet(name: name) { add("type", .type(set)) }
            case .array(let names)?:
                var set: TypeSet = []
                for case .string(let name) in names { if let t = TypeSet(name: name) { set.insert(t) } }
                add("type", .type(set))
            default: break
            }
        }
        if on("const"), let value = object["const"] { add("const", .const(value)) }
        if on("enum"), case .array(let values)? = object["enum"] { add("enum", .enumeration(values)) }
        if on("multipleOf"), let value = object["multipleOf"], let decimal = ExactDecimal(value) { add("multipleOf", .multipleOf(decimal, value)) }
        for (name, make) in [("maximum", Keyword.maximum), ("exclusiveMaximum", Keyword.exclusiveMaximum),
                             ("minimum", Keyword.minimum), ("exclusiveMinimum", Keyword.exclusiveMinimum)] {
            if on(name), let value = object[name], value.isNumber { add(name, make(value)) }
        }
        func count(_ name: String) -> Int? {
            guard on(name), let value = object[name] else { return nil }
            switch value {
            case .integer(let n): return Int(clamping: n)
            case .real(let d) where d.isFinite && d == d.rounded(): return Int(d)
            case .bigNumber: return Int.max
            default: return nil
            }
        }
        if let n = count("maxLength") { add("maxLength", .maxLength(n)) }
        if let n = count("minLength") { add("minLength", .minLength(n)) }
        if on("pattern"), case .string(let pattern)? = object["pattern"] { add("pattern", .pattern(try regex(pattern, pointer: here + "/pattern"))) }
        if on("format"), case .string(let format)? = object["format"] {
            add("format", .format(format, assert: assertFormats || active.contains(.formatAssertion)))
        }
        if dialect == .draft7, object["contentEncoding"] != nil || object["contentMediaType"] != nil {
            add("contentMediaType", .content(encoding: object["contentEncoding"]?.stringValue, mediaType: object["contentMediaType"]?.stringValue))
        }
        if let n = count("maxItems") { add("maxItems", .maxItems(n)) }
        if let n = count("minItems") { add("minItems", .minItems(n)) }
        if on("uniqueItems"), object["uniqueItems"] == .bool(true) { add("uniqueItems", .uniqueItems) }
        if let n = count("maxProperties") { add("maxProperties", .maxProperties(n)) }
        if let n = count("minProperties") { add("minProperties", .minProperties(n)) }
        if on("required"), case .array(let names)? = object["required"] {
            add("required", .required(names.compactMap(\.stringValue)))
        }
        if on("dependentRequired"), case .object(let map)? = object["dependentRequired"] {
            add("dependentRequired", .dependentRequired(map.members.map { ($0.key, $0.value.arrayValue?.compactMap(\.stringValue) ?? []) }))
        }

        // Applicator vocabulary.
        if on("allOf"), case .array(let list)? = object["allOf"] {
            add("allOf", .allOf(try list.indices.map { try child(key, "allOf", String($0)) }))
        }
        if on("anyOf"), case .array(let list)? = object["anyOf"] {
            add("anyOf", .anyOf(try list.indices.map { try child(key, "anyOf", String($0)) }))
        }
        if on("oneOf"), case .array(let list)? = object["oneOf"] {
            add("oneOf", .oneOf(try list.indices.map { try child(key, "oneOf", String($0)) }))
        }
        if on("not"), object["not"] != nil { add("not", .not(try child(key, "not"))) }
        if on("if"), object["if"] != nil {
            let thenNode = object["then"] != nil ? try child(key, "then") : nil
            let elseNode = object["else"] != nil ? try child(key, "else") : nil
            add("if", .conditional(if: try child(key, "if"), then: thenNode, else: elseNode))
        }

        // Arrays.
        var prefixCount: Int? = nil
        if dialect == .draft2020_12 {
            if on("prefixItems"), case .array(let list)? = object["prefixItems"] {
                add("prefixItems", .prefixItems(try list.indices.map { try child(key, "prefixItems", String($0)) }))
                prefixCount = list.count
            }
            if on("items"), object["items"] != nil { add("items", .items(try child(key, "items"), from: prefixCount ?? 0)) }
        } else if on("items") {
            switch object["items"] {
            case .array(let list)?:
                add("items", .prefixItems(try list.indices.map { try child(key, "items", String($0)) }))
                if on("additionalItems"), object["additionalItems"] != nil {
                    add("additionalItems", .items(try child(key, "additionalItems"), from: list.count))
                }
            case .some: add("items", .items(try child(key, "items"), from: 0))
            case nil: break
            }
        }
        if on("contains"), object["contains"] != nil {
            let minimum = dialect == .draft7 ? 1 : (count("minContains") ?? 1)
            let maximum = dialect == .draft7 ? nil : count("maxContains")
            add("contains", .contains(try child(key, "contains"), min: minimum, max: maximum, countsAsEvaluated: dialect == .draft2020_12))
        }

        // Objects.
        var declared: Set<String> = []
        if on("properties"), case .object(let map)? = object["properties"] {
            var nodes: [String: SchemaNode] = [:]
            for member in map.members { nodes[member.key] = try child(key, "properties", member.key) }
            declared = Set(map.keys)
            add("properties", .properties(nodes, order: map.keys))
        }
        var patterns: [ECMARegex] = []
        if on("patternProperties"), case .object(let map)? = object["patternProperties"] {
            var list: [PatternProperty] = []
            for member in map.members {
                let compiled = try regex(member.key, pointer: here + "/patternProperties")
                patterns.append(compiled)
                list.append(PatternProperty(regex: compiled, schema: try child(key, "patternProperties", member.key)))
            }
            add("patternProperties", .patternProperties(list))
        }
        if on("additionalProperties"), object["additionalProperties"] != nil {
            add("additionalProperties", .additionalProperties(try child(key, "additionalProperties"), declared: declared, patterns: patterns))
        }
        if on("propertyNames"), object["propertyNames"] != nil { add("propertyNames", .propertyNames(try child(key, "propertyNames"))) }
        if on("dependentSchemas"), case .object(let map)? = object["dependentSchemas"] {
            add("dependentSchemas", .dependentSchemas(try map.members.map { ($0.key, try child(key, "dependentSchemas", $0.key)) }))
        }
        if on("dependencies"), case .object(let map)? = object["dependencies"] {
            var schemas: [(String, SchemaNode)] = []
            var requirements: [(String, [String])] = []
            for member in map.members {
                if case .array(let names) = member.value {
                    requirements.append((member.key, names.compactMap(\.stringValue)))
                } else {
                    schemas.append((member.key, try child(key, "dependencies", member.key)))
                }
            }
            if !requirements.isEmpty { add("dependencies", .dependentRequired(requirements)) }
            if !schemas.isEmpty { add("dependencies", .dependentSchemas(schemas)) }
        }

        // Unevaluated vocabulary: last, they read what every other keyword evaluated.
        if on("unevaluatedItems"), object["unevaluatedItems"] != nil {
            last.append(CompiledKeyword(name: "unevaluatedItems", check: .unevaluatedItems(try child(key, "unevaluatedItems"))))
        }
        if on("unevaluatedProperties"), object["unevaluatedProperties"] != nil {
            last.append(CompiledKeyword(name: "unevaluatedProperties", check: .unevaluatedProperties(try child(key, "unevaluatedProperties"))))
        }
        node.tracksEvaluation = !last.isEmpty
        node.keywords = keywords + last
    }
}

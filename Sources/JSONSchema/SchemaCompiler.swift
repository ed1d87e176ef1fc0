import ECMARegex
import JSONDocument

/// Turns schema locations into `SchemaNode`s: once per location (shared, so recursion through
/// `$ref` is a cycle of nodes, not an endless tree), then resolves every reference.
final class SchemaCompiler {
    let registry: SchemaRegistry
    let assertFormats: Bool
    private var cache: [SchemaLocationKey: SchemaNode] = [:]
    private var pendingReferences: [(ReferenceBox, kind: ReferenceKind, pointer: String)] = []
    private(set) var dynamicAnchorNodes: [Int: [String: SchemaNode]] = [:]
    private(set) var recursiveRoots: [Int: SchemaNode] = [:]
    private var resourceIDs: [String: Int] = [:]
    /// Whether any schema uses $dynamicRef or $recursiveRef (else the dynamic scope is not tracked).
    private(set) var usesDynamicScope = false

    func resourceID(_ uri: String) -> Int {
        if let id = resourceIDs[uri] { return id }
        resourceIDs[uri] = resourceIDs.count
        return resourceIDs.count - 1
    }

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
                    dynamicAnchorNodes[resourceID(resource), default: [:]][name] = try node(at: key)
                }
            }
            for resource in registry.recursiveAnchors where recursiveRoots[resourceID(resource)] == nil {
                if let key = registry.resources[resource] { recursiveRoots[resourceID(resource)] = try node(at: key) }
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
            let node = SchemaNode(boolean: b, absoluteLocation: absolute, resource: info.base, resourceID: resourceID(info.base))
            cache[key] = node
            return node
        case .object(let object):
            let node = SchemaNode(boolean: nil, absoluteLocation: absolute, resource: info.base, resourceID: resourceID(info.base))
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
        if kind != .ref { usesDynamicScope = true }
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
        var keywords: [KeywordCheck] = []
        var last: [KeywordCheck] = []
        func add(_ check: KeywordCheck) { keywords.append(check) }
        let here = key.pointer

        if case .string(let ref)? = object["$ref"] {
            add(RefCheck("$ref", box: reference(ref, base: info.base, kind: .ref, pointer: here + "/$ref")))
            if dialect == .draft7 { node.keywords = keywords; return }
        }
        if on("$dynamicRef"), case .string(let ref)? = object["$dynamicRef"] {
            add(DynamicRefCheck("$dynamicRef", box: reference(ref, base: info.base, kind: .dynamic, pointer: here + "/$dynamicRef")))
        }
        if on("$recursiveRef"), case .string(let ref)? = object["$recursiveRef"] {
            add(RecursiveRefCheck("$recursiveRef", box: reference(ref, base: info.base, kind: .recursive, pointer: here + "/$recursiveRef")))
        }

        // Validation vocabulary.
        if on("type") {
            switch object["type"] {
            case .string(let name)?: if let set = TypeSet(name: name) { add(TypeCheck("type", types: set)) }
            case .array(let names)?:
                var set: TypeSet = []
                for case .string(let name) in names { if let t = TypeSet(name: name) { set.insert(t) } }
                add(TypeCheck("type", types: set))
            default: break
            }
        }
        if on("const"), let value = object["const"] { add(ConstCheck("const", expected: value)) }
        if on("enum"), case .array(let values)? = object["enum"] { add(EnumCheck("enum", values: values)) }
        if on("multipleOf"), let value = object["multipleOf"], let decimal = ExactDecimal(value) { add(MultipleOfCheck("multipleOf", divisor: decimal, literal: value)) }
        if on("maximum"), let value = object["maximum"], value.isNumber { add(BoundCheck("maximum", kind: .maximum, limit: value)) }
        if on("exclusiveMaximum"), let value = object["exclusiveMaximum"], value.isNumber { add(BoundCheck("exclusiveMaximum", kind: .exclusiveMaximum, limit: value)) }
        if on("minimum"), let value = object["minimum"], value.isNumber { add(BoundCheck("minimum", kind: .minimum, limit: value)) }
        if on("exclusiveMinimum"), let value = object["exclusiveMinimum"], value.isNumber { add(BoundCheck("exclusiveMinimum", kind: .exclusiveMinimum, limit: value)) }
        func count(_ name: String) -> Int? {
            guard on(name), let value = object[name] else { return nil }
            switch value {
            case .integer(let n): return Int(clamping: n)
            case .real(let d) where d.isFinite && d == d.rounded(): return Int(d)
            case .bigNumber: return Int.max
            default: return nil
            }
        }
        if let n = count("maxLength") { add(SizeCheck("maxLength", measure: .characters, limit: n, isMaximum: true)) }
        if let n = count("minLength") { add(SizeCheck("minLength", measure: .characters, limit: n, isMaximum: false)) }
        if on("pattern"), case .string(let pattern)? = object["pattern"] { add(PatternCheck("pattern", regex: try regex(pattern, pointer: here + "/pattern"))) }
        if on("format"), case .string(let format)? = object["format"] {
            if assertFormats || active.contains(.formatAssertion), let check = FormatCheck("format", format: format) { add(check) }
        }
        if dialect == .draft7, object["contentEncoding"] != nil || object["contentMediaType"] != nil {
            add(ContentCheck("contentMediaType", encoding: object["contentEncoding"]?.stringValue, mediaType: object["contentMediaType"]?.stringValue))
        }
        if let n = count("maxItems") { add(SizeCheck("maxItems", measure: .items, limit: n, isMaximum: true)) }
        if let n = count("minItems") { add(SizeCheck("minItems", measure: .items, limit: n, isMaximum: false)) }
        if on("uniqueItems"), object["uniqueItems"] == .bool(true) { add(UniqueItemsCheck("uniqueItems")) }
        if let n = count("maxProperties") { add(SizeCheck("maxProperties", measure: .properties, limit: n, isMaximum: true)) }
        if let n = count("minProperties") { add(SizeCheck("minProperties", measure: .properties, limit: n, isMaximum: false)) }
        if on("required"), case .array(let names)? = object["required"] {
            add(RequiredCheck("required", names: names.compactMap(\.stringValue)))
        }
        if on("dependentRequired"), case .object(let map)? = object["dependentRequired"] {
            add(DependentRequiredCheck("dependentRequired", rules: map.members.map { ($0.key, $0.value.arrayValue?.compactMap(\.stringValue) ?? []) }))
        }

        // Applicator vocabulary.
        if on("allOf"), case .array(let list)? = object["allOf"] {
            add(AllOfCheck("allOf", schemas: try list.indices.map { try child(key, "allOf", String($0)) }))
        }
        if on("anyOf"), case .array(let list)? = object["anyOf"] {
            add(AnyOfCheck("anyOf", schemas: try list.indices.map { try child(key, "anyOf", String($0)) }))
        }
        if on("oneOf"), case .array(let list)? = object["oneOf"] {
            add(OneOfCheck("oneOf", schemas: try list.indices.map { try child(key, "oneOf", String($0)) }))
        }
        if on("not"), object["not"] != nil { add(NotCheck("not", schema: try child(key, "not"))) }
        if on("if"), object["if"] != nil {
            let thenNode = object["then"] != nil ? try child(key, "then") : nil
            let elseNode = object["else"] != nil ? try child(key, "else") : nil
            add(ConditionalCheck("if", condition: try child(key, "if"), thenSchema: thenNode, elseSchema: elseNode))
        }

        // Arrays.
        var prefixCount: Int? = nil
        if dialect == .draft2020_12 {
            if on("prefixItems"), case .array(let list)? = object["prefixItems"] {
                add(PrefixItemsCheck("prefixItems", schemas: try list.indices.map { try child(key, "prefixItems", String($0)) }))
                prefixCount = list.count
            }
            if on("items"), object["items"] != nil { add(ItemsCheck("items", schema: try child(key, "items"), start: prefixCount ?? 0)) }
        } else if on("items") {
            switch object["items"] {
            case .array(let list)?:
                add(PrefixItemsCheck("items", schemas: try list.indices.map { try child(key, "items", String($0)) }))
                if on("additionalItems"), object["additionalItems"] != nil {
                    add(ItemsCheck("additionalItems", schema: try child(key, "additionalItems"), start: list.count))
                }
            case .some: add(ItemsCheck("items", schema: try child(key, "items"), start: 0))
            case nil: break
            }
        }
        if on("contains"), object["contains"] != nil {
            let minimum = dialect == .draft7 ? 1 : (count("minContains") ?? 1)
            let maximum = dialect == .draft7 ? nil : count("maxContains")
            add(ContainsCheck("contains", schema: try child(key, "contains"), minimum: minimum, maximum: maximum, countsAsEvaluated: dialect == .draft2020_12))
        }

        // Objects.
        var declared: Set<String> = []
        if on("properties"), case .object(let map)? = object["properties"] {
            var nodes: [String: SchemaNode] = [:]
            for member in map.members { nodes[member.key] = try child(key, "properties", member.key) }
            declared = Set(map.keys)
            add(PropertiesCheck("properties", schemas: nodes))
        }
        var patterns: [ECMARegex] = []
        if on("patternProperties"), case .object(let map)? = object["patternProperties"] {
            var list: [PatternProperty] = []
            for member in map.members {
                let compiled = try regex(member.key, pointer: here + "/patternProperties")
                patterns.append(compiled)
                list.append(PatternProperty(regex: compiled, schema: try child(key, "patternProperties", member.key)))
            }
            add(PatternPropertiesCheck("patternProperties", patterns: list))
        }
        if on("additionalProperties"), object["additionalProperties"] != nil {
            add(AdditionalPropertiesCheck("additionalProperties", schema: try child(key, "additionalProperties"), declared: declared, patterns: patterns))
        }
        if on("propertyNames"), object["propertyNames"] != nil { add(PropertyNamesCheck("propertyNames", schema: try child(key, "propertyNames"))) }
        if on("dependentSchemas"), case .object(let map)? = object["dependentSchemas"] {
            add(DependentSchemasCheck("dependentSchemas", rules: try map.members.map { ($0.key, try child(key, "dependentSchemas", $0.key)) }))
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
            if !requirements.isEmpty { add(DependentRequiredCheck("dependencies", rules: requirements)) }
            if !schemas.isEmpty { add(DependentSchemasCheck("dependencies", rules: schemas)) }
        }

        // Unevaluated vocabulary: last, they read what every other keyword evaluated.
        if on("unevaluatedItems"), object["unevaluatedItems"] != nil {
            last.append(UnevaluatedItemsCheck("unevaluatedItems", schema: try child(key, "unevaluatedItems")))
        }
        if on("unevaluatedProperties"), object["unevaluatedProperties"] != nil {
            last.append(UnevaluatedPropertiesCheck("unevaluatedProperties", schema: try child(key, "unevaluatedProperties")))
        }
        node.tracksEvaluation = !last.isEmpty
        node.keywords = keywords + last
    }
}

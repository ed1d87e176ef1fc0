import JSONDocument

/// Which edition of the specification decides the rules that changed between them.
public enum AvroSpecVersion: String, Sendable, CaseIterable {
    /// Union defaults must match the first branch; no nanos timestamps, big-decimal or fixed uuid.
    case v1_11 = "1.11"
    /// Union defaults may match any branch (AVRO-3649).
    case v1_12 = "1.12"
}

/// One finding of the parser, located by JSON pointer (the caller turns it into line:col).
public struct AvroIssue: Sendable, Hashable {
    public var rule: AvroRule
    public var message: String
    public var pointer: JSONPointer
    /// Point at the member's key rather than its value (for attributes that sit in the wrong place).
    public var atKey: Bool

    public init(_ rule: AvroRule, _ message: String, at pointer: JSONPointer, atKey: Bool = false) {
        self.rule = rule
        self.message = message
        self.pointer = pointer
        self.atKey = atKey
    }
}

/// A named type defined in another file, offered to a parse so that cross-file names resolve.
public enum ExternalDefinition: Sendable, Hashable {
    case defined(AvroType, source: String)
    /// Several files define the name differently.
    case ambiguous(sources: [String])
}

/// A use of a name that another file defines.
public struct ExternalUse: Sendable, Hashable {
    public var name: String
    public var source: String
    public var pointer: JSONPointer
}

public struct AvroParseResult: Sendable {
    /// The schema, when its structure could be built (it may still have errors).
    public var schema: AvroSchema?
    public var issues: [AvroIssue]
    /// Names used here and defined nowhere in this document.
    public var unresolvedNames: Set<String>
    /// Named types this document defines, in definition order.
    public var definedNames: [String]
    public var externalUses: [ExternalUse]

    public var hasErrors: Bool { issues.contains { $0.rule.severity == .error } }
}

/// A strict parser for Avro schemas (specification 1.12, or 1.11): it builds the model and reports
/// every problem it finds, instead of stopping at the first.
public struct AvroParser: Sendable {
    public var specVersion: AvroSpecVersion

    public init(specVersion: AvroSpecVersion = .v1_12) { self.specVersion = specVersion }

    public func parse(_ value: JSONValue, external: [String: ExternalDefinition] = [:]) -> AvroParseResult {
        let context = ParseContext(specVersion: specVersion, external: external)
        let root = context.parseSchema(value, at: .root, namespace: nil, topLevel: true)
        context.resolvePendingReferences()
        var schema: AvroSchema? = nil
        if let root {
            let built = AvroSchema(root: root, definitions: context.definitions)
            SemanticChecker(schema: built, specVersion: specVersion, report: { context.issues.append($0) }).check(root, at: .root)
            schema = built
        }
        return AvroParseResult(schema: schema, issues: context.issues, unresolvedNames: context.unresolvedNames,
                               definedNames: context.definitionOrder, externalUses: context.externalUses)
    }
}

/// The parser's working state. A class, because recursion shares it.
final class ParseContext {
    let specVersion: AvroSpecVersion
    let external: [String: ExternalDefinition]
    var issues: [AvroIssue] = []
    var definitions: [String: AvroType] = [:]
    var definitionOrder: [String] = []
    var definitionPointers: [String: JSONPointer] = [:]
    private var inProgress: Set<String> = []
    private var pending: [PendingReference] = []
    var unresolvedNames: Set<String> = []
    var externalUses: [ExternalUse] = []

    struct PendingReference {
        var written: String
        var fullname: String
        var pointer: JSONPointer
        var field: JSONObject?
        var fieldPointer: JSONPointer?
    }

    static let complexTypeAttributes = ["record": "fields", "error": "fields", "enum": "symbols", "array": "items",
                                        "map": "values", "fixed": "size"]
    static let reservedTypeAttributes: Set<String> = ["type", "name", "namespace", "doc", "aliases", "fields", "symbols",
                                                      "items", "values", "size", "default"]
    static let reservedFieldAttributes: Set<String> = ["name", "type", "doc", "default", "order", "aliases"]

    init(specVersion: AvroSpecVersion, external: [String: ExternalDefinition]) {
        self.specVersion = specVersion
        self.external = external
    }

    func report(_ rule: AvroRule, _ message: String, at pointer: JSONPointer, atKey: Bool = false) {
        issues.append(AvroIssue(rule, message, at: pointer, atKey: atKey))
    }

    private func isKnown(_ fullname: String) -> Bool { definitions[fullname] != nil || inProgress.contains(fullname) }

    // MARK: - Schemas

    func parseSchema(_ value: JSONValue, at pointer: JSONPointer, namespace: String?, topLevel: Bool = false,
                     field: JSONObject? = nil, fieldPointer: JSONPointer? = nil) -> AvroType? {
        switch value {
        case .string(let name):
            return reference(name, at: pointer, namespace: namespace, field: field, fieldPointer: fieldPointer)
        case .array(let branches):
            var types: [AvroType] = []
            for (index, branch) in branches.enumerated() {
                if case .array = branch {
                    report(.nestedUnion, "a union may not directly contain another union; merge the branches of the inner union into this one", at: pointer / index)
                    continue
                }
                if let type = parseSchema(branch, at: pointer / index, namespace: namespace) { types.append(type) }
            }
            return .union(types)
        case .object(let object):
            return parseObject(object, at: pointer, namespace: namespace)
        default:
            report(.invalidSchemaForm, "a schema must be a type name (string), a type object or a union (array), not \(article(value.typeName))", at: pointer)
            return nil
        }
    }

    private func reference(_ name: String, at pointer: JSONPointer, namespace: String?,
                           field: JSONObject?, fieldPointer: JSONPointer?) -> AvroType {
        if let primitive = AvroPrimitive(rawValue: name) { return .primitive(primitive) }
        let fullname = AvroName.qualify(name, in: namespace)
        if !isKnown(fullname) {
            pending.append(PendingReference(written: name, fullname: fullname, pointer: pointer, field: field, fieldPointer: fieldPointer))
        }
        return .reference(fullname)
    }

    private func parseObject(_ object: JSONObject, at pointer: JSONPointer, namespace: String?) -> AvroType? {
        guard let typeValue = object["type"] else {
            report(.missingAttribute, "a schema object needs a \"type\" attribute, e.g. {\"type\": \"string\"}", at: pointer)
            return nil
        }
        guard case .string(let typeName) = typeValue else {
            let hint = switch typeValue {
            case .array: "; a union is written as a bare JSON array, not wrapped in {\"type\": [...]}"
            case .object: "; write the inner schema object directly instead of wrapping it in {\"type\": {...}}"
            default: ""
            }
            report(.invalidAttribute, "\"type\" of a schema object must be a type name string, not \(article(typeValue.typeName))\(hint)", at: pointer / "type")
            return nil
        }
        if let primitive = AvroPrimitive(rawValue: typeName) {
            return .primitive(primitive, annotations(object, at: pointer, base: .primitive(primitive)))
        }
        switch typeName {
        case "record", "error": return parseRecord(object, at: pointer, namespace: namespace, isError: typeName == "error")
        case "enum": return parseEnum(object, at: pointer, namespace: namespace)
        case "fixed": return parseFixed(object, at: pointer, namespace: namespace)
        case "array":
            guard let items = object["items"] else {
                report(.missingAttribute, "an array needs \"items\", the schema of its elements: {\"type\": \"array\", \"items\": \"string\"}", at: pointer)
                return nil
            }
            let itemType = parseSchema(items, at: pointer / "items", namespace: namespace)
            return itemType.map { .array(items: $0, annotations(object, at: pointer, base: .array)) }
        case "map":
            guard let values = object["values"] else {
                report(.missingAttribute, "a map needs \"values\", the schema of its values (keys are always strings): {\"type\": \"map\", \"values\": \"string\"}", at: pointer)
                return nil
            }
            let valueType = parseSchema(values, at: pointer / "values", namespace: namespace)
            return valueType.map { .map(values: $0, annotations(object, at: pointer, base: .map)) }
        default:
            let fullname = AvroName.qualify(typeName, in: namespace)
            if isKnown(fullname) { return .reference(fullname) }
            report(.unknownType, "unknown type \"\(typeName)\": expected a primitive (\(AvroPrimitive.allCases.map(\.rawValue).joined(separator: ", "))), record, enum, array, map or fixed\(caseHint(typeName))", at: pointer / "type")
            return nil
        }
    }

    private func caseHint(_ name: String) -> String {
        let all = AvroPrimitive.allCases.map(\.rawValue) + ["record", "enum", "array", "map", "fixed"]
        if let match = all.first(where: { $0.lowercased() == name.lowercased() }) { return "; type names are case-sensitive: write \"\(match)\"" }
        return ""
    }

    // MARK: - Named types

    /// Reads name, namespace, aliases and doc of a named type and registers its fullname.
    private func beginNamed(_ object: JSONObject, at pointer: JSONPointer, namespace enclosing: String?, kind: String)
        -> (fullname: String, aliases: [String], doc: String?)? {
        guard let nameValue = object["name"] else {
            report(.missingAttribute, "\(article(kind)) needs a \"name\"", at: pointer)
            return nil
        }
        guard case .string(let name) = nameValue else {
            report(.invalidAttribute, "\"name\" must be a string, not \(article(nameValue.typeName))", at: pointer / "name")
            return nil
        }
        var namespace = enclosing
        if let nsValue = object["namespace"] {
            switch nsValue {
            case .string(let ns):
                if !name.utf8.contains(UInt8(ascii: ".")) && !AvroName.isValidNamespace(ns) {
                    report(.invalidNamespace, "namespace \"\(ns)\" is invalid: it must be empty or names joined by dots, each matching [A-Za-z_][A-Za-z0-9_]*", at: pointer / "namespace")
                }
                namespace = ns
            case .null:
                report(.nullNamespace, "\"namespace\": null is not a string; write \"namespace\": \"\" for the null namespace, or remove it", at: pointer / "namespace")
            default:
                report(.invalidAttribute, "\"namespace\" must be a string, not \(article(nsValue.typeName))", at: pointer / "namespace")
            }
        }
        let fullname = AvroName.qualify(name, in: namespace)
        if name.utf8.contains(UInt8(ascii: ".")) {
            let components = name.split(separator: ".", omittingEmptySubsequences: false)
            if !components.allSatisfy(AvroName.isValidComponent) {
                report(.invalidName, "name \"\(name)\" is invalid: every dot-separated part must match [A-Za-z_][A-Za-z0-9_]*", at: pointer / "name")
            }
        } else if !AvroName.isValidName(name) {
            report(.invalidName, "name \"\(name)\" is invalid: it must start with a letter or _ and contain only ASCII letters, digits and _", at: pointer / "name")
        }
        let shortName = AvroName.shortName(of: fullname)
        if AvroPrimitive(rawValue: shortName) != nil {
            report(.primitiveNameRedefined, "\"\(fullname)\" takes the name of the primitive type \(shortName); choose another name", at: pointer / "name")
        }
        if isKnown(fullname) {
            let first = definitionPointers[fullname].map { " (first defined at \($0))" } ?? ""
            report(.nameRedefined, "\(fullname) is already defined\(first); define a named type once and refer to it by name afterwards", at: pointer / "name")
        } else {
            inProgress.insert(fullname)
            definitionPointers[fullname] = pointer
        }
        let typeNamespace = AvroName.namespace(of: fullname)
        let aliases = stringArray(object["aliases"], at: pointer / "aliases", what: "aliases").map { AvroName.qualify($0, in: typeNamespace) }
        let doc = docString(object, at: pointer)
        return (fullname, aliases, doc)
    }

    private func finishNamed(_ fullname: String, _ type: AvroType) {
        guard inProgress.remove(fullname) != nil else { return }
        definitions[fullname] = type
        definitionOrder.append(fullname)
    }

    private func parseRecord(_ object: JSONObject, at pointer: JSONPointer, namespace: String?, isError: Bool) -> AvroType? {
        if isError {
            report(.errorOutsideProtocol, "\"error\" is a protocol type; in a schema it is read as a record, so write \"type\": \"record\"", at: pointer / "type")
        }
        guard let named = beginNamed(object, at: pointer, namespace: namespace, kind: "record") else { return nil }
        let innerNamespace = AvroName.namespace(of: named.fullname)
        var fields: [AvroField] = []
        switch object["fields"] {
        case nil:
            report(.missingAttribute, "record \(named.fullname) needs \"fields\", an array of field objects (it may be empty)", at: pointer)
        case .array(let elements)?:
            var seen: [String: Int] = [:]
            for (index, element) in elements.enumerated() {
                if let field = parseField(element, at: pointer / "fields" / index, namespace: innerNamespace) {
                    if let previous = seen[field.name] {
                        report(.duplicateField, "field \"\(field.name)\" is declared twice in \(named.fullname) (also field \(previous)); field names must be unique", at: pointer / "fields" / index / "name")
                    } else {
                        seen[field.name] = index
                    }
                    fields.append(field)
                }
            }
        case let other?:
            report(.invalidAttribute, "\"fields\" must be an array of field objects, not \(article(other.typeName))", at: pointer / "fields")
        }
        let annotations = annotations(object, at: pointer, base: .record)
        let record = AvroType.record(AvroRecord(fullname: named.fullname, aliases: named.aliases, doc: named.doc, fields: fields,
                                                isError: isError, annotations: annotations))
        finishNamed(named.fullname, record)
        return record
    }

    private func parseField(_ value: JSONValue, at pointer: JSONPointer, namespace: String?) -> AvroField? {
        guard case .object(let object) = value else {
            report(.invalidAttribute, "a field must be an object like {\"name\": \"id\", \"type\": \"string\"}, not \(article(value.typeName))", at: pointer)
            return nil
        }
        guard let nameValue = object["name"] else {
            report(.missingAttribute, "a field needs a \"name\"", at: pointer)
            return nil
        }
        guard case .string(let name) = nameValue else {
            report(.invalidAttribute, "a field's \"name\" must be a string, not \(article(nameValue.typeName))", at: pointer / "name")
            return nil
        }
        if !AvroName.isValidName(name) {
            report(.invalidName, "field name \"\(name)\" is invalid: it must start with a letter or _ and contain only ASCII letters, digits and _", at: pointer / "name")
        }
        guard let typeValue = object["type"] else {
            report(.missingAttribute, "field \"\(name)\" needs a \"type\"", at: pointer)
            return nil
        }
        let type = parseSchema(typeValue, at: pointer / "type", namespace: namespace, field: object, fieldPointer: pointer)
        var order = AvroField.Order.ascending
        if let orderValue = object["order"] {
            if case .string(let text) = orderValue, let parsed = AvroField.Order(rawValue: text) {
                order = parsed
            } else {
                report(.invalidAttribute, "\"order\" must be \"ascending\", \"descending\" or \"ignore\" (lower case), not \(orderValue.compactText)", at: pointer / "order")
            }
        }
        let aliases = stringArray(object["aliases"], at: pointer / "aliases", what: "aliases")
        let doc = docString(object, at: pointer)
        let properties = object.members.filter { !Self.reservedFieldAttributes.contains($0.key) }
        if let logical = object["logicalType"], let typeValue = object["type"] {
            let nested = Self.nestedLogicalTypeSuggestion(type: typeValue, field: object)
            report(.fieldLevelLogicalType,
                   "\"logicalType\": \(logical.compactText) on field \"\(name)\" is ignored by Avro, so the field is a plain \(typeValue.stringValue ?? "value"); move it into the type: \"type\": \(nested)",
                   at: pointer / "logicalType", atKey: true)
        }
        guard let type else { return nil }
        return AvroField(name: name, type: type, doc: doc, defaultValue: object["default"], order: order, aliases: aliases, properties: properties)
    }

    static func nestedLogicalTypeSuggestion(type: JSONValue, field: JSONObject) -> String {
        var nested = JSONObject()
        switch type {
        case .object(let inner): for m in inner.members { nested.append(m.key, m.value) }
        default: nested.append("type", type)
        }
        for key in ["logicalType", "precision", "scale"] where nested[key] == nil {
            if let v = field[key] { nested.append(key, v) }
        }
        return JSONValue.object(nested).compactText
    }

    private func parseEnum(_ object: JSONObject, at pointer: JSONPointer, namespace: String?) -> AvroType? {
        guard let named = beginNamed(object, at: pointer, namespace: namespace, kind: "enum") else { return nil }
        var symbols: [String] = []
        switch object["symbols"] {
        case nil:
            report(.missingAttribute, "enum \(named.fullname) needs \"symbols\", an array of names", at: pointer)
        case .array(let elements)?:
            var seen: Set<String> = []
            for (index, element) in elements.enumerated() {
                guard case .string(let symbol) = element else {
                    report(.invalidAttribute, "enum symbols must be strings, not \(article(element.typeName))", at: pointer / "symbols" / index)
                    continue
                }
                if !AvroName.isValidName(symbol) {
                    report(.invalidName, "symbol \"\(symbol)\" is invalid: it must start with a letter or _ and contain only ASCII letters, digits and _", at: pointer / "symbols" / index)
                }
                if !seen.insert(symbol).inserted {
                    report(.duplicateSymbol, "symbol \"\(symbol)\" appears twice in enum \(named.fullname)", at: pointer / "symbols" / index)
                }
                symbols.append(symbol)
            }
            if elements.isEmpty {
                report(.emptyEnum, "enum \(named.fullname) has no symbols, so no value of it can ever be written", at: pointer / "symbols")
            }
        case let other?:
            report(.invalidAttribute, "\"symbols\" must be an array of strings, not \(article(other.typeName))", at: pointer / "symbols")
        }
        var defaultSymbol: String? = nil
        if let value = object["default"] {
            if case .string(let symbol) = value, symbols.contains(symbol) {
                defaultSymbol = symbol
            } else {
                report(.invalidEnumDefault, "the enum default \(value.compactText) is not one of the symbols \(symbols)", at: pointer / "default")
            }
        }
        let type = AvroType.enumeration(AvroEnum(fullname: named.fullname, aliases: named.aliases, doc: named.doc, symbols: symbols,
                                                 defaultSymbol: defaultSymbol, annotations: annotations(object, at: pointer, base: .enumeration)))
        finishNamed(named.fullname, type)
        return type
    }

    private func parseFixed(_ object: JSONObject, at pointer: JSONPointer, namespace: String?) -> AvroType? {
        guard let named = beginNamed(object, at: pointer, namespace: namespace, kind: "fixed") else { return nil }
        var size = 0
        switch object["size"] {
        case nil:
            report(.missingAttribute, "fixed \(named.fullname) needs \"size\", its length in bytes", at: pointer)
        case .integer(let n)? where n >= 0 && n <= Int64(Int32.max):
            size = Int(n)
            if n == 0 { report(.zeroSizeFixed, "fixed \(named.fullname) has size 0: it holds no data", at: pointer / "size") }
        case let other?:
            report(.invalidFixedSize, "\"size\" must be a non-negative JSON integer (e.g. 16), not \(other.compactText)", at: pointer / "size")
        }
        let type = AvroType.fixed(AvroFixed(fullname: named.fullname, aliases: named.aliases, doc: named.doc, size: size,
                                            annotations: annotations(object, at: pointer, base: .fixed(size: size))))
        finishNamed(named.fullname, type)
        return type
    }

    // MARK: - Attributes

    private func stringArray(_ value: JSONValue?, at pointer: JSONPointer, what: String) -> [String] {
        guard let value else { return [] }
        guard case .array(let elements) = value else {
            report(.invalidAttribute, "\"\(what)\" must be an array of strings, not \(article(value.typeName))", at: pointer)
            return []
        }
        var strings: [String] = []
        for (index, element) in elements.enumerated() {
            if case .string(let s) = element { strings.append(s) } else {
                report(.invalidAttribute, "\"\(what)\" must contain strings only, not \(article(element.typeName))", at: pointer / index)
            }
        }
        return strings
    }

    private func docString(_ object: JSONObject, at pointer: JSONPointer) -> String? {
        guard let value = object["doc"] else { return nil }
        guard case .string(let doc) = value else {
            report(.invalidAttribute, "\"doc\" must be a string, not \(article(value.typeName))", at: pointer / "doc")
            return nil
        }
        return doc
    }

    private func annotations(_ object: JSONObject, at pointer: JSONPointer, base: LogicalTypeBase) -> AvroAnnotations {
        let properties = object.members.filter { !Self.reservedTypeAttributes.contains($0.key) }
        var logical: AvroLogicalType? = nil
        if object["logicalType"] != nil {
            switch LogicalTypeReader(specVersion: specVersion).read(object, base: base) {
            case .applied(let type): logical = type
            case .invalid(let why): report(.invalidLogicalType, "\(why); Avro ignores the logical type and uses the underlying type", at: pointer / "logicalType")
            case .unknown(let name): report(.unknownLogicalType, "unknown logical type \"\(name)\" is ignored\(LogicalTypeReader.suggestion(for: name))", at: pointer / "logicalType")
            }
        }
        return AvroAnnotations(logicalType: logical, properties: properties)
    }

    // MARK: - Resolution

    /// Names used before (or without) their definition: forward references, other files' types, or errors.
    func resolvePendingReferences() {
        for reference in pending {
            let name = reference.fullname
            if definitions[name] != nil {
                let defined = definitionPointers[name].map { " (defined at \($0))" } ?? ""
                report(.forwardReference, "\(name) is used before its definition\(defined); Avro requires a named type to be defined where it is first used, so move the definition here", at: reference.pointer)
                continue
            }
            switch external[name] {
            case .defined(_, let source)?:
                externalUses.append(ExternalUse(name: name, source: source, pointer: reference.pointer))
                importExternal(name)
                continue
            case .ambiguous(let sources)?:
                report(.ambiguousReference, "\(name) is defined differently in \(sources.joined(separator: ", ")); declare which one this schema uses as a reference in schemactl.yaml, or make the definitions identical", at: reference.pointer)
                continue
            case nil:
                break
            }
            unresolvedNames.insert(name)
            if let field = reference.field, let fieldPointer = reference.fieldPointer,
               let attribute = Self.complexTypeAttributes[reference.written], field[attribute] != nil {
                var nested = JSONObject()
                nested.append("type", .string(reference.written))
                for key in ["items", "values", "symbols", "fields", "size", "name", "namespace"] {
                    if let v = field[key], key != "name" || reference.written != "array" && reference.written != "map" { nested.append(key, v) }
                }
                let fieldName = field["name"]?.stringValue ?? "?"
                report(.fieldLevelComplexType,
                       "field \"\(fieldName)\" has \"type\": \"\(reference.written)\" with \"\(attribute)\" beside it, so Avro reads \"\(reference.written)\" as the name of a type, and there is none; nest the \(reference.written) schema: \"type\": \(JSONValue.object(nested).compactText)",
                       at: fieldPointer / "type")
                continue
            }
            report(.undefinedName, "\(name) is not defined\(undefinedHint(reference))", at: reference.pointer)
        }
    }

    private func undefinedHint(_ reference: PendingReference) -> String {
        let short = AvroName.shortName(of: reference.fullname)
        let candidates = (Array(definitions.keys) + external.keys.map { $0 }).filter { AvroName.shortName(of: $0) == short && $0 != reference.fullname }
        if let candidate = candidates.sorted().first {
            return "; did you mean \(candidate)? Write the fullname \"\(candidate)\" (a short name resolves in the enclosing namespace only)"
        }
        return "; define it before this use, or, if another file defines it, validate the files together and declare the reference in schemactl.yaml"
    }

    /// Copies an external definition, and the external definitions it uses, into this schema.
    private func importExternal(_ name: String) {
        guard definitions[name] == nil, case .defined(let type, _)? = external[name] else { return }
        definitions[name] = type
        var names: [String] = []
        collectReferences(type, into: &names)
        for used in names { importExternal(used) }
    }
}

func collectReferences(_ type: AvroType, into names: inout [String]) {
    switch type {
    case .reference(let name): names.append(name)
    case .record(let r): for f in r.fields { collectReferences(f.type, into: &names) }
    case .array(let items, _): collectReferences(items, into: &names)
    case .map(let values, _): collectReferences(values, into: &names)
    case .union(let branches): for b in branches { collectReferences(b, into: &names) }
    case .primitive, .enumeration, .fixed: break
    }
}

/// "an integer", "a string".
func article(_ noun: String) -> String {
    guard let first = noun.first else { return noun }
    return ("aeiou".contains(first) ? "an " : "a ") + noun
}

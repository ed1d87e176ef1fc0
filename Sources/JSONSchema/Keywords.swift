#if canImport(Glibc)
import Glibc
#endif
import ECMARegex
import JSONDocument

/// One compiled keyword. A class per keyword (rather than an enum with payloads) so that running
/// a schema touches each keyword through one reference: no payload copies, no retain/release
/// traffic on the hot path.
class KeywordCheck {
    let name: String
    init(_ name: String) { self.name = name }

    /// True for keywords that look at the instance alone (no subschemas, no annotations).
    var assertsOnly: Bool { false }

    func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
               _ evaluated: inout Evaluated?) -> Bool {
        fatalError("abstract")
    }
}

final class RefCheck: KeywordCheck {
    let box: ReferenceBox
    init(_ name: String, box: ReferenceBox) {
        self.box = box
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard let target = box.target else { return true }
        return e.inPlace(target, instance, ip, e.path(kp, name), &evaluated)
    }
}

final class DynamicRefCheck: KeywordCheck {
    let box: ReferenceBox
    init(_ name: String, box: ReferenceBox) {
        self.box = box
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard var target = box.target else { return true }
        if let anchor = box.dynamicAnchor {
            for resource in e.scope {
                if let found = e.compiler.dynamicAnchorNodes[resource]?[anchor] { target = found; break }
            }
        }
        return e.inPlace(target, instance, ip, e.path(kp, name), &evaluated)
    }
}

final class RecursiveRefCheck: KeywordCheck {
    let box: ReferenceBox
    init(_ name: String, box: ReferenceBox) {
        self.box = box
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard var target = box.target else { return true }
        if e.compiler.recursiveRoots[target.resourceID] != nil {
            for resource in e.scope.reversed() {
                guard let root = e.compiler.recursiveRoots[resource] else { break }
                target = root
            }
        }
        return e.inPlace(target, instance, ip, e.path(kp, name), &evaluated)
    }
}

final class TypeCheck: KeywordCheck {
    override var assertsOnly: Bool { true }
    let types: TypeSet
    private let expected: String
    init(_ name: String, types: TypeSet) {
        self.types = types
        self.expected = "expected " + types.names.joined(separator: " or ") + ", found "
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        if types.admits(instance) { return true }
        e.fail(node, name, ip, kp, expected + Evaluation.describe(instance))
        return false
    }
}

final class ConstCheck: KeywordCheck {
    override var assertsOnly: Bool { true }
    let expected: JSONValue
    private let expectedText: String
    init(_ name: String, expected: JSONValue) {
        self.expected = expected
        self.expectedText = expected.compactText.truncated
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        if JSONMath.equal(instance, expected) { return true }
        e.fail(node, name, ip, kp, "must be exactly \(expectedText), found \(instance.compactText.truncated)")
        return false
    }
}

final class EnumCheck: KeywordCheck {
    override var assertsOnly: Bool { true }
    let values: [JSONValue]
    /// The string members, compared without going through JSONValue (most enums are strings).
    private let strings: [String]
    private let choices: String
    init(_ name: String, values: [JSONValue]) {
        self.values = values
        self.strings = values.compactMap(\.stringValue)
        self.choices = "must be one of " + JSONValue.array(values).compactText.truncated + ", found "
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        if case .string(let s) = instance {
            for candidate in strings where sameCodePoints(candidate, s) { return true }
        } else {
            for value in values where JSONMath.equal(instance, value) { return true }
        }
        e.fail(node, name, ip, kp, choices + instance.compactText.truncated)
        return false
    }
}

final class MultipleOfCheck: KeywordCheck {
    override var assertsOnly: Bool { true }
    let divisor: ExactDecimal
    let literal: JSONValue
    init(_ name: String, divisor: ExactDecimal, literal: JSONValue) {
        self.divisor = divisor
        self.literal = literal
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard instance.isNumber else { return true }
        if JSONMath.isMultiple(instance, of: divisor) { return true }
        e.fail(node, name, ip, kp, "\(instance.compactText) is not a multiple of \(literal.compactText)")
        return false
    }
}

final class PatternCheck: KeywordCheck {
    override var assertsOnly: Bool { true }
    let regex: ECMARegex
    init(_ name: String, regex: ECMARegex) {
        self.regex = regex
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard case .string(let s) = instance else { return true }
        do {
            if try regex.firstMatch(in: s) { return true }
            e.fail(node, name, ip, kp, "\(instance.compactText.truncated) does not match the pattern \(regex.pattern)")
        } catch {
            e.fail(node, name, ip, kp, "the pattern \(regex.pattern) needed more than \(ECMARegex.stepBudget) steps on this string; treated as not matching")
        }
        return false
    }
}

final class FormatCheck: KeywordCheck {
    override var assertsOnly: Bool { true }
    let format: String
    private let validate: FormatChecker.Check
    init?(_ name: String, format: String) {
        guard let validate = FormatChecker.check(for: format) else { return nil }
        self.format = format
        self.validate = validate
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard case .string(let s) = instance, let problem = validate(s) else { return true }
        e.fail(node, name, ip, kp, "\(instance.compactText.truncated) is not a valid \(format): \(problem)")
        return false
    }
}

final class ContentCheck: KeywordCheck {
    override var assertsOnly: Bool { true }
    let encoding: String?
    let mediaType: String?
    init(_ name: String, encoding: String?, mediaType: String?) {
        self.encoding = encoding
        self.mediaType = mediaType
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard let problem = ContentChecker.problem(encoding: encoding, mediaType: mediaType, instance) else { return true }
        e.fail(node, name, ip, kp, problem)
        return false
    }
}

final class UniqueItemsCheck: KeywordCheck {
    override var assertsOnly: Bool { true }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard case .array(let a) = instance, a.count > 1 else { return true }
        guard let (i, j) = Evaluation.firstDuplicate(a) else { return true }
        e.fail(node, name, ip, kp, "items \(i) and \(j) are equal; items must be unique")
        return false
    }
}

final class PrefixItemsCheck: KeywordCheck {
    let schemas: [SchemaNode]
    init(_ name: String, schemas: [SchemaNode]) {
        self.schemas = schemas
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard case .array(let a) = instance else { return true }
        var valid = true
        let n = min(a.count, schemas.count)
        for i in 0..<n where !e.child(schemas[i], a[i], e.path(ip, i), e.path(e.path(kp, name), i)) {
            valid = false
            if !e.collect { return false }
        }
        if valid, evaluated != nil { evaluated!.itemPrefix = max(evaluated!.itemPrefix, n) }
        return valid
    }
}

final class ItemsCheck: KeywordCheck {
    let schema: SchemaNode
    let start: Int
    init(_ name: String, schema: SchemaNode, start: Int) {
        self.schema = schema
        self.start = start
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard case .array(let a) = instance else { return true }
        var valid = true
        if start < a.count {
            let kpath = e.path(kp, name)
            for i in start..<a.count where !e.child(schema, a[i], e.path(ip, i), kpath) {
                valid = false
                if !e.collect { return false }
            }
        }
        if valid, evaluated != nil { evaluated!.allItems = true }
        return valid
    }
}

final class ContainsCheck: KeywordCheck {
    let schema: SchemaNode
    let minimum: Int
    let maximum: Int?
    let countsAsEvaluated: Bool
    init(_ name: String, schema: SchemaNode, minimum: Int, maximum: Int?, countsAsEvaluated: Bool) {
        self.schema = schema
        self.minimum = minimum
        self.maximum = maximum
        self.countsAsEvaluated = countsAsEvaluated
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard case .array(let a) = instance else { return true }
        var matches = 0
        var matched: [Int] = []
        let needAll = maximum != nil || (countsAsEvaluated && evaluated != nil)
        e.quietly {
            for (i, item) in a.enumerated() where e.child(schema, item, ip, kp) {
                matches += 1
                if countsAsEvaluated && evaluated != nil { matched.append(i) }
                if !needAll && matches >= minimum { break }
            }
        }
        if matches < minimum {
            e.fail(node, name, ip, kp, minimum == 1 ? "no item matches the \"contains\" schema" : "\(matches) items match the \"contains\" schema, fewer than minContains \(minimum)")
            return false
        }
        if let maximum, matches > maximum {
            e.fail(node, name, ip, kp, "\(matches) items match the \"contains\" schema, more than maxContains \(maximum)")
            return false
        }
        if evaluated != nil { evaluated!.items.formUnion(matched) }
        return true
    }
}

final class UnevaluatedItemsCheck: KeywordCheck {
    let schema: SchemaNode
    init(_ name: String, schema: SchemaNode) {
        self.schema = schema
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard case .array(let a) = instance else { return true }
        let seen = evaluated ?? Evaluated()
        var valid = true
        for (i, item) in a.enumerated() where !seen.isEvaluated(item: i) {
            if !e.child(schema, item, e.path(ip, i), e.path(kp, name)) {
                valid = false
                if !e.collect { return false }
            }
        }
        if valid, evaluated != nil { evaluated!.allItems = true }
        return valid
    }
}

final class RequiredCheck: KeywordCheck {
    override var assertsOnly: Bool { true }
    let names: [String]
    private let allASCII: Bool
    init(_ name: String, names: [String]) {
        self.names = names
        self.allASCII = names.allSatisfy { $0.utf8.allSatisfy { $0 < 0x80 } }
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard case .object(let o) = instance else { return true }
        var valid = true
        for required in names where !(allASCII ? o.contains(asciiKey: required) : o.contains(required)) {
            valid = false
            e.fail(node, name, ip, kp, "required property \"\(required)\" is missing")
            if !e.collect { return false }
        }
        return valid
    }
}

final class DependentRequiredCheck: KeywordCheck {
    override var assertsOnly: Bool { true }
    let rules: [(String, [String])]
    init(_ name: String, rules: [(String, [String])]) {
        self.rules = rules
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard case .object(let o) = instance else { return true }
        var valid = true
        for (property, needed) in rules where o.contains(property) {
            for other in needed where !o.contains(other) {
                valid = false
                e.fail(node, name, ip, kp, "property \"\(other)\" is required when \"\(property)\" is present")
                if !e.collect { return false }
            }
        }
        return valid
    }
}

final class PropertiesCheck: KeywordCheck {
    let schemas: [String: SchemaNode]
    /// For a handful of properties a scan beats hashing every instance key. The names are kept as
    /// UTF-8 bytes in buffers this check owns, so the scan compares lengths and bytes and touches
    /// no reference counts (reading a String out of a buffer retains it).
    private let smallBytes: UnsafeMutableBufferPointer<UInt8>
    private let smallOffsets: UnsafeMutableBufferPointer<Int>
    private let smallLengths: UnsafeMutableBufferPointer<Int>
    private let smallSchemas: UnsafeMutableBufferPointer<Unmanaged<SchemaNode>>
    init(_ name: String, schemas: [String: SchemaNode]) {
        self.schemas = schemas
        let small = schemas.count <= 12 ? Array(schemas) : []
        let bytes = small.flatMap { Array($0.key.utf8) }
        smallBytes = .allocate(capacity: bytes.count)
        _ = smallBytes.initialize(from: bytes)
        let lengths = small.map { $0.key.utf8.count }
        smallLengths = .allocate(capacity: small.count)
        _ = smallLengths.initialize(from: lengths)
        smallOffsets = .allocate(capacity: small.count)
        _ = smallOffsets.initialize(from: lengths.indices.map { lengths[..<$0].reduce(0, +) })
        smallSchemas = .allocate(capacity: small.count)
        _ = smallSchemas.initialize(from: small.map { Unmanaged.passUnretained($0.value) })
        super.init(name)
    }

    deinit {
        smallBytes.deallocate()
        smallOffsets.deallocate()
        smallLengths.deallocate()
        smallSchemas.deallocate()
    }

    @inline(__always)
    private func schema(for key: String) -> Unmanaged<SchemaNode>? {
        guard smallSchemas.count > 0 else { return schemas[key].map { Unmanaged.passUnretained($0) } }
        let scanned: Unmanaged<SchemaNode>?? = key.utf8.withContiguousStorageIfAvailable { keyBytes -> Unmanaged<SchemaNode>? in
            for i in 0..<smallLengths.count where smallLengths[i] == keyBytes.count {
                if keyBytes.count == 0 || memcmp(keyBytes.baseAddress!, smallBytes.baseAddress! + smallOffsets[i], keyBytes.count) == 0 { return smallSchemas[i] }
            }
            return nil
        }
        if let scanned { return scanned }
        // Not contiguous UTF-8 (a bridged string): compare by code points.
        return schemas.first { sameCodePoints($0.key, key) }.map { Unmanaged.passUnretained($0.value) }
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard case .object(let o) = instance else { return true }
        var valid = true
        let kpath = e.path(kp, name)
        return o.members.withUnsafeBufferPointer { members in
            if !e.collect {
                // Yes/no: no paths to build, nothing to retry quietly.
                for i in members.indices {
                    guard let schema = schema(for: members[i].key) else { continue }
                    guard schema._withUnsafeGuaranteedRef({ e.child($0, members[i].value, .root, .root) }) else { return false }
                    if evaluated != nil { evaluated!.properties.insert(members[i].key) }
                }
                return true
            }
            for i in members.indices {
                guard let schema = schema(for: members[i].key) else { continue }
                if schema._withUnsafeGuaranteedRef({
                    e.passesQuietly($0, members[i].value) || e.child($0, members[i].value, e.path(ip, members[i].key), e.path(kpath, members[i].key))
                }) {
                    if evaluated != nil { evaluated!.properties.insert(members[i].key) }
                } else {
                    valid = false
                    if !e.collect { return false }
                }
            }
            return valid
        }
    }
}

final class PatternPropertiesCheck: KeywordCheck {
    let patterns: [PatternProperty]
    init(_ name: String, patterns: [PatternProperty]) {
        self.patterns = patterns
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard case .object(let o) = instance else { return true }
        var valid = true
        for member in o.members {
            for pattern in patterns where pattern.regex.matches(member.key) {
                if e.child(pattern.schema, member.value, e.path(ip, member.key), e.path(e.path(kp, name), pattern.regex.pattern)) {
                    if evaluated != nil { evaluated!.properties.insert(member.key) }
                } else {
                    valid = false
                    if !e.collect { return false }
                }
            }
        }
        return valid
    }
}

final class AdditionalPropertiesCheck: KeywordCheck {
    let schema: SchemaNode
    let declared: Set<String>
    let patterns: [ECMARegex]
    init(_ name: String, schema: SchemaNode, declared: Set<String>, patterns: [ECMARegex]) {
        self.schema = schema
        self.declared = declared
        self.patterns = patterns
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard case .object(let o) = instance else { return true }
        var valid = true
        for member in o.members where !declared.contains(member.key) && !patterns.contains(where: { $0.matches(member.key) }) {
            if schema.boolean == false {
                valid = false
                e.fail(node, name, ip, kp, "property \"\(member.key)\" is not allowed (additionalProperties is false)")
                if !e.collect { return false }
                continue
            }
            if e.child(schema, member.value, e.path(ip, member.key), e.path(kp, name)) {
                if evaluated != nil { evaluated!.properties.insert(member.key) }
            } else {
                valid = false
                if !e.collect { return false }
            }
        }
        return valid
    }
}

final class PropertyNamesCheck: KeywordCheck {
    let schema: SchemaNode
    init(_ name: String, schema: SchemaNode) {
        self.schema = schema
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard case .object(let o) = instance else { return true }
        var valid = true
        for member in o.members where !e.child(schema, .string(member.key), e.path(ip, member.key), e.path(kp, name)) {
            valid = false
            if !e.collect { return false }
        }
        return valid
    }
}

final class DependentSchemasCheck: KeywordCheck {
    let rules: [(String, SchemaNode)]
    init(_ name: String, rules: [(String, SchemaNode)]) {
        self.rules = rules
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard case .object(let o) = instance else { return true }
        var valid = true
        for (property, schema) in rules where o.contains(property) {
            if !e.inPlace(schema, instance, ip, e.path(e.path(kp, name), property), &evaluated) {
                valid = false
                if !e.collect { return false }
            }
        }
        return valid
    }
}

final class UnevaluatedPropertiesCheck: KeywordCheck {
    let schema: SchemaNode
    init(_ name: String, schema: SchemaNode) {
        self.schema = schema
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard case .object(let o) = instance else { return true }
        let seen = evaluated ?? Evaluated()
        var valid = true
        for member in o.members where !seen.isEvaluated(property: member.key) {
            if schema.boolean == false {
                valid = false
                e.fail(node, name, ip, kp, "property \"\(member.key)\" is not allowed (unevaluatedProperties is false)")
                if !e.collect { return false }
                continue
            }
            if !e.child(schema, member.value, e.path(ip, member.key), e.path(kp, name)) {
                valid = false
                if !e.collect { return false }
            }
        }
        if valid, evaluated != nil { evaluated!.allProperties = true }
        return valid
    }
}

final class AllOfCheck: KeywordCheck {
    let schemas: [SchemaNode]
    init(_ name: String, schemas: [SchemaNode]) {
        self.schemas = schemas
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        var valid = true
        for (i, schema) in schemas.enumerated() where !e.inPlace(schema, instance, ip, e.path(e.path(kp, name), i), &evaluated) {
            valid = false
            if !e.collect { return false }
        }
        return valid
    }
}

final class AnyOfCheck: KeywordCheck {
    let schemas: [SchemaNode]
    init(_ name: String, schemas: [SchemaNode]) {
        self.schemas = schemas
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        let saved = e.errors.count
        var any = false
        for (i, schema) in schemas.enumerated() {
            if e.inPlace(schema, instance, ip, e.path(e.path(kp, name), i), &evaluated) {
                any = true
                if evaluated == nil { break }
            }
        }
        if any {
            if e.collect { e.errors.removeSubrange(saved...) }
            return true
        }
        e.fail(node, name, ip, kp, "matches none of the \(schemas.count) anyOf alternatives")
        return false
    }
}

final class OneOfCheck: KeywordCheck {
    let schemas: [SchemaNode]
    init(_ name: String, schemas: [SchemaNode]) {
        self.schemas = schemas
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        let saved = e.errors.count
        var passing: [Int] = []
        var kept: Evaluated? = nil
        for (i, schema) in schemas.enumerated() {
            var branch: Evaluated? = evaluated != nil ? Evaluated() : nil
            if e.inPlace(schema, instance, ip, e.path(e.path(kp, name), i), &branch) {
                passing.append(i)
                kept = branch
                if passing.count > 1 && !e.collect { return false }
            }
        }
        if passing.count == 1 {
            if e.collect { e.errors.removeSubrange(saved...) }
            if let kept, evaluated != nil { evaluated!.merge(kept) }
            return true
        }
        if passing.isEmpty {
            e.fail(node, name, ip, kp, "matches none of the \(schemas.count) oneOf alternatives; exactly one must match")
        } else {
            if e.collect { e.errors.removeSubrange(saved...) }
            e.fail(node, name, ip, kp, "matches \(passing.count) oneOf alternatives (\(passing.map(String.init).joined(separator: ", "))); exactly one must match")
        }
        return false
    }
}

final class NotCheck: KeywordCheck {
    let schema: SchemaNode
    init(_ name: String, schema: SchemaNode) {
        self.schema = schema
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        let matched = e.quietly { e.child(schema, instance, ip, e.path(kp, name)) }
        if !matched { return true }
        e.fail(node, name, ip, kp, "must not match the \"not\" schema")
        return false
    }
}

final class ConditionalCheck: KeywordCheck {
    let condition: SchemaNode
    let thenSchema: SchemaNode?
    let elseSchema: SchemaNode?
    init(_ name: String, condition: SchemaNode, thenSchema: SchemaNode?, elseSchema: SchemaNode?) {
        self.condition = condition
        self.thenSchema = thenSchema
        self.elseSchema = elseSchema
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        var conditionEvaluation: Evaluated? = evaluated != nil ? Evaluated() : nil
        let holds = e.quietly { e.inPlace(condition, instance, ip, e.path(kp, "if"), &conditionEvaluation) }
        if holds {
            if let conditionEvaluation, evaluated != nil { evaluated!.merge(conditionEvaluation) }
            guard let thenSchema else { return true }
            return e.inPlace(thenSchema, instance, ip, e.path(kp, "then"), &evaluated)
        }
        guard let elseSchema else { return true }
        return e.inPlace(elseSchema, instance, ip, e.path(kp, "else"), &evaluated)
    }
}

/// maximum, exclusiveMaximum, minimum, exclusiveMinimum: the instance against a bound, by value.
final class BoundCheck: KeywordCheck {
    enum Kind { case maximum, exclusiveMaximum, minimum, exclusiveMinimum }
    override var assertsOnly: Bool { true }
    let kind: Kind
    let limit: JSONValue
    init(_ name: String, kind: Kind, limit: JSONValue) {
        self.kind = kind
        self.limit = limit
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        guard let order = JSONMath.compare(instance, limit) else { return true }
        let holds = switch kind {
        case .maximum: order <= 0
        case .exclusiveMaximum: order < 0
        case .minimum: order >= 0
        case .exclusiveMinimum: order > 0
        }
        if holds { return true }
        let value = instance.compactText, bound = limit.compactText
        let message = switch kind {
        case .maximum: "\(value) is greater than the maximum \(bound)"
        case .exclusiveMaximum: "\(value) must be less than \(bound)"
        case .minimum: "\(value) is less than the minimum \(bound)"
        case .exclusiveMinimum: "\(value) must be greater than \(bound)"
        }
        e.fail(node, name, ip, kp, message)
        return false
    }
}

/// maxLength, minLength (in code points), maxItems, minItems, maxProperties, minProperties.
final class SizeCheck: KeywordCheck {
    enum Measure { case characters, items, properties }
    override var assertsOnly: Bool { true }
    let measure: Measure
    let limit: Int
    let isMaximum: Bool
    init(_ name: String, measure: Measure, limit: Int, isMaximum: Bool) {
        self.measure = measure
        self.limit = limit
        self.isMaximum = isMaximum
        super.init(name)
    }

    override func check(_ e: Evaluation, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                        _ evaluated: inout Evaluated?) -> Bool {
        let count: Int
        switch (measure, instance) {
        case (.characters, .string(let s)):
            // A string's code points number between its UTF-8 bytes / 4 and its UTF-8 bytes.
            let bytes = s.utf8.count
            if isMaximum ? bytes <= limit : bytes / 4 >= limit { return true }
            count = s.unicodeScalars.count
        case (.items, .array(let a)): count = a.count
        case (.properties, .object(let o)): count = o.count
        default: return true
        }
        if isMaximum ? count <= limit : count >= limit { return true }
        let what = switch measure {
        case .characters: "string is \(count) characters long"
        case .items: "array has \(count) items"
        case .properties: "object has \(count) properties"
        }
        e.fail(node, name, ip, kp, isMaximum ? "\(what), more than the maximum \(limit)" : "\(what), less than the minimum \(limit)")
        return false
    }
}

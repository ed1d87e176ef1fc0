import ECMARegex
import JSONDocument

/// One failed check, in the JSON Schema "basic" output shape.
public struct ValidationError: Sendable, Hashable {
    public var instanceLocation: String
    public var keywordLocation: String
    public var absoluteKeywordLocation: String
    public var error: String

    public init(instanceLocation: String, keywordLocation: String, absoluteKeywordLocation: String, error: String) {
        self.instanceLocation = instanceLocation
        self.keywordLocation = keywordLocation
        self.absoluteKeywordLocation = absoluteKeywordLocation
        self.error = error
    }
}

/// What in-place subschemas evaluated, for `unevaluatedProperties` / `unevaluatedItems`.
struct Evaluated {
    var allProperties = false
    var properties: Set<String> = []
    var allItems = false
    var itemPrefix = 0
    var items: Set<Int> = []

    mutating func merge(_ other: Evaluated) {
        allProperties = allProperties || other.allProperties
        if !allProperties { properties.formUnion(other.properties) }
        allItems = allItems || other.allItems
        itemPrefix = max(itemPrefix, other.itemPrefix)
        if !allItems { items.formUnion(other.items) }
    }

    func isEvaluated(property: String) -> Bool { allProperties || properties.contains(property) }
    func isEvaluated(item: Int) -> Bool { allItems || item < itemPrefix || items.contains(item) }
}

/// One validation run: the error list (when collecting), the dynamic scope, and a depth guard.
final class Evaluation {
    let collect: Bool
    let compiler: SchemaCompiler
    var errors: [ValidationError] = []
    private var scope: [String] = []
    private var depth = 0
    private var recursionReported = false
    private var onLargeStack = false
    static let maxDepth = 10_000

    init(collect: Bool, compiler: SchemaCompiler) {
        self.collect = collect
        self.compiler = compiler
    }

    private func fail(_ node: SchemaNode, _ keyword: String, _ instancePath: JSONPointer, _ keywordPath: JSONPointer, _ message: @autoclosure () -> String) {
        guard collect else { return }
        let absolute = node.absoluteLocation + (node.absoluteLocation.hasSuffix("#") ? "/" : "/") + keyword
        errors.append(ValidationError(instanceLocation: instancePath.description, keywordLocation: (keywordPath / keyword).description,
                                      absoluteKeywordLocation: absolute, error: message()))
    }

    @inline(__always)
    private func path(_ base: JSONPointer, _ token: String) -> JSONPointer { collect ? base / token : base }
    @inline(__always)
    private func path(_ base: JSONPointer, _ index: Int) -> JSONPointer { collect ? base / index : base }

    /// Validates `instance` against `node`. `evaluated` is non-nil when the caller needs to know
    /// which properties and items were evaluated (for its `unevaluated*`).
    func validate(_ node: SchemaNode, _ instance: JSONValue, _ instancePath: JSONPointer, _ keywordPath: JSONPointer,
                  _ evaluated: inout Evaluated?) -> Bool {
        if let boolean = node.boolean {
            if !boolean {
                guard collect else { return false }
                errors.append(ValidationError(instanceLocation: instancePath.description, keywordLocation: keywordPath.description,
                                              absoluteKeywordLocation: node.absoluteLocation, error: "no value is allowed here (the schema is false)"))
            }
            return boolean
        }
        if depth == LargeStack.hopDepth, !onLargeStack {
            onLargeStack = true
            defer { onLargeStack = false }
            return LargeStack.run { validate(node, instance, instancePath, keywordPath, &evaluated) }
        }
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maxDepth {
            if !recursionReported || collect {
                recursionReported = true
                fail(node, "$ref", instancePath, keywordPath, "schema references nest deeper than \(Self.maxDepth) levels without reaching a value: a $ref cycle")
            }
            return false
        }
        let entered = scope.last != node.resource
        if entered { scope.append(node.resource) }
        defer { if entered { scope.removeLast() } }

        var local: Evaluated? = (evaluated != nil || node.tracksEvaluation) ? Evaluated() : nil
        var valid = true
        for keyword in node.keywords {
            if !check(keyword, node, instance, instancePath, keywordPath, &local) {
                valid = false
                if !collect { break }
            }
        }
        if valid, let local, evaluated != nil { evaluated!.merge(local) }
        return valid
    }

    /// Validates in place (same instance) and merges the subschema's evaluation when it passes.
    @inline(__always)
    private func inPlace(_ node: SchemaNode, _ instance: JSONValue, _ instancePath: JSONPointer, _ keywordPath: JSONPointer,
                         _ evaluated: inout Evaluated?) -> Bool {
        validate(node, instance, instancePath, keywordPath, &evaluated)
    }

    /// Validates a child value (another instance location); its evaluation does not leak upward.
    @inline(__always)
    private func child(_ node: SchemaNode, _ instance: JSONValue, _ instancePath: JSONPointer, _ keywordPath: JSONPointer) -> Bool {
        var none: Evaluated? = nil
        return validate(node, instance, instancePath, keywordPath, &none)
    }

    /// Runs `body` without recording errors (for `not`, `if`, and counting `contains` matches).
    private func quietly<T>(_ body: () -> T) -> T {
        let saved = errors.count
        let result = body()
        errors.removeSubrange(saved...)
        return result
    }

    private func check(_ keyword: CompiledKeyword, _ node: SchemaNode, _ instance: JSONValue, _ ip: JSONPointer, _ kp: JSONPointer,
                       _ evaluated: inout Evaluated?) -> Bool {
        let name = keyword.name
        switch keyword.check {
        case .ref(let box):
            guard let target = box.target else { return true }
            return inPlace(target, instance, ip, path(kp, name), &evaluated)

        case .dynamicRef(let box):
            guard var target = box.target else { return true }
            if let anchor = box.dynamicAnchor {
                for resource in scope {
                    if let found = compiler.dynamicAnchorNodes[resource]?[anchor] { target = found; break }
                }
            }
            return inPlace(target, instance, ip, path(kp, name), &evaluated)

        case .recursiveRef(let box):
            guard var target = box.target else { return true }
            if compiler.recursiveRoots[target.resource] != nil {
                for resource in scope.reversed() {
                    guard let root = compiler.recursiveRoots[resource] else { break }
                    target = root
                }
            }
            return inPlace(target, instance, ip, path(kp, name), &evaluated)

        case .type(let types):
            if types.admits(instance) { return true }
            fail(node, name, ip, kp, "expected \(types.names.joined(separator: " or ")), found \(Self.describe(instance))")
            return false

        case .const(let expected):
            if JSONMath.equal(instance, expected) { return true }
            fail(node, name, ip, kp, "must be exactly \(expected.compactText.truncated), found \(instance.compactText.truncated)")
            return false

        case .enumeration(let values):
            for value in values where JSONMath.equal(instance, value) { return true }
            fail(node, name, ip, kp, "must be one of \(JSONValue.array(values).compactText.truncated), found \(instance.compactText.truncated)")
            return false

        case .multipleOf(let divisor, let literal):
            guard instance.isNumber else { return true }
            if JSONMath.isMultiple(instance, of: divisor) { return true }
            fail(node, name, ip, kp, "\(instance.compactText) is not a multiple of \(literal.compactText)")
            return false

        case .maximum(let limit):
            guard let order = JSONMath.compare(instance, limit), order > 0 else { return true }
            fail(node, name, ip, kp, "\(instance.compactText) is greater than the maximum \(limit.compactText)")
            return false
        case .exclusiveMaximum(let limit):
            guard let order = JSONMath.compare(instance, limit), order >= 0 else { return true }
            fail(node, name, ip, kp, "\(instance.compactText) must be less than \(limit.compactText)")
            return false
        case .minimum(let limit):
            guard let order = JSONMath.compare(instance, limit), order < 0 else { return true }
            fail(node, name, ip, kp, "\(instance.compactText) is less than the minimum \(limit.compactText)")
            return false
        case .exclusiveMinimum(let limit):
            guard let order = JSONMath.compare(instance, limit), order <= 0 else { return true }
            fail(node, name, ip, kp, "\(instance.compactText) must be greater than \(limit.compactText)")
            return false

        case .maxLength(let limit):
            guard case .string(let s) = instance, s.utf8.count > limit else { return true }
            let length = s.unicodeScalars.count
            if length <= limit { return true }
            fail(node, name, ip, kp, "string is \(length) characters long, more than the maximum \(limit)")
            return false
        case .minLength(let limit):
            guard case .string(let s) = instance else { return true }
            if s.utf8.count >= limit * 4 { return true }
            let length = s.unicodeScalars.count
            if length >= limit { return true }
            fail(node, name, ip, kp, "string is \(length) characters long, less than the minimum \(limit)")
            return false
        case .pattern(let regex):
            guard case .string(let s) = instance else { return true }
            do {
                if try regex.firstMatch(in: s) { return true }
                fail(node, name, ip, kp, "\(instance.compactText.truncated) does not match the pattern \(regex.pattern)")
            } catch {
                fail(node, name, ip, kp, "the pattern \(regex.pattern) needed more than \(ECMARegex.stepBudget) steps on this string; treated as not matching")
            }
            return false
        case .format(let format, let assert):
            guard assert, let problem = FormatChecker.problem(format, instance) else { return true }
            fail(node, name, ip, kp, "\(instance.compactText.truncated) is not a valid \(format): \(problem)")
            return false

        case .content(let encoding, let mediaType):
            guard let problem = ContentChecker.problem(encoding: encoding, mediaType: mediaType, instance) else { return true }
            fail(node, name, ip, kp, problem)
            return false

        case .maxItems(let limit):
            guard case .array(let a) = instance, a.count > limit else { return true }
            fail(node, name, ip, kp, "array has \(a.count) items, more than the maximum \(limit)")
            return false
        case .minItems(let limit):
            guard case .array(let a) = instance, a.count < limit else { return true }
            fail(node, name, ip, kp, "array has \(a.count) items, fewer than the minimum \(limit)")
            return false
        case .uniqueItems:
            guard case .array(let a) = instance, a.count > 1 else { return true }
            guard let (i, j) = Self.firstDuplicate(a) else { return true }
            fail(node, name, ip, kp, "items \(i) and \(j) are equal; items must be unique")
            return false
        case .prefixItems(let schemas):
            guard case .array(let a) = instance else { return true }
            var valid = true
            let n = min(a.count, schemas.count)
            for i in 0..<n where !child(schemas[i], a[i], path(ip, i), path(path(kp, name), i)) {
                valid = false
                if !collect { return false }
            }
            if valid, evaluated != nil { evaluated!.itemPrefix = max(evaluated!.itemPrefix, n) }
            return valid
        case .items(let schema, let start):
            guard case .array(let a) = instance else { return true }
            var valid = true
            if start < a.count {
                let kpath = path(kp, name)
                for i in start..<a.count where !child(schema, a[i], path(ip, i), kpath) {
                    valid = false
                    if !collect { return false }
                }
            }
            if valid, evaluated != nil { evaluated!.allItems = true }
            return valid
        case .contains(let schema, let minimum, let maximum, let countsAsEvaluated):
            guard case .array(let a) = instance else { return true }
            var matches = 0
            var matched: [Int] = []
            let needAll = maximum != nil || (countsAsEvaluated && evaluated != nil)
            quietly {
                for (i, item) in a.enumerated() where child(schema, item, ip, kp) {
                    matches += 1
                    if countsAsEvaluated && evaluated != nil { matched.append(i) }
                    if !needAll && matches >= minimum { break }
                }
            }
            if matches < minimum {
                fail(node, name, ip, kp, minimum == 1 ? "no item matches the \"contains\" schema" : "\(matches) items match the \"contains\" schema, fewer than minContains \(minimum)")
                return false
            }
            if let maximum, matches > maximum {
                fail(node, name, ip, kp, "\(matches) items match the \"contains\" schema, more than maxContains \(maximum)")
                return false
            }
            if evaluated != nil { evaluated!.items.formUnion(matched) }
            return true
        case .unevaluatedItems(let schema):
            guard case .array(let a) = instance else { return true }
            let seen = evaluated ?? Evaluated()
            var valid = true
            for (i, item) in a.enumerated() where !seen.isEvaluated(item: i) {
                if !child(schema, item, path(ip, i), path(kp, name)) {
                    valid = false
                    if !collect { return false }
                }
            }
            if valid, evaluated != nil { evaluated!.allItems = true }
            return valid

        case .maxProperties(let limit):
            guard case .object(let o) = instance, o.count > limit else { return true }
            fail(node, name, ip, kp, "object has \(o.count) properties, more than the maximum \(limit)")
            return false
        case .minProperties(let limit):
            guard case .object(let o) = instance, o.count < limit else { return true }
            fail(node, name, ip, kp, "object has \(o.count) properties, fewer than the minimum \(limit)")
            return false
        case .required(let names):
            guard case .object(let o) = instance else { return true }
            var valid = true
            for required in names where !o.contains(required) {
                valid = false
                fail(node, name, ip, kp, "required property \"\(required)\" is missing")
                if !collect { return false }
            }
            return valid
        case .dependentRequired(let rules):
            guard case .object(let o) = instance else { return true }
            var valid = true
            for (property, needed) in rules where o.contains(property) {
                for other in needed where !o.contains(other) {
                    valid = false
                    fail(node, name, ip, kp, "property \"\(other)\" is required when \"\(property)\" is present")
                    if !collect { return false }
                }
            }
            return valid
        case .properties(let schemas, _):
            guard case .object(let o) = instance else { return true }
            var valid = true
            let kpath = path(kp, name)
            for member in o.members {
                guard let schema = schemas[member.key] else { continue }
                if child(schema, member.value, path(ip, member.key), path(kpath, member.key)) {
                    if evaluated != nil { evaluated!.properties.insert(member.key) }
                } else {
                    valid = false
                    if !collect { return false }
                }
            }
            return valid
        case .patternProperties(let patterns):
            guard case .object(let o) = instance else { return true }
            var valid = true
            for member in o.members {
                for pattern in patterns where pattern.regex.matches(member.key) {
                    if child(pattern.schema, member.value, path(ip, member.key), path(path(kp, name), pattern.regex.pattern)) {
                        if evaluated != nil { evaluated!.properties.insert(member.key) }
                    } else {
                        valid = false
                        if !collect { return false }
                    }
                }
            }
            return valid
        case .additionalProperties(let schema, let declared, let patterns):
            guard case .object(let o) = instance else { return true }
            var valid = true
            for member in o.members where !declared.contains(member.key) && !patterns.contains(where: { $0.matches(member.key) }) {
                if schema.boolean == false {
                    valid = false
                    fail(node, name, ip, kp, "property \"\(member.key)\" is not allowed (additionalProperties is false)")
                    if !collect { return false }
                    continue
                }
                if child(schema, member.value, path(ip, member.key), path(kp, name)) {
                    if evaluated != nil { evaluated!.properties.insert(member.key) }
                } else {
                    valid = false
                    if !collect { return false }
                }
            }
            return valid
        case .propertyNames(let schema):
            guard case .object(let o) = instance else { return true }
            var valid = true
            for member in o.members where !child(schema, .string(member.key), path(ip, member.key), path(kp, name)) {
                valid = false
                if !collect { return false }
            }
            return valid
        case .dependentSchemas(let rules):
            guard case .object(let o) = instance else { return true }
            var valid = true
            for (property, schema) in rules where o.contains(property) {
                if !inPlace(schema, instance, ip, path(path(kp, name), property), &evaluated) {
                    valid = false
                    if !collect { return false }
                }
            }
            return valid
        case .unevaluatedProperties(let schema):
            guard case .object(let o) = instance else { return true }
            let seen = evaluated ?? Evaluated()
            var valid = true
            for member in o.members where !seen.isEvaluated(property: member.key) {
                if schema.boolean == false {
                    valid = false
                    fail(node, name, ip, kp, "property \"\(member.key)\" is not allowed (unevaluatedProperties is false)")
                    if !collect { return false }
                    continue
                }
                if !child(schema, member.value, path(ip, member.key), path(kp, name)) {
                    valid = false
                    if !collect { return false }
                }
            }
            if valid, evaluated != nil { evaluated!.allProperties = true }
            return valid

        case .allOf(let schemas):
            var valid = true
            for (i, schema) in schemas.enumerated() where !inPlace(schema, instance, ip, path(path(kp, name), i), &evaluated) {
                valid = false
                if !collect { return false }
            }
            return valid
        case .anyOf(let schemas):
            let saved = errors.count
            var any = false
            for (i, schema) in schemas.enumerated() {
                if inPlace(schema, instance, ip, path(path(kp, name), i), &evaluated) {
                    any = true
                    if evaluated == nil { break }
                }
            }
            if any {
                if collect { errors.removeSubrange(saved...) }
                return true
            }
            fail(node, name, ip, kp, "matches none of the \(schemas.count) anyOf alternatives")
            return false
        case .oneOf(let schemas):
            let saved = errors.count
            var passing: [Int] = []
            var kept: Evaluated? = nil
            for (i, schema) in schemas.enumerated() {
                var branch: Evaluated? = evaluated != nil ? Evaluated() : nil
                if inPlace(schema, instance, ip, path(path(kp, name), i), &branch) {
                    passing.append(i)
                    kept = branch
                    if passing.count > 1 && !collect { return false }
                }
            }
            if passing.count == 1 {
                if collect { errors.removeSubrange(saved...) }
                if let kept, evaluated != nil { evaluated!.merge(kept) }
                return true
            }
            if passing.isEmpty {
                fail(node, name, ip, kp, "matches none of the \(schemas.count) oneOf alternatives; exactly one must match")
            } else {
                if collect { errors.removeSubrange(saved...) }
                fail(node, name, ip, kp, "matches \(passing.count) oneOf alternatives (\(passing.map(String.init).joined(separator: ", "))); exactly one must match")
            }
            return false
        case .not(let schema):
            let matched = quietly { child(schema, instance, ip, path(kp, name)) }
            if !matched { return true }
            fail(node, name, ip, kp, "must not match the \"not\" schema")
            return false
        case .conditional(let condition, let thenSchema, let elseSchema):
            var conditionEvaluation: Evaluated? = evaluated != nil ? Evaluated() : nil
            let holds = quietly { inPlace(condition, instance, ip, path(kp, "if"), &conditionEvaluation) }
            if holds {
                if let conditionEvaluation, evaluated != nil { evaluated!.merge(conditionEvaluation) }
                guard let thenSchema else { return true }
                return inPlace(thenSchema, instance, ip, path(kp, "then"), &evaluated)
            }
            guard let elseSchema else { return true }
            return inPlace(elseSchema, instance, ip, path(kp, "else"), &evaluated)
        }
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .integer, .real, .bigNumber: return "\(value.typeName) \(value.compactText)"
        case .string(let s): return "string \(JSONValue.string(s).compactText.truncated)"
        default: return value.typeName
        }
    }

    /// The first pair of equal items, by JSON equality (hashed, so large arrays stay linear).
    static func firstDuplicate(_ items: [JSONValue]) -> (Int, Int)? {
        if items.count <= 8 {
            for i in items.indices {
                for j in (i + 1)..<items.count where JSONMath.equal(items[i], items[j]) { return (i, j) }
            }
            return nil
        }
        var buckets: [Int: [Int]] = [:]
        for (j, item) in items.enumerated() {
            var hasher = Hasher()
            JSONMath.hash(item, into: &hasher)
            let key = hasher.finalize()
            for i in buckets[key, default: []] where JSONMath.equal(items[i], item) { return (i, j) }
            buckets[key, default: []].append(j)
        }
        return nil
    }
}

extension String {
    /// At most 80 characters, for messages.
    var truncated: String { count <= 80 ? self : String(prefix(77)) + "..." }
}

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
    /// Whether failures are being recorded. Collecting runs check each subschema quickly first and
    /// record (building instance and keyword paths) only along what actually fails.
    private(set) var collect: Bool
    let compiler: SchemaCompiler
    var errors: [ValidationError] = []
    var scope: [Int] = []
    private var depth = 0
    private var recursionReported = false
    private var onLargeStack = false
    static let maxDepth = 10_000

    init(collect: Bool, compiler: SchemaCompiler) {
        self.collect = collect
        self.compiler = compiler
    }

    func fail(_ node: SchemaNode, _ keyword: String, _ instancePath: JSONPointer, _ keywordPath: JSONPointer, _ message: @autoclosure () -> String) {
        guard collect else { return }
        // Keywords are plain names (no "/" or "~" to escape).
        errors.append(ValidationError(instanceLocation: instancePath.description, keywordLocation: keywordPath.description + "/" + keyword,
                                      absoluteKeywordLocation: node.absoluteLocation + "/" + keyword, error: message()))
    }

    @inline(__always)
    func path(_ base: JSONPointer, _ token: String) -> JSONPointer { collect ? base / token : base }
    @inline(__always)
    func path(_ base: JSONPointer, _ index: Int) -> JSONPointer { collect ? base / index : base }

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
        if node.isLeaf {
            // Only assertions about this one value: no subschemas, no annotations, no recursion.
            var none: Evaluated? = nil
            var valid = true
            for keyword in node.unretainedKeywords {
                if !keyword._withUnsafeGuaranteedRef({ $0.check(self, node, instance, instancePath, keywordPath, &none) }) {
                    valid = false
                    if !collect { return false }
                }
            }
            return valid
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
        // The dynamic scope matters only to $dynamicRef and $recursiveRef.
        let entered = compiler.usesDynamicScope && scope.last != node.resourceID
        if entered { scope.append(node.resourceID) }
        defer { if entered { scope.removeLast() } }

        if collect && !recursionReported {
            collect = false
            var quick = evaluated
            let valid = validate(node, instance, instancePath, keywordPath, &quick)
            collect = true
            if valid {
                evaluated = quick
                return true
            }
        }
        var local: Evaluated? = (evaluated != nil || node.tracksEvaluation) ? Evaluated() : nil
        var valid = true
        for keyword in node.unretainedKeywords {
            if !keyword._withUnsafeGuaranteedRef({ $0.check(self, node, instance, instancePath, keywordPath, &local) }) {
                valid = false
                if !collect { break }
            }
        }
        if valid, let local, evaluated != nil { evaluated!.merge(local) }
        return valid
    }

    /// Validates in place (same instance) and merges the subschema's evaluation when it passes.
    @inline(__always)
    func inPlace(_ node: SchemaNode, _ instance: JSONValue, _ instancePath: JSONPointer, _ keywordPath: JSONPointer,
                         _ evaluated: inout Evaluated?) -> Bool {
        validate(node, instance, instancePath, keywordPath, &evaluated)
    }

    /// When collecting: whether `instance` passes `node`, checked without recording anything or
    /// building paths, so that valid children cost no path allocations. Always false otherwise.
    @inline(__always)
    func passesQuietly(_ node: SchemaNode, _ instance: JSONValue) -> Bool {
        guard collect, !recursionReported else { return false }
        collect = false
        defer { collect = true }
        var none: Evaluated? = nil
        return validate(node, instance, .root, .root, &none)
    }

    /// Validates a child value (another instance location); its evaluation does not leak upward.
    @inline(__always)
    func child(_ node: SchemaNode, _ instance: JSONValue, _ instancePath: JSONPointer, _ keywordPath: JSONPointer) -> Bool {
        var none: Evaluated? = nil
        return validate(node, instance, instancePath, keywordPath, &none)
    }

    /// Runs `body` without recording errors (for `not`, `if`, and counting `contains` matches).
    func quietly<T>(_ body: () -> T) -> T {
        let saved = errors.count
        let result = body()
        errors.removeSubrange(saved...)
        return result
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

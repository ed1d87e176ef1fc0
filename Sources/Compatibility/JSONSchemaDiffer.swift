import ECMARegex
import JSONDocument
import SchemaConfig

/// One difference between two JSON Schemas, at a place in the original (Confluent's
/// `Difference{type, jsonPath}`).
public struct JSONSchemaDifference: Sendable, Hashable, CustomStringConvertible {
    public var type: JSONSchemaDifferenceType
    /// The path tokens below the root: ["properties", "foo"].
    public var tokens: [String]

    public init(_ type: JSONSchemaDifferenceType, _ tokens: [String] = []) {
        self.type = type
        self.tokens = tokens
    }

    /// Confluent's form: `#/properties/foo` (tokens joined as written).
    public var path: String { "#/" + tokens.joined(separator: "/") }
    /// The same place as an RFC 6901 pointer: `/properties/foo`.
    public var pointer: String { JSONPointer(tokens).description }
    /// "TYPE #/path", the form Confluent's own tests list.
    public var description: String { "\(type.rawValue) \(path)" }
}

/// Confluent's JSON Schema differ (`SchemaDiff.compare(original, update)`): every difference
/// between `original` and `update`, compatible or not, in a deterministic order (original's
/// properties first, then the update's new ones). The pair is compatible under a policy iff
/// every difference's type is in the policy's compatible set.
public struct JSONSchemaDiffer {
    private let original: JSONSchemaGraph
    private let update: JSONSchemaGraph
    private let policy: CompatibilityPolicy
    private var memo: [NodePair: [JSONSchemaDifference]] = [:]
    private var inProgress: Set<NodePair> = []
    /// Pairs met again while being compared were assumed compatible; the ones that turned out not
    /// to be, with their differences, are fed into the next round (fixpoint).
    private var assumedThenBroken: [NodePair: [JSONSchemaDifference]]
    private var assumed: Set<NodePair> = []

    private struct NodePair: Hashable {
        let original: ObjectIdentifier
        let update: ObjectIdentifier
        init(_ o: SchemaNode, _ u: SchemaNode) { original = ObjectIdentifier(o); update = ObjectIdentifier(u) }
    }

    public static func differences(original: JSONSchemaGraph, update: JSONSchemaGraph, policy: CompatibilityPolicy = .strict) -> [JSONSchemaDifference] {
        var broken: [NodePair: [JSONSchemaDifference]] = [:]
        for _ in 0..<16 {
            var differ = JSONSchemaDiffer(original: original, update: update, policy: policy, assumedThenBroken: broken)
            let result = differ.compare(original.root, update.root)
            var changed = false
            for pair in differ.assumed {
                guard let found = differ.memo[pair], !differ.isCompatible(found), broken[pair] == nil else { continue }
                broken[pair] = found
                changed = true
            }
            if !changed { return result }
        }
        var last = JSONSchemaDiffer(original: original, update: update, policy: policy, assumedThenBroken: broken)
        return last.compare(original.root, update.root)
    }

    private init(original: JSONSchemaGraph, update: JSONSchemaGraph, policy: CompatibilityPolicy, assumedThenBroken: [NodePair: [JSONSchemaDifference]]) {
        self.original = original
        self.update = update
        self.policy = policy
        self.assumedThenBroken = assumedThenBroken
    }

    private func isCompatible(_ differences: [JSONSchemaDifference]) -> Bool {
        differences.allSatisfy { policy.isCompatible($0.type) }
    }

    private static func under(_ tokens: [String], _ differences: [JSONSchemaDifference]) -> [JSONSchemaDifference] {
        differences.map { JSONSchemaDifference($0.type, tokens + $0.tokens) }
    }

    // MARK: - Dispatch (SchemaDiff.compare)

    private mutating func compare(_ o: SchemaNode?, _ u: SchemaNode?) -> [JSONSchemaDifference] {
        guard let o, let u else {
            if o == nil && u == nil { return [] }
            return [JSONSchemaDifference(o == nil ? .schemaAdded : .schemaRemoved)]
        }
        let os = original.target(o), us = update.target(u)
        let pair = NodePair(os, us)
        if let known = memo[pair] { return known }
        if inProgress.contains(pair) {
            assumed.insert(pair)
            return assumedThenBroken[pair] ?? []
        }
        inProgress.insert(pair)
        let result = compareTargets(os, us)
        inProgress.remove(pair)
        memo[pair] = result
        return result
    }

    private mutating func compareTargets(_ o: SchemaNode, _ u: SchemaNode) -> [JSONSchemaDifference] {
        if o.combined == nil, let (criterion, members) = u.combined {
            if members.count == 1 {
                let found = compare(o, members[0])
                if isCompatible(found) { return found }
            } else if criterion != .allOf {
                for member in members {
                    let found = compare(o, member)
                    if isCompatible(found) { return found + [JSONSchemaDifference(.sumTypeExtended)] }
                }
            }
        } else if u.combined == nil, let (criterion, members) = o.combined {
            if members.count == 1 {
                let found = compare(members[0], u)
                if isCompatible(found) { return found }
            } else if criterion == .allOf {
                for member in members {
                    let found = compare(member, u)
                    if isCompatible(found) { return found + [JSONSchemaDifference(.productTypeNarrowed)] }
                }
            }
        }
        if o.className != u.className {
            if o.isFalse || u.isEmptyOrTrue || (o.isConnectBytes && u.isConnectBytes) { return [] }
            return [JSONSchemaDifference(.typeChanged)]
        }
        var found: [JSONSchemaDifference] = []
        if o.id != u.id { found.append(JSONSchemaDifference(.idChanged)) }
        if o.title != u.title { found.append(JSONSchemaDifference(.titleChanged)) }
        if o.description != u.description { found.append(JSONSchemaDifference(.descriptionChanged)) }
        if o.defaultValue != u.defaultValue { found.append(JSONSchemaDifference(.defaultChanged)) }
        switch (o.shape, u.shape) {
        case (.string(let a), .string(let b)): found += Self.compareStrings(a, b)
        case (.number(let a), .number(let b)): found += Self.compareNumbers(a, b)
        case (.enumeration(let a), .enumeration(let b)): found += Self.compareEnums(a, b)
        case (.constant(let a), .constant(let b)): if !JSONValues.equal(a, b) { found.append(JSONSchemaDifference(.enumArrayChanged)) }
        case (.combined(let ac, let am), .combined(let bc, let bm)): found += compareCombined(ac, am, bc, bm)
        case (.not(let a), .not(let b)):
            // Roles swap: the update accepts more when what it excludes is narrower.
            found.append(JSONSchemaDifference(isCompatible(compare(b, a)) ? .notTypeNarrowed : .notTypeExtended))
        case (.object(let a), .object(let b)): found += compareObjects(a, b)
        case (.array(let a), .array(let b)): found += compareArrays(a, b)
        default: break
        }
        return found
    }

    // MARK: - Limits

    /// ADDED / REMOVED / INCREASED / DECREASED of a numeric keyword (an unchanged value, or one
    /// written differently but equal, is no difference).
    private static func limit(_ keyword: String, _ a: JSONValue?, _ b: JSONValue?,
                              _ types: (added: JSONSchemaDifferenceType, removed: JSONSchemaDifferenceType,
                                        increased: JSONSchemaDifferenceType, decreased: JSONSchemaDifferenceType)) -> [JSONSchemaDifference] {
        switch (a.flatMap(JSONValues.double), b.flatMap(JSONValues.double)) {
        case (nil, nil): return []
        case (nil, _?): return [JSONSchemaDifference(types.added, [keyword])]
        case (_?, nil): return [JSONSchemaDifference(types.removed, [keyword])]
        case (let x?, let y?):
            if x < y { return [JSONSchemaDifference(types.increased, [keyword])] }
            if x > y { return [JSONSchemaDifference(types.decreased, [keyword])] }
            return []
        }
    }

    private static func compareStrings(_ a: StringFacets, _ b: StringFacets) -> [JSONSchemaDifference] {
        var found = limit("maxLength", a.maxLength, b.maxLength, (.maxLengthAdded, .maxLengthRemoved, .maxLengthIncreased, .maxLengthDecreased))
        found += limit("minLength", a.minLength, b.minLength, (.minLengthAdded, .minLengthRemoved, .minLengthIncreased, .minLengthDecreased))
        switch (a.pattern, b.pattern) {
        case (nil, _?): found.append(JSONSchemaDifference(.patternAdded, ["pattern"]))
        case (_?, nil): found.append(JSONSchemaDifference(.patternRemoved, ["pattern"]))
        case (let x?, let y?) where !sameCodePoints(x, y): found.append(JSONSchemaDifference(.patternChanged, ["pattern"]))
        default: break
        }
        return found
    }

    private static func compareNumbers(_ a: NumberFacets, _ b: NumberFacets) -> [JSONSchemaDifference] {
        var found = limit("maximum", a.maximum, b.maximum, (.maximumAdded, .maximumRemoved, .maximumIncreased, .maximumDecreased))
        found += limit("minimum", a.minimum, b.minimum, (.minimumAdded, .minimumRemoved, .minimumIncreased, .minimumDecreased))
        found += limit("exclusiveMaximum", a.exclusiveMaximum, b.exclusiveMaximum,
                       (.exclusiveMaximumAdded, .exclusiveMaximumRemoved, .exclusiveMaximumIncreased, .exclusiveMaximumDecreased))
        found += limit("exclusiveMinimum", a.exclusiveMinimum, b.exclusiveMinimum,
                       (.exclusiveMinimumAdded, .exclusiveMinimumRemoved, .exclusiveMinimumIncreased, .exclusiveMinimumDecreased))
        switch (a.multipleOf.flatMap(ExactDecimal.init), b.multipleOf.flatMap(ExactDecimal.init)) {
        case (nil, _?): found.append(JSONSchemaDifference(.multipleOfAdded, ["multipleOf"]))
        case (_?, nil): found.append(JSONSchemaDifference(.multipleOfRemoved, ["multipleOf"]))
        case (let x?, let y?) where x != y:
            let type: JSONSchemaDifferenceType = y.isMultiple(of: x) ? .multipleOfExpanded : x.isMultiple(of: y) ? .multipleOfReduced : .multipleOfChanged
            found.append(JSONSchemaDifference(type, ["multipleOf"]))
        default: break
        }
        if a.requiresInteger != b.requiresInteger {
            found.append(JSONSchemaDifference(a.requiresInteger ? .typeExtended : .typeNarrowed))
        }
        return found
    }

    private static func compareEnums(_ a: [JSONValue], _ b: [JSONValue]) -> [JSONSchemaDifference] {
        let bHasA = a.allSatisfy { x in b.contains { JSONValues.equal(x, $0) } }
        let aHasB = b.allSatisfy { y in a.contains { JSONValues.equal(y, $0) } }
        if bHasA && aHasB { return [] }
        return [JSONSchemaDifference(bHasA ? .enumArrayExtended : aHasB ? .enumArrayNarrowed : .enumArrayChanged)]
    }

    // MARK: - Combined schemas (CombinedSchemaDiff)

    private mutating func compareCombined(_ oc: SchemaNode.Criterion, _ om: [SchemaNode], _ uc: SchemaNode.Criterion, _ um: [SchemaNode]) -> [JSONSchemaDifference] {
        var found: [JSONSchemaDifference] = []
        if oc != uc {
            let extended = uc == .anyOf || (om.count == 1 && um.count == 1) || (om.count == 1 && uc == .oneOf) || (oc == .allOf && um.count == 1)
            if !extended { return [JSONSchemaDifference(.combinedTypeChanged)] }
            found.append(JSONSchemaDifference(.combinedTypeExtended))
        }
        let originals = Self.distinct(om), updates = Self.distinct(um)
        if originals.count < updates.count {
            found.append(JSONSchemaDifference(uc == .allOf ? .productTypeExtended : .sumTypeExtended))
        } else if originals.count > updates.count {
            found.append(JSONSchemaDifference(oc == .allOf ? .productTypeNarrowed : .sumTypeNarrowed))
        }
        var edges: [[Int: [JSONSchemaDifference]]] = []
        for (index, o) in originals.enumerated() {
            var compatible: [Int: [JSONSchemaDifference]] = [:]
            for (j, u) in updates.enumerated() {
                let pairFound = compare(o, u)
                if isCompatible(pairFound) { compatible[j] = Self.under([oc.rawValue, String(index)], pairFound) }
            }
            edges.append(compatible)
        }
        let matching = BipartiteMatching.maximum(left: originals.count, right: updates.count) { edges[$0][$1] != nil }
        for (left, right) in matching.sorted(by: { $0.key < $1.key }) { found += edges[left][right] ?? [] }
        if matching.count < min(originals.count, updates.count) {
            found.append(JSONSchemaDifference(.combinedTypeSubschemasChanged))
        }
        return found
    }

    /// Subschemas with duplicates (equal JSON) collapsed, first occurrence kept.
    private static func distinct(_ nodes: [SchemaNode]) -> [SchemaNode] {
        var kept: [SchemaNode] = []
        for node in nodes where !kept.contains(where: { JSONValues.equal($0.json, node.json) }) { kept.append(node) }
        return kept
    }

    // MARK: - Objects (ObjectSchemaDiff)

    private mutating func compareObjects(_ o: ObjectFacets, _ u: ObjectFacets) -> [JSONSchemaDifference] {
        var found: [JSONSchemaDifference] = []
        // required, for properties in both
        for (name, _) in o.properties where u.property(name) != nil {
            let was = o.required.contains { sameCodePoints($0, name) }, now = u.required.contains { sameCodePoints($0, name) }
            if was && !now {
                found.append(JSONSchemaDifference(.requiredAttributeRemoved, ["required", name]))
            } else if !was && now {
                let hasDefault = u.property(name).map { update.target($0).defaultValue != nil } ?? false
                found.append(JSONSchemaDifference(hasDefault ? .requiredAttributeWithDefaultAdded : .requiredAttributeAdded, ["required", name]))
            }
        }
        // properties: the original's, then the update's new ones
        var names = o.properties.map(\.name)
        for (name, _) in u.properties where !names.contains(where: { sameCodePoints($0, name) }) { names.append(name) }
        for name in names {
            let place = ["properties", name]
            switch (o.property(name), u.property(name)) {
            case (let a?, let b?):
                found += Self.under(place, compare(a, b))
            case (let a?, nil):
                found += propertyRemoved(a, from: u, name: name, at: place)
            case (nil, let b?):
                found += propertyAdded(b, to: o, in: u, name: name, at: place)
            case (nil, nil):
                break
            }
        }
        // dependencies
        var dependencyNames = o.dependencyArrays.map(\.name)
        for (name, _) in u.dependencyArrays where !dependencyNames.contains(name) { dependencyNames.append(name) }
        for name in dependencyNames {
            let a = o.dependencyArrays.first { $0.name == name }.map { Set($0.properties) }
            let b = u.dependencyArrays.first { $0.name == name }.map { Set($0.properties) }
            let place = [(b == nil ? o : u).dependencyArraysKeyword, name]
            switch (a, b) {
            case (_?, nil): found.append(JSONSchemaDifference(.dependencyArrayRemoved, place))
            case (nil, _?): found.append(JSONSchemaDifference(.dependencyArrayAdded, place))
            case (let x?, let y?) where x != y:
                found.append(JSONSchemaDifference(y.isSuperset(of: x) ? .dependencyArrayExtended : x.isSuperset(of: y) ? .dependencyArrayNarrowed : .dependencyArrayChanged, place))
            default: break
            }
        }
        var schemaDependencyNames = o.dependencySchemas.map(\.name)
        for (name, _) in u.dependencySchemas where !schemaDependencyNames.contains(name) { schemaDependencyNames.append(name) }
        for name in schemaDependencyNames {
            let a = o.dependencySchemas.first { $0.name == name }?.schema, b = u.dependencySchemas.first { $0.name == name }?.schema
            let place = [(b == nil ? o : u).dependencySchemasKeyword, name]
            switch (a, b) {
            case (_?, nil): found.append(JSONSchemaDifference(.dependencySchemaRemoved, place))
            case (nil, _?): found.append(JSONSchemaDifference(.dependencySchemaAdded, place))
            case (let x?, let y?): found += Self.under(place, compare(x, y))
            default: break
            }
        }
        found += compareContent(o.content, u.content, keyword: "additionalProperties", unevaluated: "unevaluatedProperties",
                                (.additionalPropertiesAdded, .additionalPropertiesRemoved, .additionalPropertiesExtended, .additionalPropertiesNarrowed),
                                (.unevaluatedPropertiesAdded, .unevaluatedPropertiesRemoved, .unevaluatedPropertiesExtended, .unevaluatedPropertiesNarrowed))
        found += Self.limit("maxProperties", o.maxProperties, u.maxProperties, (.maxPropertiesAdded, .maxPropertiesRemoved, .maxPropertiesIncreased, .maxPropertiesDecreased))
        found += Self.limit("minProperties", o.minProperties, u.minProperties, (.minPropertiesAdded, .minPropertiesRemoved, .minPropertiesIncreased, .minPropertiesDecreased))
        return found
    }

    /// A property the update no longer declares: judged by the update's content model.
    private mutating func propertyRemoved(_ schema: SchemaNode, from u: ObjectFacets, name: String, at place: [String]) -> [JSONSchemaDifference] {
        if Self.isOpen(u.content, patterns: !u.patternProperties.isEmpty) {
            return [JSONSchemaDifference(.propertyRemovedFromOpenContentModel, place)]
        }
        if let covering = Self.covering(u, name) {
            let found = compare(schema, covering)
            return isCompatible(found)
                ? Self.under(place, found) + [JSONSchemaDifference(.propertyRemovedIsCoveredByPartiallyOpenContentModel, place)]
                : [JSONSchemaDifference(.propertyRemovedNotCoveredByPartiallyOpenContentModel, place)]
        }
        return [JSONSchemaDifference(original.target(schema).isFalse ? .propertyWithFalseRemovedFromClosedContentModel : .propertyRemovedFromClosedContentModel, place)]
    }

    /// A property the original did not declare: judged by the original's content model.
    private mutating func propertyAdded(_ schema: SchemaNode, to o: ObjectFacets, in u: ObjectFacets, name: String, at place: [String]) -> [JSONSchemaDifference] {
        let target = update.target(schema)
        let required = u.required.contains { sameCodePoints($0, name) }
        let hasDefault = target.defaultValue != nil
        if Self.isOpen(o.content, patterns: !o.patternProperties.isEmpty) {
            if target.isEmptyOrTrue { return [JSONSchemaDifference(.propertyWithEmptySchemaAddedToOpenContentModel, place)] }
            let type: JSONSchemaDifferenceType = !required ? .optionalPropertyAddedToOpenContentModel
                : hasDefault ? .requiredPropertyWithDefaultAddedToOpenContentModel : .requiredPropertyAddedToOpenContentModel
            return [JSONSchemaDifference(type, place)]
        }
        var found: [JSONSchemaDifference] = []
        if let covering = Self.covering(o, name) {
            let pairFound = compare(covering, schema)
            found += isCompatible(pairFound)
                ? Self.under(place, pairFound) + [JSONSchemaDifference(.propertyAddedIsCoveredByPartiallyOpenContentModel, place)]
                : [JSONSchemaDifference(.propertyAddedNotCoveredByPartiallyOpenContentModel, place)]
        }
        let type: JSONSchemaDifferenceType = !required ? .optionalPropertyAddedToUnopenContentModel
            : hasDefault ? .requiredPropertyWithDefaultAddedToUnopenContentModel : .requiredPropertyAddedToUnopenContentModel
        return found + [JSONSchemaDifference(type, place)]
    }

    /// Open: nothing restricts undeclared members (no patterns, additional and unevaluated absent or true).
    private static func isOpen(_ content: ContentModel, patterns: Bool) -> Bool {
        !patterns && content.permitsAdditional && content.additionalSchema == nil && content.permitsUnevaluated && content.unevaluatedSchema == nil
    }

    /// The schema an undeclared property `name` must match: the first pattern that finds a match
    /// in the name (unanchored, as JSON Schema and Java's `find()` do), else additionalProperties,
    /// else (additionalProperties absent) unevaluatedProperties.
    private static func covering(_ facets: ObjectFacets, _ name: String) -> SchemaNode? {
        for (pattern, schema) in facets.patternProperties {
            if let regex = try? ECMARegex(pattern), regex.matches(name) { return schema }
        }
        return additionalCovering(facets.content)
    }

    private static func additionalCovering(_ content: ContentModel) -> SchemaNode? {
        if let schema = content.additionalSchema { return schema }
        return content.permitsAdditional ? content.unevaluatedSchema : nil
    }

    /// additional* and unevaluated* keywords: allowed ↔ forbidden, absent ↔ schema, or both schemas.
    private mutating func compareContent(_ o: ContentModel, _ u: ContentModel, keyword: String, unevaluated: String,
                                         _ additionalTypes: (added: JSONSchemaDifferenceType, removed: JSONSchemaDifferenceType, extended: JSONSchemaDifferenceType, narrowed: JSONSchemaDifferenceType),
                                         _ unevaluatedTypes: (added: JSONSchemaDifferenceType, removed: JSONSchemaDifferenceType, extended: JSONSchemaDifferenceType, narrowed: JSONSchemaDifferenceType)) -> [JSONSchemaDifference] {
        func one(_ permitsA: Bool, _ a: SchemaNode?, _ permitsB: Bool, _ b: SchemaNode?, _ keyword: String,
                 _ types: (added: JSONSchemaDifferenceType, removed: JSONSchemaDifferenceType, extended: JSONSchemaDifferenceType, narrowed: JSONSchemaDifferenceType)) -> [JSONSchemaDifference] {
            if permitsA != permitsB { return [JSONSchemaDifference(permitsB ? types.added : types.removed, [keyword])] }
            switch (a, b) {
            case (nil, _?): return [JSONSchemaDifference(types.narrowed, [keyword])]
            case (_?, nil): return [JSONSchemaDifference(types.extended, [keyword])]
            case (let x?, let y?): return Self.under([keyword], compare(x, y))
            case (nil, nil): return []
            }
        }
        return one(o.permitsAdditional, o.additionalSchema, u.permitsAdditional, u.additionalSchema, keyword, additionalTypes)
            + one(o.permitsUnevaluated, o.unevaluatedSchema, u.permitsUnevaluated, u.unevaluatedSchema, unevaluated, unevaluatedTypes)
    }

    // MARK: - Arrays (ArraySchemaDiff)

    private mutating func compareArrays(_ o: ArrayFacets, _ u: ArrayFacets) -> [JSONSchemaDifference] {
        var found = Self.under(["items"], compare(o.allItems, u.allItems))
        let a = o.tuple ?? [], b = u.tuple ?? []
        for index in 0..<max(a.count, b.count) {
            let place = [(index < b.count ? u : o).tupleKeyword, String(index)]
            if index < a.count && index < b.count {
                found += Self.under(place, compare(a[index], b[index]))
            } else if index < a.count {
                if Self.isOpen(u.content, patterns: false) {
                    found.append(JSONSchemaDifference(.itemRemovedFromOpenContentModel, place))
                } else if let covering = Self.additionalCovering(u.content) {
                    let pairFound = compare(a[index], covering)
                    found += isCompatible(pairFound)
                        ? Self.under(place, pairFound) + [JSONSchemaDifference(.itemRemovedIsCoveredByPartiallyOpenContentModel, place)]
                        : [JSONSchemaDifference(.itemRemovedNotCoveredByPartiallyOpenContentModel, place)]
                } else {
                    found.append(JSONSchemaDifference(original.target(a[index]).isFalse ? .itemWithFalseRemovedFromClosedContentModel : .itemRemovedFromClosedContentModel, place))
                }
            } else {
                if Self.isOpen(o.content, patterns: false) {
                    found.append(JSONSchemaDifference(update.target(b[index]).isEmptyOrTrue ? .itemWithEmptySchemaAddedToOpenContentModel : .itemAddedToOpenContentModel, place))
                } else if let covering = Self.additionalCovering(o.content) {
                    let pairFound = compare(covering, b[index])
                    found += isCompatible(pairFound)
                        ? Self.under(place, pairFound) + [JSONSchemaDifference(.itemAddedIsCoveredByPartiallyOpenContentModel, place)]
                        : [JSONSchemaDifference(.itemAddedNotCoveredByPartiallyOpenContentModel, place)]
                } else {
                    found.append(JSONSchemaDifference(.itemAddedToClosedContentModel, place))
                }
            }
        }
        found += compareContent(o.content, u.content, keyword: u.additionalKeyword, unevaluated: "unevaluatedItems",
                                (.additionalItemsAdded, .additionalItemsRemoved, .additionalItemsExtended, .additionalItemsNarrowed),
                                (.unevaluatedItemsAdded, .unevaluatedItemsRemoved, .unevaluatedItemsExtended, .unevaluatedItemsNarrowed))
        found += Self.limit("maxItems", o.maxItems, u.maxItems, (.maxItemsAdded, .maxItemsRemoved, .maxItemsIncreased, .maxItemsDecreased))
        found += Self.limit("minItems", o.minItems, u.minItems, (.minItemsAdded, .minItemsRemoved, .minItemsIncreased, .minItemsDecreased))
        if o.uniqueItems != u.uniqueItems {
            found.append(JSONSchemaDifference(o.uniqueItems ? .uniqueItemsRemoved : .uniqueItemsAdded, ["uniqueItems"]))
        }
        found += Self.limit("maxContains", o.maxContains, u.maxContains, (.maxContainsAdded, .maxContainsRemoved, .maxContainsIncreased, .maxContainsDecreased))
        found += Self.limit("minContains", o.minContains, u.minContains, (.minContainsAdded, .minContainsRemoved, .minContainsIncreased, .minContainsDecreased))
        return found
    }
}

import Diagnostics
import Foundation
import JSONDocument
import Yams

/// Reads contract files strictly: unknown keys and invalid values are diagnostics with line and
/// column, so a typo never turns a check off. A file may hold several contracts (`---`).
public enum ContractParser {
    public static let rules: [RuleDescription] = [
        RuleDescription(id: "CONTRACT_SYNTAX", severity: .error, summary: "The contract file is not valid YAML."),
        RuleDescription(id: "CONTRACT_UNKNOWN_KEY", severity: .error, summary: "A contract has a key schemactl does not know."),
        RuleDescription(id: "CONTRACT_INVALID_VALUE", severity: .error, summary: "A value in a contract has the wrong type or is not allowed."),
        RuleDescription(id: "CONTRACT_MISSING_KEY", severity: .error, summary: "A required key is missing in a contract."),
    ]

    public static let formatVersion = "schemactl/v1"

    /// The contracts of a file, or the diagnostics that explain why they cannot be used.
    public static func parse(_ text: String) -> (contracts: [Contract], diagnostics: [Diagnostic]) {
        var state = ParserState()
        var documents: [Node] = []
        do {
            // Parser.nextRoot, not compose_all: its sequence drops an error in a later document silently.
            let parser = try Parser(yaml: text)
            while let document = try parser.nextRoot() { documents.append(document) }
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                return ([], [Diagnostic(severity: .error, rule: "CONTRACT_SYNTAX", message: "invalid YAML: \(problem)", line: mark.line, column: mark.column)])
            default:
                return ([], [Diagnostic(severity: .error, rule: "CONTRACT_SYNTAX", message: "invalid YAML: \(error)")])
            }
        } catch {
            return ([], [Diagnostic(severity: .error, rule: "CONTRACT_SYNTAX", message: "invalid YAML: \(error)")])
        }
        var contracts: [Contract] = []
        for (index, document) in documents.enumerated() {
            let pointer = documents.count == 1 ? "" : "/\(index)"
            if let contract = state.readContract(document, at: pointer) { contracts.append(contract) }
        }
        if documents.isEmpty { state.diagnostics.append(Diagnostic(severity: .error, rule: "CONTRACT_MISSING_KEY", message: "the file holds no contract")) }
        return (state.diagnostics.isEmpty ? contracts : [], state.diagnostics)
    }

    /// "30s", "500ms", "2m", "1h" or a number of seconds.
    public static func seconds(_ text: String) -> Double? {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where text.hasSuffix(suffix) {
            if let number = Double(text.dropLast(suffix.count)), number >= 0 { return number * factor }
        }
        return Double(text).flatMap { $0 >= 0 ? $0 : nil }
    }

    /// "key", "headers.NAME" or "value.a.b".
    public static func correlationPath(_ text: String) -> CorrelationPath? {
        if text == "key" { return .key }
        if text.hasPrefix("headers."), text.count > 8 { return .header(String(text.dropFirst(8))) }
        if text.hasPrefix("value.") {
            let path = text.dropFirst(6).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            return path.contains("") ? nil : .value(path)
        }
        return nil
    }
}

private struct ParserState {
    var diagnostics: [Diagnostic] = []

    func mark(_ node: Node, _ pointer: String) -> SourceMark {
        SourceMark(line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, pointer: pointer)
    }

    mutating func fail(_ rule: String, _ message: String, at node: Node, pointer: String) {
        diagnostics.append(Diagnostic(severity: .error, rule: rule, message: message, pointer: pointer,
                                      line: node.mark?.line ?? 1, column: node.mark?.column ?? 1))
    }

    mutating func checkKeys(_ mapping: Node.Mapping, allowed: [String], at pointer: String) {
        for (key, _) in mapping {
            guard let name = key.string, !allowed.contains(name) else { continue }
            let close = allowed.min { editDistance($0, name) < editDistance($1, name) }
            let hint = close.map { editDistance($0, name) <= 3 ? "; did you mean \"\($0)\"?" : "" } ?? ""
            fail("CONTRACT_UNKNOWN_KEY", "unknown key \"\(name)\" (allowed here: \(allowed.joined(separator: ", ")))\(hint)", at: key, pointer: pointer + "/" + name)
        }
    }

    mutating func mapping(_ node: Node, _ what: String, at pointer: String) -> Node.Mapping? {
        guard let mapping = node.mapping else {
            fail("CONTRACT_INVALID_VALUE", "\(what) must be a mapping", at: node, pointer: pointer)
            return nil
        }
        return mapping
    }

    mutating func string(_ mapping: Node.Mapping, _ key: String, at pointer: String, required: Bool, owner: Node) -> String? {
        guard let node = mapping[key] else {
            if required { fail("CONTRACT_MISSING_KEY", "missing \"\(key)\"", at: owner, pointer: pointer) }
            return nil
        }
        guard let scalar = node.scalar, !scalar.string.isEmpty else {
            fail("CONTRACT_INVALID_VALUE", "\"\(key)\" must be a non-empty string", at: node, pointer: pointer + "/" + key)
            return nil
        }
        return scalar.string
    }

    mutating func duration(_ mapping: Node.Mapping, _ key: String, at pointer: String) -> Double? {
        guard let node = mapping[key] else { return nil }
        guard let text = node.scalar?.string, let seconds = ContractParser.seconds(text) else {
            fail("CONTRACT_INVALID_VALUE", "\"\(key)\" must be a duration like 30s, 500ms or 2m", at: node, pointer: pointer + "/" + key)
            return nil
        }
        return seconds
    }

    mutating func count(_ mapping: Node.Mapping, _ key: String, at pointer: String) -> Int? {
        guard let node = mapping[key] else { return nil }
        guard let value = node.scalar.flatMap({ Int($0.string) }), value >= 0 else {
            fail("CONTRACT_INVALID_VALUE", "\"\(key)\" must be a whole number of records, 0 or more", at: node, pointer: pointer + "/" + key)
            return nil
        }
        return value
    }

    mutating func correlation(_ mapping: Node.Mapping, at pointer: String) -> CorrelationPath? {
        guard let node = mapping["correlate"] else { return nil }
        guard let inner = self.mapping(node, "\"correlate\"", at: pointer + "/correlate") else { return nil }
        checkKeys(inner, allowed: ["by"], at: pointer + "/correlate")
        guard let text = string(inner, "by", at: pointer + "/correlate", required: true, owner: node) else { return nil }
        guard let path = ContractParser.correlationPath(text) else {
            fail("CONTRACT_INVALID_VALUE", "correlate.by must be key, headers.NAME or value.FIELD[.FIELD...], not \"\(text)\"", at: inner["by"]!, pointer: pointer + "/correlate/by")
            return nil
        }
        return path
    }

    mutating func schema(_ mapping: Node.Mapping, at pointer: String) -> SchemaSelector? {
        guard let node = mapping["schema"] else { return nil }
        let here = pointer + "/schema"
        guard let inner = self.mapping(node, "\"schema\"", at: here) else { return nil }
        checkKeys(inner, allowed: ["subject", "version", "file"], at: here)
        if let file = string(inner, "file", at: here, required: false, owner: node) {
            if inner["subject"] != nil { fail("CONTRACT_INVALID_VALUE", "give either schema.subject or schema.file, not both", at: node, pointer: here) }
            return .file(file)
        }
        guard let subject = string(inner, "subject", at: here, required: true, owner: node) else { return nil }
        var version: Int?
        if let versionNode = inner["version"] {
            if versionNode.scalar?.string == "latest" {
                version = nil
            } else if let number = versionNode.scalar.flatMap({ Int($0.string) }), number >= 1 {
                version = number
            } else {
                fail("CONTRACT_INVALID_VALUE", "schema.version must be a version number (1 or more) or latest", at: versionNode, pointer: here + "/version")
            }
        }
        return .subject(subject, version: version)
    }

    mutating func readContract(_ node: Node, at pointer: String) -> Contract? {
        guard let root = mapping(node, "a contract", at: pointer) else { return nil }
        checkKeys(root, allowed: ["contract", "id", "service", "description", "consumers", "vars", "correlate", "timeout", "given", "fixtures", "send", "expect", "forbid"], at: pointer)
        if let format = string(root, "contract", at: pointer, required: true, owner: node), format != ContractParser.formatVersion {
            fail("CONTRACT_INVALID_VALUE", "\"contract\" must be \(ContractParser.formatVersion), the only format version so far", at: root["contract"]!, pointer: pointer + "/contract")
        }
        let id = string(root, "id", at: pointer, required: true, owner: node)
        let service = string(root, "service", at: pointer, required: false, owner: node)
        let description = string(root, "description", at: pointer, required: false, owner: node)
        if let consumers = root["consumers"], consumers.sequence?.allSatisfy({ $0.scalar != nil }) != true {
            fail("CONTRACT_INVALID_VALUE", "\"consumers\" must be a list of service names", at: consumers, pointer: pointer + "/consumers")
        }
        let vars = readVars(root, at: pointer)
        let correlate = correlation(root, at: pointer) ?? .value(["correlation_id"])
        let timeout = duration(root, "timeout", at: pointer) ?? 30
        var send: RequestMessage?
        if let sendNode = root["send"] { send = readSend(sendNode, at: pointer + "/send") } else { fail("CONTRACT_MISSING_KEY", "missing \"send\" (the request to produce)", at: node, pointer: pointer) }
        var expectations: [Expectation] = []
        if let expectNode = root["expect"] {
            if let sequence = expectNode.sequence {
                for (index, entry) in sequence.enumerated() {
                    if let expectation = readExpectation(entry, at: pointer + "/expect/\(index)", timeout: timeout) { expectations.append(expectation) }
                }
            } else {
                fail("CONTRACT_INVALID_VALUE", "\"expect\" must be a list of expected records", at: expectNode, pointer: pointer + "/expect")
            }
        }
        var quiet: [QuietWindow] = []
        if let forbidNode = root["forbid"] {
            if let sequence = forbidNode.sequence {
                for (index, entry) in sequence.enumerated() {
                    if let window = readQuietWindow(entry, at: pointer + "/forbid/\(index)") { quiet.append(window) }
                }
            } else {
                fail("CONTRACT_INVALID_VALUE", "\"forbid\" must be a list of { topic, quiet }", at: forbidNode, pointer: pointer + "/forbid")
            }
        }
        if expectations.isEmpty && quiet.isEmpty && root["expect"] == nil && root["forbid"] == nil {
            fail("CONTRACT_MISSING_KEY", "a contract needs \"expect\" or \"forbid\": something to check", at: node, pointer: pointer)
        }
        let given = readGiven(root, at: pointer)
        let fixtures = readFixtures(root, at: pointer)
        guard let id, let send else { return nil }
        return Contract(id: id, service: service, description: description, mark: mark(node, pointer), vars: vars, correlate: correlate,
                        timeout: timeout, send: send, expect: expectations, forbid: quiet, given: given, fixtures: fixtures)
    }

    /// `given: [NAME, { state: NAME, params: { ... } }, ...]`
    mutating func readGiven(_ root: Node.Mapping, at pointer: String) -> [ProviderState] {
        guard let node = root["given"] else { return [] }
        guard let sequence = node.sequence else {
            fail("CONTRACT_INVALID_VALUE", "\"given\" must be a list of provider states: NAME or { state: NAME, params: { ... } }", at: node, pointer: pointer + "/given")
            return []
        }
        var states: [ProviderState] = []
        for (index, entry) in sequence.enumerated() {
            let here = pointer + "/given/\(index)"
            if let name = entry.scalar?.string {
                guard !name.isEmpty else {
                    fail("CONTRACT_INVALID_VALUE", "a provider state needs a name", at: entry, pointer: here)
                    continue
                }
                states.append(ProviderState(name: name, params: .object(JSONObject()), mark: mark(entry, here)))
                continue
            }
            guard let spec = mapping(entry, "a provider state (NAME or { state: NAME, params: { ... } })", at: here) else { continue }
            checkKeys(spec, allowed: ["state", "params"], at: here)
            guard let name = string(spec, "state", at: here, required: true, owner: entry) else { continue }
            var params = JSONValue.object(JSONObject())
            if let paramsNode = spec["params"] {
                guard paramsNode.mapping != nil else {
                    fail("CONTRACT_INVALID_VALUE", "\"params\" must be a mapping of parameter names to values", at: paramsNode, pointer: here + "/params")
                    continue
                }
                params = YAMLToJSON.convert(paramsNode)
            }
            states.append(ProviderState(name: name, params: params, mark: mark(entry, here)))
        }
        return states
    }

    /// `fixtures: [{ from: PATH, to: PATH, keep: BOOL }, ...]`
    mutating func readFixtures(_ root: Node.Mapping, at pointer: String) -> [Fixture] {
        guard let node = root["fixtures"] else { return [] }
        guard let sequence = node.sequence else {
            fail("CONTRACT_INVALID_VALUE", "\"fixtures\" must be a list of { from: FILE, to: PATH }", at: node, pointer: pointer + "/fixtures")
            return []
        }
        var fixtures: [Fixture] = []
        for (index, entry) in sequence.enumerated() {
            let here = pointer + "/fixtures/\(index)"
            guard let spec = mapping(entry, "a fixture ({ from: FILE, to: PATH })", at: here) else { continue }
            checkKeys(spec, allowed: ["from", "to", "keep"], at: here)
            let source = string(spec, "from", at: here, required: true, owner: entry)
            let destination = string(spec, "to", at: here, required: true, owner: entry)
            var keep = false
            if let keepNode = spec["keep"] {
                if let flag = keepNode.bool { keep = flag } else {
                    fail("CONTRACT_INVALID_VALUE", "\"keep\" must be true or false", at: keepNode, pointer: here + "/keep")
                }
            }
            guard let source, let destination else { continue }
            fixtures.append(Fixture(source: source, resolvedSource: source, destination: destination, keep: keep, mark: mark(entry, here),
                                    sourceMark: mark(spec["from"]!, here + "/from")))
        }
        return fixtures
    }

    mutating func readVars(_ root: Node.Mapping, at pointer: String) -> [(name: String, generator: Generator)] {
        guard let node = root["vars"] else { return [] }
        guard let vars = mapping(node, "\"vars\"", at: pointer + "/vars") else { return [] }
        var result: [(name: String, generator: Generator)] = []
        for (key, value) in vars {
            let name = key.string ?? ""
            let here = pointer + "/vars/" + name
            guard let spec = mapping(value, "a variable ({ gen: uuid }, { gen: now, unit: millis }, { value: ... } or { env: NAME, default: ... })", at: here) else { continue }
            checkKeys(spec, allowed: ["gen", "unit", "value", "env", "default"], at: here)
            if let constant = spec["value"] {
                result.append((name, .constant(YAMLToJSON.convert(constant))))
                continue
            }
            if let variable = spec["env"] {
                guard let variableName = variable.scalar?.string, !variableName.isEmpty, let fallback = spec["default"]?.scalar?.string else {
                    fail("CONTRACT_INVALID_VALUE", "an env variable needs env: NAME and default: a string to use when NAME is unset", at: value, pointer: here)
                    continue
                }
                result.append((name, .environment(variableName, fallback: fallback)))
                continue
            }
            switch spec["gen"]?.scalar?.string {
            case "uuid": result.append((name, .uuid))
            case "now":
                let unitText = spec["unit"]?.scalar?.string ?? "millis"
                guard let unit = TimeUnit(rawValue: unitText) else {
                    fail("CONTRACT_INVALID_VALUE", "unit must be one of \(TimeUnit.allCases.map(\.rawValue).joined(separator: ", "))", at: spec["unit"]!, pointer: here + "/unit")
                    continue
                }
                result.append((name, .now(unit)))
            default:
                fail("CONTRACT_INVALID_VALUE", "a variable needs gen: uuid, gen: now, value: ... or env: NAME with default: ...", at: value, pointer: here)
            }
        }
        return result
    }

    mutating func readSend(_ node: Node, at pointer: String) -> RequestMessage? {
        guard let send = mapping(node, "\"send\"", at: pointer) else { return nil }
        checkKeys(send, allowed: ["topic", "key", "headers", "schema", "wire", "value"], at: pointer)
        let topic = string(send, "topic", at: pointer, required: true, owner: node)
        let key = send["key"].flatMap { $0.scalar?.string }
        if let keyNode = send["key"], keyNode.scalar == nil { fail("CONTRACT_INVALID_VALUE", "\"key\" must be a string", at: keyNode, pointer: pointer + "/key") }
        var headers: [(name: String, value: String)] = []
        if let headersNode = send["headers"], let mapping = mapping(headersNode, "\"headers\"", at: pointer + "/headers") {
            for (name, value) in mapping {
                guard let text = value.scalar?.string else {
                    fail("CONTRACT_INVALID_VALUE", "a header value must be a string", at: value, pointer: pointer + "/headers/" + (name.string ?? ""))
                    continue
                }
                headers.append((name.string ?? "", text))
            }
        }
        if let wire = send["wire"], wire.scalar?.string != "confluent" {
            fail("CONTRACT_INVALID_VALUE", "\"wire\" must be confluent (the Confluent 5-byte framing), the only one supported so far", at: wire, pointer: pointer + "/wire")
        }
        let schema = schema(send, at: pointer)
        guard let valueNode = send["value"] else {
            fail("CONTRACT_MISSING_KEY", "missing \"value\" (the request's datum)", at: node, pointer: pointer)
            return nil
        }
        let value = YAMLToJSON.convert(valueNode)
        if let matcherPath = YAMLToJSON.firstMatcher(in: valueNode, at: pointer + "/value") {
            fail("CONTRACT_INVALID_VALUE", "matchers ($match) belong in expect, not in the request; use a {{var}} for fresh values", at: matcherPath.node, pointer: matcherPath.pointer)
        }
        guard let topic else { return nil }
        var marks: [String: SourceMark] = [:]
        YAMLToJSON.collectMarks(valueNode, at: "", into: &marks, prefix: pointer + "/value")
        return RequestMessage(topic: topic, key: key, headers: headers, schema: schema, value: value, mark: mark(node, pointer),
                              valueMark: mark(valueNode, pointer + "/value"), valueMarks: marks)
    }

    mutating func readExpectation(_ node: Node, at pointer: String, timeout: Double) -> Expectation? {
        guard let entry = mapping(node, "an expected record", at: pointer) else { return nil }
        checkKeys(entry, allowed: ["topic", "schema", "correlate", "count", "min", "max", "within", "key", "headers", "value"], at: pointer)
        let topic = string(entry, "topic", at: pointer, required: true, owner: node)
        let exact = count(entry, "count", at: pointer)
        let minimum = count(entry, "min", at: pointer) ?? exact ?? 1
        let maximum = count(entry, "max", at: pointer) ?? exact ?? max(minimum, 1)
        if minimum > maximum { fail("CONTRACT_INVALID_VALUE", "min (\(minimum)) is more than max (\(maximum))", at: node, pointer: pointer) }
        let within = duration(entry, "within", at: pointer) ?? timeout
        if within > timeout { fail("CONTRACT_INVALID_VALUE", "within (\(within)s) is longer than the contract's timeout (\(timeout)s)", at: entry["within"]!, pointer: pointer + "/within") }
        let key = entry["key"].map { readMatcher($0, at: pointer + "/key") }
        var headers: [(name: String, matcher: Matcher)] = []
        if let headersNode = entry["headers"], let mapping = mapping(headersNode, "\"headers\"", at: pointer + "/headers") {
            for (name, value) in mapping { headers.append((name.string ?? "", readMatcher(value, at: pointer + "/headers/" + (name.string ?? "")))) }
        }
        let value = entry["value"].map { readMatcher($0, at: pointer + "/value") }
        guard let topic else { return nil }
        return Expectation(topic: topic, schema: schema(entry, at: pointer), correlate: correlation(entry, at: pointer), minCount: minimum, maxCount: maximum,
                           within: within, key: key, headers: headers, value: value, mark: mark(node, pointer))
    }

    mutating func readQuietWindow(_ node: Node, at pointer: String) -> QuietWindow? {
        guard let entry = mapping(node, "a forbidden topic ({ topic, quiet })", at: pointer) else { return nil }
        checkKeys(entry, allowed: ["topic", "quiet", "correlate"], at: pointer)
        let topic = string(entry, "topic", at: pointer, required: true, owner: node)
        guard let quiet = duration(entry, "quiet", at: pointer) else {
            if entry["quiet"] == nil { fail("CONTRACT_MISSING_KEY", "missing \"quiet\" (how long the topic must stay silent)", at: node, pointer: pointer) }
            return nil
        }
        guard let topic else { return nil }
        return QuietWindow(topic: topic, quiet: quiet, correlate: correlation(entry, at: pointer), mark: mark(node, pointer))
    }

    static let matcherKeys: [String: [String]] = [
        "uuid": [], "notEmpty": [], "absent": [], "file": ["exists"],
        "timestamp": ["unit", "within"], "regex": ["pattern"], "type": ["type", "example"], "number": ["min", "max"],
        "include": ["value"], "oneOf": ["values"], "equals": ["value"], "tensor": ["shape", "dtype"],
    ]

    static let tensorTypes = ["float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool", "complex64", "complex128"]

    mutating func readMatcher(_ node: Node, at pointer: String) -> Matcher {
        let here = mark(node, pointer)
        switch node {
        case .mapping(let mapping):
            guard let kindNode = mapping["$match"] else {
                return .object(mapping.map { (key: $0.key.string ?? "", matcher: readMatcher($0.value, at: pointer + "/" + ($0.key.string ?? ""))) }, here)
            }
            let kind = kindNode.scalar?.string ?? ""
            guard let allowed = Self.matcherKeys[kind] else {
                fail("CONTRACT_INVALID_VALUE", "unknown matcher \"\(kind)\" (known: \(Self.matcherKeys.keys.sorted().joined(separator: ", ")))", at: kindNode, pointer: pointer + "/$match")
                return .equals(.null, here)
            }
            checkKeys(mapping, allowed: ["$match"] + allowed, at: pointer)
            switch kind {
            case "uuid": return .uuid(here)
            case "notEmpty": return .notEmpty(here)
            case "absent": return .absent(here)
            case "file":
                if let exists = mapping["exists"], exists.bool != true {
                    fail("CONTRACT_INVALID_VALUE", "file matchers check that a file exists: exists must be true", at: exists, pointer: pointer + "/exists")
                }
                return .fileExists(here)
            case "timestamp":
                let unitText = mapping["unit"]?.scalar?.string ?? "millis"
                let unit = TimeUnit(rawValue: unitText) ?? .millis
                if TimeUnit(rawValue: unitText) == nil {
                    fail("CONTRACT_INVALID_VALUE", "unit must be one of \(TimeUnit.allCases.map(\.rawValue).joined(separator: ", "))", at: mapping["unit"]!, pointer: pointer + "/unit")
                }
                return .timestamp(unit, tolerance: duration(mapping, "within", at: pointer) ?? 3600, here)
            case "regex":
                guard let pattern = string(mapping, "pattern", at: pointer, required: true, owner: node) else { return .equals(.null, here) }
                guard let regex = try? NSRegularExpression(pattern: pattern) else {
                    fail("CONTRACT_INVALID_VALUE", "\"\(pattern)\" is not a valid regular expression", at: mapping["pattern"]!, pointer: pointer + "/pattern")
                    return .equals(.null, here)
                }
                return .regex(NSRegularExpressionBox(regex), here)
            case "type":
                if let name = mapping["type"]?.scalar?.string {
                    guard ["string", "integer", "number", "boolean", "object", "array", "null"].contains(name) else {
                        fail("CONTRACT_INVALID_VALUE", "type must be string, integer, number, boolean, object, array or null", at: mapping["type"]!, pointer: pointer + "/type")
                        return .equals(.null, here)
                    }
                    return .type(name, here)
                }
                guard let example = mapping["example"] else {
                    fail("CONTRACT_MISSING_KEY", "a type matcher needs type: NAME or example: VALUE", at: node, pointer: pointer)
                    return .equals(.null, here)
                }
                return .type(JSONTypes.name(of: YAMLToJSON.convert(example)), here)
            case "number":
                func bound(_ key: String) -> Double? {
                    guard let value = mapping[key] else { return nil }
                    guard let number = value.scalar.flatMap({ Double($0.string) }) else {
                        fail("CONTRACT_INVALID_VALUE", "\(key) must be a number", at: value, pointer: pointer + "/" + key)
                        return nil
                    }
                    return number
                }
                return .number(min: bound("min"), max: bound("max"), here)
            case "tensor":
                var shape: [Int?]?
                if let shapeNode = mapping["shape"] {
                    let dims = shapeNode.sequence?.map { dim -> Int?? in
                        guard let text = dim.scalar?.string else { return .none }
                        if text == "*" { return .some(nil) }
                        return Int(text).flatMap { $0 >= 0 ? .some($0) : .none }
                    }
                    if let dims, dims.allSatisfy({ $0 != nil }) {
                        shape = dims.map { $0! }
                    } else {
                        fail("CONTRACT_INVALID_VALUE", "shape must be a list of sizes (0 or more) or \"*\" for any size, e.g. [1, 4, \"*\", \"*\"]", at: shapeNode, pointer: pointer + "/shape")
                    }
                }
                let dtype = mapping["dtype"]?.scalar?.string
                if let dtype, !Self.tensorTypes.contains(dtype) {
                    fail("CONTRACT_INVALID_VALUE", "dtype must be one of \(Self.tensorTypes.joined(separator: ", ")) (Python's names), not \"\(dtype)\"", at: mapping["dtype"]!, pointer: pointer + "/dtype")
                }
                return .tensor(shape: shape, dtype: dtype, here)
            case "include":
                return .include(string(mapping, "value", at: pointer, required: true, owner: node) ?? "", here)
            case "oneOf":
                guard let values = mapping["values"]?.sequence else {
                    fail("CONTRACT_INVALID_VALUE", "oneOf needs values: [ ... ]", at: node, pointer: pointer)
                    return .equals(.null, here)
                }
                return .oneOf(values.map(YAMLToJSON.convert), here)
            default:
                guard let value = mapping["value"] else {
                    fail("CONTRACT_MISSING_KEY", "equals needs value: ...", at: node, pointer: pointer)
                    return .equals(.null, here)
                }
                return .equals(YAMLToJSON.convert(value), here)
            }
        case .sequence(let sequence):
            return .array(sequence.enumerated().map { readMatcher($0.element, at: pointer + "/\($0.offset)") }, here)
        default:
            return .equals(YAMLToJSON.convert(node), here)
        }
    }
}

/// JSON type names as the `type` matcher uses them.
enum JSONTypes {
    static func name(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .integer, .bigNumber: "integer"
        case .real: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// YAML nodes as JSON values, with YAML 1.2's core schema for plain scalars (quoted scalars stay strings).
enum YAMLToJSON {
    static func convert(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            guard scalar.style == .plain else { return .string(scalar.string) }
            let text = scalar.string
            if ["", "~", "null", "Null", "NULL"].contains(text) { return .null }
            if ["true", "True", "TRUE"].contains(text) { return .bool(true) }
            if ["false", "False", "FALSE"].contains(text) { return .bool(false) }
            if let integer = Int64(text) { return .integer(integer) }
            if text.first.map({ $0.isNumber || $0 == "-" || $0 == "." }) == true, let real = Double(text), real.isFinite { return .real(real) }
            return .string(text)
        case .mapping(let mapping):
            var object = JSONObject()
            for (key, value) in mapping { object.append(key.string ?? "", convert(value)) }
            return .object(object)
        case .sequence(let sequence):
            return .array(sequence.map(convert))
        case .alias(let alias):
            return .string(alias.anchor.rawValue)
        }
    }

    /// The position of every node of a value, by JSON pointer relative to the value.
    static func collectMarks(_ node: Node, at pointer: String, into marks: inout [String: SourceMark], prefix: String) {
        marks[pointer] = SourceMark(line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, pointer: prefix + pointer)
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping { collectMarks(value, at: pointer + "/" + escape(key.string ?? ""), into: &marks, prefix: prefix) }
        case .sequence(let sequence):
            for (index, value) in sequence.enumerated() { collectMarks(value, at: pointer + "/\(index)", into: &marks, prefix: prefix) }
        default:
            break
        }
    }

    static func escape(_ token: String) -> String { token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }

    /// The first `$match` mapping inside a value, if any.
    static func firstMatcher(in node: Node, at pointer: String) -> (node: Node, pointer: String)? {
        switch node {
        case .mapping(let mapping):
            if let matcher = mapping["$match"] { return (matcher, pointer + "/$match") }
            for (key, value) in mapping {
                if let found = firstMatcher(in: value, at: pointer + "/" + (key.string ?? "")) { return found }
            }
            return nil
        case .sequence(let sequence):
            for (index, value) in sequence.enumerated() {
                if let found = firstMatcher(in: value, at: pointer + "/\(index)") { return found }
            }
            return nil
        default:
            return nil
        }
    }
}

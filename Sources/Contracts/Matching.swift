import Foundation
import JSONDocument

/// A difference between what a contract expects and what a record holds.
public struct Mismatch: Sendable, Hashable {
    /// Where in the record: value/field/…, key, headers/NAME.
    public var path: String
    public var message: String
    public var mark: SourceMark
}

/// What matchers need from the run: the variables' values, the time, and the file system.
public struct MatchContext: Sendable {
    public var vars: [String: JSONValue]
    public var now: Date
    public var environment: any ContractEnvironment

    public init(vars: [String: JSONValue], now: Date = Date(), environment: any ContractEnvironment) {
        self.vars = vars
        self.now = now
        self.environment = environment
    }

    public init(vars: [String: JSONValue], now: Date = Date(), fileExists: @escaping @Sendable (String) -> Bool = { _ in false }) {
        self.init(vars: vars, now: now, environment: FileCheckEnvironment(fileExists))
    }
}

extension Matcher {
    /// The differences between `actual` (nil: missing) and this matcher; empty when it matches.
    public func mismatches(_ actual: JSONValue?, at path: String, in context: MatchContext) -> [Mismatch] {
        func fail(_ message: String) -> [Mismatch] { [Mismatch(path: path, message: message, mark: mark)] }
        if case .absent = self {
            return actual == nil || actual == .null ? [] : fail("must be absent or null, found \(Self.show(actual!))")
        }
        guard let actual else { return fail("is missing") }
        switch self {
        case .equals(let template, _):
            let expected: JSONValue
            do { expected = try Templates.resolve(template, context.vars) } catch { return fail(error.description) }
            return Self.equal(actual, expected) ? [] : fail("expected \(Self.show(expected)), found \(Self.show(actual))")
        case .object(let members, _):
            guard case .object(let object) = actual else { return fail("expected an object, found \(Self.show(actual))") }
            return members.flatMap { member in
                member.matcher.mismatches(object.members.first { sameCodePoints($0.key, member.key) }?.value, at: path + "/" + member.key, in: context)
            }
        case .array(let items, _):
            guard case .array(let elements) = actual else { return fail("expected an array, found \(Self.show(actual))") }
            guard elements.count == items.count else { return fail("expected \(items.count) elements, found \(elements.count)") }
            return zip(items, elements).enumerated().flatMap { $0.element.0.mismatches($0.element.1, at: path + "/\($0.offset)", in: context) }
        case .uuid:
            guard case .string(let text) = actual, UUID(uuidString: text) != nil else { return fail("expected a UUID, found \(Self.show(actual))") }
            return []
        case .timestamp(let unit, let tolerance, _):
            guard let date = unit.date(of: actual) else { return fail("expected a timestamp (\(unit.rawValue)), found \(Self.show(actual))") }
            guard abs(date.timeIntervalSince(context.now)) <= tolerance else {
                return fail("expected a timestamp within \(Int(tolerance)) s of the verification (\(Self.show(unit.value(of: context.now)))), found \(Self.show(actual))")
            }
            return []
        case .regex(let regex, _):
            guard case .string(let text) = actual else { return fail("expected a string matching /\(regex.pattern)/, found \(Self.show(actual))") }
            return regex.matches(text) ? [] : fail("\(Self.show(actual)) does not match /\(regex.pattern)/")
        case .type(let name, _):
            let found = JSONTypes.name(of: actual)
            return found == name || (name == "number" && found == "integer") ? [] : fail("expected a value of type \(name), found \(Self.show(actual))")
        case .number(let minimum, let maximum, _):
            guard let number = Self.double(actual) else { return fail("expected a number, found \(Self.show(actual))") }
            if let minimum, number < minimum { return fail("\(Self.show(actual)) is below the minimum \(minimum)") }
            if let maximum, number > maximum { return fail("\(Self.show(actual)) is above the maximum \(maximum)") }
            return []
        case .fileExists:
            guard case .string(let path) = actual else { return fail("expected a file path, found \(Self.show(actual))") }
            return context.environment.fileExists(Self.localPath(path)) ? [] : fail("file \(path) does not exist")
        case .tensor(let shape, let dtype, _):
            guard case .string(let path) = actual else { return fail("expected the path of a tensor file, found \(Self.show(actual))") }
            let info: TensorInfo
            do { info = try context.environment.tensorInfo(at: Self.localPath(path)) } catch {
                return fail("cannot read tensor file \(path): \(error)")
            }
            var problems: [String] = []
            if let shape, shape.count != info.shape.count || zip(shape, info.shape).contains(where: { expected, found in expected.map { $0 != found } ?? false }) {
                problems.append("shape \(Self.shapeText(info.shape.map { $0 })) is not \(Self.shapeText(shape))")
            }
            if let dtype, dtype != info.dtype { problems.append("dtype \(info.dtype) is not \(dtype)") }
            return problems.isEmpty ? [] : fail("tensor file \(path): \(problems.joined(separator: "; "))")
        case .include(let text, _):
            guard case .string(let found) = actual else { return fail("expected a string containing \"\(text)\", found \(Self.show(actual))") }
            return found.contains(text) ? [] : fail("\(Self.show(actual)) does not contain \"\(text)\"")
        case .notEmpty:
            switch actual {
            case .string(let s) where !s.isEmpty: return []
            case .array(let a) where !a.isEmpty: return []
            case .object(let o) where !o.isEmpty: return []
            case .integer, .real, .bigNumber, .bool: return []
            default: return fail("must not be empty, found \(Self.show(actual))")
            }
        case .oneOf(let options, _):
            return options.contains { Self.equal(actual, $0) } ? [] : fail("expected one of \(options.map(Self.show).joined(separator: ", ")), found \(Self.show(actual))")
        case .absent:
            return []
        }
    }

    /// A path as the file system takes it (file:// URLs are paths too).
    static func localPath(_ path: String) -> String { path.hasPrefix("file://") ? String(path.dropFirst(7)) : path }

    /// [1, 4, *, *]
    static func shapeText(_ shape: [Int?]) -> String { "[" + shape.map { $0.map(String.init) ?? "*" }.joined(separator: ", ") + "]" }

    /// Numbers compare by value (1 equals 1.0); strings by code points.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = double(a), let y = double(b) { return x == y }
        switch (a, b) {
        case (.string(let x), .string(let y)): return sameCodePoints(x, y)
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.members.allSatisfy { member in y.members.contains { sameCodePoints($0.key, member.key) && equal($0.value, member.value) } }
        default: return a == b
        }
    }

    static func double(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let n): Double(n)
        case .real(let d): d
        case .bigNumber(let text): Double(text)
        default: nil
        }
    }

    /// A record's value for a report: long strings (payloads, forwarded bytes) cut short.
    static func summary(_ value: JSONValue) -> String {
        func shorten(_ value: JSONValue) -> JSONValue {
            switch value {
            case .string(let s) where s.count > 48: .string(String(s.prefix(24)) + "…(\(s.count) chars)")
            case .array(let items): .array(items.map(shorten))
            case .object(let object): .object(JSONObject(object.members.map { JSONObject.Member(key: $0.key, value: shorten($0.value)) }))
            default: value
            }
        }
        let text = shorten(value).compactText
        return text.count > 400 ? String(text.prefix(397)) + "..." : text
    }

    static func show(_ value: JSONValue) -> String {
        let text = value.compactText
        return text.count > 120 ? String(text.prefix(117)) + "..." : text
    }
}

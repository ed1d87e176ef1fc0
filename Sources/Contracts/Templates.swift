import Foundation
import JSONDocument

/// `{{name}}` placeholders: a string that is only a placeholder takes the variable's value (and
/// type); placeholders inside longer strings are replaced by the value's text.
public enum Templates {
    /// Fresh values for a contract's variables (and `run`, a per-run id); `environment` answers `env` variables.
    public static func generate(_ vars: [(name: String, generator: Generator)], now: Date = Date(),
                                environment: [String: String] = ProcessInfo.processInfo.environment) -> [String: JSONValue] {
        var values: [String: JSONValue] = ["run": .string(UUID().uuidString.lowercased())]
        for (name, generator) in vars {
            switch generator {
            case .uuid: values[name] = .string(UUID().uuidString.lowercased())
            case .now(let unit): values[name] = unit.value(of: now)
            case .constant(let value): values[name] = value
            case .environment(let variable, let fallback):
                values[name] = .string(environment[variable].flatMap { $0.isEmpty ? nil : $0 } ?? fallback)
            }
        }
        return values
    }

    /// Names of the placeholders in a text.
    public static func placeholders(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            names.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return names
    }

    /// Every placeholder of a value, for lint's "unknown variable" check.
    public static func placeholders(in value: JSONValue) -> [String] {
        switch value {
        case .string(let text): placeholders(in: text)
        case .array(let items): items.flatMap { placeholders(in: $0) }
        case .object(let object): object.members.flatMap { placeholders(in: $0.value) }
        default: []
        }
    }

    public static func resolve(_ value: JSONValue, _ vars: [String: JSONValue]) throws(TemplateError) -> JSONValue {
        switch value {
        case .string(let text): return try resolve(string: text, vars)
        case .array(let items):
            var resolved: [JSONValue] = []
            for item in items { resolved.append(try resolve(item, vars)) }
            return .array(resolved)
        case .object(let object):
            var resolved = JSONObject()
            for member in object.members { resolved.append(member.key, try resolve(member.value, vars)) }
            return .object(resolved)
        default:
            return value
        }
    }

    static func resolve(string text: String, _ vars: [String: JSONValue]) throws(TemplateError) -> JSONValue {
        let names = placeholders(in: text)
        guard !names.isEmpty else { return .string(text) }
        for name in names where vars[name] == nil { throw TemplateError(name: name) }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if names.count == 1, trimmed.hasPrefix("{{"), trimmed.hasSuffix("}}"), trimmed.dropFirst(2).dropLast(2).trimmingCharacters(in: .whitespaces) == names[0] {
            return vars[names[0]]!
        }
        var result = text
        for name in Set(names) {
            let replacement = vars[name].map { if case .string(let s) = $0 { s } else { $0.compactText } } ?? ""
            result = result.replacingOccurrences(of: "{{\(name)}}", with: replacement).replacingOccurrences(of: "{{ \(name) }}", with: replacement)
        }
        return .string(result)
    }

    public static func resolveText(_ text: String, _ vars: [String: JSONValue]) throws(TemplateError) -> String {
        let value = try resolve(string: text, vars)
        if case .string(let s) = value { return s }
        return value.compactText
    }
}

public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public var name: String
    public var description: String { "unknown variable {{\(name)}}: declare it under vars" }
}

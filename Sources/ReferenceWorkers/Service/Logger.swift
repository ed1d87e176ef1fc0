import Foundation
import JSONDocument

/// Log lines on stderr: one JSON object per line with LOG_FORMAT=json, `level message key=value`
/// otherwise. stdout stays free for the standalone result.
public struct Logger: Sendable {
    public enum Level: Int, Sendable, Comparable {
        case debug, info, warning, error
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        var name: String { ["DEBUG", "INFO", "WARNING", "ERROR"][rawValue] }
    }

    public var json: Bool
    public var minimum: Level
    /// Where lines go (stderr unless a test captures them).
    public var sink: @Sendable (String) -> Void

    public init(json: Bool, minimum: Level = .info, sink: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) {
        self.json = json
        self.minimum = minimum
        self.sink = sink
    }

    public static func fromEnvironment(_ environment: [String: String]) -> Logger {
        let level: Level = switch environment["LOG_LEVEL"]?.uppercased() {
        case "DEBUG": .debug
        case "WARNING", "WARN": .warning
        case "ERROR": .error
        default: .info
        }
        return Logger(json: environment["LOG_FORMAT"]?.lowercased() == "json", minimum: level)
    }

    public func info(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.info, message, fields) }
    public func error(_ message: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.error, message, fields) }

    public func log(_ level: Level, _ message: String, _ fields: KeyValuePairs<String, String>) {
        guard level >= minimum else { return }
        if json {
            var object = JSONObject(["timestamp": .string(Clock.iso8601()), "level": .string(level.name), "message": .string(message)])
            for (key, value) in fields { object.append(key, .string(value)) }
            sink(JSONValue.object(object).compactText)
        } else {
            sink(([level.name, message] + fields.map { "\($0.key)=\($0.value)" }).joined(separator: " "))
        }
    }
}

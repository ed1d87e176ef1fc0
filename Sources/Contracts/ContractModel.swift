import Foundation
import JSONDocument

/// Where something was written in a contract file (1-based), for diagnostics and reports.
public struct SourceMark: Sendable, Hashable {
    public var line: Int
    public var column: Int
    public var pointer: String
    public init(line: Int = 1, column: Int = 1, pointer: String = "") {
        self.line = line
        self.column = column
        self.pointer = pointer
    }
}

/// One recorded interaction (format `schemactl/v1`): a request a service receives, the responses it
/// must produce (correlated to the request), and the topics that must stay quiet.
public struct Contract: Sendable {
    public var id: String
    public var service: String?
    public var description: String?
    public var mark: SourceMark
    /// Values made fresh on each run, used as `{{name}}` in the request and the expectations.
    public var vars: [(name: String, generator: Generator)]
    /// How a response is tied to the request; expectations may override it.
    public var correlate: CorrelationPath
    /// Ceiling for the whole interaction, in seconds: late answers are looked for until then.
    public var timeout: Double
    public var send: RequestMessage
    public var expect: [Expectation]
    public var forbid: [QuietWindow]
    /// States the provider must be put in (by the state hook) before the request is produced.
    public var given: [ProviderState] = []
    /// Files copied into place before the request is produced.
    public var fixtures: [Fixture] = []

    /// The contract with every fixture's source resolved against the folder of the contract file.
    public func resolvingFixtures(relativeTo folder: String) -> Contract {
        var copy = self
        copy.fixtures = fixtures.map { fixture in
            var resolved = fixture
            resolved.resolvedSource = fixture.source.hasPrefix("/") ? fixture.source : (folder.isEmpty ? fixture.source : folder + "/" + fixture.source)
            return resolved
        }
        return copy
    }
}

/// A named state the provider must be in before the contract runs (Pact's provider states): the
/// verifier hands name and parameters to a hook that arranges it (seeds a database, a model file...).
public struct ProviderState: Sendable {
    public var name: String
    /// A JSON object; string values may hold `{{var}}` templates.
    public var params: JSONValue
    public var mark: SourceMark
}

/// A file staged before the request: copied from `source` (relative to the contract file) to
/// `destination` (templated, e.g. "{{workdir}}/in/person.png"), removed afterwards unless `keep`.
public struct Fixture: Sendable {
    /// As written in the contract.
    public var source: String
    /// The source as a path the verifier can open (see `Contract.resolvingFixtures`).
    public var resolvedSource: String
    public var destination: String
    public var keep: Bool
    public var mark: SourceMark
    /// Where `from` was written, for "source missing" diagnostics.
    public var sourceMark: SourceMark
}

/// A fresh value for a contract variable.
public enum Generator: Sendable, Hashable {
    case uuid
    /// The current time as an integer in this unit since the epoch.
    case now(TimeUnit)
    /// A fixed value.
    case constant(JSONValue)
    /// The value of an environment variable of the verifying process, or `fallback` when it is
    /// unset or empty: where a deployment puts its files, say (`{ env: VTRYON_DATA, default: /data/vtryon }`).
    case environment(String, fallback: String)
}

public enum TimeUnit: String, Sendable, Hashable, CaseIterable {
    /// Integers since the epoch in these units, or an RFC 3339 / ISO 8601 date-time string (`iso`).
    case millis, seconds, micros, iso

    /// The time as a contract value.
    public func value(of date: Date) -> JSONValue {
        switch self {
        case .millis: .integer(Int64(date.timeIntervalSince1970 * 1000))
        case .seconds: .integer(Int64(date.timeIntervalSince1970))
        case .micros: .integer(Int64(date.timeIntervalSince1970 * 1_000_000))
        case .iso: .string(Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date))
        }
    }

    /// The time a contract value stands for, if it is one in this unit.
    public func date(of value: JSONValue) -> Date? {
        switch (self, value) {
        case (.millis, .integer(let n)): Date(timeIntervalSince1970: Double(n) / 1000)
        case (.seconds, .integer(let n)): Date(timeIntervalSince1970: Double(n))
        case (.micros, .integer(let n)): Date(timeIntervalSince1970: Double(n) / 1_000_000)
        case (.iso, .string(let text)):
            (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)) ?? (try? Date.ISO8601FormatStyle().parse(text))
        default: nil
        }
    }
}

/// The schema a message is written with: a registry subject (latest version unless given) or a local file.
public enum SchemaSelector: Sendable, Hashable {
    case subject(String, version: Int?)
    case file(String)
}

/// Which part of a record carries the correlation id.
public enum CorrelationPath: Sendable, Hashable, CustomStringConvertible {
    case key
    case header(String)
    case value([String])

    public var description: String {
        switch self {
        case .key: "key"
        case .header(let name): "headers.\(name)"
        case .value(let path): (["value"] + path).joined(separator: ".")
        }
    }
}

/// The request to produce. `key`, header values and `value` may hold `{{var}}` templates.
public struct RequestMessage: Sendable {
    public var topic: String
    public var key: String?
    public var headers: [(name: String, value: String)]
    public var schema: SchemaSelector?
    public var value: JSONValue
    public var mark: SourceMark
    public var valueMark: SourceMark
    /// Where each part of `value` was written, by JSON pointer ("" is the value itself).
    public var valueMarks: [String: SourceMark]

    /// The mark of the part of the value at `pointer`, or of its nearest written parent.
    public func mark(ofValueAt pointer: String) -> SourceMark {
        var current = pointer
        while true {
            if let mark = valueMarks[current] { return mark }
            guard let slash = current.lastIndex(of: "/") else { return valueMark }
            current = String(current[..<slash])
        }
    }
}

/// Records the service must produce on `topic` for the request.
public struct Expectation: Sendable {
    public var topic: String
    public var schema: SchemaSelector?
    public var correlate: CorrelationPath?
    /// How many correlated records must arrive (`min`...`max`).
    public var minCount: Int
    public var maxCount: Int
    /// Seconds after the request within which they must arrive.
    public var within: Double
    public var key: Matcher?
    public var headers: [(name: String, matcher: Matcher)]
    public var value: Matcher?
    public var mark: SourceMark
}

/// A topic on which nothing correlated to the request may appear for `quiet` seconds after it.
public struct QuietWindow: Sendable {
    public var topic: String
    public var quiet: Double
    public var correlate: CorrelationPath?
    public var mark: SourceMark
}

/// What an expected value must look like. Plain values mean equality; objects accept extra fields.
public indirect enum Matcher: Sendable {
    case equals(JSONValue, SourceMark)
    case object([(key: String, matcher: Matcher)], SourceMark)
    case array([Matcher], SourceMark)
    case uuid(SourceMark)
    /// An integer time in `unit` within `tolerance` seconds of the verification run.
    case timestamp(TimeUnit, tolerance: Double, SourceMark)
    case regex(NSRegularExpressionBox, SourceMark)
    /// A JSON type name: string, integer, number, boolean, object, array, null.
    case type(String, SourceMark)
    case number(min: Double?, max: Double?, SourceMark)
    /// A path (string) that names an existing file on the verifying machine.
    case fileExists(SourceMark)
    /// A string containing this text.
    case include(String, SourceMark)
    case notEmpty(SourceMark)
    /// The field must be missing or null.
    case absent(SourceMark)
    case oneOf([JSONValue], SourceMark)
    /// A path naming a tensor file (torch.save / pickle_save) of this shape (nil: any size) and dtype (nil: any).
    case tensor(shape: [Int?]?, dtype: String?, SourceMark)

    public var mark: SourceMark {
        switch self {
        case .equals(_, let m), .object(_, let m), .array(_, let m), .uuid(let m), .timestamp(_, _, let m), .regex(_, let m),
             .type(_, let m), .number(_, _, let m), .fileExists(let m), .include(_, let m), .notEmpty(let m), .absent(let m), .oneOf(_, let m),
             .tensor(_, _, let m):
            m
        }
    }
}

/// NSRegularExpression is immutable and thread-safe, but not marked Sendable.
public final class NSRegularExpressionBox: @unchecked Sendable {
    public let pattern: String
    public let regex: NSRegularExpression
    init(_ regex: NSRegularExpression) {
        self.regex = regex
        self.pattern = regex.pattern
    }
    func matches(_ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}

/// How much a finding matters. Errors make a schema invalid; warnings flag mistakes that Avro or
/// JSON Schema accept but that rarely do what the author meant (`--strict` fails on them too).
public enum Severity: String, Sendable, Hashable, Codable, Comparable {
    case error
    case warning
    case note

    private var rank: Int { switch self { case .error: 0; case .warning: 1; case .note: 2 } }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// One finding about one place in one file: a stable rule id, a message that says what to do, the
/// JSON pointer of the value concerned and its line and column (1-based, column in characters).
public struct Diagnostic: Sendable, Hashable {
    public var severity: Severity
    public var rule: String
    public var message: String
    public var pointer: String
    public var line: Int
    public var column: Int

    public init(severity: Severity, rule: String, message: String, pointer: String = "", line: Int = 1, column: Int = 1) {
        self.severity = severity
        self.rule = rule
        self.message = message
        self.pointer = pointer
        self.line = line
        self.column = column
    }
}

/// The findings for one file.
public struct FileReport: Sendable, Hashable {
    public var path: String
    public var diagnostics: [Diagnostic]

    public init(path: String, diagnostics: [Diagnostic]) {
        self.path = path
        self.diagnostics = diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    /// Valid means no errors; warnings don't make a file invalid.
    public var isValid: Bool { !diagnostics.contains { $0.severity == .error } }
}

extension Array where Element == FileReport {
    public var errorCount: Int { reduce(0) { $0 + $1.diagnostics.count { $0.severity == .error } } }
    public var warningCount: Int { reduce(0) { $0 + $1.diagnostics.count { $0.severity == .warning } } }
}

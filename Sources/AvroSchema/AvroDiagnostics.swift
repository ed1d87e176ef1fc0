import Diagnostics
import JSONDocument

extension AvroIssue {
    /// The issue as a diagnostic, located in `document`.
    public func diagnostic(in document: JSONDocument) -> Diagnostic {
        let position = atKey ? document.keyPosition(of: pointer) : document.position(of: pointer)
        return Diagnostic(severity: rule.severity, rule: rule.rawValue, message: message, pointer: pointer.description,
                          line: position.line, column: position.column)
    }
}

extension JSONParseError {
    /// The stable rule id for each way a text fails to be JSON.
    public var rule: String {
        switch kind {
        case .empty: "JSON_EMPTY"
        case .byteOrderMark: "JSON_BYTE_ORDER_MARK"
        case .invalidUTF8: "JSON_INVALID_UTF8"
        case .syntax: "JSON_SYNTAX"
        case .comment: "JSON_COMMENT"
        case .duplicateKey: "JSON_DUPLICATE_KEY"
        case .nestingTooDeep: "JSON_NESTING_TOO_DEEP"
        case .numberOutOfRange: "JSON_NUMBER_OUT_OF_RANGE"
        case .nulInKey: "JSON_NUL_IN_KEY"
        }
    }

    public var diagnostic: Diagnostic {
        Diagnostic(severity: .error, rule: rule, message: message, pointer: "", line: position.line, column: position.column)
    }
}

extension JSONComment {
    public var diagnostic: Diagnostic {
        Diagnostic(severity: .error, rule: "JSON_COMMENT", message: JSONDocument.commentMessage(self), pointer: "",
                   line: position.line, column: position.column)
    }
}

/// The rules of the JSON layer, for rule tables.
public let jsonRuleDescriptions: [RuleDescription] = [
    RuleDescription(id: "JSON_EMPTY", severity: .error, summary: "The file is empty or only whitespace."),
    RuleDescription(id: "JSON_BYTE_ORDER_MARK", severity: .error, summary: "The file starts with a UTF-8 byte order mark."),
    RuleDescription(id: "JSON_INVALID_UTF8", severity: .error, summary: "The file is not valid UTF-8."),
    RuleDescription(id: "JSON_SYNTAX", severity: .error, summary: "The file is not valid JSON."),
    RuleDescription(id: "JSON_COMMENT", severity: .error, summary: "The file contains // or /* */ comments, which JSON does not allow."),
    RuleDescription(id: "JSON_DUPLICATE_KEY", severity: .error, summary: "An object has the same key twice."),
    RuleDescription(id: "JSON_NESTING_TOO_DEEP", severity: .error, summary: "Values are nested deeper than 2048 levels."),
    RuleDescription(id: "JSON_NUMBER_OUT_OF_RANGE", severity: .error, summary: "An integer does not fit in 64 bits, or a real in a double."),
    RuleDescription(id: "JSON_NUL_IN_KEY", severity: .error, summary: "An object key contains \\u0000."),
]

import JSONDocument

/// `format` checks (asserted only when asked): nil when the value is valid or not a string, or
/// the reason it is not.
enum FormatChecker {
    static func problem(_ format: String, _ value: JSONValue) -> String? {
        nil
    }
}

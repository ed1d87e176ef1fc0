extension JSONValue {
    /// Compact JSON text (no whitespace), members in document order. Strings keep non-ASCII
    /// characters as UTF-8 and escape only what JSON requires.
    public var compactText: String {
        var out = ""
        write(to: &out)
        return out
    }

    /// JSON text indented by two spaces per level, members in document order, ending with a newline:
    /// how schema files are written to disk.
    public var prettyText: String {
        var out = ""
        writePretty(to: &out, depth: 0)
        return out + "\n"
    }

    private func writePretty(to out: inout String, depth: Int) {
        let inner = String(repeating: "  ", count: depth + 1)
        switch self {
        case .array(let elements) where !elements.isEmpty:
            out += "[\n"
            for (i, e) in elements.enumerated() {
                out += inner
                e.writePretty(to: &out, depth: depth + 1)
                out += i + 1 < elements.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: depth) + "]"
        case .object(let object) where !object.isEmpty:
            out += "{\n"
            for (i, m) in object.members.enumerated() {
                out += inner
                JSONValue.writeString(m.key, to: &out)
                out += ": "
                m.value.writePretty(to: &out, depth: depth + 1)
                out += i + 1 < object.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: depth) + "}"
        default:
            write(to: &out)
        }
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let i): out += String(i)
        case .real(let d): out += JSONValue.format(d)
        case .bigNumber(let literal): out += literal
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let elements):
            out += "["
            for (i, e) in elements.enumerated() { if i > 0 { out += "," }; e.write(to: &out) }
            out += "]"
        case .object(let object):
            out += "{"
            for (i, m) in object.members.enumerated() {
                if i > 0 { out += "," }
                JSONValue.writeString(m.key, to: &out); out += ":"; m.value.write(to: &out)
            }
            out += "}"
        }
    }

    /// Shortest text that reads back as the same double; always with a fraction or exponent so
    /// it stays a real.
    static func format(_ d: Double) -> String {
        guard d.isFinite else { return d.isNaN ? "NaN" : (d < 0 ? "-Infinity" : "Infinity") }
        let s = "\(d)"
        return s.contains(".") || s.contains("e") ? s : s + ".0"
    }

    public static func writeString(_ s: String, to out: inout String) {
        out += "\""
        // Most strings (names, symbols) need no escaping: append them whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

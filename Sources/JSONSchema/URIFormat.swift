/// RFC 3986 URIs (and RFC 3987 IRIs, which also allow non-ASCII characters) and RFC 6570 URI templates.
enum URIFormat {
    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".unicodeScalars)
    private static let subDelims = Set("!$&'()*+,;=".unicodeScalars)

    private static func isUCSChar(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0xA0...0xD7FF).contains(v) || (0xF900...0xFDCF).contains(v) || (0xFDF0...0xFFEF).contains(v)
            || ((0x10000...0xEFFFD).contains(v) && v & 0xFFFF < 0xFFFE)
    }

    /// Characters valid in a component (besides %HH), `extra` being the component's own delimiters.
    private static func valid(_ text: Substring, extra: String, international: Bool, privateUse: Bool = false) -> Bool {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            if s == "%" {
                guard i + 2 < scalars.count, scalars[i + 1].properties.isASCIIHexDigit, scalars[i + 2].properties.isASCIIHexDigit else { return false }
                i += 3
                continue
            }
            let ok = unreserved.contains(s) || subDelims.contains(s) || extra.unicodeScalars.contains(s)
                || (international && (isUCSChar(s) || (privateUse && ((0xE000...0xF8FF).contains(s.value) || (0xF0000...0x10FFFD).contains(s.value)))))
            if !ok { return false }
            i += 1
        }
        return true
    }

    static func check(_ s: String, international: Bool, reference: Bool) -> String? {
        var rest = Substring(s)
        var fragment: Substring? = nil
        if let hash = rest.firstIndex(of: "#") { fragment = rest[rest.index(after: hash)...]; rest = rest[..<hash] }
        var query: Substring? = nil
        if let question = rest.firstIndex(of: "?") { query = rest[rest.index(after: question)...]; rest = rest[..<question] }
        var hasScheme = false
        if let colon = rest.firstIndex(of: ":"), !rest[..<colon].contains("/") {
            let scheme = rest[..<colon]
            guard let first = scheme.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic,
                  scheme.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || $0.properties.isASCIIHexDigit || "+-.".unicodeScalars.contains($0) || ("0"..."9").contains($0)) }) else {
                return reference ? "invalid relative reference" : "invalid scheme"
            }
            hasScheme = true
            rest = rest[rest.index(after: colon)...]
        }
        if !hasScheme && !reference { return "a URI needs a scheme (such as https:)" }
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            if let problem = authority(rest[..<end], international: international) { return problem }
            rest = rest[end...]
        } else if !hasScheme, let firstSegment = rest.split(separator: "/", omittingEmptySubsequences: false).first, firstSegment.contains(":") {
            return "the first segment of a relative path may not contain a colon"
        }
        guard valid(rest, extra: ":@/", international: international) else { return "invalid character in the path" }
        if let query, !valid(query, extra: ":@/?", international: international, privateUse: true) { return "invalid character in the query" }
        if let fragment, !valid(fragment, extra: ":@/?", international: international) { return "invalid character in the fragment" }
        return nil
    }

    private static func authority(_ text: Substring, international: Bool) -> String? {
        var host = text
        if let at = host.lastIndex(of: "@") {
            guard valid(host[..<at], extra: ":", international: international) else { return "invalid user information" }
            host = host[host.index(after: at)...]
        }
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return "unterminated IP literal" }
            let literal = host[host.index(after: host.startIndex)..<close]
            if literal.hasPrefix("v") || literal.hasPrefix("V") {
                let parts = literal.dropFirst().split(separator: ".", maxSplits: 1)
                guard parts.count == 2, parts[0].utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 70) || ($0 >= 97 && $0 <= 102) }),
                      !parts[1].isEmpty, valid(parts[1], extra: ":", international: false) else { return "invalid IPvFuture literal" }
            } else if !IPAddress.isIPv6(String(literal)) {
                return "invalid IPv6 literal"
            }
            host = host[host.index(after: close)...]
            if host.isEmpty { return nil }
            guard host.hasPrefix(":") else { return "unexpected text after the IP literal" }
            return host.dropFirst().utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) ? nil : "the port must be digits"
        }
        if let colon = host.lastIndex(of: ":") {
            guard host[host.index(after: colon)...].utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return "the port must be digits" }
            host = host[..<colon]
        }
        return valid(host, extra: "", international: international) ? nil : "invalid host"
    }

    static func template(_ s: String) -> String? {
        var inExpression = false
        var expression = ""
        let scalars = Array(s.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if inExpression {
                if c == "}" {
                    if let problem = templateExpression(expression) { return problem }
                    inExpression = false
                    expression = ""
                } else if c == "{" {
                    return "nested {"
                } else {
                    expression.unicodeScalars.append(c)
                }
            } else if c == "{" {
                inExpression = true
            } else if c == "}" {
                return "unmatched }"
            } else if c == "%" {
                guard i + 2 < scalars.count, scalars[i + 1].properties.isASCIIHexDigit, scalars[i + 2].properties.isASCIIHexDigit else { return "invalid percent-encoding" }
                i += 2
            } else if c.value <= 0x20 || c.value == 0x7F || "\"<>\\^`|".unicodeScalars.contains(c) {
                return "character \"\(c)\" is not allowed in a URI template literal"
            }
            i += 1
        }
        return inExpression ? "unterminated expression" : nil
    }

    private static func templateExpression(_ text: String) -> String? {
        var body = Substring(text)
        if let first = body.unicodeScalars.first, "+#./;?&=,!@|".unicodeScalars.contains(first) { body = body.dropFirst() }
        guard !body.isEmpty else { return "empty expression" }
        for spec in body.split(separator: ",", omittingEmptySubsequences: false) {
            var name = spec
            if name.hasSuffix("*") { name = name.dropLast() } else if let colon = name.firstIndex(of: ":") {
                let length = name[name.index(after: colon)...]
                guard !length.isEmpty, length.count <= 4, length.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), length.first != "0" else { return "invalid prefix length" }
                name = name[..<colon]
            }
            guard !name.isEmpty, !name.hasPrefix("."), !name.hasSuffix("."), !name.contains("..") else { return "invalid variable name" }
            guard name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "." || $0 == "%") }) else {
                return "invalid variable name"
            }
        }
        return nil
    }
}

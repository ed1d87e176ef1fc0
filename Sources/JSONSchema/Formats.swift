import ECMARegex
import Foundation
import JSONDocument

/// `format` checks (asserted only when asked): nil when the value is valid (or not a string, or
/// the format is unknown), otherwise the reason in a few words.
enum FormatChecker {
    /// A format's check: nil when the string is valid, else the reason.
    typealias Check = @Sendable (String) -> String?

    /// The check for `format`, looked up once when the schema is compiled (nil: unknown, so any
    /// value passes, as the specification says).
    static func check(for format: String) -> Check? {
        switch format {
        case "date": { DateTimeFormats.date($0) }
        case "time": { DateTimeFormats.time($0) }
        case "date-time": { DateTimeFormats.dateTime($0) }
        case "duration": { DateTimeFormats.duration($0) }
        case "email": { EmailFormat.check($0, international: false) }
        case "idn-email": { EmailFormat.check($0, international: true) }
        case "hostname": { Hostname.check($0, international: false) }
        case "idn-hostname": { Hostname.check($0, international: true) }
        case "ipv4": { IPAddress.isIPv4($0) ? nil : "expected four decimal octets 0-255 without leading zeros" }
        case "ipv6": { IPAddress.isIPv6($0) ? nil : "not an RFC 4291 IPv6 address" }
        case "uri": { URIFormat.check($0, international: false, reference: false) }
        case "uri-reference": { URIFormat.check($0, international: false, reference: true) }
        case "iri": { URIFormat.check($0, international: true, reference: false) }
        case "iri-reference": { URIFormat.check($0, international: true, reference: true) }
        case "uri-template": { URIFormat.template($0) }
        case "json-pointer": { PointerFormats.jsonPointer($0) }
        case "relative-json-pointer": { PointerFormats.relative($0) }
        case "regex": { text in
            do { _ = try ECMARegex(text); return nil } catch { return "not an ECMA-262 regular expression: \(error)" }
        }
        case "uuid": { UUIDFormat.check($0) }
        default: nil
        }
    }
}

private extension UInt8 {
    var isDigit: Bool { self >= 48 && self <= 57 }
    var isHex: Bool { isDigit || (self >= 65 && self <= 70) || (self >= 97 && self <= 102) }
    var isAlpha: Bool { (self >= 65 && self <= 90) || (self >= 97 && self <= 122) }
}

/// RFC 3339 dates, times and durations (ASCII digits only).
enum DateTimeFormats {
    /// Bytes are read in place (`withUTF8`), without copies: date-time is checked on hot paths.
    private typealias Bytes = UnsafeBufferPointer<UInt8>

    private static func number(_ b: Bytes, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.upperBound <= b.count else { return nil }
        var value = 0
        for i in range {
            guard b[i].isDigit else { return nil }
            value = value * 10 + Int(b[i] - 48)
        }
        return value
    }

    static func date(_ s: String) -> String? { var s = s; return s.withUTF8 { date($0) } }
    static func time(_ s: String) -> String? { var s = s; return s.withUTF8 { time($0) } }

    static func dateTime(_ s: String) -> String? {
        var s = s
        return s.withUTF8 { b in
            guard b.count > 11, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") else { return "expected YYYY-MM-DDTHH:MM:SS and a time zone" }
            if let problem = date(Bytes(rebasing: b[0..<10])) { return problem }
            return time(Bytes(rebasing: b[11...]))
        }
    }

    private static func date(_ b: Bytes) -> String? {
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let year = number(b, 0..<4), let month = number(b, 5..<7), let day = number(b, 8..<10) else {
            return "expected YYYY-MM-DD"
        }
        guard (1...12).contains(month) else { return "month \(month) is not 1-12" }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = switch month { case 2: leap ? 29 : 28; case 4, 6, 9, 11: 30; default: 31 }
        guard (1...days).contains(day) else { return "day \(day) does not exist in month \(month) of \(year)" }
        return nil
    }

    private static func time(_ b: Bytes) -> String? {
        guard b.count >= 9, b[2] == UInt8(ascii: ":"), b[5] == UInt8(ascii: ":"),
              let hour = number(b, 0..<2), let minute = number(b, 3..<5), let second = number(b, 6..<8) else {
            return "expected HH:MM:SS with a time zone (Z or ±HH:MM)"
        }
        var i = 8
        if b[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            while i < b.count, b[i].isDigit { i += 1 }
            if i == start { return "a fraction needs digits after the dot" }
        }
        guard i < b.count else { return "missing the time zone (Z or ±HH:MM)" }
        var offset = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            guard i + 1 == b.count else { return "unexpected text after Z" }
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard b.count == i + 6, b[i + 3] == UInt8(ascii: ":"), let oh = number(b, (i + 1)..<(i + 3)), let om = number(b, (i + 4)..<(i + 6)),
                  oh <= 23, om <= 59 else { return "invalid time zone offset" }
            offset = (b[i] == UInt8(ascii: "+") ? 1 : -1) * (oh * 60 + om)
        } else {
            return "missing the time zone (Z or ±HH:MM)"
        }
        guard hour <= 23, minute <= 59, second <= 60 else { return "hour, minute or second out of range" }
        if second == 60 {
            let utc = ((hour * 60 + minute - offset) % 1440 + 1440) % 1440
            guard utc == 23 * 60 + 59 else { return "a leap second is only valid at 23:59:60 UTC" }
        }
        return nil
    }

    /// RFC 3339 Appendix A: P[nY[nM[nD]]|nM[nD]|nD][T(nH[nM[nS]]|nM[nS]|nS)] or PnW.
    static func duration(_ s: String) -> String? {
        let b = Array(s.utf8)
        guard b.first == UInt8(ascii: "P"), b.count > 1 else { return "expected an ISO 8601 duration such as P3DT4H" }
        var parts: [(Int, UInt8)] = []
        var timeStart: Int? = nil
        var i = 1
        while i < b.count {
            if b[i] == UInt8(ascii: "T") {
                guard timeStart == nil else { return "T appears twice" }
                timeStart = parts.count
                i += 1
                continue
            }
            let start = i
            while i < b.count, b[i].isDigit { i += 1 }
            guard i > start, i < b.count else { return "every number needs a unit" }
            parts.append((start, b[i]))
            i += 1
        }
        let datePart = parts[..<(timeStart ?? parts.count)].map(\.1)
        let timePart = parts[(timeStart ?? parts.count)...].map(\.1)
        if timeStart != nil && timePart.isEmpty { return "T must be followed by hours, minutes or seconds" }
        if datePart.isEmpty && timePart.isEmpty { return "no elements" }
        if datePart == [UInt8(ascii: "W")] { return timePart.isEmpty ? nil : "weeks cannot be combined with other units" }
        func consecutive(_ units: [UInt8], _ order: String) -> Bool {
            guard !units.isEmpty else { return true }
            let all = Array(order.utf8)
            guard let first = all.firstIndex(of: units[0]), first + units.count <= all.count else { return false }
            return Array(all[first..<(first + units.count)]) == units
        }
        guard consecutive(datePart, "YMD") else { return "date units must be Y, M, D in order without gaps" }
        guard consecutive(timePart, "HMS") else { return "time units must be H, M, S in order without gaps" }
        return nil
    }
}

enum UUIDFormat {
    static func check(_ s: String) -> String? {
        let b = Array(s.utf8)
        guard b.count == 36 else { return "expected 8-4-4-4-12 hexadecimal digits" }
        for (i, c) in b.enumerated() {
            if [8, 13, 18, 23].contains(i) { guard c == UInt8(ascii: "-") else { return "expected 8-4-4-4-12 hexadecimal digits" } }
            else if !c.isHex { return "expected 8-4-4-4-12 hexadecimal digits" }
        }
        return nil
    }
}

enum PointerFormats {
    static func jsonPointer(_ s: String) -> String? {
        guard s.isEmpty || s.hasPrefix("/") else { return "a JSON pointer is empty or starts with /" }
        let b = Array(s.utf8)
        for (i, c) in b.enumerated() where c == UInt8(ascii: "~") {
            guard i + 1 < b.count, b[i + 1] == UInt8(ascii: "0") || b[i + 1] == UInt8(ascii: "1") else { return "~ must be followed by 0 or 1" }
        }
        return nil
    }

    static func relative(_ s: String) -> String? {
        let b = Array(s.utf8)
        var i = 0
        while i < b.count, b[i].isDigit { i += 1 }
        guard i > 0 else { return "a relative JSON pointer starts with a non-negative integer" }
        if i > 1 && b[0] == UInt8(ascii: "0") { return "no leading zeros" }
        var rest = b[i...]
        if rest.first == UInt8(ascii: "+") || rest.first == UInt8(ascii: "-") {
            // index manipulation (draft 2020-12 relative-json-pointer): [+-]non-negative-integer
            rest = rest.dropFirst()
            var j = rest.startIndex
            while j < rest.endIndex, rest[j].isDigit { j += 1 }
            guard j > rest.startIndex, !(j - rest.startIndex > 1 && rest.first == UInt8(ascii: "0")), rest.first != UInt8(ascii: "0") || j - rest.startIndex == 1 else {
                return "invalid index manipulation"
            }
            rest = rest[j...]
        }
        if rest == [UInt8(ascii: "#")][...] { return nil }
        return jsonPointer(String(decoding: rest, as: UTF8.self))
    }
}

enum IPAddress {
    static func isIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            let b = Array(part.utf8)
            guard (1...3).contains(b.count), b.allSatisfy(\.isDigit), !(b.count > 1 && b[0] == 48) else { return false }
            guard let value = Int(part), value <= 255 else { return false }
        }
        return true
    }

    static func isIPv6(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.allSatisfy({ $0 < 128 }) else { return false }
        var text = Substring(s)
        var groupsNeeded = 8
        // An embedded IPv4 address takes the last two groups.
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard isIPv4(String(text[text.index(after: lastColon)...])) else { return false }
            text = text[...lastColon]
            if !text.hasSuffix("::") { text = text.dropLast() }
            groupsNeeded = 6
        }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ part: String) -> [Substring]? {
            if part.isEmpty { return [] }
            let list = part.split(separator: ":", omittingEmptySubsequences: false)
            for g in list { guard (1...4).contains(g.count), g.utf8.allSatisfy(\.isHex) else { return nil } }
            return list
        }
        if halves.count == 1 {
            guard let all = groups(halves[0]) else { return false }
            return all.count == groupsNeeded
        }
        guard let head = groups(halves[0]), let tail = groups(halves[1]) else { return false }
        return head.count + tail.count < groupsNeeded
    }
}

enum EmailFormat {
    private static let atext = Set("!#$%&'*+-/=?^_`{|}~".utf8)

    static func check(_ s: String, international: Bool) -> String? {
        guard let at = s.lastIndex(of: "@") else { return "an address needs local-part@domain" }
        let local = s[..<at], domain = s[s.index(after: at)...]
        guard !local.isEmpty else { return "the local part is missing" }
        guard !domain.isEmpty else { return "the domain is missing" }
        if local.hasPrefix("\"") {
            guard local.count >= 2, local.hasSuffix("\"") else { return "unterminated quoted local part" }
            var escaped = false
            for scalar in local.unicodeScalars.dropFirst().dropLast() {
                if escaped { escaped = false; continue }
                if scalar == "\\" { escaped = true; continue }
                if scalar == "\"" { return "unescaped quote in the local part" }
                if scalar.value < 32 || (scalar.value >= 128 && !international) { return "invalid character in the quoted local part" }
            }
        } else {
            for atom in local.split(separator: ".", omittingEmptySubsequences: false) {
                guard !atom.isEmpty else { return "dots may not start, end or repeat in the local part" }
                for scalar in atom.unicodeScalars {
                    let v = scalar.value
                    let ok = (v < 128 && (UInt8(v).isAlpha || UInt8(v).isDigit || atext.contains(UInt8(v)))) || (international && v >= 128)
                    if !ok { return "character \"\(scalar)\" is not allowed unquoted in the local part" }
                }
            }
        }
        if domain.hasPrefix("[") {
            guard domain.hasSuffix("]") else { return "unterminated address literal" }
            let literal = String(domain.dropFirst().dropLast())
            if literal.hasPrefix("IPv6:") { return IPAddress.isIPv6(String(literal.dropFirst(5))) ? nil : "invalid IPv6 address literal" }
            return IPAddress.isIPv4(literal) ? nil : "invalid IPv4 address literal"
        }
        return Hostname.check(String(domain), international: international, requireNFC: false).map { "domain: \($0)" }
    }
}

/// RFC 1123 host names, and IDNA2008 (RFC 5890-5893) for A-labels and internationalized names.
enum Hostname {
    /// `requireNFC: false` for e-mail domains, which the test suite lets be unnormalised.
    static func check(_ s: String, international: Bool, requireNFC: Bool = true) -> String? {
        guard !s.isEmpty else { return "empty" }
        var text = s
        if international {
            for separator in ["\u{3002}", "\u{FF0E}", "\u{FF61}"] { text = text.replacing(separator, with: ".") }
        }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var asciiLength = 0
        var unicodeLabels: [[Unicode.Scalar]] = []
        for label in labels {
            guard !label.isEmpty else { return "empty label (leading, trailing or doubled dot)" }
            let isASCII = label.utf8.allSatisfy { $0 < 128 }
            if isASCII {
                guard label.utf8.count <= 63 else { return "label longer than 63 characters" }
                guard label.utf8.allSatisfy({ $0.isAlpha || $0.isDigit || $0 == UInt8(ascii: "-") }) else { return "label \"\(label)\" has characters other than letters, digits and -" }
                guard !label.hasPrefix("-"), !label.hasSuffix("-") else { return "a label may not start or end with -" }
                asciiLength += label.utf8.count + 1
                if label.lowercased().hasPrefix("xn--") {
                    guard let decoded = Punycode.decode(String(label.dropFirst(4))) else { return "\"\(label)\" is not valid Punycode" }
                    guard decoded.contains(where: { $0.value >= 128 }) else { return "\"\(label)\" decodes to ASCII only" }
                    guard Punycode.encode(decoded)?.lowercased() == String(label.dropFirst(4)).lowercased() else { return "\"\(label)\" is not canonical Punycode" }
                    if let problem = IDNA.checkLabel(decoded) { return problem }
                    unicodeLabels.append(decoded)
                } else {
                    let b = Array(label.utf8)
                    if b.count >= 4, b[2] == UInt8(ascii: "-"), b[3] == UInt8(ascii: "-") { return "\"--\" in the 3rd and 4th position is reserved" }
                    unicodeLabels.append(Array(label.unicodeScalars))
                }
            } else {
                guard international else { return "non-ASCII character in a host name (use idn-hostname, or the xn-- form)" }
                let scalars = Array(label.unicodeScalars)
                if let problem = IDNA.checkLabel(scalars, requireNFC: requireNFC) { return problem }
                guard let encoded = Punycode.encode(scalars), encoded.utf8.count + 4 <= 63 else { return "label longer than 63 octets in its xn-- form" }
                asciiLength += encoded.utf8.count + 5
                unicodeLabels.append(scalars)
            }
        }
        guard asciiLength - 1 <= 253 else { return "longer than 253 characters" }
        if let problem = IDNA.checkBidi(unicodeLabels) { return problem }
        return nil
    }
}

/// The IDNA2008 code point rules (RFC 5892), derived from Unicode properties rather than tables.
enum IDNA {
    static let disallowedExceptions: Set<UInt32> = [0x0640, 0x07FA, 0x302E, 0x302F, 0x3031, 0x3032, 0x3033, 0x3034, 0x3035, 0x303B]
    static let pvalidExceptions: Set<UInt32> = [0x00DF, 0x03C2, 0x06FD, 0x06FE, 0x0F0B, 0x3007]

    static func checkLabel(_ label: [Unicode.Scalar], requireNFC: Bool = true) -> String? {
        guard !label.isEmpty else { return "empty label" }
        let string = String(String.UnicodeScalarView(label))
        if requireNFC, !string.precomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual(label) { return "label is not in NFC" }
        if label.count >= 4, label[2] == "-", label[3] == "-" { return "\"--\" in the 3rd and 4th position is reserved" }
        if label.first == "-" || label.last == "-" { return "a label may not start or end with -" }
        if let first = label.first, [.nonspacingMark, .spacingMark, .enclosingMark].contains(first.properties.generalCategory) {
            return "a label may not begin with a combining mark"
        }
        for (i, scalar) in label.enumerated() {
            let v = scalar.value
            if v < 128 {
                let b = UInt8(v)
                guard b.isAlpha || b.isDigit || b == UInt8(ascii: "-") else { return "character \"\(scalar)\" is not allowed" }
                continue
            }
            switch v {
            case 0x200C, 0x200D:
                if let problem = contextJ(label, i) { return problem }
            case 0x00B7:
                guard i > 0, i + 1 < label.count, label[i - 1] == "l", label[i + 1] == "l" else { return "MIDDLE DOT must be between two l" }
            case 0x0375:
                guard i + 1 < label.count, isGreek(label[i + 1]) else { return "GREEK KERAIA must be followed by Greek" }
            case 0x05F3, 0x05F4:
                guard i > 0, isHebrew(label[i - 1]) else { return "Hebrew GERESH/GERSHAYIM must follow Hebrew" }
            case 0x30FB:
                guard label.contains(where: { isHiraganaKatakanaHan($0) && $0.value != 0x30FB }) else { return "KATAKANA MIDDLE DOT needs Hiragana, Katakana or Han" }
            case 0x0660...0x0669:
                guard !label.contains(where: { (0x06F0...0x06F9).contains($0.value) }) else { return "Arabic-Indic and extended Arabic-Indic digits mixed" }
            case 0x06F0...0x06F9:
                guard !label.contains(where: { (0x0660...0x0669).contains($0.value) }) else { return "Arabic-Indic and extended Arabic-Indic digits mixed" }
            default:
                guard isPValid(scalar) else { return "U+\(String(v, radix: 16, uppercase: true)) is not allowed in an internationalized host name" }
            }
        }
        return nil
    }

    static func isPValid(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if pvalidExceptions.contains(v) { return true }
        if disallowedExceptions.contains(v) { return false }
        let p = scalar.properties
        if p.generalCategory == .unassigned { return false }
        if p.changesWhenNFKCCaseFolded { return false }
        if p.isDefaultIgnorableCodePoint || p.isWhitespace || p.isNoncharacterCodePoint { return false }
        if (0x20D0...0x20FF).contains(v) || (0x1D100...0x1D24F).contains(v) { return false }
        if (0x1100...0x11FF).contains(v) || (0xA960...0xA97F).contains(v) || (0xD7B0...0xD7FF).contains(v) { return false }
        return [.lowercaseLetter, .uppercaseLetter, .otherLetter, .decimalNumber, .modifierLetter, .nonspacingMark, .spacingMark].contains(p.generalCategory)
    }

    /// RFC 5892 Appendix A.1 and A.2.
    private static func contextJ(_ label: [Unicode.Scalar], _ i: Int) -> String? {
        if i > 0, label[i - 1].properties.canonicalCombiningClass.rawValue == 9 { return nil } // Virama
        guard label[i].value == 0x200C else { return "ZERO WIDTH JOINER must follow a virama" }
        // ZWNJ: (Joining_Type L|D) T* ZWNJ T* (R|D). Approximated with Arabic-script letters as
        // dual-joining and marks as transparent.
        var j = i - 1
        while j >= 0, label[j].properties.generalCategory == .nonspacingMark { j -= 1 }
        var k = i + 1
        while k < label.count, label[k].properties.generalCategory == .nonspacingMark { k += 1 }
        if j >= 0, k < label.count, isJoining(label[j]), isJoining(label[k]) { return nil }
        return "ZERO WIDTH NON-JOINER must follow a virama or join two joining letters"
    }

    private static func isJoining(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return ((0x0620...0x064A).contains(v) || (0x066E...0x06D3).contains(v) || (0x0710...0x074F).contains(v)
                || (0x0750...0x077F).contains(v) || (0x08A0...0x08FF).contains(v)) && s.properties.generalCategory == .otherLetter
    }
    private static func isGreek(_ s: Unicode.Scalar) -> Bool { (0x0370...0x03FF).contains(s.value) || (0x1F00...0x1FFF).contains(s.value) }
    private static func isHebrew(_ s: Unicode.Scalar) -> Bool { (0x0590...0x05FF).contains(s.value) }
    private static func isHiraganaKatakanaHan(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x3040...0x30FF).contains(v) || (0x31F0...0x31FF).contains(v) || (0x4E00...0x9FFF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x20000...0x2FA1F).contains(v) || s.properties.isIdeographic
    }

    // MARK: - Bidi rule (RFC 5893), with bidi classes approximated from script ranges.

    private enum BidiClass { case l, r, an, en, nsm, other }

    private static func bidiClass(_ s: Unicode.Scalar) -> BidiClass {
        let v = s.value
        if (0x0660...0x0669).contains(v) || (0x066B...0x066C).contains(v) { return .an }
        if (0x30...0x39).contains(v) || (0x06F0...0x06F9).contains(v) { return .en }
        if s.properties.generalCategory == .nonspacingMark { return .nsm }
        if (0x0590...0x08FF).contains(v) || (0xFB1D...0xFDFF).contains(v) || (0xFE70...0xFEFF).contains(v) || (0x10800...0x10FFF).contains(v) || (0x1E800...0x1EFFF).contains(v) {
            return .r
        }
        if s.properties.isAlphabetic || s.properties.generalCategory == .spacingMark { return .l }
        return .other
    }

    static func checkBidi(_ labels: [[Unicode.Scalar]]) -> String? {
        let classes = labels.map { $0.map(bidiClass) }
        guard classes.contains(where: { $0.contains(.r) || $0.contains(.an) }) else { return nil }
        for label in classes where !label.isEmpty {
            let trimmed = Array(label.reversed().drop(while: { $0 == .nsm }).reversed())
            guard let first = label.first, let last = trimmed.last else { continue }
            switch first {
            case .r:
                guard !label.contains(.l) else { return "a right-to-left label may not contain left-to-right characters" }
                guard [.r, .en, .an].contains(last) else { return "a right-to-left label must end with a right-to-left character or digit" }
                guard !(label.contains(.en) && label.contains(.an)) else { return "a right-to-left label may not mix European and Arabic-Indic digits" }
            case .l:
                guard !label.contains(.r), !label.contains(.an) else { return "a left-to-right label may not contain right-to-left characters" }
                guard [.l, .en].contains(last) else { return "a left-to-right label must end with a letter or digit" }
            default:
                return "in a right-to-left name every label must start with a letter"
            }
        }
        return nil
    }
}

/// RFC 3492 Punycode.
enum Punycode {
    private static let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700, initialBias = 72, initialN = 128

    private static func adapt(_ delta: Int, _ count: Int, _ first: Bool) -> Int {
        var delta = first ? delta / damp : delta / 2
        delta += delta / count
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 { delta /= base - tMin; k += base }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    private static func digit(_ c: UInt8) -> Int? {
        switch c {
        case 48...57: Int(c) - 22
        case 65...90: Int(c) - 65
        case 97...122: Int(c) - 97
        default: nil
        }
    }

    static func decode(_ input: String) -> [Unicode.Scalar]? {
        let bytes = Array(input.utf8)
        var output: [UInt32] = []
        var start = 0
        if let dash = bytes.lastIndex(of: UInt8(ascii: "-")) {
            output = bytes[..<dash].map(UInt32.init)
            start = dash + 1
        }
        var n = initialN, i = 0, bias = initialBias
        var position = start
        while position < bytes.count {
            let oldI = i
            var w = 1
            var k = base
            while true {
                guard position < bytes.count, let d = digit(bytes[position]) else { return nil }
                position += 1
                let (product, overflow1) = d.multipliedReportingOverflow(by: w)
                let (sum, overflow2) = i.addingReportingOverflow(product)
                guard !overflow1, !overflow2 else { return nil }
                i = sum
                let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if d < t { break }
                let (nextW, overflow3) = w.multipliedReportingOverflow(by: base - t)
                guard !overflow3 else { return nil }
                w = nextW
                k += base
            }
            bias = adapt(i - oldI, output.count + 1, oldI == 0)
            n += i / (output.count + 1)
            i %= output.count + 1
            guard n <= 0x10FFFF else { return nil }
            output.insert(UInt32(n), at: i)
            i += 1
        }
        let scalars = output.compactMap(Unicode.Scalar.init)
        return scalars.count == output.count ? scalars : nil
    }

    static func encode(_ input: [Unicode.Scalar]) -> String? {
        let codes = input.map { Int($0.value) }
        var output = codes.filter { $0 < 128 }.map { UInt8($0) }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append(UInt8(ascii: "-")) }
        var n = initialN, delta = 0, bias = initialBias
        func encodeDigit(_ d: Int) -> UInt8 { UInt8(d < 26 ? d + 97 : d + 22) }
        while handled < codes.count {
            guard let m = codes.filter({ $0 >= n }).min() else { return nil }
            delta += (m - n) * (handled + 1)
            n = m
            for c in codes {
                if c < n { delta += 1 }
                if c == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(encodeDigit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(encodeDigit(q))
                    bias = adapt(delta, handled + 1, handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(decoding: output, as: UTF8.self)
    }
}

/// draft-07's content keywords, asserted as the draft allows: base64 `contentEncoding` and
/// `application/json` `contentMediaType`.
enum ContentChecker {
    static func problem(encoding: String?, mediaType: String?, _ value: JSONValue) -> String? {
        guard case .string(let s) = value else { return nil }
        var bytes = Array(s.utf8)
        if let encoding, encoding.lowercased() == "base64" {
            guard let decoded = Data(base64Encoded: s) else { return "not valid base64" }
            bytes = [UInt8](decoded)
        }
        if let mediaType, mediaType.lowercased() == "application/json" {
            do { _ = try JSONDocument(parsing: bytes) } catch { return "not a JSON document: \(error.message)" }
        }
        return nil
    }
}

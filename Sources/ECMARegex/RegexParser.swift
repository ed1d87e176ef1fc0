/// Why a pattern is not a valid ECMA-262 regular expression (Unicode mode).
public struct RegexSyntaxError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int
    public var description: String { "\(message) at character \(offset + 1)" }
}

/// Parses ECMA-262 pattern syntax with the Unicode (`u`) flag's strictness: no identity escapes
/// of letters, `\p{…}`, `\u{…}`, named groups, lookbehind.
struct RegexParser {
    private let scalars: [UInt32]
    private var index = 0
    private(set) var captureCount = 0
    private var names: [String: Int] = [:]
    private var namedReferences: [(String, Int)] = []
    private var maxBackreference = 0

    init(_ pattern: String) { scalars = pattern.unicodeScalars.map(\.value) }

    mutating func parse() throws(RegexSyntaxError) -> RegexNode {
        let node = try parseAlternation()
        if index < scalars.count { throw error(peek == 0x29 ? "unmatched )" : "unexpected character") }
        for (name, offset) in namedReferences where names[name] == nil {
            throw RegexSyntaxError(message: "\\k<\(name)> names no group", offset: offset)
        }
        if maxBackreference > captureCount { throw error("backreference \\\(maxBackreference) to a group that does not exist") }
        return resolveNames(node)
    }

    private var peek: UInt32? { index < scalars.count ? scalars[index] : nil }
    private func error(_ message: String) -> RegexSyntaxError { RegexSyntaxError(message: message, offset: index) }
    private mutating func take() -> UInt32? { defer { index += 1 }; return peek }
    private mutating func eat(_ c: Character) -> Bool {
        if peek == c.unicodeScalars.first!.value { index += 1; return true }
        return false
    }

    private mutating func parseAlternation() throws(RegexSyntaxError) -> RegexNode {
        var branches = [try parseSequence()]
        while eat("|") { branches.append(try parseSequence()) }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseSequence() throws(RegexSyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        while let c = peek, c != 0x7C, c != 0x29 {  // | )
            var atom = try parseAtom()
            let assertion: Bool
            switch atom { case .start, .end, .wordBoundary: assertion = true; case .look(_, let ahead, _): assertion = !ahead; default: assertion = false }
            if let quantifier = try parseQuantifier() {
                if assertion { throw error("nothing to repeat") }
                atom = .quantified(atom, min: quantifier.min, max: quantifier.max, greedy: quantifier.greedy)
            }
            items.append(atom)
        }
        return items.count == 1 ? items[0] : (items.isEmpty ? .empty : .sequence(items))
    }

    private mutating func parseQuantifier() throws(RegexSyntaxError) -> (min: Int, max: Int?, greedy: Bool)? {
        guard let c = peek else { return nil }
        var result: (min: Int, max: Int?)
        switch c {
        case 0x2A: index += 1; result = (0, nil)      // *
        case 0x2B: index += 1; result = (1, nil)      // +
        case 0x3F: index += 1; result = (0, 1)        // ?
        case 0x7B:                                    // {
            let save = index
            index += 1
            guard let low = readDecimal() else { index = save; throw error("incomplete quantifier {") }
            var high: Int? = low
            if eat(",") { high = readDecimal() }
            guard eat("}") else { index = save; throw error("incomplete quantifier {") }
            if let high, high < low { throw error("numbers out of order in {} quantifier") }
            result = (low, high)
        default: return nil
        }
        let greedy = !eat("?")
        if let c = peek, [0x2A, 0x2B, 0x3F, 0x7B].contains(c) { throw error("nothing to repeat") }
        return (result.min, result.max, greedy)
    }

    private mutating func readDecimal() -> Int? {
        var value: Int? = nil
        while let c = peek, c >= 0x30, c <= 0x39 {
            value = min((value ?? 0) * 10 + Int(c - 0x30), 1_000_000)
            index += 1
        }
        return value
    }

    private mutating func parseAtom() throws(RegexSyntaxError) -> RegexNode {
        guard let c = take() else { throw error("unexpected end") }
        switch c {
        case 0x5E: return .start                       // ^
        case 0x24: return .end                         // $
        case 0x2E: return .dot                         // .
        case 0x28: return try parseGroup()             // (
        case 0x5B: return .set(try parseClass())       // [
        case 0x5C: return try parseAtomEscape()        // \
        case 0x2A, 0x2B, 0x3F: index -= 1; throw error("nothing to repeat")
        case 0x7B, 0x7D, 0x5D: index -= 1; throw error("lone quantifier bracket") // { } ] are syntax characters in Unicode mode
        default: return .scalar(c)
        }
    }

    private mutating func parseGroup() throws(RegexSyntaxError) -> RegexNode {
        if eat("?") {
            if eat(":") { let inner = try parseAlternation(); try close(); return .group(inner, capture: nil) }
            if eat("=") { let inner = try parseAlternation(); try close(); return .look(inner, ahead: true, negated: false) }
            if eat("!") { let inner = try parseAlternation(); try close(); return .look(inner, ahead: true, negated: true) }
            if eat("<") {
                if eat("=") { let inner = try parseAlternation(); try close(); return .look(inner, ahead: false, negated: false) }
                if eat("!") { let inner = try parseAlternation(); try close(); return .look(inner, ahead: false, negated: true) }
                let name = try readGroupName()
                if names[name] != nil { throw error("duplicate group name \(name)") }
                captureCount += 1
                let number = captureCount
                names[name] = number
                let inner = try parseAlternation()
                try close()
                return .group(inner, capture: number)
            }
            throw error("invalid group")
        }
        captureCount += 1
        let number = captureCount
        let inner = try parseAlternation()
        try close()
        return .group(inner, capture: number)
    }

    private mutating func close() throws(RegexSyntaxError) {
        guard eat(")") else { throw error("missing )") }
    }

    private mutating func readGroupName() throws(RegexSyntaxError) -> String {
        var name = String.UnicodeScalarView()
        while let c = peek, c != 0x3E {
            guard let s = Unicode.Scalar(c), s.properties.isIDContinue || c == 0x24 else { throw error("invalid group name") }
            if name.isEmpty, !(s.properties.isIDStart || c == 0x24 || c == 0x5F) { throw error("invalid group name") }
            name.append(s)
            index += 1
        }
        guard eat(">"), !name.isEmpty else { throw error("invalid group name") }
        return String(name)
    }

    private mutating func parseAtomEscape() throws(RegexSyntaxError) -> RegexNode {
        guard let c = peek else { throw error("\\ at end of pattern") }
        switch c {
        case 0x62: index += 1; return .wordBoundary(negated: false)   // \b
        case 0x42: index += 1; return .wordBoundary(negated: true)    // \B
        case 0x31...0x39:                                             // \1-\9
            let value = readDecimal() ?? 0
            maxBackreference = max(maxBackreference, value)
            return .backreference(value)
        case 0x6B:                                                    // \k<name>
            index += 1
            guard eat("<") else { throw error("invalid \\k") }
            let offset = index
            let name = try readGroupName()
            namedReferences.append((name, offset))
            return .backreference(-namedReferences.count)           // resolved after parsing
        default:
            switch try parseCharacterEscape(inClass: false) {
            case .scalar(let s): return .scalar(s)
            case .set(let set): return .set(set)
            }
        }
    }

    enum Escape { case scalar(UInt32), set(CharacterSet) }

    /// An escape after `\` (shared by atoms and classes).
    private mutating func parseCharacterEscape(inClass: Bool) throws(RegexSyntaxError) -> Escape {
        guard let c = take() else { throw error("\\ at end of pattern") }
        switch c {
        case 0x64: return .set(.digits)                  // d
        case 0x44: return .set(CharacterSet.digits.inverted())
        case 0x77: return .set(.word)                    // w
        case 0x57: return .set(CharacterSet.word.inverted())
        case 0x73: return .set(.space)                   // s
        case 0x53: return .set(CharacterSet.space.inverted())
        case 0x74: return .scalar(0x09)                  // t
        case 0x6E: return .scalar(0x0A)                  // n
        case 0x76: return .scalar(0x0B)                  // v
        case 0x66: return .scalar(0x0C)                  // f
        case 0x72: return .scalar(0x0D)                  // r
        case 0x30:                                       // \0 not followed by a digit
            if let d = peek, d >= 0x30, d <= 0x39 { throw error("invalid decimal escape") }
            return .scalar(0)
        case 0x63:                                       // \cX
            guard let letter = peek, (0x41...0x5A).contains(letter) || (0x61...0x7A).contains(letter) else { throw error("invalid \\c escape") }
            index += 1
            return .scalar(letter % 32)
        case 0x78:                                       // \xHH
            guard let value = readHex(count: 2) else { throw error("invalid \\x escape") }
            return .scalar(value)
        case 0x75:                                       // \uHHHH, \u{H…}
            if eat("{") {
                var value: UInt32 = 0
                var digits = 0
                while let d = peek, let h = hexValue(d) { value = value * 16 + h; digits += 1; index += 1; if value > 0x10FFFF { throw error("\\u{} out of range") } }
                guard digits > 0, eat("}") else { throw error("invalid \\u{} escape") }
                return .scalar(value)
            }
            guard let high = readHex(count: 4) else { throw error("invalid \\u escape") }
            if (0xD800...0xDBFF).contains(high), peek == 0x5C, index + 1 < scalars.count, scalars[index + 1] == 0x75 {
                let save = index
                index += 2
                if let low = readHex(count: 4), (0xDC00...0xDFFF).contains(low) {
                    return .scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                }
                index = save
            }
            return .scalar(high)
        case 0x70, 0x50:                                 // \p{…} \P{…}
            guard eat("{") else { throw error("invalid property escape") }
            var name = ""
            while let d = peek, d != 0x7D, let s = Unicode.Scalar(d) { name.unicodeScalars.append(s); index += 1 }
            guard eat("}") else { throw error("invalid property escape") }
            if name == "ASCII" { return .set(CharacterSet(ranges: [0...0x7F], negated: c == 0x50)) }
            guard let property = UnicodeProperty(name: name, negated: c == 0x50) else { throw error("unknown Unicode property \(name)") }
            return .set(CharacterSet(properties: [property]))
        case 0x2D where inClass: return .scalar(0x2D)    // \- inside a class
        default:
            // Unicode mode allows identity escapes of syntax characters and / only.
            if "^$\\.*+?()[]{}|/".unicodeScalars.contains(where: { $0.value == c }) { return .scalar(c) }
            index -= 1
            throw error("invalid escape")
        }
    }

    private mutating func readHex(count: Int) -> UInt32? {
        guard index + count <= scalars.count else { return nil }
        var value: UInt32 = 0
        for i in 0..<count {
            guard let h = hexValue(scalars[index + i]) else { return nil }
            value = value * 16 + h
        }
        index += count
        return value
    }

    private func hexValue(_ c: UInt32) -> UInt32? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }

    private mutating func parseClass() throws(RegexSyntaxError) -> CharacterSet {
        var set = CharacterSet()
        if eat("^") { set.negated = true }
        while true {
            guard let c = peek else { throw error("missing ]") }
            if c == 0x5D { index += 1; return set }
            let low = try classAtom()
            if peek == 0x2D, index + 1 < scalars.count, scalars[index + 1] != 0x5D {
                index += 1
                let high = try classAtom()
                guard case .scalar(let a) = low, case .scalar(let b) = high else { throw error("invalid character class range") }
                guard a <= b else { throw error("range out of order in character class") }
                set.ranges.append(a...b)
            } else {
                switch low {
                case .scalar(let s): set.ranges.append(s...s)
                case .set(let inner): merge(inner, into: &set)
                }
            }
        }
    }

    private mutating func classAtom() throws(RegexSyntaxError) -> Escape {
        guard let c = take() else { throw error("missing ]") }
        if c == 0x5C {
            if eat("b") { return .scalar(0x08) }
            return try parseCharacterEscape(inClass: true)
        }
        return .scalar(c)
    }

    /// Adds an escape class (\d, \W, \p{…}) to a bracket class.
    private func merge(_ inner: CharacterSet, into set: inout CharacterSet) {
        if !inner.negated {
            set.ranges += inner.ranges
            set.properties += inner.properties
            return
        }
        // A negated escape inside a class: its complement as ranges, or as a negated property.
        if inner.properties.isEmpty {
            var start: UInt32 = 0
            for range in inner.ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                if range.lowerBound > start { set.ranges.append(start...(range.lowerBound - 1)) }
                start = max(start, range.upperBound + 1)
            }
            if start <= 0x10FFFF { set.ranges.append(start...0x10FFFF) }
        } else {
            for property in inner.properties {
                let test = property.test
                set.properties.append(UnicodeProperty(negated: !property.negated, test: test))
            }
        }
    }

    private func resolveNames(_ node: RegexNode) -> RegexNode {
        switch node {
        case .backreference(let n) where n < 0: return .backreference(names[namedReferences[-n - 1].0] ?? 0)
        case .sequence(let items): return .sequence(items.map(resolveNames))
        case .alternation(let items): return .alternation(items.map(resolveNames))
        case .group(let inner, let capture): return .group(resolveNames(inner), capture: capture)
        case .quantified(let inner, let min, let max, let greedy): return .quantified(resolveNames(inner), min: min, max: max, greedy: greedy)
        case .look(let inner, let ahead, let negated): return .look(resolveNames(inner), ahead: ahead, negated: negated)
        default: return node
        }
    }
}

extension UnicodeProperty {
    init(negated: Bool, test: @escaping @Sendable (Unicode.Scalar.Properties) -> Bool) {
        self.negated = negated
        self.test = test
    }
}

/// The syntax tree of an ECMA-262 regular expression (Unicode mode, as JSON Schema 2020-12 reads
/// `pattern`), before it is compiled to a program.
indirect enum RegexNode {
    case empty
    case scalar(UInt32)
    /// `.`: any scalar except the line terminators.
    case dot
    case set(CharacterSet)
    case sequence([RegexNode])
    case alternation([RegexNode])
    case group(RegexNode, capture: Int?)
    case quantified(RegexNode, min: Int, max: Int?, greedy: Bool)
    case start, end
    case wordBoundary(negated: Bool)
    case look(RegexNode, ahead: Bool, negated: Bool)
    case backreference(Int)
}

/// A set of scalars: ranges, plus Unicode property tests, possibly negated.
struct CharacterSet: Sendable {
    var ranges: [ClosedRange<UInt32>] = []
    var properties: [UnicodeProperty] = []
    var negated = false

    /// Membership of the ASCII range as two bit masks, filled by `optimized()`.
    var asciiLow: UInt64 = 0
    var asciiHigh: UInt64 = 0
    var asciiReady = false

    /// A copy with the ASCII masks precomputed, so ASCII input never scans ranges or properties.
    func optimized() -> CharacterSet {
        var copy = self
        copy.asciiReady = false
        var low: UInt64 = 0, high: UInt64 = 0
        for c in UInt32(0)..<128 where copy.contains(c) {
            if c < 64 { low |= 1 << UInt64(c) } else { high |= 1 << UInt64(c - 64) }
        }
        copy.asciiLow = low
        copy.asciiHigh = high
        copy.asciiReady = true
        return copy
    }

    @inline(__always)
    func contains(_ scalar: UInt32) -> Bool {
        if asciiReady && scalar < 128 {
            return scalar < 64 ? asciiLow & (1 << UInt64(scalar)) != 0 : asciiHigh & (1 << UInt64(scalar - 64)) != 0
        }
        var found = false
        for range in ranges where range.contains(scalar) { found = true; break }
        if !found, !properties.isEmpty, let s = Unicode.Scalar(scalar) {
            for property in properties where property.matches(s) { found = true; break }
        }
        return found != negated
    }

    static let digits = CharacterSet(ranges: [48...57])
    static let word = CharacterSet(ranges: [48...57, 65...90, 95...95, 97...122])
    /// ECMA-262 WhiteSpace and LineTerminator.
    static let space = CharacterSet(ranges: [9...13, 32...32, 0xA0...0xA0, 0x1680...0x1680, 0x2000...0x200A,
                                             0x2028...0x2029, 0x202F...0x202F, 0x205F...0x205F, 0x3000...0x3000, 0xFEFF...0xFEFF])

    func inverted() -> CharacterSet {
        var copy = self
        copy.negated.toggle()
        return copy
    }
}

/// `\p{…}` in Unicode mode: general categories (long and short names, and the groups L, N, …)
/// and the binary properties Swift's Unicode tables expose.
struct UnicodeProperty: Sendable {
    let negated: Bool
    let test: @Sendable (Unicode.Scalar.Properties) -> Bool

    func matches(_ scalar: Unicode.Scalar) -> Bool { test(scalar.properties) != negated }

    init?(name: String, negated: Bool) {
        self.negated = negated
        var name = name
        if let equals = name.firstIndex(of: "=") {
            let key = name[..<equals]
            guard key == "General_Category" || key == "gc" else { return nil }
            name = String(name[name.index(after: equals)...])
        }
        if let categories = Self.categories[name] {
            test = { categories.contains($0.generalCategory) }
            return
        }
        switch name {
        case "Alphabetic", "Alpha": test = { $0.isAlphabetic }
        case "White_Space", "space": test = { $0.isWhitespace }
        case "Uppercase", "Upper": test = { $0.isUppercase }
        case "Lowercase", "Lower": test = { $0.isLowercase }
        case "Emoji": test = { $0.isEmoji }
        case "Emoji_Presentation": test = { $0.isEmojiPresentation }
        case "ASCII": test = { _ in false } // handled by range below
        case "Any": test = { _ in true }
        case "Assigned": test = { $0.generalCategory != .unassigned }
        case "ASCII_Hex_Digit", "AHex": test = { $0.isASCIIHexDigit }
        case "Hex_Digit": test = { $0.isHexDigit }
        case "Ideographic", "Ideo": test = { $0.isIdeographic }
        case "Math": test = { $0.isMath }
        case "Dash": test = { $0.isDash }
        case "Diacritic": test = { $0.isDiacritic }
        case "Noncharacter_Code_Point": test = { $0.isNoncharacterCodePoint }
        default: return nil
        }
    }

    private static let categories: [String: Set<Unicode.GeneralCategory>] = {
        let letters: Set<Unicode.GeneralCategory> = [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter]
        let marks: Set<Unicode.GeneralCategory> = [.nonspacingMark, .spacingMark, .enclosingMark]
        let numbers: Set<Unicode.GeneralCategory> = [.decimalNumber, .letterNumber, .otherNumber]
        let punctuation: Set<Unicode.GeneralCategory> = [.connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                                                         .initialPunctuation, .finalPunctuation, .otherPunctuation]
        let symbols: Set<Unicode.GeneralCategory> = [.mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol]
        let separators: Set<Unicode.GeneralCategory> = [.spaceSeparator, .lineSeparator, .paragraphSeparator]
        let other: Set<Unicode.GeneralCategory> = [.control, .format, .surrogate, .privateUse, .unassigned]
        var table: [String: Set<Unicode.GeneralCategory>] = [
            "L": letters, "Letter": letters, "LC": [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter], "Cased_Letter": [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter],
            "M": marks, "Mark": marks, "Combining_Mark": marks,
            "N": numbers, "Number": numbers, "P": punctuation, "Punctuation": punctuation, "punct": punctuation,
            "S": symbols, "Symbol": symbols, "Z": separators, "Separator": separators, "C": other, "Other": other,
        ]
        let single: [(String, String, Unicode.GeneralCategory)] = [
            ("Lu", "Uppercase_Letter", .uppercaseLetter), ("Ll", "Lowercase_Letter", .lowercaseLetter),
            ("Lt", "Titlecase_Letter", .titlecaseLetter), ("Lm", "Modifier_Letter", .modifierLetter), ("Lo", "Other_Letter", .otherLetter),
            ("Mn", "Nonspacing_Mark", .nonspacingMark), ("Mc", "Spacing_Mark", .spacingMark), ("Me", "Enclosing_Mark", .enclosingMark),
            ("Nd", "Decimal_Number", .decimalNumber), ("Nl", "Letter_Number", .letterNumber), ("No", "Other_Number", .otherNumber),
            ("Pc", "Connector_Punctuation", .connectorPunctuation), ("Pd", "Dash_Punctuation", .dashPunctuation),
            ("Ps", "Open_Punctuation", .openPunctuation), ("Pe", "Close_Punctuation", .closePunctuation),
            ("Pi", "Initial_Punctuation", .initialPunctuation), ("Pf", "Final_Punctuation", .finalPunctuation),
            ("Po", "Other_Punctuation", .otherPunctuation), ("Sm", "Math_Symbol", .mathSymbol), ("Sc", "Currency_Symbol", .currencySymbol),
            ("Sk", "Modifier_Symbol", .modifierSymbol), ("So", "Other_Symbol", .otherSymbol), ("Zs", "Space_Separator", .spaceSeparator),
            ("Zl", "Line_Separator", .lineSeparator), ("Zp", "Paragraph_Separator", .paragraphSeparator), ("Cc", "Control", .control),
            ("Cf", "Format", .format), ("Cs", "Surrogate", .surrogate), ("Co", "Private_Use", .privateUse), ("Cn", "Unassigned", .unassigned),
        ]
        for (short, long, category) in single { table[short] = [category]; table[long] = [category] }
        // Not ECMA-262, but the test suite and most engines accept it as Nd.
        table["digit"] = [.decimalNumber]
        table["Nd"] = [.decimalNumber]
        return table
    }()
}

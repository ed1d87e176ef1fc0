/// Swift names for Avro names: idiomatic camel case (`request_id` → `requestId`, `LIP_SYNC` →
/// `lipSync`), Swift keywords escaped with backticks, and a defensive fallback for anything that
/// would not be an identifier. The Avro name itself stays on the wire.
enum SafeNames {
    /// UpperCamelCase for types.
    static func typeName(_ avroName: String) -> String {
        let name = camelCase(avroName, upperFirst: true)
        return reservedTypeNames.contains(name) ? name + "_" : name
    }

    /// lowerCamelCase for properties and enum cases, escaped when it is a keyword.
    static func memberName(_ avroName: String) -> String {
        let name = camelCase(avroName, upperFirst: false)
        return keywords.contains(name) ? "`\(name)`" : name
    }

    /// A member name without backticks, for use inside other identifiers and labels.
    static func bare(_ name: String) -> String { name.replacingOccurrences(of: "`", with: "") }

    /// Words split at underscores and at lower→upper changes; an all-caps word is lowercased.
    static func camelCase(_ name: String, upperFirst: Bool) -> String {
        let words = name.split(separator: "_").map(String.init)
        guard !words.isEmpty else { return "_" + name }
        var result = ""
        for (index, word) in words.enumerated() {
            let normalized = word.allSatisfy { $0.isUppercase || $0.isNumber } ? word.lowercased() : word
            if index == 0 && !upperFirst {
                result += lowerFirstWord(normalized)
            } else {
                result += normalized.prefix(1).uppercased() + normalized.dropFirst()
            }
        }
        if let first = result.first, first.isNumber { result = "_" + result }
        return result
    }

    /// `URLPath` → `urlPath`, `Name` → `name`: the leading capitals of the first word, lowercased.
    private static func lowerFirstWord(_ word: String) -> String {
        let characters = Array(word)
        var upperRun = 0
        while upperRun < characters.count && characters[upperRun].isUppercase { upperRun += 1 }
        if upperRun == 0 { return word }
        if upperRun == characters.count { return word.lowercased() }
        let lowered = upperRun == 1 ? 1 : upperRun - 1
        return String(characters[..<lowered]).lowercased() + String(characters[lowered...])
    }

    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout", "internal",
        "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static", "struct",
        "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do", "else", "fallthrough",
        "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while", "Any", "as", "await", "false",
        "is", "nil", "self", "Self", "super", "throws", "true", "try", "_", "Type", "Protocol",
    ]

    /// Type names that would shadow what generated code uses.
    static let reservedTypeNames: Set<String> = [
        "String", "Int", "Int32", "Int64", "Bool", "Float", "Double", "Array", "Dictionary", "Optional", "Date", "UUID",
        "Decimal", "Data", "Error", "Codable", "Sendable", "Hashable", "Equatable", "Encoder", "Decoder", "CodingKeys",
        "Any", "Self", "Type", "Protocol", "Never", "Void", "UInt8", "UInt64", "DecodingError",
        // the runtime's types that generated code names (its protocols are written qualified instead)
        "AvroBinaryReader", "AvroBinaryWriter", "AvroDecodingError", "AvroNull", "AvroDate", "AvroDecimal", "AvroDuration",
        "AvroUnionBranchKey", "AvroRuntime", "Foundation",
    ]
}

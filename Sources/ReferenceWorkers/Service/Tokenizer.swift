/// Words of a prompt as 64-bit FNV-1a hashes: lowercased runs of letters and digits, each other
/// non-space character a word of its own. The text encoder maps a hash to a vocabulary row, so any
/// vocabulary size works without a vocabulary file.
public enum HashTokenizer {
    public static func tokens(_ text: String) -> [Int64] {
        var words: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                current.append(character)
                continue
            }
            if !current.isEmpty { words.append(current); current = "" }
            if !character.isWhitespace { words.append(String(character)) }
        }
        if !current.isEmpty { words.append(current) }
        return words.map(fnv1a)
    }

    static func fnv1a(_ word: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in word.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int64(bitPattern: hash & 0x7fff_ffff_ffff_ffff)
    }
}

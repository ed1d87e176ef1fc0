/// Finds where a JSON pointer's value sits in a text that already parsed. It re-scans the bytes
/// along the pointer only, so positions cost nothing until a diagnostic asks for one.
struct SourceLocator {
    let text: [UInt8]
    private var index = 0
    private var tracker = PositionTracker()

    init(text: [UInt8]) { self.text = text }

    /// The start of the value at `pointer` (or of its key, with `atKey`). When the pointer leads
    /// past the document, the deepest value that exists.
    func position(of pointer: JSONPointer, atKey: Bool = false) -> JSONPosition {
        var scanner = self
        scanner.skipWhitespace()
        var keyPosition: JSONPosition? = nil
        for token in pointer.tokens {
            guard scanner.index < text.count else { break }
            let container = scanner.tracker.position
            switch text[scanner.index] {
            case UInt8(ascii: "{"):
                guard let found = scanner.enterMember(token) else { return container }
                keyPosition = found
            case UInt8(ascii: "["):
                guard let element = Int(token), scanner.enterElement(element) else { return container }
                keyPosition = nil
            default:
                return container
            }
        }
        if atKey, let keyPosition { return keyPosition }
        return scanner.tracker.position
    }

    // MARK: - Moving through the text

    private mutating func step() {
        tracker.advance(over: text[index])
        index += 1
    }

    private mutating func skipWhitespace() {
        while index < text.count, [0x20, 0x0A, 0x0D, 0x09].contains(text[index]) { step() }
    }

    /// At `{`: moves to the value of `key` and returns where the key starts.
    private mutating func enterMember(_ key: String) -> JSONPosition? {
        step() // {
        while true {
            skipWhitespace()
            guard index < text.count, text[index] == UInt8(ascii: "\"") else { return nil }
            let keyStart = tracker.position
            let name = readString()
            skipWhitespace()
            guard index < text.count, text[index] == UInt8(ascii: ":") else { return nil }
            step()
            skipWhitespace()
            if name == key { return keyStart }
            skipValue()
            skipWhitespace()
            guard index < text.count, text[index] == UInt8(ascii: ",") else { return nil }
            step()
        }
    }

    /// At `[`: moves to element `target`.
    private mutating func enterElement(_ target: Int) -> Bool {
        step() // [
        var current = 0
        while true {
            skipWhitespace()
            guard index < text.count, text[index] != UInt8(ascii: "]") else { return false }
            if current == target { return true }
            skipValue()
            skipWhitespace()
            guard index < text.count, text[index] == UInt8(ascii: ",") else { return false }
            step()
            current += 1
        }
    }

    /// Reads a string token and returns its decoded value.
    private mutating func readString() -> String {
        step() // opening quote
        var bytes: [UInt8] = []
        var scalars = String.UnicodeScalarView()
        func flush() { if !bytes.isEmpty { scalars.append(contentsOf: String(decoding: bytes, as: UTF8.self).unicodeScalars); bytes.removeAll() } }
        var pendingHighSurrogate: UInt32? = nil
        while index < text.count, text[index] != UInt8(ascii: "\"") {
            if text[index] == UInt8(ascii: "\\"), index + 1 < text.count {
                step()
                let escape = text[index]
                step()
                switch escape {
                case UInt8(ascii: "n"): bytes.append(0x0A)
                case UInt8(ascii: "t"): bytes.append(0x09)
                case UInt8(ascii: "r"): bytes.append(0x0D)
                case UInt8(ascii: "b"): bytes.append(0x08)
                case UInt8(ascii: "f"): bytes.append(0x0C)
                case UInt8(ascii: "u"):
                    var code: UInt32 = 0
                    for _ in 0..<4 where index < text.count {
                        code = code << 4 | UInt32(hexValue(text[index])); step()
                    }
                    flush()
                    if (0xD800..<0xDC00).contains(code) { pendingHighSurrogate = code; continue }
                    if let high = pendingHighSurrogate, (0xDC00..<0xE000).contains(code) {
                        code = 0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)
                    }
                    pendingHighSurrogate = nil
                    if let scalar = Unicode.Scalar(code) { scalars.append(scalar) }
                default: bytes.append(escape)
                }
            } else {
                bytes.append(text[index]); step()
            }
        }
        flush()
        if index < text.count { step() } // closing quote
        return String(scalars)
    }

    private func hexValue(_ byte: UInt8) -> UInt8 {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: 0
        }
    }

    /// Skips one value of any kind, iteratively (the text may be nested 2048 deep).
    private mutating func skipValue() {
        var depth = 0
        repeat {
            guard index < text.count else { return }
            switch text[index] {
            case UInt8(ascii: "\""): _ = readString()
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1; step()
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1; step()
            default:
                step()
                // Scalars (numbers, true, false, null) and separators inside containers.
                while depth == 0, index < text.count,
                      !([UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09].contains(text[index])) {
                    step()
                }
            }
        } while depth > 0
    }
}

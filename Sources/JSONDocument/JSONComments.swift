/// A `//` or `/* */` comment found in a JSON text. JSON has no comments; we find them to explain the
/// error and, when asked, blank them out so the rest of the file can still be checked.
public struct JSONComment: Sendable, Hashable {
    public var position: JSONPosition
    public var text: String
}

enum CommentScanner {
    /// The comments outside strings, and the text with each comment replaced by spaces (newlines
    /// kept, so every other position stays where it was).
    static func scan(_ bytes: [UInt8]) -> (comments: [JSONComment], blanked: [UInt8]) {
        var output = bytes
        var comments: [JSONComment] = []
        var tracker = PositionTracker()
        var index = 0
        var inString = false
        while index < bytes.count {
            let byte = bytes[index]
            if inString {
                if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                    tracker.advance(over: byte); tracker.advance(over: bytes[index + 1]); index += 2; continue
                }
                if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "/"), index + 1 < bytes.count,
                      bytes[index + 1] == UInt8(ascii: "/") || bytes[index + 1] == UInt8(ascii: "*") {
                let start = tracker.position
                let block = bytes[index + 1] == UInt8(ascii: "*")
                var end = index + 2
                if block {
                    while end + 1 < bytes.count, !(bytes[end] == UInt8(ascii: "*") && bytes[end + 1] == UInt8(ascii: "/")) { end += 1 }
                    end = min(end + 2, bytes.count)
                } else {
                    while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
                }
                let text = String(decoding: bytes[index..<end], as: UTF8.self)
                comments.append(JSONComment(position: start, text: text.trimmingTrailingWhitespace()))
                for i in index..<end where bytes[i] != UInt8(ascii: "\n") { output[i] = UInt8(ascii: " ") }
                for i in index..<end { tracker.advance(over: bytes[i]) }
                index = end
                continue
            }
            tracker.advance(over: byte)
            index += 1
        }
        return (comments, output)
    }
}

/// Counts lines and columns over UTF-8 bytes; a column is a code point (continuation bytes don't count).
struct PositionTracker {
    private(set) var line = 1
    private(set) var column = 1

    var position: JSONPosition { JSONPosition(line: line, column: column) }

    mutating func advance(over byte: UInt8) {
        if byte == UInt8(ascii: "\n") {
            line += 1; column = 1
        } else if byte & 0xC0 != 0x80 {
            column += 1
        }
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var s = Substring(self)
        while let last = s.last, last.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}

import CJansson
import CShims

/// A parsed JSON text: the value tree plus the original bytes, so that any JSON pointer can be
/// turned back into a line and column when a diagnostic needs one.
public struct JSONDocument: Sendable {
    public let root: JSONValue
    /// The text that was parsed (comments, if recovered, blanked out: positions are unchanged).
    public let text: [UInt8]
    /// Comments that were blanked out to parse the text (only with `recoveringComments`).
    public let comments: [JSONComment]

    /// Parses UTF-8 JSON strictly: any top-level value, no duplicate keys, `\u0000` allowed in
    /// strings, no comments, no trailing content, at most jansson's 2048 levels of nesting.
    ///
    /// With `recoveringComments`, `//` and `/* */` comments are blanked out and reported in
    /// `comments` instead of failing the parse, so a linter can report them and keep going.
    public init(parsing bytes: [UInt8], recoveringComments: Bool = false) throws(JSONParseError) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw JSONParseError(kind: .byteOrderMark,
                                 message: "the file starts with a UTF-8 byte order mark, which JSON does not allow (RFC 8259 §8.1); save it without the BOM",
                                 position: JSONPosition(line: 1, column: 1))
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw JSONParseError(kind: .empty, message: "the file is empty; expected a JSON value",
                                 position: JSONPosition(line: 1, column: 1))
        }
        do {
            self.root = try JanssonLoader.load(bytes)
            self.comments = []
            self.text = bytes
        } catch let error where error.kind == .syntax {
            let (comments, blanked) = CommentScanner.scan(bytes)
            guard let first = comments.first else { throw error }
            guard recoveringComments else {
                throw JSONParseError(kind: .comment, message: Self.commentMessage(first), position: first.position)
            }
            self.root = try JanssonLoader.load(blanked)
            self.comments = comments
            self.text = blanked
        }
    }

    public init(parsing string: String, recoveringComments: Bool = false) throws(JSONParseError) {
        try self.init(parsing: Array(string.utf8), recoveringComments: recoveringComments)
    }

    /// Explains a comment found in JSON.
    public static func commentMessage(_ comment: JSONComment) -> String {
        "JSON does not allow comments: remove `\(comment.text.prefix(40))`, or move what it says into a \"doc\" attribute"
    }

    /// Where the value at `pointer` starts; the nearest existing ancestor when the pointer goes
    /// further than the document.
    public func position(of pointer: JSONPointer) -> JSONPosition {
        SourceLocator(text: text).position(of: pointer)
    }

    /// Where the key of the member that `pointer` names starts (`/fields/0/logicalType` → the
    /// `"logicalType"` key); the value's position for array elements and the root.
    public func keyPosition(of pointer: JSONPointer) -> JSONPosition {
        SourceLocator(text: text).position(of: pointer, atKey: true)
    }
}

/// Loads JSON through jansson and converts its tree to `JSONValue`.
enum JanssonLoader {
    /// Numbers jansson cannot hold are swapped, one at a time, for a marker string of the same
    /// width (U+E000 and an index, padded with spaces), then restored as `.bigNumber`.
    private static let marker: [UInt8] = [0xEE, 0x80, 0x80]
    private static let maxBigNumbers = 1000

    static func load(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        var working = bytes
        var bigNumbers: [String] = []
        // The marker must not be writable by the document itself, raw or escaped (checked only
        // when a big number turns up).
        lazy var canMark = !contains(bytes, marker) && !contains(bytes, Array("\\uE000".utf8)) && !contains(bytes, Array("\\ue000".utf8))
        while true {
            var error = json_error_t()
            let flags = Int(JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES)
            let root: UnsafeMutablePointer<json_t>? = working.withUnsafeBufferPointer { buffer in
                buffer.baseAddress.flatMap { base in
                    base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { json_loadb($0, buffer.count, flags, &error) }
                }
            }
            if let root {
                defer { json_decref(root) }
                return convert(root, bigNumbers: bigNumbers, depth: 0)
            }
            guard CShims_json_error_code(&error) == Int32(json_error_numeric_overflow.rawValue), bigNumbers.count < maxBigNumbers, canMark,
                  markBigNumber(in: &working, endingAt: Int(error.position), index: bigNumbers.count, into: &bigNumbers) else {
                throw translate(error)
            }
        }
    }

    /// Replaces the number literal that ends at `end` with the marker string for `index`.
    private static func markBigNumber(in text: inout [UInt8], endingAt end: Int, index: Int, into literals: inout [String]) -> Bool {
        guard end <= text.count else { return false }
        var start = end
        while start > 0, "0123456789+-.eE".utf8.contains(text[start - 1]) { start -= 1 }
        let replacement = [UInt8(ascii: "\"")] + marker + Array(String(index).utf8) + [UInt8(ascii: "\"")]
        let width = 3 + String(index).count // the marker is one column
        guard start < end, width <= end - start else { return false }
        literals.append(String(decoding: text[start..<end], as: UTF8.self))
        text.replaceSubrange(start..<end, with: replacement + Array(repeating: UInt8(ascii: " "), count: end - start - width))
        return true
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var i = 0
        while i <= haystack.count - needle.count {
            if haystack[i] == first, haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }

    private static func convert(_ node: UnsafeMutablePointer<json_t>, bigNumbers: [String], depth: Int) -> JSONValue {
        if depth == LargeStack.hopDepth { return LargeStack.run { convert(node, bigNumbers: bigNumbers, depth: depth + 1) } }
        switch CShims_json_typeof(node) {
        case JSON_OBJECT:
            var members: [JSONObject.Member] = []
            members.reserveCapacity(json_object_size(node))
            var iterator = json_object_iter(node)
            while let current = iterator {
                let key = String(cString: json_object_iter_key(current))
                members.append(.init(key: key, value: convert(json_object_iter_value(current), bigNumbers: bigNumbers, depth: depth + 1)))
                iterator = json_object_iter_next(node, current)
            }
            return .object(JSONObject(members))
        case JSON_ARRAY:
            let count = json_array_size(node)
            var elements: [JSONValue] = []
            elements.reserveCapacity(count)
            for index in 0..<count { elements.append(convert(json_array_get(node, index), bigNumbers: bigNumbers, depth: depth + 1)) }
            return .array(elements)
        case JSON_STRING:
            let length = json_string_length(node)
            guard let pointer = json_string_value(node) else { return .string("") }
            return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
                let bytes = UnsafeBufferPointer(start: $0, count: length)
                if !bigNumbers.isEmpty, length > 3, bytes[0] == 0xEE, bytes[1] == 0x80, bytes[2] == 0x80,
                   let index = Int(String(decoding: bytes.dropFirst(3), as: UTF8.self)), bigNumbers.indices.contains(index) {
                    return .bigNumber(bigNumbers[index])
                }
                return .string(String(decoding: bytes, as: UTF8.self))
            }
        case JSON_INTEGER: return .integer(Int64(json_integer_value(node)))
        case JSON_REAL: return .real(json_real_value(node))
        case JSON_TRUE: return .bool(true)
        case JSON_FALSE: return .bool(false)
        default: return .null
        }
    }

    private static func translate(_ error: json_error_t) -> JSONParseError {
        var error = error
        let text = withUnsafeBytes(of: &error.text) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        let position = JSONPosition(line: max(Int(error.line), 1), column: max(Int(error.column), 1))
        switch Int(CShims_json_error_code(&error)) {
        case Int(json_error_duplicate_key.rawValue):
            return JSONParseError(kind: .duplicateKey,
                                  message: "duplicate key in object (\(text)); parsers disagree on which value wins, so keep only one",
                                  position: position)
        case Int(json_error_stack_overflow.rawValue):
            return JSONParseError(kind: .nestingTooDeep,
                                  message: "JSON nested deeper than 2048 levels; no schema needs that, so the file is refused",
                                  position: position)
        case Int(json_error_numeric_overflow.rawValue):
            return JSONParseError(kind: .numberOutOfRange,
                                  message: "number out of range (\(text)): integers must fit in 64 bits and reals in a double",
                                  position: position)
        case Int(json_error_invalid_utf8.rawValue):
            return JSONParseError(kind: .invalidUTF8, message: "the text is not valid UTF-8 (\(text))", position: position)
        case Int(json_error_null_byte_in_key.rawValue):
            return JSONParseError(kind: .nulInKey, message: "an object key contains \\u0000, which is not supported", position: position)
        default:
            return JSONParseError(kind: .syntax, message: "invalid JSON: \(text)", position: position)
        }
    }
}

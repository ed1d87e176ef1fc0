/// An RFC 6901 JSON pointer: `/fields/2/default`. The empty pointer is the whole document.
///
/// Parsers build a pointer for every value they visit, so appending is one small allocation
/// (a node that shares its parent) instead of a copy of the whole token list.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    private final class Node: Sendable {
        let parent: Node?
        let token: String
        let depth: Int
        init(parent: Node?, token: String) {
            self.parent = parent
            self.token = token
            self.depth = (parent?.depth ?? 0) + 1
        }
    }

    private let last: Node?

    private init(last: Node?) { self.last = last }

    public init(_ tokens: [String] = []) {
        var node: Node? = nil
        for token in tokens { node = Node(parent: node, token: token) }
        self.last = node
    }

    /// Parses the text form; `nil` unless it is empty or starts with `/`.
    public init?(parsing text: String) {
        if text.isEmpty { self.init(); return }
        guard text.hasPrefix("/") else { return nil }
        self.init(text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).replacing("~1", with: "/").replacing("~0", with: "~")
        })
    }

    public static let root = JSONPointer()

    /// The reference tokens, root first.
    public var tokens: [String] {
        var tokens: [String] = []
        tokens.reserveCapacity(last?.depth ?? 0)
        var node = last
        while let current = node { tokens.append(current.token); node = current.parent }
        return tokens.reversed()
    }

    public func appending(_ token: String) -> JSONPointer { JSONPointer(last: Node(parent: last, token: token)) }
    public func appending(_ index: Int) -> JSONPointer { appending(String(index)) }

    public static func / (lhs: JSONPointer, rhs: String) -> JSONPointer { lhs.appending(rhs) }
    public static func / (lhs: JSONPointer, rhs: Int) -> JSONPointer { lhs.appending(rhs) }

    public var description: String {
        guard let last else { return "" }
        var out = ""
        if last.depth <= 32 {
            Self.write(last, to: &out)
            return out
        }
        // Deep pointers: walk up once into a buffer (no recursion as deep as the pointer).
        var nodes: [Node] = []
        nodes.reserveCapacity(last.depth)
        var node: Node? = last
        while let current = node { nodes.append(current); node = current.parent }
        for current in nodes.reversed() { Self.writeToken(current.token, to: &out) }
        return out
    }

    private static func write(_ node: Node, to out: inout String) {
        if let parent = node.parent { write(parent, to: &out) }
        writeToken(node.token, to: &out)
    }

    private static func writeToken(_ token: String, to out: inout String) {
        out += "/"
        var plain = true
        for byte in token.utf8 where byte == UInt8(ascii: "~") || byte == UInt8(ascii: "/") { plain = false; break }
        guard !plain else {
            out += token
            return
        }
        for c in token.unicodeScalars {
            switch c {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.unicodeScalars.append(c)
            }
        }
    }

    public static func == (lhs: JSONPointer, rhs: JSONPointer) -> Bool {
        lhs.last === rhs.last || lhs.tokens == rhs.tokens
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(tokens) }
}

extension JSONValue {
    /// The value at `pointer`, or `nil` when the pointer leads nowhere.
    public subscript(pointer: JSONPointer) -> JSONValue? {
        var current = self
        for token in pointer.tokens {
            switch current {
            case .object(let object):
                guard let next = object[token] else { return nil }
                current = next
            case .array(let array):
                guard let index = Int(token), array.indices.contains(index) else { return nil }
                current = array[index]
            default:
                return nil
            }
        }
        return current
    }
}

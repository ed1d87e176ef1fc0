/// Why a text is not a JSON document, and where.
public struct JSONParseError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case empty
        case byteOrderMark
        case invalidUTF8
        case syntax
        case comment
        case duplicateKey
        case nestingTooDeep
        case numberOutOfRange
        case nulInKey
    }

    public var kind: Kind
    public var message: String
    public var position: JSONPosition

    public init(kind: Kind, message: String, position: JSONPosition) {
        self.kind = kind
        self.message = message
        self.position = position
    }

    public var description: String { "\(position): \(message)" }
}

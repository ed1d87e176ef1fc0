/// A place in a text: 1-based line, and 1-based column counted in Unicode characters (code points),
/// as editors and jansson count them.
public struct JSONPosition: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) { self.line = line; self.column = column }

    public var description: String { "\(line):\(column)" }
}

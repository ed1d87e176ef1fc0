/// The structured Swift that translators build and the renderer prints: declarations as values,
/// so that translation (what to generate) and rendering (how it is spelled and indented) stay apart.
/// Function bodies are statements: lines and nested blocks.
public struct SwiftFile: Sendable, Hashable {
    public var name: String
    /// Comment lines at the top (without the `// `).
    public var header: [String]
    public var imports: [String]
    public var declarations: [SwiftDeclaration]
}

public enum AccessLevel: String, Sendable, Hashable, CaseIterable {
    case `public`, `internal`

    /// The keyword and a space, or nothing for internal (Swift's default).
    var prefix: String { self == .public ? "public " : "" }
}

public indirect enum SwiftDeclaration: Sendable, Hashable {
    case structure(SwiftType)
    case enumeration(SwiftType)
    case `extension`(SwiftExtension)
    case property(SwiftProperty)
    case enumCase(SwiftEnumCase)
    case function(SwiftFunction)
    /// A `// MARK: -` line.
    case mark(String)
}

/// A struct or enum.
public struct SwiftType: Sendable, Hashable {
    public var doc: [String]
    public var access: AccessLevel
    public var name: String
    public var conformances: [String]
    public var members: [SwiftDeclaration]
}

public struct SwiftExtension: Sendable, Hashable {
    public var typeName: String
    public var conformances: [String]
    public var members: [SwiftDeclaration]
}

public struct SwiftProperty: Sendable, Hashable {
    public var doc: [String] = []
    /// Attributes before the declaration, such as a property wrapper (`@AvroIndirect`).
    public var attributes: [String] = []
    public var access: AccessLevel
    public var isStatic = false
    public var isLet = false
    public var name: String
    public var type: String?
    /// `= value` for stored properties.
    public var initializer: String? = nil
    /// The getter's body, for a computed property.
    public var getter: [SwiftStatement]? = nil
}

public struct SwiftEnumCase: Sendable, Hashable {
    public var doc: [String] = []
    public var name: String
    public var rawValue: String? = nil
    public var associatedType: String? = nil
}

public struct SwiftFunction: Sendable, Hashable {
    public var doc: [String] = []
    public var access: AccessLevel
    /// Everything before the body, after the access level: `init(from reader: inout AvroBinaryReader) throws(AvroDecodingError)`.
    public var signature: String
    public var body: [SwiftStatement]
}

public indirect enum SwiftStatement: Sendable, Hashable {
    case line(String)
    /// `header {`, the statements one level deeper, then `}`.
    case block(String, [SwiftStatement])
    /// A `switch` with its cases at the switch's own indentation, as Swift style has it.
    case switchOver(String, [SwiftSwitchCase])
}

public struct SwiftSwitchCase: Sendable, Hashable {
    /// `case .a(let value):` or `default:`.
    public var pattern: String
    public var body: [SwiftStatement]
}

/// What the generator can be told. Few options, on purpose (swift-openapi-generator's principle:
/// generated code should follow the schema, not a matrix of settings).
public struct CodegenOptions: Sendable, Hashable {
    /// How Avro namespaces become Swift type names.
    public enum TypeNaming: String, Sendable, Hashable, CaseIterable {
        /// The short name; where two types share it, namespace components are prefixed (from the
        /// innermost outwards) until the names differ.
        case short
        /// Every namespace component prefixed: `com.vtryon.Status` → `ComVtryonStatus`.
        case qualified
    }

    public var access: AccessLevel
    public var typeNaming: TypeNaming

    public init(access: AccessLevel = .public, typeNaming: TypeNaming = .short) {
        self.access = access
        self.typeNaming = typeNaming
    }
}

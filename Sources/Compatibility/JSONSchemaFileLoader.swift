import Diagnostics
import JSONDocument
import JSONSchema
import Validation

/// A JSON Schema file made ready for a compatibility check: valid against its draft's meta-schema
/// with every `$ref` resolvable (else its findings), then loaded with its references. Confluent
/// reads a schema without `$schema` as draft-07, so both steps do.
public enum JSONSchemaFileLoader {
    /// Why a file cannot be compared: its findings.
    public struct Invalid: Error {
        public var report: FileReport
    }

    /// `references` maps the names a schema's `$ref`s use (Confluent schema references' names) to
    /// the referenced files; they are also known by their file URL and `$id`.
    public static func load(_ file: SourceFile, references: [String: SourceFile]) throws(Invalid) -> JSONSchemaGraph {
        let context = Array(references.values)
        let report = SchemaValidator(jsonSchemaDialect: .draft7).validate([file], context: context)[0]
        func failure(_ message: String) -> Invalid {
            Invalid(report: FileReport(path: file.path, diagnostics: [Diagnostic(severity: .error, rule: "SCHEMA_INVALID", message: message)]))
        }
        guard report.isValid else {
            throw Invalid(report: FileReport(path: file.path, diagnostics: report.diagnostics.filter { $0.severity == .error }))
        }
        guard let document = try? JSONDocument(parsing: file.bytes, recoveringComments: true) else { throw failure("not valid JSON") }
        var documents: [String: JSONValue] = [:]
        for (name, referenced) in references {
            guard let value = try? JSONDocument(parsing: referenced.bytes, recoveringComments: true).root else { continue }
            documents[name] = value
            documents[fileURI(referenced.identity)] = value
            if case .string(let id)? = value.objectValue?["$id"] { documents[id.hasSuffix("#") ? String(id.dropLast()) : id] = value }
        }
        do {
            return try JSONSchemaGraph(schema: document.root, uri: fileURI(file.identity), references: documents)
        } catch {
            throw failure(error.description)
        }
    }

    static func fileURI(_ identity: String) -> String { "file://" + (identity.hasPrefix("/") ? identity : "/" + identity) }
}

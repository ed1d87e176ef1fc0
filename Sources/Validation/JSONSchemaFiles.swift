import Diagnostics
import JSONDocument
import JSONSchema

/// Validates JSON Schema files: against their draft's meta-schema, by compiling them (every
/// `$ref` must resolve, among the files given or the built-in meta-schemas), and with the lint rules.
struct JSONSchemaFileValidator {
    let defaultDialect: Dialect

    func reports(for units: [ParsedFile]) -> [String: FileReport] {
        // Every file is a resource by its $id and by its file URL, so relative references between
        // the files given resolve without touching the file system.
        var resources: [String: JSONValue] = [:]
        for unit in units {
            guard let document = unit.document else { continue }
            resources[Self.fileURI(unit.file.identity)] = document.root
            if case .string(let id)? = document.root.objectValue?["$id"] {
                resources[id.hasSuffix("#") ? String(id.dropLast()) : id] = document.root
            }
        }
        var reports: [String: FileReport] = [:]
        for unit in units {
            var diagnostics = unit.jsonDiagnostics
            if let document = unit.document {
                diagnostics += check(document, uri: Self.fileURI(unit.file.identity), resources: resources)
            }
            reports[unit.file.identity] = FileReport(path: unit.file.path, diagnostics: diagnostics)
        }
        return reports
    }

    /// One meta-schema error per place: the first that is not just "no anyOf/oneOf branch matched"
    /// (the branches' own errors say what is wrong: "must be one of …").
    static func mostSpecific(_ errors: [ValidationError]) -> [ValidationError] {
        var byPlace: [String: ValidationError] = [:]
        var order: [String] = []
        for error in errors {
            let summary = error.keywordLocation.hasSuffix("/anyOf") || error.keywordLocation.hasSuffix("/oneOf")
            if let kept = byPlace[error.instanceLocation] {
                let keptSummary = kept.keywordLocation.hasSuffix("/anyOf") || kept.keywordLocation.hasSuffix("/oneOf")
                if keptSummary && !summary { byPlace[error.instanceLocation] = error }
            } else {
                byPlace[error.instanceLocation] = error
                order.append(error.instanceLocation)
            }
        }
        return order.compactMap { byPlace[$0] }
    }

    static func fileURI(_ identity: String) -> String { "file://" + (identity.hasPrefix("/") ? identity : "/" + identity) }

    private func check(_ document: JSONDocument, uri: String, resources: [String: JSONValue]) -> [Diagnostic] {
        func diagnostic(_ rule: JSONSchemaFinding.Rule, _ message: String, _ pointer: JSONPointer, atKey: Bool = false) -> Diagnostic {
            let position = atKey ? document.keyPosition(of: pointer) : document.position(of: pointer)
            return Diagnostic(severity: rule.isError ? .error : .warning, rule: rule.rawValue, message: message,
                              pointer: pointer.description, line: position.line, column: position.column)
        }
        let schema = document.root
        let meta = JSONSchemaValidator.metaSchemaErrors(of: schema, default: defaultDialect)
        var diagnostics = Self.mostSpecific(meta).map { error in
            diagnostic(.metaSchema, "\(error.error) (meta-schema keyword \(error.keywordLocation))", JSONPointer(parsing: error.instanceLocation) ?? .root)
        }
        if meta.isEmpty {
            do {
                _ = try JSONSchemaValidator(schema: schema, uri: uri, options: ValidatorOptions(defaultDialect: defaultDialect, resources: resources))
            } catch {
                diagnostics.append(diagnostic(.invalidSchema, error.message, JSONPointer(parsing: error.pointer) ?? .root))
            }
        }
        diagnostics += JSONSchemaLinter.lint(schema, defaultDialect: defaultDialect).map {
            diagnostic($0.rule, $0.message, $0.pointer, atKey: $0.atKey)
        }
        return diagnostics
    }
}

/// The JSON Schema rules, for rule tables.
public let jsonSchemaRuleDescriptions: [RuleDescription] = JSONSchemaFinding.Rule.allCases.map {
    RuleDescription(id: $0.rawValue, severity: $0.isError ? .error : .warning, summary: $0.summary)
}

import ArgumentParser
import AvroSchema
import Diagnostics
import Foundation
import JSONDocument
import JSONSchema

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Work with message data: validate documents against a schema, encode and decode Avro binary.",
        subcommands: [DataValidateCommand.self, DataEncodeCommand.self, DataDecodeCommand.self]
    )
}

struct DataValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate JSON documents against a JSON Schema (or Avro JSON-encoded datums against an Avro schema).",
        discussion: """
        INPUT files hold one document each, or one per line with --ndjson; with no INPUT, standard
        input is read. The schema is checked against its meta-schema first (exit 2 if it is invalid).

        References resolve offline: relative $refs to files beside the schema (also when the schema
        has an $id: its folder maps to the schema's folder), --resource URI=PATH for one document,
        --resource-dir DIR=URI-PREFIX for a folder. Nothing is fetched from the network unless
        --allow-remote is given.

        format is an annotation unless --formats is given. Patterns use ECMA-262 semantics.

        Output: text (file:line:col of each failing value), or json: one line per document,
        {"index":N,"valid":bool,"errors":[{"instanceLocation","keywordLocation","absoluteKeywordLocation","error","line","column"}]}.
        Exit codes: 0 all valid, 1 some invalid, 2 usage, I/O or schema error.
        """
    )

    enum OutputFormat: String, ExpressibleByArgument { case text, json }

    @Option(help: ArgumentHelp("The schema: a JSON Schema, or an Avro schema (*.avsc).", valueName: "file"))
    var schema: String

    @Option(help: ArgumentHelp("Draft when the schema has no $schema: 7, 2019-09 or 2020-12.", valueName: "draft"))
    var draft: Dialect = .draft2020_12

    @Flag(help: "Assert format (date-time, email, uri, ...) instead of treating it as an annotation.")
    var formats = false

    @Option(name: .customLong("resource"), help: ArgumentHelp("Serve the schema at PATH for URI (repeatable).", valueName: "uri=path"))
    var resources: [String] = []

    @Option(name: .customLong("resource-dir"), help: ArgumentHelp("Serve the files under DIR at URI-PREFIX (repeatable).", valueName: "dir=prefix"))
    var resourceDirs: [String] = []

    @Flag(help: "Allow fetching referenced schemas over HTTP(S).")
    var allowRemote = false

    @Flag(help: "One document per line.")
    var ndjson = false

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Argument(help: ArgumentHelp("Documents to validate (default: standard input).", valueName: "input"))
    var inputs: [String] = []

    func run() throws {
        let checker = try makeChecker()
        var index = 0
        var invalid = 0
        var out = ""
        for input in inputs.isEmpty ? ["-"] : inputs {
            let bytes = try readInput(input)
            for (document, firstLine) in split(bytes) {
                let result = checker(document)
                if !result.errors.isEmpty { invalid += 1 }
                out += render(result, index: index, input: input, firstLine: firstLine)
                index += 1
                if out.utf8.count > 1 << 16 { Terminal.out(out); out = "" }
            }
        }
        if format == .text { out += "\(index) document\(index == 1 ? "" : "s"): \(index - invalid) valid, \(invalid) invalid\n" }
        Terminal.out(out)
        if invalid > 0 { throw ExitCode(1) }
    }

    // MARK: - Documents

    struct Located {
        var error: String
        var instanceLocation: String
        var keywordLocation: String
        var absoluteKeywordLocation: String
        var position: JSONPosition
    }

    /// The errors of one document (none: valid).
    struct DocumentResult { var errors: [Located] }

    private func readInput(_ input: String) throws -> [UInt8] {
        if input == "-" { return [UInt8](FileHandle.standardInput.readDataToEndOfFile()) }
        guard let data = FileManager.default.contents(atPath: input) else { throw Terminal.fail("\(input): cannot read file") }
        return [UInt8](data)
    }

    /// The documents of one input, with the line each starts on.
    private func split(_ bytes: [UInt8]) -> [(ArraySlice<UInt8>, Int)] {
        guard ndjson else { return [(bytes[...], 1)] }
        var documents: [(ArraySlice<UInt8>, Int)] = []
        var line = 1
        for slice in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            defer { line += 1 }
            if slice.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            documents.append((slice, line))
        }
        return documents
    }

    private func render(_ result: DocumentResult, index: Int, input: String, firstLine: Int) -> String {
        switch format {
        case .json:
            let errors = result.errors.map { e in
                "{\"instanceLocation\":\(jsonQuoted(e.instanceLocation)),\"keywordLocation\":\(jsonQuoted(e.keywordLocation)),\"absoluteKeywordLocation\":\(jsonQuoted(e.absoluteKeywordLocation)),\"error\":\(jsonQuoted(e.error)),\"line\":\(e.position.line + firstLine - 1),\"column\":\(e.position.column)}"
            }
            return "{\"index\":\(index),\"valid\":\(result.errors.isEmpty),\"errors\":[\(errors.joined(separator: ","))]}\n"
        case .text:
            let name = input == "-" ? "<stdin>" : input
            return result.errors.map { e in
                let at = e.instanceLocation.isEmpty ? "" : " at \(e.instanceLocation)"
                let keyword = e.keywordLocation.isEmpty ? "" : " [\(e.keywordLocation)]"
                return "\(name):\(e.position.line + firstLine - 1):\(e.position.column): error: \(e.error)\(at)\(keyword)\n"
            }.joined()
        }
    }

    // MARK: - Schemas

    private func makeChecker() throws -> (ArraySlice<UInt8>) -> DocumentResult {
        let file = try Workspace.read(schema)
        let schemaDocument: JSONDocument
        do { schemaDocument = try JSONDocument(parsing: file.bytes) } catch {
            throw Terminal.fail("\(schema):\(error.position): \(error.message)")
        }
        if schema.hasSuffix(".avsc") { return try avroChecker(schemaDocument) }
        return try jsonSchemaChecker(schemaDocument, identity: file.identity)
    }

    /// The document, or the result that says it is not JSON.
    private static func parse(_ bytes: ArraySlice<UInt8>) -> Swift.Result<JSONDocument, JSONParseError> {
        do throws(JSONParseError) { return .success(try JSONDocument(parsing: Array(bytes))) } catch { return .failure(error) }
    }

    private static func notJSON(_ error: JSONParseError) -> DocumentResult {
        DocumentResult(errors: [Located(error: "not a JSON document: \(error.message)", instanceLocation: "", keywordLocation: "",
                                absoluteKeywordLocation: "", position: error.position)])
    }

    private func jsonSchemaChecker(_ document: JSONDocument, identity: String) throws -> (ArraySlice<UInt8>) -> DocumentResult {
        let metaErrors = JSONSchemaValidator.metaSchemaErrors(of: document.root, default: draft)
        if !metaErrors.isEmpty {
            for error in metaErrors.prefix(20) {
                let position = document.position(of: JSONPointer(parsing: error.instanceLocation) ?? .root)
                Terminal.err("\(schema):\(position): \(error.error) (meta-schema \(error.keywordLocation))")
            }
            throw Terminal.fail("\(schema) is not a valid JSON Schema (\(metaErrors.count) meta-schema error\(metaErrors.count == 1 ? "" : "s"))")
        }
        let retrieve = try ResourceMap(schemaPath: identity, schema: document.root, resources: resources, resourceDirs: resourceDirs,
                                       allowRemote: allowRemote).retrieve
        let validator: JSONSchemaValidator
        do {
            validator = try JSONSchemaValidator(schema: document.root, uri: "file://" + identity,
                                                options: ValidatorOptions(defaultDialect: draft, assertFormats: formats, retrieve: retrieve))
        } catch {
            let position = document.position(of: JSONPointer(parsing: error.pointer) ?? .root)
            throw Terminal.fail("\(schema):\(position): \(error.message)")
        }
        return { bytes in
            let instance: JSONDocument
            switch Self.parse(bytes) {
            case .success(let document): instance = document
            case .failure(let error): return Self.notJSON(error)
            }
            return DocumentResult(errors: validator.validate(instance.root).map { e in
                Located(error: e.error, instanceLocation: e.instanceLocation, keywordLocation: e.keywordLocation,
                        absoluteKeywordLocation: e.absoluteKeywordLocation,
                        position: instance.position(of: JSONPointer(parsing: e.instanceLocation) ?? .root))
            })
        }
    }

    private func avroChecker(_ document: JSONDocument) throws -> (ArraySlice<UInt8>) -> DocumentResult {
        let parsed = AvroParser().parse(document.root)
        guard let avro = parsed.schema, !parsed.hasErrors else {
            for issue in parsed.issues where issue.rule.severity == .error {
                Terminal.err("\(schema):\(document.position(of: issue.pointer)): \(issue.message)")
            }
            throw Terminal.fail("\(schema) is not a valid Avro schema")
        }
        return { bytes in
            let datum: JSONDocument
            switch Self.parse(bytes) {
            case .success(let document): datum = document
            case .failure(let error): return Self.notJSON(error)
            }
            return DocumentResult(errors: avro.validateJSONDatum(datum.root).map { e in
                Located(error: e.message, instanceLocation: e.instanceLocation.description, keywordLocation: e.schemaLocation.description,
                        absoluteKeywordLocation: "", position: datum.position(of: e.instanceLocation))
            })
        }
    }
}

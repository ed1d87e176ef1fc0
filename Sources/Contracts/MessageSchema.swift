import AvroGeneric
import AvroRuntime
import AvroSchema
import Foundation
import JSONDocument
import JSONSchema
import Validation

/// A schema a contract's messages are written with, ready to encode and decode Confluent-framed
/// values: Avro binary, or JSON text for JSON Schema (validated both ways).
public struct MessageSchema: Sendable {
    public enum Kind: Sendable {
        case avro(AvroSchema)
        case json(JSONSchemaValidator)
    }

    public var kind: Kind
    /// The registry id written in the framing (nil for a schema not known to a registry: lint only).
    public var id: Int32?
    /// Where it came from, for messages: "subject latent-encoder-requests-value v1", a file name.
    public var origin: String

    /// Parses a schema text (Avro when `isJSONSchema` is false) with the texts of the schemas it
    /// references, by reference name.
    public static func make(text: String, isJSONSchema: Bool, references: [(name: String, text: String)], id: Int32?, origin: String) throws(ContractError) -> MessageSchema {
        if isJSONSchema {
            let document: JSONDocument
            do { document = try JSONDocument(parsing: Array(text.utf8)) } catch { throw ContractError("\(origin) is not valid JSON: \(error)") }
            var resources: [String: JSONValue] = [:]
            for reference in references {
                guard let root = try? JSONDocument(parsing: Array(reference.text.utf8)).root else { continue }
                resources[reference.name] = root
                if let id = root.objectValue?["$id"]?.stringValue { resources[id] = root }
            }
            let uri = document.root.objectValue?["$id"]?.stringValue ?? "urn:schemactl:contract-schema"
            do {
                let validator = try JSONSchemaValidator(schema: document.root, uri: uri, options: ValidatorOptions(defaultDialect: .draft7, resources: resources))
                return MessageSchema(kind: .json(validator), id: id, origin: origin)
            } catch {
                throw ContractError("\(origin) cannot be loaded as a JSON Schema: \(error)")
            }
        }
        let file = SourceFile(path: origin, bytes: Array(text.utf8))
        let context = references.enumerated().map { SourceFile(path: "reference\($0.offset).avsc", bytes: Array($0.element.text.utf8)) }
        let analysis = SchemaValidator().analyze([file], context: context)[0]
        let errors = analysis.report.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty, let schema = analysis.schema else {
            throw ContractError("\(origin) is not a valid Avro schema: \(errors.prefix(3).map(\.message).joined(separator: "; "))")
        }
        return MessageSchema(kind: .avro(schema), id: id, origin: origin)
    }

    /// Why a plain JSON datum does not fit the schema (JSON pointer into the datum, message); empty when it does.
    public func problems(with datum: JSONValue) -> [(pointer: String, message: String)] {
        switch kind {
        case .avro(let schema):
            var writer = AvroBinaryWriter()
            do {
                try GenericDatumCodec(schema: schema).encode(PlainAvroJSON.wrap(datum, as: schema.root, in: schema), to: &writer)
                return []
            } catch {
                // Pointers into the wrapped datum name union branches too; they still lead to the right field.
                return [(error.path.description, error.message)]
            }
        case .json(let validator):
            return validator.validate(datum).prefix(5).map { ($0.instanceLocation, $0.error) }
        }
    }

    /// The Confluent-framed bytes of a plain JSON datum.
    public func encode(_ datum: JSONValue) throws(ContractError) -> [UInt8] {
        let problems = problems(with: datum)
        guard problems.isEmpty else { throw ContractError("the value does not fit \(origin): \(problems.map { "\($0.pointer.isEmpty ? "/" : $0.pointer): \($0.message)" }.joined(separator: "; "))") }
        var bytes = ConfluentFraming.header(schemaID: id ?? 0)
        switch kind {
        case .avro(let schema):
            var writer = AvroBinaryWriter()
            do { try GenericDatumCodec(schema: schema).encode(PlainAvroJSON.wrap(datum, as: schema.root, in: schema), to: &writer) } catch { throw ContractError(error.description) }
            bytes += writer.bytes
        case .json:
            bytes += Array(datum.compactText.utf8)
        }
        return bytes
    }

    /// A Confluent-framed payload (without its 5-byte header) as plain JSON.
    public func decode(payload: ArraySlice<UInt8>) throws(ContractError) -> JSONValue {
        switch kind {
        case .avro(let schema):
            let codec = GenericDatumCodec(schema: schema)
            do {
                let value = try AvroBinaryReader.read(payload) { (reader) throws(AvroDecodingError) in
                    let value = try codec.decode(from: &reader)
                    try reader.expectEnd()
                    return value
                }
                return PlainAvroJSON.unwrap(value, as: schema.root, in: schema)
            } catch {
                throw ContractError("cannot decode the value with \(origin): \(error)")
            }
        case .json:
            do { return try JSONDocument(parsing: Array(payload)).root } catch { throw ContractError("the value is not JSON: \(error)") }
        }
    }
}

public struct ContractError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

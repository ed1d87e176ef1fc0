import ArgumentParser
import AvroGeneric
import AvroRuntime
import AvroSchema
import Fingerprint
import Foundation
import JSONDocument

/// How binary datums are framed on the wire.
enum Framing: ExpressibleByArgument {
    case none
    case confluent(Int32)
    case singleObject

    init?(argument: String) {
        switch argument {
        case "none": self = .none
        case "single-object": self = .singleObject
        default:
            guard argument.hasPrefix("confluent:"), let id = Int32(argument.dropFirst("confluent:".count)), id >= 0 else { return nil }
            self = .confluent(id)
        }
    }
}

/// The options and the line loop that `data encode` and `data decode` share.
struct DataCodecOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The Avro schema (*.avsc).", valueName: "file"))
    var schema: String

    @Option(help: ArgumentHelp("none, confluent:ID (0x00 + 4-byte big-endian id) or single-object (C3 01 + fingerprint).", valueName: "framing"))
    var framing: Framing = .none

    @Argument(help: ArgumentHelp("Input files, one datum per line (default: standard input).", valueName: "input"))
    var inputs: [String] = []

    func loadSchema() throws -> AvroSchema { try Self.loadSchema(schema).schema }

    /// A valid Avro schema file: the model and the text as written.
    static func loadSchema(_ path: String) throws -> (schema: AvroSchema, text: String) {
        let file = try Workspace.read(path)
        let document: JSONDocument
        do { document = try JSONDocument(parsing: file.bytes) } catch { throw Terminal.fail("\(path):\(error.position): \(error.message)") }
        let parsed = AvroParser().parse(document.root)
        guard let avro = parsed.schema, !parsed.hasErrors else {
            for issue in parsed.issues where issue.rule.severity == .error { Terminal.err("\(path):\(document.position(of: issue.pointer)): \(issue.message)") }
            throw Terminal.fail("\(path) is not a valid Avro schema")
        }
        return (avro, String(decoding: file.bytes, as: UTF8.self))
    }

    /// Calls `convert` on every non-blank line; prints what it returns, or the line's error. Exit 1
    /// when some line was rejected.
    func convertLines(_ convert: (Substring) -> Result<String, LineError>) throws {
        var rejected = 0
        var out = ""
        for input in inputs.isEmpty ? ["-"] : inputs {
            let bytes: Data
            if input == "-" { bytes = FileHandle.standardInput.readDataToEndOfFile() } else {
                guard let data = FileManager.default.contents(atPath: input) else { throw Terminal.fail("\(input): cannot read file") }
                bytes = data
            }
            let name = input == "-" ? "<stdin>" : input
            for (index, line) in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if line.allSatisfy(\.isWhitespace) { continue }
                switch convert(line) {
                case .success(let text): out += text + "\n"
                case .failure(let error):
                    rejected += 1
                    Terminal.out(out); out = ""
                    Terminal.err("\(name):\(index + 1): error: \(error.message)")
                }
                if out.utf8.count > 1 << 16 { Terminal.out(out); out = "" }
            }
        }
        Terminal.out(out)
        if rejected > 0 { throw ExitCode(1) }
    }
}

struct LineError: Error { var message: String }

struct DataEncodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encode",
        abstract: "Encode datums in Avro's JSON encoding (one per line) to binary, printed as lowercase hex, one per line.",
        discussion: "Exit codes: 0 all converted, 1 some datum rejected (its line says why on stderr), 2 usage or I/O error.")

    @OptionGroup var options: DataCodecOptions

    func run() throws {
        let schema = try options.loadSchema()
        let codec = GenericDatumCodec(schema: schema)
        let prefix: [UInt8] = switch options.framing {
        case .none: []
        case .confluent(let id): ConfluentFraming.header(schemaID: id)
        case .singleObject: SingleObjectEncoding.header(fingerprint: schema.rabinFingerprint)
        }
        try options.convertLines { line in
            let datum: JSONDocument
            do throws(JSONParseError) { datum = try JSONDocument(parsing: Array(line.utf8)) } catch { return .failure(LineError(message: "not JSON: \(error.message)")) }
            var writer = AvroBinaryWriter(prefix: prefix)
            do throws(GenericEncodingError) { try codec.encode(datum.root, to: &writer) } catch {
                return .failure(LineError(message: error.description))
            }
            return .success(hexString(writer.bytes))
        }
    }
}

struct DataDecodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "Decode binary datums (lowercase hex, one per line) to Avro's JSON encoding, one per line.",
        discussion: """
        Error offsets count from the start of the datum, after any framing header.
        With --framing, each datum must carry that framing: the Confluent schema id given, or the
        schema's own fingerprint for single-object encoding (the writer schema's, with --writer-schema).
        With --writer-schema, datums written with that schema are read as --schema by Avro's schema
        resolution (defaults for added fields, promotions, enum defaults, aliases).
        Exit codes: 0 all converted, 1 some datum rejected (its line says why on stderr), 2 usage or I/O error.
        """)

    @OptionGroup var options: DataCodecOptions

    @Option(help: ArgumentHelp("The schema the datums were written with, when it differs from --schema.", valueName: "file"))
    var writerSchema: String?

    func run() throws {
        let (schema, readerText) = try DataCodecOptions.loadSchema(options.schema)
        let codec = GenericDatumCodec(schema: schema)
        let framing = options.framing
        var writerFingerprint = schema.rabinFingerprint
        var resolution: AvroResolution?
        if let writerSchema {
            let (writer, writerText) = try DataCodecOptions.loadSchema(writerSchema)
            writerFingerprint = writer.rabinFingerprint
            do throws(AvroResolutionError) { resolution = try AvroResolution(writerSchema: writerText, readerSchema: readerText) } catch {
                throw Terminal.fail("\(writerSchema) cannot be read as \(options.schema): \(error.message)")
            }
        }
        try options.convertLines { line in
            guard let bytes = Self.bytes(fromHex: line) else { return .failure(LineError(message: "not an even-length hexadecimal string")) }
            do throws(AvroDecodingError) {
                var start = 0
                switch framing {
                case .none: break
                case .confluent(let expected):
                    let (id, payload) = try ConfluentFraming.parse(bytes)
                    guard id == expected else { throw .unknownSchemaID(id) }
                    start = payload
                case .singleObject:
                    let (fingerprint, payload) = try SingleObjectEncoding.parse(bytes)
                    guard fingerprint == writerFingerprint else { throw .unknownFingerprint(fingerprint) }
                    start = payload
                }
                let readerBytes = try resolution?.readerBytes(fromWriterBytes: bytes[start...]) ?? Array(bytes[start...])
                let value = try AvroBinaryReader.read(readerBytes) { (reader) throws(AvroDecodingError) in
                    let value = try codec.decode(from: &reader)
                    try reader.expectEnd()
                    return value
                }
                return .success(value.compactText)
            } catch {
                return .failure(LineError(message: error.description))
            }
        }
    }

    static func bytes(fromHex text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8.filter { $0 != 0x20 && $0 != 0x0d && $0 != 0x09 })
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 97...102: c - 87
        case 65...70: c - 55
        default: nil
        }
    }
}

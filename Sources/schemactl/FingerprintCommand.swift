import ArgumentParser
import AvroSchema
import Fingerprint

struct FingerprintCommand: ParsableCommand {
    enum Algorithm: String, ExpressibleByArgument, CaseIterable {
        case rabin, md5, sha256
    }

    static let configuration = CommandConfiguration(
        commandName: "fingerprint",
        abstract: "Print the fingerprint of an Avro schema's canonical form, in lowercase hex.",
        discussion: """
        rabin is CRC-64-AVRO, printed as its 8 bytes in little-endian order, the way single-object
        encoding (C3 01 + fingerprint) stores it; md5 and sha256 hash the canonical form's UTF-8 bytes.
        """
    )

    @Option(help: "rabin (CRC-64-AVRO, little-endian bytes), md5 or sha256.")
    var algorithm: Algorithm = .rabin

    @OptionGroup var schemaOptions: SchemaOptions

    @Argument(help: ArgumentHelp("The schema file.", valueName: "file"))
    var file: String

    func run() throws {
        let schema = try loadValidSchema(file, options: schemaOptions)
        let bytes = switch algorithm {
        case .rabin: Rabin.littleEndianBytes(schema.rabinFingerprint)
        case .md5: schema.md5Fingerprint
        case .sha256: schema.sha256Fingerprint
        }
        Terminal.out(hexString(bytes) + "\n")
    }
}

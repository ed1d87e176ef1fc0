import AvroSchema
import Fingerprint
import Foundation
import JSONDocument
import Testing
import TestSupport

/// Parsing Canonical Form and the three fingerprints, from `schema-tests.fingerprints.json`
/// (Apache Avro's schema-tests.txt) and `canonical-extra.json`.
struct CanonicalFormVectorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let input: String
        let canonical: String
        let rabin: String?
        let md5: String?
        let sha256: String?
        var testDescription: String { name }
    }

    static func load(_ file: String) -> [Case] {
        guard let list = try? TestPaths.readJSON(TestPaths.vectors.appendingPathComponent("avro/\(file)")) as? [[String: Any]] else { return [] }
        return list.map {
            Case(name: ($0["id"] ?? $0["name"]) as! String, input: $0["input"] as! String, canonical: $0["canonical"] as! String,
                 rabin: $0["rabin_le_hex"] as? String, md5: $0["md5_hex"] as? String, sha256: $0["sha256_hex"] as? String)
        }
    }

    static let schemaTests = load("schema-tests.fingerprints.json")
    static let extra = load("canonical-extra.json")

    @Test func vectorsAreLoaded() {
        #expect(Self.schemaTests.count == 34)
        #expect(Self.extra.count == 20)
    }

    @Test(arguments: schemaTests + extra)
    func canonicalFormAndFingerprints(_ vector: Case) throws {
        let document = try JSONDocument(parsing: vector.input)
        let result = AvroParser().parse(document.root)
        #expect(!result.hasErrors, "\(result.issues)")
        let schema = try #require(result.schema)
        #expect(schema.canonicalForm == vector.canonical)
        if let rabin = vector.rabin { #expect(hexString(Rabin.littleEndianBytes(schema.rabinFingerprint)) == rabin) }
        if let md5 = vector.md5 { #expect(hexString(schema.md5Fingerprint) == md5) }
        if let sha256 = vector.sha256 { #expect(hexString(schema.sha256Fingerprint) == sha256) }
    }
}

import Foundation
import Testing
import TestSupport

/// Malformed input of every kind gets a clear diagnostic and exit 1, never a crash or a hang.
struct BadInputTests {
    static func validate(_ bytes: [UInt8], name: String = "bad.avsc") throws -> CommandResult {
        let folder = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(bytes).write(to: folder.appendingPathComponent(name))
        return try runSchemactl(["validate", "--format", "json", name], in: folder)
    }

    static func rules(_ result: CommandResult) -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
              let files = object["files"] as? [[String: Any]] else { return [] }
        return files.flatMap { ($0["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String } }
    }

    static func expectFinding(_ result: CommandResult, _ rule: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!result.terminatedBySignal, "crashed: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.status == 1, "\(result.stderr)", sourceLocation: sourceLocation)
        #expect(rules(result) == [rule], "\(result.stdout.prefix(500))", sourceLocation: sourceLocation)
    }

    @Test func emptyFile() throws {
        Self.expectFinding(try Self.validate([]), "JSON_EMPTY")
    }

    @Test func binaryGarbage() throws {
        var generator = SystemRandomNumberGenerator()
        let garbage = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let result = try Self.validate([0x00, 0xFF] + garbage)
        #expect(!result.terminatedBySignal)
        #expect(result.status == 1)
        #expect(["JSON_SYNTAX", "JSON_INVALID_UTF8"].contains(Self.rules(result).first ?? ""))
    }

    @Test func invalidUTF8() throws {
        let result = try Self.validate(Array(#"{"type": "string", "doc": ""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8))
        Self.expectFinding(result, "JSON_INVALID_UTF8")
        #expect(result.stdout.contains("\"line\":1"))
    }

    @Test func nestedOneHundredThousandDeep() throws {
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000) + Array(repeating: UInt8(ascii: "]"), count: 100_000)
        Self.expectFinding(try Self.validate(deep), "JSON_NESTING_TOO_DEEP")
        let records = String(repeating: #"{"type":"array","items":"#, count: 60_000) + #""int""# + String(repeating: "}", count: 60_000)
        Self.expectFinding(try Self.validate(Array(records.utf8)), "JSON_NESTING_TOO_DEEP")
    }

    /// Deep but within the limit: the parser, checker and canonical form must not overflow the stack.
    @Test func deepButAllowedNesting() throws {
        let text = String(repeating: #"{"type":"array","items":"#, count: 1000) + #""int""# + String(repeating: "}", count: 1000)
        let result = try Self.validate(Array(text.utf8))
        #expect(!result.terminatedBySignal)
        #expect(result.status == 0, "\(result.stdout.prefix(300)) \(result.stderr)")
    }

    @Test func fiftyMegabyteFile() throws {
        // A valid record with ~250,000 documented fields (about 50 MB), and the same with a bad default at the end.
        var text = #"{"type":"record","name":"Huge","fields":["#
        let doc = String(repeating: "d", count: 180)
        for i in 0..<250_000 { text += #"{"name":"f\#(i)","type":"string","doc":"\#(doc)"},"# }
        let valid = text + #"{"name":"last","type":"int"}]}"#
        #expect(valid.utf8.count > 50_000_000)
        let ok = try Self.validate(Array(valid.utf8))
        #expect(ok.status == 0, "\(ok.stdout.prefix(300)) \(ok.stderr)")
        let bad = try Self.validate(Array((text + #"{"name":"last","type":"int","default":"x"}]}"#).utf8))
        Self.expectFinding(bad, "AVRO_INVALID_DEFAULT")
        #expect(bad.stdout.contains("/fields/250000/default"))
    }

    @Test func numbersBeyondSixtyFourBits() throws {
        let size = try Self.validate(Array(#"{"type":"fixed","name":"F","size":123456789012345678901234567890}"#.utf8))
        Self.expectFinding(size, "AVRO_INVALID_FIXED_SIZE")
        let longDefault = try Self.validate(Array(#"{"type":"record","name":"R","fields":[{"name":"a","type":"long","default":18446744073709551616}]}"#.utf8))
        Self.expectFinding(longDefault, "AVRO_INVALID_DEFAULT")
        #expect(longDefault.stdout.contains("outside the 64-bit range"))
        let realDefault = try Self.validate(Array(#"{"type":"record","name":"R","fields":[{"name":"a","type":"double","default":1e999}]}"#.utf8))
        Self.expectFinding(realDefault, "AVRO_INVALID_DEFAULT")
    }

    @Test func folderGivenAsAFileAndUnreadableFile() throws {
        let folder = try makeTemporaryDirectory()
        let file = folder.appendingPathComponent("locked.avsc")
        try #""int""#.write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: file.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path) }
        let result = try runSchemactl(["validate", "locked.avsc"], in: folder)
        // root can read anything; elsewhere the file is unreadable and that is an I/O error (2).
        #expect(result.status == 0 || result.status == 2)
        #expect(!result.terminatedBySignal)
    }
}

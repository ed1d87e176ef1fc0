import Contracts
import Diagnostics
import Foundation
import JSONDocument
import Testing

@Suite("contract format")
struct ContractParserTests {
    @Test func unknownKeysAndInvalidValuesAreLocated() {
        let text = """
        contract: schemactl/v1
        id: x
        vars:
          rid: { gen: uuid }
        send:
          topic: t
          value: { a: 1 }
          wire: protobuf
        expect:
          - topic: r
            withn: 2s
            count: many
            value:
              a: { $match: regexp, pattern: x }
              b: { $match: regex, pattern: "(" }
        forbid:
          - { topic: d, quiet: soon }
        """
        let result = ContractParser.parse(text)
        #expect(result.contracts.isEmpty)
        let found = result.diagnostics.map { "\($0.line):\($0.column) \($0.rule)" }
        #expect(found.contains("8:9 CONTRACT_INVALID_VALUE"))        // wire: protobuf
        #expect(found.contains("11:5 CONTRACT_UNKNOWN_KEY"))         // withn
        #expect(found.contains("12:12 CONTRACT_INVALID_VALUE"))      // count: many
        #expect(found.contains("14:20 CONTRACT_INVALID_VALUE"))      // unknown matcher regexp
        #expect(found.contains("15:36 CONTRACT_INVALID_VALUE"))      // invalid regex
        #expect(found.contains("17:24 CONTRACT_INVALID_VALUE"))      // quiet: soon
        #expect(result.diagnostics.first { $0.rule == "CONTRACT_UNKNOWN_KEY" }?.message.contains("did you mean \"within\"") == true)
        #expect(result.diagnostics.count == 6, "\(found)")
    }

    @Test func envVariablesTakeTheVerifiersEnvironmentOrTheirDefault() throws {
        let text = """
        contract: schemactl/v1
        id: e
        vars:
          data: { env: VTRYON_DATA, default: /data/vtryon }
          broken: { env: X }
        send: { topic: t, value: { path: "{{data}}/in/a.png" } }
        forbid: [{ topic: d, quiet: 1s }]
        """
        let result = ContractParser.parse(text)
        #expect(result.diagnostics.map { "\($0.line):\($0.column) \($0.rule)" } == ["5:11 CONTRACT_INVALID_VALUE"], "a missing default")
        let fixed = ContractParser.parse(text.replacingOccurrences(of: "  broken: { env: X }\n", with: ""))
        let contract = try #require(fixed.contracts.first)
        #expect(contract.vars.map(\.generator) == [.environment("VTRYON_DATA", fallback: "/data/vtryon")])
        let set = Templates.generate(contract.vars, environment: ["VTRYON_DATA": "/tmp/here"])
        #expect(try Templates.resolve(contract.send.value, set) == .object(JSONObject(["path": .string("/tmp/here/in/a.png")])))
        #expect(Templates.generate(contract.vars, environment: [:])["data"] == .string("/data/vtryon"))
        #expect(Templates.generate(contract.vars, environment: ["VTRYON_DATA": ""])["data"] == .string("/data/vtryon"))
    }

    @Test func syntaxErrorsAndMissingPartsAreDiagnostics() {
        #expect(ContractParser.parse("contract: [unclosed").diagnostics.first?.rule == "CONTRACT_SYNTAX")
        let missing = ContractParser.parse("contract: schemactl/v1\nid: x\n").diagnostics.map(\.rule)
        #expect(missing.contains("CONTRACT_MISSING_KEY"))
        let otherVersion = ContractParser.parse("contract: schemactl/v9\nid: x\nsend: { topic: t, value: 1 }\nforbid: [{ topic: d, quiet: 1s }]\n")
        #expect(otherVersion.diagnostics.map(\.rule) == ["CONTRACT_INVALID_VALUE"])
    }

    @Test func severalDocumentsAreSeveralContractsWithTypedScalars() throws {
        let text = """
        contract: schemactl/v1
        id: a
        timeout: 500ms
        send: { topic: t, value: { n: 5, x: 1.5, s: "5", b: true, z: null, plain: text } }
        forbid: [{ topic: d, quiet: 2s }]
        ---
        contract: schemactl/v1
        id: b
        correlate: { by: headers.trace }
        timeout: 2m
        send: { topic: t, headers: { trace: "{{run}}" }, value: {} }
        expect: [{ topic: r, min: 2, max: 3, within: 1m }]
        """
        let result = ContractParser.parse(text)
        #expect(result.diagnostics.isEmpty)
        try #require(result.contracts.map(\.id) == ["a", "b"])
        #expect(result.contracts[0].timeout == 0.5)
        #expect(result.contracts[0].send.value == .object(JSONObject([
            "n": .integer(5), "x": .real(1.5), "s": .string("5"), "b": .bool(true), "z": .null, "plain": .string("text"),
        ])))
        #expect(result.contracts[1].correlate == .header("trace"))
        #expect(result.contracts[1].expect[0].minCount == 2 && result.contracts[1].expect[0].maxCount == 3 && result.contracts[1].expect[0].within == 60)
        #expect(result.contracts[1].mark.line == 7)
    }
}

@Suite("contract matchers")
struct MatcherTests {
    func matcher(_ yaml: String) throws -> Matcher {
        let text = "contract: schemactl/v1\nid: m\nsend: { topic: t, value: 1 }\nexpect:\n  - topic: r\n    value: \(yaml)\n"
        let result = ContractParser.parse(text)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        return try #require(result.contracts.first?.expect.first?.value)
    }

    func problems(_ yaml: String, _ actual: JSONValue?, vars: [String: JSONValue] = [:]) throws -> [String] {
        try matcher(yaml).mismatches(actual, at: "value", in: MatchContext(vars: vars, now: Date(timeIntervalSince1970: 1_700_000_000),
                                                                           fileExists: { $0 == "/exists" })).map { "\($0.path): \($0.message)" }
    }

    @Test func eachMatcherAcceptsAndRejects() throws {
        #expect(try problems("{ $match: uuid }", .string("0b6c1a5e-5d1f-4c1e-9d7a-2f0c6b7e8a91")).isEmpty)
        #expect(try problems("{ $match: uuid }", .string("nope")) == ["value: expected a UUID, found \"nope\""])
        #expect(try problems("{ $match: timestamp, unit: millis, within: 10s }", .integer(1_700_000_005_000)).isEmpty)
        #expect(try problems("{ $match: timestamp, unit: millis, within: 10s }", .integer(1_600_000_000_000)).count == 1)
        #expect(try problems("{ $match: timestamp, unit: iso, within: 1m }", .string("2023-11-14T22:13:50.5Z")).isEmpty)
        #expect(try problems("{ $match: timestamp, unit: iso }", .string("yesterday")) == ["value: expected a timestamp (iso), found \"yesterday\""])
        #expect(try problems("{ $match: regex, pattern: \"^a+$\" }", .string("aaa")).isEmpty)
        #expect(try problems("{ $match: regex, pattern: \"^a+$\" }", .string("ab")).count == 1)
        #expect(try problems("{ $match: type, example: 3 }", .integer(7)).isEmpty)
        #expect(try problems("{ $match: type, type: string }", .integer(7)) == ["value: expected a value of type string, found 7"])
        #expect(try problems("{ $match: number, min: 1, max: 2 }", .real(1.5)).isEmpty)
        #expect(try problems("{ $match: number, min: 1, max: 2 }", .integer(3)) == ["value: 3 is above the maximum 2.0"])
        #expect(try problems("{ $match: file, exists: true }", .string("/exists")).isEmpty)
        #expect(try problems("{ $match: file, exists: true }", .string("/missing")) == ["value: file /missing does not exist"])
        #expect(try problems("{ $match: include, value: decode }", .string("cannot decode image")).isEmpty)
        #expect(try problems("{ $match: oneOf, values: [a, b] }", .string("c")).count == 1)
        #expect(try problems("{ $match: notEmpty }", .string("")).count == 1)
    }

    @Test func objectsAllowExtraFieldsButReportMissingAndWrongOnes() throws {
        let actual: JSONValue = .object(JSONObject(["id": .string("r-1"), "n": .real(2.0), "extra": .bool(true), "gone": .null]))
        #expect(try problems("{ id: \"{{rid}}\", n: 2, gone: { $match: absent } }", actual, vars: ["rid": .string("r-1")]).isEmpty)
        #expect(try problems("{ id: \"{{rid}}\", missing: 1 }", actual, vars: ["rid": .string("r-2")]) == [
            "value/id: expected \"r-2\", found \"r-1\"", "value/missing: is missing",
        ])
        #expect(try problems("[1, { $match: type, type: integer }]", .array([.integer(1)])) == ["value: expected 2 elements, found 1"])
    }
}

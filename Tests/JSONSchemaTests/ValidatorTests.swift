import Foundation
import JSONDocument
import JSONSchema
import Testing

/// Behaviour beyond the official suite: output shape, exact numbers, bad schemas and large input.
struct ValidatorTests {
    func validator(_ schema: String, dialect: Dialect = .draft2020_12, formats: Bool = false) throws -> JSONSchemaValidator {
        try JSONSchemaValidator(schema: try JSONDocument(parsing: schema).root, options: ValidatorOptions(defaultDialect: dialect, assertFormats: formats))
    }

    func json(_ text: String) throws -> JSONValue { try JSONDocument(parsing: text).root }

    @Test func basicOutputShape() throws {
        let v = try validator(##"{"$id":"https://example.com/s.json","properties":{"a":{"$ref":"#/$defs/n"}},"$defs":{"n":{"type":"integer","maximum":3}}}"##)
        let errors = v.validate(try json(##"{"a": 7}"##))
        #expect(errors == [ValidationError(instanceLocation: "/a", keywordLocation: "/properties/a/$ref/maximum",
                                           absoluteKeywordLocation: "https://example.com/s.json#/$defs/n/maximum",
                                           error: "7 is greater than the maximum 3")])
        #expect(v.isValid(try json(##"{"a": 3}"##)))
    }

    @Test func everyFailureIsReported() throws {
        let v = try validator(##"{"type":"object","required":["id","kind"],"properties":{"n":{"minimum":0},"s":{"maxLength":2}},"additionalProperties":false}"##)
        let errors = v.validate(try json(##"{"n": -1, "s": "abc", "x": 1}"##))
        #expect(Set(errors.map(\.keywordLocation)) == ["/required", "/properties/n/minimum", "/properties/s/maxLength", "/additionalProperties"])
        #expect(errors.filter { $0.keywordLocation == "/required" }.count == 2)
        #expect(errors.contains { $0.error == "property \"x\" is not allowed (additionalProperties is false)" })
    }

    @Test func numbersByValueAndDecimalMultipleOf() throws {
        #expect(try validator(##"{"const": 1}"##).isValid(try json("1.0")))
        #expect(try validator(##"{"enum": [[1, {"a": 2.0}]]}"##).isValid(try json(##"[1.0, {"a": 2}]"##)))
        #expect(!(try validator(##"{"uniqueItems": true}"##).isValid(try json("[1, 1.0]"))))
        #expect(try validator(##"{"type": "integer"}"##).isValid(try json("1.0")))
        #expect(try validator(##"{"multipleOf": 0.01}"##).isValid(try json("10.11")))   // binary doubles say no
        #expect(try validator(##"{"multipleOf": 0.1}"##).isValid(try json("0.3")))
        #expect(!(try validator(##"{"multipleOf": 0.1}"##).isValid(try json("0.35"))))
        #expect(try validator(##"{"maximum": 18446744073709551615}"##).isValid(try json("18446744073709551614")))
        #expect(!(try validator(##"{"maximum": 18446744073709551615}"##).isValid(try json("18446744073709551616"))))
    }

    @Test func stringLengthCountsCodePoints() throws {
        #expect(try validator(##"{"maxLength": 1}"##).isValid(try json(##""😀""##)))
        #expect(!(try validator(##"{"maxLength": 1}"##).isValid(try json(##""e\u0301""##))))   // two code points, one grapheme
        #expect(!(try validator(##"{"const": "é"}"##).isValid(try json(##""e\u0301""##))))     // not canonical equivalence
    }

    @Test func formatIsAnAnnotationUnlessAsked() throws {
        #expect(try validator(##"{"format": "date"}"##).isValid(try json(##""2024-02-30""##)))
        let asserting = try validator(##"{"format": "date"}"##, formats: true)
        #expect(asserting.validate(try json(##""2024-02-30""##)).first?.error == "\"2024-02-30\" is not a valid date: day 30 does not exist in month 2 of 2024")
        #expect(asserting.isValid(try json(##""2024-02-29""##)))
    }

    @Test func metaSchemaErrorsAreLocated() throws {
        let schema = try json(##"{"$schema":"http://json-schema.org/draft-07/schema#","type":"strnig","minLength":-1,"properties":{"a":{"required":"yes"}}}"##)
        let errors = JSONSchemaValidator.metaSchemaErrors(of: schema, default: .draft2020_12)
        #expect(Set(errors.map(\.instanceLocation)).isSuperset(of: ["/type", "/minLength", "/properties/a/required"]))
        #expect(JSONSchemaValidator.metaSchemaErrors(of: try json(##"{"type":"string"}"##), default: .draft7).isEmpty)
    }

    @Test func referenceCyclesAreAnErrorNotACrash() throws {
        for schema in [##"{"$ref": "#"}"##, ##"{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"}"##] {
            let v = try validator(schema)
            #expect(!v.isValid(try json("1")))
            let errors = v.validate(try json("1"))
            #expect(errors.contains { $0.error.contains("$ref cycle") })
        }
        // Recursion that moves into the instance is fine, however deep the instance.
        let tree = try validator(##"{"type":"array","items":{"$ref":"#"}}"##)
        let deep = String(repeating: "[", count: 2000) + String(repeating: "]", count: 2000)
        #expect(tree.isValid(try json(deep)))
    }

    @Test func unresolvableReferencesAndBadPatternsAreSchemaErrors() throws {
        #expect { try validator(##"{"$ref": "other.json#/x"}"##) } throws: { ($0 as? SchemaError)?.message.contains("cannot resolve reference") == true }
        #expect { try validator(##"{"properties": {"a": {"$ref": "#/$defs/missing"}}}"##) } throws: { ($0 as? SchemaError)?.pointer == "/properties/a/$ref" }
        #expect { try validator(##"{"pattern": "(?i)x"}"##) } throws: { ($0 as? SchemaError)?.message.contains("ECMA-262") == true }
        #expect { try validator(##"{"$schema": "https://example.com/unknown-meta"}"##) } throws: { ($0 as? SchemaError)?.message.contains("unknown meta-schema") == true }
    }

    @Test func catastrophicPatternOnALongString() throws {
        let v = try validator(##"{"pattern": "^(a+)+$"}"##)
        let errors = v.validate(.string(String(repeating: "a", count: 100_000) + "!"))
        #expect(errors.count == 1)
    }

    @Test func tenMegabyteDocument() throws {
        let v = try validator(##"{"type":"array","items":{"type":"object","required":["id","name"],"properties":{"id":{"type":"integer","minimum":0},"name":{"type":"string","maxLength":64}}},"uniqueItems":true}"##)
        var text = "["
        for i in 0..<200_000 { text += ##"{"id":\##(i),"name":"item number \##(i) with some padding text"},"## }
        text += ##"{"id":-1,"name":"last"}]"##
        #expect(text.utf8.count > 10_000_000)
        let document = try json(text)
        let errors = v.validate(document)
        #expect(errors.map(\.instanceLocation) == ["/200000/id"])
    }

    @Test func lintFindsTyposImpossibleRequiredAndIgnoredSiblings() throws {
        let schema = try json(##"{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","requried":["a"],"properties":{"a":{"$ref":"#/definitions/x","minimum":1}},"required":["a","b"],"additionalProperties":false,"definitions":{"x":{"type":"integer"}}}"##)
        let findings = JSONSchemaLinter.lint(schema, defaultDialect: .draft7)
        #expect(findings.map(\.rule) == [.unknownKeyword, .requiredNotDefined, .ignoredBesideRef])
        #expect(findings[0].message.contains("did you mean \"required\""))
        #expect(findings[1].pointer.description == "/required/1")
        #expect(findings[2].pointer.description == "/properties/a/minimum")
    }
}

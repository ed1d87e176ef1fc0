import JSONDocument
import Testing

struct JSONDocumentTests {
    @Test func keepsKeyOrderAndTellsIntegersFromReals() throws {
        let document = try JSONDocument(parsing: #"{"z": 1, "a": 1.0, "m": -0, "e": 1e2, "big": 9223372036854775807}"#)
        let object = try #require(document.root.objectValue)
        #expect(object.keys == ["z", "a", "m", "e", "big"])
        #expect(object["z"] == .integer(1))
        #expect(object["a"] == .real(1.0))
        #expect(object["m"] == .integer(0))
        #expect(object["e"] == .real(100))
        #expect(object["big"] == .integer(Int64.max))
    }

    @Test func rejectsDuplicateKeysWithPosition() {
        #expect {
            try JSONDocument(parsing: "{\n  \"a\": 1,\n  \"a\": 2\n}")
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.kind == .duplicateKey && error.position.line == 3 && error.message.contains("duplicate")
        }
    }

    @Test func acceptsNulInStrings() throws {
        let document = try JSONDocument(parsing: #"{"s": "a\u0000b"}"#)
        #expect(document.root.objectValue?["s"] == .string("a\u{0}b"))
        #expect(document.root.objectValue?["s"]?.stringValue?.utf8.count == 3)
    }

    @Test func syntaxErrorsHaveLineAndColumn() {
        #expect {
            try JSONDocument(parsing: "{\n  \"a\": tru\n}")
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.kind == .syntax && error.position == JSONPosition(line: 2, column: 10) // jansson points at the end of the bad token
        }
    }

    @Test func commentsAreAnErrorUnlessRecovered() throws {
        let text = "{\n  \"a\": 1, // one\n  /* block */ \"b\": 2\n}"
        #expect {
            try JSONDocument(parsing: text)
        } throws: { error in
            (error as? JSONParseError)?.kind == .comment && (error as? JSONParseError)?.position == JSONPosition(line: 2, column: 11)
        }
        let document = try JSONDocument(parsing: text, recoveringComments: true)
        #expect(document.comments.map(\.position) == [JSONPosition(line: 2, column: 11), JSONPosition(line: 3, column: 3)])
        #expect(document.comments.map(\.text) == ["// one", "/* block */"])
        #expect(document.root.objectValue?.keys == ["a", "b"])
        #expect(document.position(of: JSONPointer(["b"])) == JSONPosition(line: 3, column: 20))
    }

    @Test func slashesInsideStringsAreNotComments() throws {
        let document = try JSONDocument(parsing: #"{"url": "http://x/*y*/"}"#)
        #expect(document.root.objectValue?["url"] == .string("http://x/*y*/"))
    }

    @Test func positionOfAnyPointer() throws {
        let text = """
        {
          "type": "record",
          "fields": [
            {"name": "é", "type": "int"},
            {"name": "b", "type": ["null", {"type": "map", "values": "long"}], "default": null}
          ],
          "a/b": {"~x": [1, 2, 3]}
        }
        """
        let document = try JSONDocument(parsing: text)
        func at(_ pointer: String) -> String { document.position(of: JSONPointer(parsing: pointer)!).description }
        #expect(at("") == "1:1")
        #expect(at("/type") == "2:11")
        #expect(at("/fields/0/type") == "4:27") // é is one column
        #expect(at("/fields/1/type/1/values") == "5:62")
        #expect(at("/fields/1/default") == "5:83")
        #expect(at("/a~1b/~0x/2") == "7:24")
        // Past the end: the deepest value that exists.
        #expect(at("/fields/7") == "3:13")
        #expect(document.keyPosition(of: JSONPointer(parsing: "/fields/1/default")!).description == "5:72")
    }

    @Test func numbersBeyondSixtyFourBitsAreKeptAsLiterals() throws {
        let document = try JSONDocument(parsing: #"[18446744073709551616, -92233720368547758080, 1e400, 3, "x"]"#)
        #expect(document.root == .array([.bigNumber("18446744073709551616"), .bigNumber("-92233720368547758080"),
                                         .bigNumber("1e400"), .integer(3), .string("x")]))
        #expect(JSONValue.bigNumber("18446744073709551616").typeName == "integer")
        #expect(document.position(of: JSONPointer(["3"])) == JSONPosition(line: 1, column: 54))
    }

    /// The big-number marker is a private-use character; a document that contains it itself gets
    /// a plain range error rather than a mix-up.
    @Test func bigNumbersBesideTheMarkerCharacterAreRefused() {
        for text in [#"[18446744073709551616, "\uE0000"]"#, "[18446744073709551616, \"\u{E000}0\"]"] {
            do { _ = try JSONDocument(parsing: text); Issue.record("parsed \(text)") } catch {
                #expect(error.kind == .numberOutOfRange)
            }
        }
        #expect((try? JSONDocument(parsing: #"["\uE0000"]"#))?.root == .array([.string("\u{E000}0")]))
    }

    @Test func refusesWhatIsNotJSON() {
        let cases: [([UInt8], JSONParseError.Kind)] = [
            ([], .empty),
            (Array("  \n ".utf8), .empty),
            ([0xEF, 0xBB, 0xBF] + Array("{}".utf8), .byteOrderMark),
            (Array("\"a".utf8) + [0xFF] + Array("\"".utf8), .invalidUTF8),
            (Array(repeating: UInt8(ascii: "["), count: 100_000) + Array(repeating: UInt8(ascii: "]"), count: 100_000), .nestingTooDeep),
            (Array("\"int\" \"long\"".utf8), .syntax),
            (Array("{\"a\": 1,}".utf8), .syntax),
        ]
        for (bytes, kind) in cases {
            #expect(throws: JSONParseError.self) { try JSONDocument(parsing: bytes) }
            do { _ = try JSONDocument(parsing: bytes) } catch { #expect(error.kind == kind, "\(error)") }
        }
    }

    @Test func compactTextRoundTrips() throws {
        let text = #"{"a":[1,2.5,"x\"y\n",null,true],"b":{"c":"é\u0001"}}"#
        let document = try JSONDocument(parsing: text)
        #expect(document.root.compactText == #"{"a":[1,2.5,"x\"y\n",null,true],"b":{"c":"é\u0001"}}"#)
        #expect(try JSONDocument(parsing: document.root.compactText).root == document.root)
    }
}

import Diagnostics
import Foundation
import Testing

struct RendererTests {
    static let reports = [
        FileReport(path: "schemas/a.avsc", diagnostics: [
            Diagnostic(severity: .warning, rule: "AVRO_FIELD_LEVEL_LOGICAL_TYPE", message: "move it, \"now\"", pointer: "/fields/1/logicalType", line: 12, column: 5),
            Diagnostic(severity: .error, rule: "AVRO_UNDEFINED_NAME", message: "X is not defined", pointer: "/fields/0/type", line: 3, column: 9),
        ]),
        FileReport(path: "schemas/b.avsc", diagnostics: []),
    ]

    @Test func textIsPathLineColumnSeverityRuleMessage() {
        let text = ReportFormat.text.render(Self.reports)
        #expect(text == """
        schemas/a.avsc:3:9: error[AVRO_UNDEFINED_NAME]: X is not defined
        schemas/a.avsc:12:5: warning[AVRO_FIELD_LEVEL_LOGICAL_TYPE]: move it, "now"
        2 files checked: 1 error, 1 warning

        """)
    }

    @Test func jsonHasTheDocumentedShape() throws {
        let json = ReportFormat.json.render(Self.reports)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let files = try #require(object["files"] as? [[String: Any]])
        #expect(files.count == 2)
        #expect(files[0]["path"] as? String == "schemas/a.avsc")
        #expect(files[0]["valid"] as? Bool == false)
        #expect(files[1]["valid"] as? Bool == true)
        let first = try #require((files[0]["diagnostics"] as? [[String: Any]])?.first)
        #expect(first["severity"] as? String == "error")
        #expect(first["rule"] as? String == "AVRO_UNDEFINED_NAME")
        #expect(first["pointer"] as? String == "/fields/0/type")
        #expect(first["line"] as? Int == 3)
        #expect(first["column"] as? Int == 9)
        #expect(first["message"] as? String == "X is not defined")
    }

    @Test func githubAnnotationsEscapeTheirProperties() {
        let text = ReportFormat.github.render([FileReport(path: "a,b:c.avsc", diagnostics: [
            Diagnostic(severity: .error, rule: "R", message: "50% done\nnext", line: 2, column: 3),
        ])])
        #expect(text == "::error file=a%2Cb%3Ac.avsc,line=2,col=3,title=R::50%25 done%0Anext\n")
    }

    @Test func junitIsWellFormedXMLWithOneFailurePerError() throws {
        let xml = ReportFormat.junit.render(Self.reports)
        #expect(xml.contains("<testsuites tests=\"2\" failures=\"1\">"))
        #expect(xml.contains("<failure type=\"AVRO_UNDEFINED_NAME\""))
        #expect(xml.contains("move it, &quot;now&quot;"))
        let document = try XMLDocumentParser.parse(xml)
        #expect(document)
    }

    @Test func sarifCarriesRulesAndRegions() throws {
        let sarif = ReportFormat.sarif.render(Self.reports, rules: [RuleDescription(id: "AVRO_UNDEFINED_NAME", severity: .error, summary: "undefined")])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
        #expect(object["version"] as? String == "2.1.0")
        let run = try #require((object["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == 2)
        #expect(results.first?["ruleId"] as? String == "AVRO_UNDEFINED_NAME")
        let region = ((results.first?["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any]
        #expect(region?["startLine"] as? Int == 3)
        let rules = ((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]]
        #expect(rules?.count == 1)
    }
}

/// Checks well-formedness with Foundation's XML parser.
enum XMLDocumentParser {
    static func parse(_ text: String) throws -> Bool {
        #if canImport(FoundationXML)
        return FoundationXMLCheck.isWellFormed(text)
        #else
        return XMLParser(data: Data(text.utf8)).parse()
        #endif
    }
}

#if canImport(FoundationXML)
import FoundationXML
enum FoundationXMLCheck {
    static func isWellFormed(_ text: String) -> Bool { XMLParser(data: Data(text.utf8)).parse() }
}
#endif

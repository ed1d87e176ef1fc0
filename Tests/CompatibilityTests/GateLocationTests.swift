import Compatibility
import Diagnostics
import SchemaConfig
import Testing

/// Where the gate reports a finding: FORWARD findings point into the baseline's schema (the old
/// schema reads), so the gate shows them at the matching place of the new file.
@Suite struct GateLocationTests {
    func snapshot(_ level: String, _ schema: String) -> SchemaSnapshot {
        guard case .success(let config) = ConfigParser.parse("version: 1\nsubjects:\n  - subject: s\n    schema: s.avsc\n    compatibility: \(level)\n") else {
            fatalError("config")
        }
        return SchemaSnapshot(config: config, files: ["s.avsc": Array(schema.utf8)])
    }

    @Test func forwardFindingsAreShownAtTheMatchingFieldOfTheNewFile() throws {
        // The baseline reads "count" as an int; the new schema moved it and writes a string.
        let old = #"{"type":"record","name":"R","fields":[{"name":"count","type":"int"},{"name":"id","type":"long"}]}"#
        let new = """
        {
          "type": "record",
          "name": "R",
          "fields": [
            {"name": "id", "type": "long"},
            {"name": "extra", "type": "string", "default": ""},
            {"name": "count", "type": "string"}
          ]
        }
        """
        let reports = CompatibilityGate().check(current: snapshot("FORWARD", new), baseline: snapshot("FORWARD", old))
        let finding = try #require(reports.first?.diagnostics.first)
        #expect(finding.rule == "TYPE_MISMATCH")
        #expect(finding.pointer == "/fields/0/type") // in the baseline's schema
        #expect(finding.line == 7 && finding.column == 31, "\(finding.line):\(finding.column)") // "count"'s type in the new file
    }

    @Test func jsonForwardFindingsToo() throws {
        func json(_ schema: String) -> SchemaSnapshot {
            guard case .success(let config) = ConfigParser.parse("version: 1\nsubjects:\n  - subject: j\n    schema: j.json\n    compatibility: FORWARD\n") else { fatalError("config") }
            return SchemaSnapshot(config: config, files: ["j.json": Array(schema.utf8)])
        }
        let old = #"{"type":"object","properties":{"a":{"type":"string","maxLength":5}}}"#
        let new = "{\n  \"type\": \"object\",\n  \"properties\": {\n    \"a\": {\"type\": \"string\"}\n  }\n}"
        let reports = CompatibilityGate().check(current: json(new), baseline: json(old))
        let finding = try #require(reports.first?.diagnostics.first)
        #expect(finding.rule == "MAX_LENGTH_ADDED")
        #expect(finding.line == 4, "\(finding.line):\(finding.column)")
    }
}

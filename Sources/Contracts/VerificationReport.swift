import Diagnostics
import Foundation

/// Verification results per contract, as text (file:line:col lines), JSON or JUnit XML.
public enum VerificationReport {
    public enum Format: String, Sendable, CaseIterable { case text, json, junit }

    public static func render(_ results: [(path: String, outcome: ContractOutcome)], format: Format) -> String {
        switch format {
        case .text: text(results)
        case .json: json(results)
        case .junit: junit(results)
        }
    }

    static func text(_ results: [(path: String, outcome: ContractOutcome)]) -> String {
        var out = ""
        for (path, outcome) in results {
            out += String(format: "%@ %@ (%@, %.2f s)\n", outcome.passed ? "PASS" : "FAIL", outcome.contractID, path, outcome.seconds)
            for failure in outcome.failures {
                out += "  \(path):\(failure.mark.line):\(failure.mark.column): error[\(failure.rule)]: \(failure.message)\n"
            }
        }
        let failed = results.filter { !$0.outcome.passed }.count
        out += "\(results.count) contract\(results.count == 1 ? "" : "s"): \(results.count - failed) passed, \(failed) failed\n"
        return out
    }

    static func json(_ results: [(path: String, outcome: ContractOutcome)]) -> String {
        let items = results.map { path, outcome in
            let failures = outcome.failures.map { failure in
                "{\"rule\":\(jsonQuoted(failure.rule)),\"message\":\(jsonQuoted(failure.message)),\"line\":\(failure.mark.line),\"column\":\(failure.mark.column),\"pointer\":\(jsonQuoted(failure.mark.pointer))}"
            }
            return "{\"id\":\(jsonQuoted(outcome.contractID)),\"path\":\(jsonQuoted(path)),\"passed\":\(outcome.passed),\"seconds\":\(String(format: "%.3f", outcome.seconds)),\"uncorrelated\":\(outcome.uncorrelated),\"failures\":[\(failures.joined(separator: ","))]}"
        }
        let failed = results.filter { !$0.outcome.passed }.count
        return "{\"contracts\":[\(items.joined(separator: ","))],\"passed\":\(results.count - failed),\"failed\":\(failed)}\n"
    }

    static func junit(_ results: [(path: String, outcome: ContractOutcome)]) -> String {
        let failed = results.filter { !$0.outcome.passed }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites tests=\"\(results.count)\" failures=\"\(failed)\">\n"
        out += "  <testsuite name=\"schemactl contract verify\" tests=\"\(results.count)\" failures=\"\(failed)\">\n"
        for (path, outcome) in results {
            out += "    <testcase classname=\"\(xml(path))\" name=\"\(xml(outcome.contractID))\" time=\"\(String(format: "%.3f", outcome.seconds))\">\n"
            for failure in outcome.failures {
                out += "      <failure type=\"\(xml(failure.rule))\" message=\"\(xml(failure.message))\">\(xml("\(path):\(failure.mark.line):\(failure.mark.column) \(failure.mark.pointer)"))</failure>\n"
            }
            out += "    </testcase>\n"
        }
        return out + "  </testsuite>\n</testsuites>\n"
    }

    static func xml(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}

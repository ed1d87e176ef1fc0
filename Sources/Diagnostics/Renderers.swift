import JSONDocument

/// `path:line:col: error[RULE]: message`, one line per finding, then a summary line.
enum TextRenderer {
    static func render(_ reports: [FileReport]) -> String {
        var out = ""
        for report in reports {
            for d in report.diagnostics {
                out += "\(report.path):\(d.line):\(d.column): \(d.severity.rawValue)[\(d.rule)]: \(d.message)\n"
            }
        }
        let errors = reports.errorCount, warnings = reports.warningCount
        let files = reports.count
        out += "\(files) file\(files == 1 ? "" : "s") checked: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        return out
    }
}

/// `{"files":[{"path","valid","diagnostics":[{severity,rule,message,pointer,line,column}]}]}`
enum JSONRenderer {
    static func render(_ reports: [FileReport]) -> String {
        let files = reports.map { report in
            let diagnostics = report.diagnostics.map { d in
                "{\"severity\":\(jsonQuoted(d.severity.rawValue)),\"rule\":\(jsonQuoted(d.rule)),\"message\":\(jsonQuoted(d.message)),\"pointer\":\(jsonQuoted(d.pointer)),\"line\":\(d.line),\"column\":\(d.column)}"
            }
            return "{\"path\":\(jsonQuoted(report.path)),\"valid\":\(report.isValid),\"diagnostics\":[\(diagnostics.joined(separator: ","))]}"
        }
        return "{\"files\":[\(files.joined(separator: ","))]}\n"
    }
}

/// GitHub Actions workflow commands: annotations on the pull request's diff.
enum GitHubRenderer {
    static func render(_ reports: [FileReport]) -> String {
        var out = ""
        for report in reports {
            for d in report.diagnostics {
                let level = switch d.severity { case .error: "error"; case .warning: "warning"; case .note: "notice" }
                out += "::\(level) file=\(escapeProperty(report.path)),line=\(d.line),col=\(d.column),title=\(escapeProperty(d.rule))::\(escapeData(d.message))\n"
            }
        }
        return out
    }

    private static func escapeData(_ s: String) -> String {
        s.replacing("%", with: "%25").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
    }

    private static func escapeProperty(_ s: String) -> String {
        escapeData(s).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }
}

/// JUnit XML: one test suite, one test case per file; each error is a failure (warnings go to
/// system-out so CI dashboards show them without failing).
enum JUnitRenderer {
    static func render(_ reports: [FileReport], suite: String) -> String {
        let failures = reports.filter { !$0.isValid }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites tests=\"\(reports.count)\" failures=\"\(failures)\">\n"
        out += "  <testsuite name=\"\(xml(suite))\" tests=\"\(reports.count)\" failures=\"\(failures)\">\n"
        for report in reports {
            out += "    <testcase classname=\"\(xml(suite))\" name=\"\(xml(report.path))\">\n"
            for d in report.diagnostics where d.severity == .error {
                out += "      <failure type=\"\(xml(d.rule))\" message=\"\(xml(d.message))\">\(xml("\(report.path):\(d.line):\(d.column) \(d.pointer)"))</failure>\n"
            }
            let others = report.diagnostics.filter { $0.severity != .error }
            if !others.isEmpty {
                let lines = others.map { "\(report.path):\($0.line):\($0.column): \($0.severity.rawValue)[\($0.rule)]: \($0.message)" }
                out += "      <system-out>\(xml(lines.joined(separator: "\n")))</system-out>\n"
            }
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }
}

/// SARIF 2.1.0, for code-scanning dashboards.
enum SARIFRenderer {
    static func render(_ reports: [FileReport], rules: [RuleDescription], tool: String) -> String {
        let usedRules = Set(reports.flatMap { $0.diagnostics.map(\.rule) })
        let ruleEntries = rules.filter { usedRules.contains($0.id) }.map {
            "{\"id\":\(jsonQuoted($0.id)),\"shortDescription\":{\"text\":\(jsonQuoted($0.summary))}}"
        }
        var results: [String] = []
        for report in reports {
            for d in report.diagnostics {
                let level = switch d.severity { case .error: "error"; case .warning: "warning"; case .note: "note" }
                results.append("""
                {"ruleId":\(jsonQuoted(d.rule)),"level":"\(level)","message":{"text":\(jsonQuoted(d.message))},"locations":[{"physicalLocation":{"artifactLocation":{"uri":\(jsonQuoted(report.path))},"region":{"startLine":\(d.line),"startColumn":\(d.column)}}}],"properties":{"pointer":\(jsonQuoted(d.pointer))}}
                """)
            }
        }
        return """
        {"$schema":"https://json.schemastore.org/sarif-2.1.0.json","version":"2.1.0","runs":[{"tool":{"driver":{"name":\(jsonQuoted(tool)),"informationUri":"https://github.com/schemactl/schemactl","rules":[\(ruleEntries.joined(separator: ","))]}},"results":[\(results.joined(separator: ","))]}]}

        """
    }
}

/// A JSON string literal.
public func jsonQuoted(_ s: String) -> String {
    var out = ""
    JSONValue.writeString(s, to: &out)
    return out
}

/// Text escaped for XML attributes and content.
func xml(_ s: String) -> String {
    var out = ""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&apos;"
        case "\n", "\t", "\r": out.unicodeScalars.append(scalar)
        case _ where scalar.value < 0x20: out += "\u{FFFD}"
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out
}

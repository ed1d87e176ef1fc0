/// The output formats every command that reports findings supports.
public enum ReportFormat: String, Sendable, CaseIterable {
    case text, json, github, junit, sarif

    /// Renders the reports; `tool` names the producer in SARIF and JUnit.
    public func render(_ reports: [FileReport], rules: [RuleDescription] = [], tool: String = "schemactl") -> String {
        switch self {
        case .text: TextRenderer.render(reports)
        case .json: JSONRenderer.render(reports)
        case .github: GitHubRenderer.render(reports)
        case .junit: JUnitRenderer.render(reports, suite: tool)
        case .sarif: SARIFRenderer.render(reports, rules: rules, tool: tool)
        }
    }
}

/// A rule id with its one-line purpose, for `schemactl rules` and SARIF's rule table.
public struct RuleDescription: Sendable, Hashable {
    public var id: String
    public var severity: Severity
    public var summary: String

    public init(id: String, severity: Severity, summary: String) {
        self.id = id
        self.severity = severity
        self.summary = summary
    }
}

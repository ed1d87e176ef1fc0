import ArgumentParser
import Compatibility
import Contracts
import Diagnostics
import Validation

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the rule ids schemactl reports, with their severity and purpose."
    )

    func run() throws {
        let rules = allRuleDescriptions + CompatibilityGate.rules + ContractParser.rules + ContractLinter.rules + ContractVerifier.rules
        let width = rules.map(\.id.count).max() ?? 0
        var out = ""
        for rule in rules {
            out += rule.id.padding(toLength: width + 2, withPad: " ", startingAt: 0)
                + rule.severity.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) + rule.summary + "\n"
        }
        Terminal.out(out)
    }
}

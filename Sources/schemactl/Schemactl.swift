import ArgumentParser
import Foundation

/// The root command. Exit codes everywhere: 0 clean, 1 findings, 2 usage or I/O error.
struct Schemactl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schemactl",
        abstract: "Validate, fingerprint and check Avro and JSON Schema schemas for Kafka pipelines.",
        discussion: """
        Exit codes: 0 when clean, 1 when there are findings, 2 on usage or I/O errors.

        schemactl reads schemactl.yaml (in the current folder or a parent, or --config) to know which
        schema file serves which subject, and which schema references each subject declares.

        Examples:
          schemactl validate schemas/
          schemactl validate --format github --strict schemas/
          schemactl canonical schemas/vtryon/SamplingRequest.avsc
          schemactl fingerprint --algorithm sha256 schemas/vtryon/SamplingRequest.avsc
          schemactl data validate --schema schemas/rnle/rnle.commands.json --ndjson messages.ndjson
        """,
        subcommands: [ValidateCommand.self, DataCommand.self, DevCommand.self, ContractCommand.self, AsyncAPICommand.self, CodegenCommand.self, CompatCommand.self, CheckCommand.self, CanonicalCommand.self, FingerprintCommand.self, RulesCommand.self, RegistryCommand.self, PushCommand.self, PullCommand.self]
    )
}

@main
enum Main {
    static func main() {
        do {
            var command = try Schemactl.parseAsRoot()
            try command.run()
        } catch {
            // ArgumentParser uses 64 for usage errors; schemactl promises 2.
            if Schemactl.exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((Schemactl.fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            Schemactl.exit(withError: error)
        }
    }
}

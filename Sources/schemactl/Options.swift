import ArgumentParser
import AvroSchema
import Diagnostics
import JSONSchema

extension ReportFormat: ExpressibleByArgument {}

extension AvroSpecVersion: ExpressibleByArgument {}

extension Dialect: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
}

/// Options shared by the commands that read schemas.
struct SchemaOptions: ParsableArguments {
    @Option(name: .customLong("avro-spec"), help: "Avro specification edition: 1.12 (union defaults may match any branch) or 1.11 (first branch only).")
    var avroSpec: AvroSpecVersion = .v1_12

    @Option(help: ArgumentHelp("Project config; by default schemactl.yaml in the current folder or the nearest parent.", valueName: "file"))
    var config: String?
}

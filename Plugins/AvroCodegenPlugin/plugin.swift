import Foundation
import PackagePlugin

/// Runs `schemactl codegen` over the `.avsc` files of the target it is applied to, at build time;
/// the generated Swift is compiled into the target (never committed). All the target's schemas
/// go into one invocation, so that a named type used across files is declared once.
///
///     .target(name: "Messages", dependencies: [.product(name: "AvroRuntime", package: "schemactl")],
///             plugins: [.plugin(name: "AvroCodegenPlugin", package: "schemactl")])
@main
struct AvroCodegenPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let schemas = target.sourceFiles(withSuffix: "avsc").map(\.url).sorted { $0.path < $1.path }
        guard !schemas.isEmpty else { return [] }
        let out = context.pluginWorkDirectoryURL.appending(path: "GeneratedSources")
        let outputs = schemas.map { out.appending(path: $0.deletingPathExtension().lastPathComponent + ".swift") }
        return [.buildCommand(
            displayName: "schemactl codegen: \(schemas.count) Avro schema\(schemas.count == 1 ? "" : "s") of \(target.name)",
            executable: try context.tool(named: "schemactl").url,
            arguments: ["codegen", "--out", out.path] + schemas.map(\.path),
            inputFiles: schemas,
            outputFiles: outputs)]
    }
}

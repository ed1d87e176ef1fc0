import Foundation
import ReferenceWorkers
import TestSupport

/// A temporary workspace: tiny models, two PNG images, an output folder, and a context confined to it.
struct Workspace {
    let root: URL
    var models: String { root.appendingPathComponent("models").path }
    var output: String { root.appendingPathComponent("out").path }
    var image1: String { root.appendingPathComponent("person.png").path }
    var image2: String { root.appendingPathComponent("garment.png").path }

    init() throws {
        root = try makeTemporaryDirectory()
        try TinyModels.write(to: root.appendingPathComponent("models").path)
        try PipelineFixtures.writeGradient(width: 300, height: 200, to: root.appendingPathComponent("person.png").path)
        try PipelineFixtures.writeGradient(width: 120, height: 160, to: root.appendingPathComponent("garment.png").path)
    }

    func config(maxImagePixels: Int = 64 << 20) -> WorkerConfig {
        WorkerConfig(modelDirectory: models, outputDirectory: output, allowedRoots: [root.path], device: "auto", maxImagePixels: maxImagePixels)
    }

    func context(maxImagePixels: Int = 64 << 20) throws -> WorkerContext { try WorkerContext(config: config(maxImagePixels: maxImagePixels)) }

    func path(_ name: String) -> String { root.appendingPathComponent(name).path }
}

/// Runs Debian's Python torch (not the pyenv python3 on PATH) on `load_tensor.py`.
func pythonLoad(_ path: String) throws -> [String: Any] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = [TestPaths.packageRoot.appendingPathComponent("Tests/ReferenceWorkersTests/load_tensor.py").path, path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
}

extension CommandResult {
    /// stdout parsed as a JSON object.
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]) ?? [:] }
}

/// Runs the built `reference-worker` (beside the test bundle) in `workspace` with its models and roots.
func runWorker(_ arguments: [String], in workspace: Workspace, environment: [String: String] = [:]) throws -> CommandResult {
    let binary = KafkaHarness.workerBinary
    let settings = ["MODEL_DIR": workspace.models, "OUTPUT_DIR": workspace.output, "ALLOWED_ROOTS": workspace.root.path]
    return try runExecutable(binary, arguments, in: workspace.root, environment: settings.merging(environment) { $1 })
}

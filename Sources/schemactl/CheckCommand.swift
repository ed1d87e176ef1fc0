import ArgumentParser
import Compatibility
import Diagnostics
import Foundation
import SchemaConfig
import Validation

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "The CI gate: check every subject of schemactl.yaml against a baseline at its compatibility level.",
        discussion: """
        The baseline is a git revision (--against git:origin/main; the default is git:HEAD, the last
        commit), or a folder laid out like this one (--against dir:PATH, with its own schemactl.yaml).
        Each subject's schema in the working tree is checked against the same subject's schema in the
        baseline, at the subject's level (schemactl.yaml). New subjects pass; subjects removed from
        schemactl.yaml are reported. Findings are printed like `buf breaking`: file:line:col, rule
        (Avro's incompatibility type) and message, in any --format.

        Registry baselines (--against registry:URL) arrive with the registry client, and JSON Schema
        subjects are listed as not checked until their compatibility rules land.

        Exit codes: 0 compatible, 1 findings, 2 usage or I/O error (a missing git revision included).
        """
    )

    @Option(help: ArgumentHelp("git:REF, dir:PATH or registry:URL.", valueName: "baseline"))
    var against = "git:HEAD"

    @Option(help: "Output format: text, json, github, junit or sarif.")
    var format: ReportFormat = .text

    @OptionGroup var schemaOptions: SchemaOptions

    func run() throws {
        let workspace = try Workspace.load(configOption: schemaOptions.config)
        guard let configPath = workspace.configPath else {
            throw Terminal.fail("no schemactl.yaml here or in a parent folder (or --config): the gate needs the subjects it maps")
        }
        let folder = (Workspace.identity(of: configPath) as NSString).deletingLastPathComponent
        let current = try snapshot(configText: try String(contentsOfFile: configPath, encoding: .utf8)) { relative in
            FileManager.default.contents(atPath: folder + "/" + relative).map { [UInt8]($0) }
        }
        let baseline: SchemaSnapshot
        if against.hasPrefix("git:") {
            baseline = try gitBaseline(String(against.dropFirst(4)), folder: folder, configPath: configPath)
        } else if against.hasPrefix("dir:") {
            let root = String(against.dropFirst(4))
            guard FileManager.default.fileExists(atPath: root) else { throw Terminal.fail("baseline folder \(root) does not exist") }
            let text = (try? String(contentsOfFile: root + "/" + ProjectConfig.fileName, encoding: .utf8)) ?? "version: 1\n"
            baseline = try snapshot(configText: text) { FileManager.default.contents(atPath: root + "/" + $0).map { [UInt8]($0) } }
        } else if against.hasPrefix("registry:") {
            throw Terminal.fail("registry baselines are not available yet; use --against git:REF or dir:PATH")
        } else {
            throw Terminal.fail("--against takes git:REF, dir:PATH or registry:URL, not \(against)")
        }
        let reports = CompatibilityGate(specVersion: schemaOptions.avroSpec).check(current: current, baseline: baseline)
        Terminal.out(format.render(reports, rules: CompatibilityGate.rules))
        if reports.errorCount > 0 { throw ExitCode(1) }
    }

    /// A side of the gate: its config, and every schema file the config names that exists.
    private func snapshot(configText: String, read: (String) -> [UInt8]?) throws -> SchemaSnapshot {
        let config: ProjectConfig
        switch ConfigParser.parse(configText) {
        case .success(let parsed): config = parsed
        case .failure(let error):
            Terminal.err(ReportFormat.text.render([FileReport(path: ProjectConfig.fileName, diagnostics: error.diagnostics)]))
            throw Terminal.fail("schemactl.yaml is invalid")
        }
        var files: [String: [UInt8]] = [:]
        for subject in config.subjects {
            let path = normalizePath(subject.schema)
            if files[path] == nil, let bytes = read(path) { files[path] = bytes }
        }
        return SchemaSnapshot(config: config, files: files)
    }

    private func gitBaseline(_ ref: String, folder: String, configPath: String) throws -> SchemaSnapshot {
        guard let top = git(["rev-parse", "--show-toplevel"], in: folder).map({ String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }) else {
            throw Terminal.fail("\(folder) is not in a git repository, so --against git:\(ref) has nothing to compare with")
        }
        guard git(["rev-parse", "--verify", "--quiet", ref + "^{commit}"], in: folder) != nil else {
            throw Terminal.fail("git revision \(ref) does not exist (fetch it first, e.g. git fetch origin main)")
        }
        let prefix = folder == top ? "" : String(folder.dropFirst(top.count + 1)) + "/"
        let configText = git(["show", "\(ref):\(prefix)\(ProjectConfig.fileName)"], in: folder).map { String(decoding: $0, as: UTF8.self) } ?? "version: 1\n"
        return try snapshot(configText: configText) { git(["show", "\(ref):\(prefix)\($0)"], in: folder) }
    }

    /// Runs git; its output, or nil when it fails.
    private func git(_ arguments: [String], in folder: String) -> [UInt8]? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? [UInt8](data) : nil
    }
}

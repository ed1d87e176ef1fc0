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

        With --against registry:URL the baseline is the registry's versions of each subject: the latest
        for plain levels, every live version (newest first, stopping at the first break) for the
        *_TRANSITIVE levels. Subjects the registry does not have yet pass. An unreachable registry
        is an error (exit 2), never a pass.

        Exit codes: 0 compatible, 1 findings, 2 usage or I/O error (a missing git revision included).
        """
    )

    @Option(help: ArgumentHelp("git:REF, dir:PATH or registry:URL.", valueName: "baseline"))
    var against = "git:HEAD"

    @Option(help: "Output format: text, json, github, junit or sarif.")
    var format: ReportFormat = .text

    @OptionGroup var schemaOptions: SchemaOptions

    @OptionGroup(title: "Registry baseline") var registryConnection: RegistryConnection

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
            var connection = registryConnection
            connection.registry = String(against.dropFirst("registry:".count))
            let baseline = RegistryBaseline(client: try connection.client(), current: current)
            let gate = CompatibilityGate(specVersion: schemaOptions.avroSpec)
            let reports: [FileReport]
            do { reports = try baseline.check(gate: gate) } catch { throw Terminal.fail(error.description) }
            Terminal.out(format.render(reports, rules: CompatibilityGate.rules))
            if reports.errorCount > 0 { throw ExitCode(1) }
            return
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
        // One `git rev-parse` and two `git cat-file --batch` runs, whatever the number of subjects:
        // starting processes is what costs here.
        guard let parsed = git(["rev-parse", "--show-toplevel", "--verify", "--quiet", ref + "^{commit}"], in: folder) else {
            if git(["rev-parse", "--show-toplevel"], in: folder) == nil {
                throw Terminal.fail("\(folder) is not in a git repository, so --against git:\(ref) has nothing to compare with")
            }
            throw Terminal.fail("git revision \(ref) does not exist (fetch it first, e.g. git fetch origin main)")
        }
        let top = String(decoding: parsed, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? folder
        let prefix = folder == top ? "" : String(folder.dropFirst(top.count + 1)) + "/"
        let configBytes = gitObjects([ProjectConfig.fileName], ref: ref, prefix: prefix, folder: folder)[ProjectConfig.fileName]
        let configText = configBytes.map { String(decoding: $0, as: UTF8.self) } ?? "version: 1\n"
        guard case .success(let config) = ConfigParser.parse(configText) else { return try snapshot(configText: configText) { _ in nil } }
        let files = gitObjects(config.subjects.map { normalizePath($0.schema) }, ref: ref, prefix: prefix, folder: folder)
        return try snapshot(configText: configText) { files[$0] }
    }

    /// The contents of `paths` at `ref`, by one `git cat-file --batch`; missing paths are left out.
    private func gitObjects(_ paths: [String], ref: String, prefix: String, folder: String) -> [String: [UInt8]] {
        let input = paths.map { "\(ref):\(prefix)\($0)\n" }.joined()
        guard let output = git(["cat-file", "--batch"], in: folder, input: Array(input.utf8)) else { return [:] }
        var objects: [String: [UInt8]] = [:]
        var index = output.startIndex
        for path in paths {
            guard let newline = output[index...].firstIndex(of: UInt8(ascii: "\n")) else { break }
            let header = String(decoding: output[index..<newline], as: UTF8.self).split(separator: " ")
            index = newline + 1
            guard header.count == 3, let size = Int(header[2]), index + size <= output.endIndex else { continue } // "<ref> missing"
            objects[path] = Array(output[index..<(index + size)])
            index += size + 1
        }
        return objects
    }

    /// Runs git; its output, or nil when it fails. posix_spawn and waitpid rather than Foundation's
    /// Process, whose exit wait on Linux added tens of milliseconds per run (the gate runs git three times).
    private func git(_ arguments: [String], in folder: String, input: [UInt8] = []) -> [UInt8]? {
        var toChild: [Int32] = [0, 0], fromChild: [Int32] = [0, 0]
        guard pipe(&toChild) == 0 else { return nil }
        guard pipe(&fromChild) == 0 else { close(toChild[0]); close(toChild[1]); return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        for fd in [toChild[0], toChild[1], fromChild[0], fromChild[1]] { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv = (["git", "-C", folder] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "git", &actions, nil, argv, environ)
        close(toChild[0])
        close(fromChild[1])
        guard spawned == 0 else { close(toChild[1]); close(fromChild[0]); return nil }
        // Feed stdin from another thread, so a large output cannot block the writer.
        let writer = toChild[1]
        let bytes = input
        let fed = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var sent = 0
            while sent < bytes.count {
                let n = bytes.withUnsafeBytes { write(writer, $0.baseAddress! + sent, bytes.count - sent) }
                if n <= 0 { break }
                sent += n
            }
            close(writer)
            fed.signal()
        }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fromChild[0], $0.baseAddress, $0.count) }
            if n > 0 { output += chunk[0..<n]; continue }
            if n < 0 && errno == EINTR { continue }
            break
        }
        close(fromChild[0])
        fed.wait()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exitedCleanly = (status & 0x7f) == 0 && (status >> 8) & 0xff == 0
        return exitedCleanly ? output : nil
    }
}

import ArgumentParser
import Foundation
import JSONDocument
import RegistryClient
import RegistryModel
import SchemaConfig

/// The subjects of schemactl.yaml that a sync touches (all, or those named), referenced subjects first
/// so that a registry can resolve each schema's references when it arrives.
func subjectsInReferenceOrder(_ config: ProjectConfig, only: [String]) throws -> [SubjectConfig] {
    for name in only where config.subject(named: name) == nil { throw Terminal.fail("subject \(name) is not in schemactl.yaml") }
    var ordered: [SubjectConfig] = []
    var state: [String: Bool] = [:] // false: in progress, true: done
    func visit(_ subject: SubjectConfig) throws {
        if state[subject.subject] == true { return }
        if state[subject.subject] == false { throw Terminal.fail("schema references form a cycle through \(subject.subject)") }
        state[subject.subject] = false
        for reference in subject.references {
            if let target = config.subject(named: reference.subject) { try visit(target) }
        }
        state[subject.subject] = true
        ordered.append(subject)
    }
    for subject in config.subjects where only.isEmpty || only.contains(subject.subject) { try visit(subject) }
    return ordered
}

private func loadConfig(_ path: String?) throws -> ProjectConfig {
    guard let config = try Workspace.load(configOption: path).config else {
        throw Terminal.fail("no schemactl.yaml here or in a parent folder (or --config): push and pull sync the subjects it maps")
    }
    return config
}

struct PushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Register the schemas of schemactl.yaml with a registry, and set each subject's compatibility level.",
        discussion: """
        Each subject's schema file is registered under its subject, with the references schemactl.yaml
        declares (referenced subjects first; a reference without a version means the latest). Before
        registering, the subject's level (and JSON Schema policy) from schemactl.yaml is set in the
        registry, so the registry enforces what the local gate checks. A schema the registry already
        has is not registered again. --dry-run prints what would be done.

        Exit codes: 0 all pushed, 1 the registry refused some (incompatible, invalid), 2 usage or I/O error.
        """
    )

    @OptionGroup var connection: RegistryConnection
    @Option(help: ArgumentHelp("Project config; by default schemactl.yaml in the current folder or the nearest parent.", valueName: "file"))
    var config: String?
    @Option(name: .customLong("subject"), help: "Only this subject (repeatable); its referenced subjects are pushed too.")
    var subjects: [String] = []
    @Flag(help: "Print what would be registered, change nothing.")
    var dryRun = false

    func run() throws {
        let project = try loadConfig(config)
        let client = try connection.client(configPath: config)
        var refused = 0
        for subject in try subjectsInReferenceOrder(project, only: subjects) {
            guard let data = FileManager.default.contents(atPath: subject.schema) else { throw Terminal.fail("cannot read \(subject.schema)") }
            let request = SchemaRequest(schema: String(decoding: data, as: UTF8.self), schemaType: subject.schema.hasSuffix(".json") ? .json : .avro,
                                        references: subject.references.map { SchemaReference(name: $0.name, subject: $0.subject, version: $0.version ?? -1) })
            let level = project.compatibility(of: subject)
            if dryRun {
                Terminal.out("\(subject.subject): would set \(level.rawValue) and register \(subject.schema)\n")
                continue
            }
            do {
                let policy = request.schemaType == .json ? (subject.policy ?? project.defaultPolicy).rawValue : nil
                try client.setCompatibilityLevel(level.rawValue, subject: subject.subject, policy: policy)
                let registered = try client.register(subject: subject.subject, request)
                Terminal.out("\(subject.subject): id \(registered.id), version \(registered.version.map(String.init) ?? "?") (\(level.rawValue))\n")
            } catch {
                if case .server = error {
                    Terminal.err("\(subject.subject): \(error.description)")
                    refused += 1
                    continue
                }
                throw Terminal.fail(error.description)
            }
        }
        if refused > 0 { throw ExitCode(1) }
    }
}

struct PullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Write each subject's latest schema from a registry into the file schemactl.yaml names for it.",
        discussion: """
        A file whose schema already equals the registry's (the same JSON once whitespace is ignored) is
        left untouched, formatting and all; others are written indented by two spaces. Subjects the
        registry does not have are reported and left alone. --dry-run lists what would change.

        Exit codes: 0 done, 1 some subjects are missing from the registry, 2 usage, I/O or connection error.
        """
    )

    @OptionGroup var connection: RegistryConnection
    @Option(help: ArgumentHelp("Project config; by default schemactl.yaml in the current folder or the nearest parent.", valueName: "file"))
    var config: String?
    @Option(name: .customLong("subject"), help: "Only this subject (repeatable).")
    var subjects: [String] = []
    @Flag(help: "List the files that would change, write nothing.")
    var dryRun = false

    func run() throws {
        let project = try loadConfig(config)
        let client = try connection.client(configPath: config)
        var missing = 0
        for subject in try subjectsInReferenceOrder(project, only: subjects) where subjects.isEmpty || subjects.contains(subject.subject) {
            let latest: RegisteredSchema
            do { latest = try client.version(subject: subject.subject) } catch {
                if error.errorCode == 40401 {
                    Terminal.err("\(subject.subject): not in the registry; \(subject.schema) left as it is")
                    missing += 1
                    continue
                }
                throw Terminal.fail(error.description)
            }
            guard let remote = try? JSONDocument(parsing: Array(latest.schema.utf8)).root else {
                throw Terminal.fail("\(subject.subject): the registry's schema is not JSON")
            }
            let local = FileManager.default.contents(atPath: subject.schema).flatMap { try? JSONDocument(parsing: [UInt8]($0)).root }
            if local?.compactText == remote.compactText {
                Terminal.out("\(subject.subject): \(subject.schema) is up to date (version \(latest.version ?? 0))\n")
                continue
            }
            if dryRun {
                Terminal.out("\(subject.subject): would write version \(latest.version ?? 0) to \(subject.schema)\n")
                continue
            }
            do {
                try FileManager.default.createDirectory(atPath: (subject.schema as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try remote.prettyText.write(toFile: subject.schema, atomically: true, encoding: .utf8)
            } catch {
                throw Terminal.fail("cannot write \(subject.schema): \(error.localizedDescription)")
            }
            Terminal.out("\(subject.subject): wrote version \(latest.version ?? 0) to \(subject.schema)\n")
        }
        if missing > 0 { throw ExitCode(1) }
    }
}

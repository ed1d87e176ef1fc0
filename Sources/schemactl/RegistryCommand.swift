import ArgumentParser
import Foundation
import HTTPClient
import JSONDocument
import RegistryClient
import RegistryModel

struct RegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Talk to a Confluent-compatible schema registry, or run one.",
        discussion: """
        The client subcommands work with any Confluent-compatible registry (Confluent, Karapace,
        Apicurio's ccompat API, Redpanda, `schemactl registry serve`). The registry's URL comes from
        --registry, SCHEMA_REGISTRY_URL or `registry: {url: …}` in schemactl.yaml; credentials from --user USER:PASSWORD or
        SCHEMA_REGISTRY_USER_INFO, or --token / SCHEMA_REGISTRY_TOKEN (bearer). Answers are printed
        as JSON, one value per line.

        Exit codes: 0 done, 1 the registry refused (incompatible schema, not found, ...), 2 usage,
        I/O or connection error.

        Examples:
          schemactl registry serve --storage sqlite:registry.db
          export SCHEMA_REGISTRY_URL=http://127.0.0.1:8081
          schemactl registry register orders-value schemas/Order.avsc
          schemactl registry compat orders-value schemas/Order.avsc
          schemactl registry get orders-value latest
          schemactl registry config orders-value --set FULL
          schemactl registry export --out registry-backup.json
        """,
        subcommands: [RegistryServeCommand.self, SubjectsCommand.self, VersionsCommand.self, GetCommand.self, RegisterCommand.self,
                      LookupCommand.self, RegistryCompatCommand.self, ConfigCommand.self, ModeCommand.self, DeleteCommand.self,
                      ExportCommand.self, ImportCommand.self]
    )
}

/// Where the registry is and how to authenticate.
struct RegistryConnection: ParsableArguments {
    @Option(help: ArgumentHelp("Registry URL (default: $SCHEMA_REGISTRY_URL).", valueName: "url"))
    var registry: String?

    @Option(help: ArgumentHelp("Basic authentication (default: $SCHEMA_REGISTRY_USER_INFO).", valueName: "user:password"))
    var user: String?

    @Option(help: ArgumentHelp("Bearer token (default: $SCHEMA_REGISTRY_TOKEN).", valueName: "token"))
    var token: String?

    @Option(name: .customLong("ca-file"), help: ArgumentHelp("PEM bundle of CAs to verify the registry's certificate.", valueName: "file"))
    var caFile: String?

    @Option(help: ArgumentHelp("PEM client certificate for mutual TLS.", valueName: "file"))
    var cert: String?

    @Option(help: ArgumentHelp("PEM key of the client certificate.", valueName: "file"))
    var key: String?

    @Flag(help: "Do not verify the registry's TLS certificate (for test setups only).")
    var insecure = false

    @Option(help: ArgumentHelp("Seconds per request.", valueName: "seconds"))
    var timeout: Double = 30

    @Option(help: ArgumentHelp("Retries on connection errors and 5xx answers, with exponential backoff.", valueName: "count"))
    var retries = 3

    /// The registry from --registry, else SCHEMA_REGISTRY_URL, else `registry.url` of schemactl.yaml
    /// (`configPath`, or the one found from the current folder).
    func client(configPath: String? = nil) throws -> RegistryClient {
        let environment = ProcessInfo.processInfo.environment
        var url = registry ?? environment["SCHEMA_REGISTRY_URL"]
        if url?.isEmpty ?? true { url = try Workspace.load(configOption: configPath).config?.registryURL }
        guard let url, !url.isEmpty else {
            throw Terminal.fail("no registry: give --registry URL, set SCHEMA_REGISTRY_URL, or add registry: {url: …} to schemactl.yaml")
        }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else { throw Terminal.fail("the registry URL must start with http:// or https://, not \(url)") }
        var options = HTTPClient.Options()
        if let info = user ?? environment["SCHEMA_REGISTRY_USER_INFO"], !info.isEmpty {
            guard let colon = info.firstIndex(of: ":") else { throw Terminal.fail("--user takes USER:PASSWORD") }
            options.basicAuth = (String(info[..<colon]), String(info[info.index(after: colon)...]))
        }
        options.bearerToken = token ?? environment["SCHEMA_REGISTRY_TOKEN"]
        options.caFile = caFile
        options.clientCertificate = cert
        options.clientKey = key
        options.insecure = insecure
        options.timeout = timeout
        options.connectTimeout = min(timeout, 10)
        return RegistryClient(url: url, options: options, retries: retries)
    }
}

/// Runs a registry call: refusals exit 1, connection and protocol errors exit 2.
func registryCall<T>(_ body: () throws(RegistryClientError) -> T) throws -> T {
    do { return try body() } catch {
        if case .server = error {
            Terminal.err("schemactl: \(error.description)")
            throw ExitCode(1)
        }
        throw Terminal.fail(error.description)
    }
}

func printJSON(_ value: JSONValue) { Terminal.out(value.compactText + "\n") }

/// A schema file as a request: type from the extension or --type, references as NAME=SUBJECT:VERSION.
struct SchemaFileArguments: ParsableArguments {
    @Argument(help: "The subject.")
    var subject: String

    @Argument(help: "The schema file (.avsc Avro, .json JSON Schema).")
    var file: String

    @Option(help: "AVRO or JSON; by default from the file's extension.")
    var type: String?

    @Option(name: .customLong("reference"), help: ArgumentHelp("A schema reference (repeatable); VERSION may be latest.", valueName: "name=subject:version"))
    var references: [String] = []

    @Flag(help: "Ask the registry to normalize the schema first.")
    var normalize = false

    func request() throws -> SchemaRequest {
        guard let data = FileManager.default.contents(atPath: file) else { throw Terminal.fail("cannot read \(file)") }
        let schemaType: SchemaType
        if let type {
            guard let known = SchemaType(rawValue: type.uppercased()) else { throw Terminal.fail("--type takes AVRO or JSON, not \(type)") }
            schemaType = known
        } else {
            schemaType = file.hasSuffix(".json") ? .json : .avro
        }
        var parsed: [SchemaReference] = []
        for text in references {
            guard let equals = text.firstIndex(of: "="), let colon = text.lastIndex(of: ":"), equals < colon else {
                throw Terminal.fail("--reference takes NAME=SUBJECT:VERSION, not \(text)")
            }
            let versionText = String(text[text.index(after: colon)...])
            guard let version = versionText == "latest" ? -1 : Int(versionText) else { throw Terminal.fail("bad version in --reference \(text)") }
            parsed.append(SchemaReference(name: String(text[..<equals]), subject: String(text[text.index(after: equals)..<colon]), version: version))
        }
        return SchemaRequest(schema: String(decoding: data, as: UTF8.self), schemaType: schemaType, references: parsed)
    }
}

struct SubjectsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "subjects", abstract: "List subjects.")
    @OptionGroup var connection: RegistryConnection
    @Option(help: "Only subjects starting with this prefix.") var prefix: String?
    @Flag(help: "Include soft-deleted subjects.") var deleted = false
    func run() throws {
        let client = try connection.client()
        printJSON(.array(try registryCall { () throws(RegistryClientError) in try client.subjects(prefix: prefix, deleted: deleted) }.map(JSONValue.string)))
    }
}

struct VersionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "versions", abstract: "List a subject's versions.")
    @OptionGroup var connection: RegistryConnection
    @Argument(help: "The subject.") var subject: String
    @Flag(help: "Include soft-deleted versions.") var deleted = false
    func run() throws {
        let client = try connection.client()
        printJSON(.array(try registryCall { () throws(RegistryClientError) in try client.versions(subject: subject, deleted: deleted) }.map { .integer(Int64($0)) }))
    }
}

struct GetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a subject version, or a schema by id.",
                                                    discussion: "schemactl registry get SUBJECT [VERSION|latest]   or   schemactl registry get --id ID")
    @OptionGroup var connection: RegistryConnection
    @Argument(help: "The subject.") var subject: String?
    @Argument(help: "A version number or latest.") var version = "latest"
    @Option(help: "A schema id instead of a subject version.") var id: Int?
    @Flag(name: .customLong("schema-only"), help: "Print only the schema text.") var schemaOnly = false
    func validate() throws {
        if (subject == nil) == (id == nil) { throw ValidationError("give a SUBJECT (and VERSION) or --id ID") }
    }
    func run() throws {
        let client = try connection.client()
        let schema = try registryCall { () throws(RegistryClientError) in
            if let id { return try client.schema(id: id) }
            return try client.version(subject: subject!, version)
        }
        if schemaOnly { Terminal.out(schema.schema + "\n") } else { printJSON(schema.json) }
    }
}

struct RegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "register", abstract: "Register a schema file under a subject; prints its id and version.")
    @OptionGroup var connection: RegistryConnection
    @OptionGroup var schema: SchemaFileArguments
    func run() throws {
        let client = try connection.client()
        let request = try schema.request()
        let registered = try registryCall { () throws(RegistryClientError) in try client.register(subject: schema.subject, request, normalize: schema.normalize) }
        printJSON(.object(JSONObject(["subject": .string(schema.subject), "id": .integer(Int64(registered.id)), "version": registered.version.map { .integer(Int64($0)) } ?? .null])))
    }
}

struct LookupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lookup", abstract: "Find the version of a subject that holds this schema file.")
    @OptionGroup var connection: RegistryConnection
    @OptionGroup var schema: SchemaFileArguments
    @Flag(help: "Also match soft-deleted versions.") var deleted = false
    func run() throws {
        let client = try connection.client()
        let request = try schema.request()
        printJSON(try registryCall { () throws(RegistryClientError) in try client.lookup(subject: schema.subject, request, normalize: schema.normalize, deleted: deleted) }.json)
    }
}

struct RegistryCompatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compat", abstract: "Ask the registry whether a schema file is compatible with a subject.",
                                                    discussion: "Exit 0 compatible, 1 incompatible (the registry's messages are printed), 2 error.")
    @OptionGroup var connection: RegistryConnection
    @OptionGroup var schema: SchemaFileArguments
    @Option(help: "Check against this version only (a number or latest).") var version: String?
    @Flag(help: "Check against what registering would (every version for transitive levels).") var all = false
    func run() throws {
        let client = try connection.client()
        let request = try schema.request()
        let result = try registryCall { () throws(RegistryClientError) in
            try client.compatibility(subject: schema.subject, version: all ? nil : (version ?? "latest"), request, verbose: true, normalize: schema.normalize)
        }
        printJSON(.object(JSONObject(["is_compatible": .bool(result.isCompatible), "messages": .array(result.messages.map(JSONValue.string))])))
        if !result.isCompatible { throw ExitCode(1) }
    }
}

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Show or change the compatibility level (global, or of a subject).")
    @OptionGroup var connection: RegistryConnection
    @Argument(help: "The subject; the global level without one.") var subject: String?
    @Option(help: "Set the level: NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE.") var set: String?
    @Option(help: "With --set: the JSON Schema policy, STRICT or LENIENT.") var policy: String?
    @Flag(help: "Remove the subject's (or the global) level.") var delete = false
    func run() throws {
        let client = try connection.client()
        let level: String? = try registryCall { () throws(RegistryClientError) in
            if let set { return try client.setCompatibilityLevel(set, subject: subject, policy: policy) }
            if delete { return try client.deleteCompatibilityLevel(subject: subject) }
            return try client.compatibilityLevel(subject: subject)
        }
        printJSON(.object(JSONObject(["compatibilityLevel": level.map(JSONValue.string) ?? .null])))
    }
}

struct ModeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mode", abstract: "Show or change the mode (READWRITE, READONLY, IMPORT), global or of a subject.")
    @OptionGroup var connection: RegistryConnection
    @Argument(help: "The subject; the global mode without one.") var subject: String?
    @Option(help: "Set the mode.") var set: String?
    @Flag(help: "With --set IMPORT: switch even when subjects exist.") var force = false
    @Flag(help: "Remove the subject's (or the global) mode.") var delete = false
    func run() throws {
        let client = try connection.client()
        let mode: String? = try registryCall { () throws(RegistryClientError) in
            if let set { return try client.setMode(set, subject: subject, force: force) }
            if delete { return try client.deleteMode(subject: subject) }
            return try client.mode(subject: subject)
        }
        printJSON(.object(JSONObject(["mode": mode.map(JSONValue.string) ?? .null])))
    }
}

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a subject or one version (soft; --permanent after a soft delete).")
    @OptionGroup var connection: RegistryConnection
    @Argument(help: "The subject.") var subject: String
    @Option(help: "Only this version (a number or latest).") var version: String?
    @Flag(help: "Hard delete (the subject or version must be soft-deleted first).") var permanent = false
    func run() throws {
        let client = try connection.client()
        let deleted: [Int] = try registryCall { () throws(RegistryClientError) in
            if let version { return [try client.deleteVersion(subject: subject, version, permanent: permanent)] }
            return try client.deleteSubject(subject, permanent: permanent)
        }
        printJSON(.array(deleted.map { .integer(Int64($0)) }))
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write every subject version (ids kept) to a JSON file, for backup or migration.")
    @OptionGroup var connection: RegistryConnection
    @Option(help: ArgumentHelp("Output file; stdout without it.", valueName: "file")) var out: String?
    func run() throws {
        let client = try connection.client()
        let entries = try registryCall { () throws(RegistryClientError) in
            var all: [RegisteredSchema] = []
            for subject in try client.subjects() {
                for version in try client.versions(subject: subject) { all.append(try client.version(subject: subject, String(version))) }
            }
            return all.sorted { ($0.id, $0.subject ?? "", $0.version ?? 0) < ($1.id, $1.subject ?? "", $1.version ?? 0) }
        }
        let text = JSONValue.array(entries.map(\.json)).compactText + "\n"
        if let out {
            do { try text.write(toFile: out, atomically: true, encoding: .utf8) } catch { throw Terminal.fail("cannot write \(out): \(error.localizedDescription)") }
            Terminal.err("exported \(entries.count) subject versions to \(out)")
        } else {
            Terminal.out(text)
        }
    }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Register an export's subject versions with their ids (switches the registry to IMPORT mode meanwhile).")
    @OptionGroup var connection: RegistryConnection
    @Argument(help: "A file written by schemactl registry export.") var file: String
    func run() throws {
        guard let data = FileManager.default.contents(atPath: file), let items = (try? JSONDocument(parsing: [UInt8](data)))?.root.arrayValue else {
            throw Terminal.fail("\(file) is not an export (a JSON array of subject versions)")
        }
        var entries: [RegisteredSchema] = []
        for item in items {
            guard let entry = try? RegisteredSchema(json: item), entry.subject != nil, entry.version != nil else { throw Terminal.fail("\(file): an entry lacks subject, version, id or schema") }
            entries.append(entry)
        }
        let client = try connection.client()
        try registryCall { () throws(RegistryClientError) in
            let previous = try client.mode()
            try client.setMode("IMPORT", force: true)
            defer { _ = try? client.setMode(previous, force: true) }
            for entry in entries.sorted(by: { ($0.id, $0.version!) < ($1.id, $1.version!) }) {
                let request = SchemaRequest(schema: entry.schema, schemaType: entry.schemaType, references: entry.references, id: entry.id, version: entry.version)
                _ = try client.register(subject: entry.subject!, request)
            }
        }
        Terminal.err("imported \(entries.count) subject versions")
    }
}

import ArgumentParser
import Diagnostics
import Foundation
import SchemaConfig
import Validation

/// The files and config a command works on. The only place the CLI touches the file system.
struct Workspace {
    /// The config with each subject's schema path made absolute, to match file identities.
    let config: ProjectConfig?
    let configPath: String?

    /// Loads `--config`, or schemactl.yaml from the current folder or the nearest parent that has one.
    static func load(configOption: String?) throws -> Workspace {
        let fileManager = FileManager.default
        var configPath = configOption
        if configPath == nil {
            var folder = fileManager.currentDirectoryPath
            while true {
                let candidate = folder + "/" + ProjectConfig.fileName
                if fileManager.fileExists(atPath: candidate) { configPath = candidate; break }
                let parent = (folder as NSString).deletingLastPathComponent
                if parent == folder || parent.isEmpty { break }
                folder = parent
            }
        }
        guard let configPath else { return Workspace(config: nil, configPath: nil) }
        guard let data = fileManager.contents(atPath: configPath) else {
            throw Terminal.fail("cannot read config \(configPath)")
        }
        switch ConfigParser.parse(String(decoding: data, as: UTF8.self)) {
        case .failure(let error):
            Terminal.err(ReportFormat.text.render([FileReport(path: configPath, diagnostics: error.diagnostics)]))
            throw Terminal.fail("\(configPath) is invalid; fix the findings above")
        case .success(var config):
            let base = (identity(of: configPath) as NSString).deletingLastPathComponent
            for index in config.subjects.indices {
                config.subjects[index].schema = normalizePath(base + "/" + config.subjects[index].schema)
            }
            return Workspace(config: config, configPath: configPath)
        }
    }

    /// The normalised absolute path of `path`.
    static func identity(of path: String) -> String {
        normalizePath(path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path)
    }

    /// Files named directly, and the files with `extensions` found recursively in folders, sorted.
    static func schemaFiles(in paths: [String], extensions: Set<String>) throws -> [String] {
        let fileManager = FileManager.default
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw Terminal.fail("\(path): no such file or folder")
            }
            guard isDirectory.boolValue else { files.append(path); continue }
            guard let enumerator = fileManager.enumerator(atPath: path) else { throw Terminal.fail("\(path): cannot list folder") }
            var found: [String] = []
            while let relative = enumerator.nextObject() as? String {
                if extensions.contains((relative as NSString).pathExtension) {
                    found.append(path.hasSuffix("/") ? path + relative : path + "/" + relative)
                }
            }
            files += found.sorted()
        }
        return files
    }

    /// Avro files always; a JSON file when named on the command line, mapped to a subject, or
    /// declaring "$schema" (so example documents beside the schemas are left alone).
    static func isSchema(_ file: SourceFile, namedExplicitly: Bool, config: ProjectConfig?) -> Bool {
        guard file.isJSONSchema, !namedExplicitly else { return true }
        if !(config?.subjects(forSchemaPath: file.identity).isEmpty ?? true) { return true }
        let head = file.bytes.prefix(4096)
        return head.first(where: { $0 > 0x20 }) == UInt8(ascii: "{") && String(decoding: head, as: UTF8.self).contains("\"$schema\"")
    }

    static func read(_ path: String) throws -> SourceFile {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw Terminal.fail("\(path): cannot open file") }
        defer { try? handle.close() }
        do {
            let data = try handle.readToEnd() ?? Data()
            return SourceFile(path: path, identity: identity(of: path), bytes: [UInt8](data))
        } catch {
            throw Terminal.fail("\(path): cannot read file: \(error.localizedDescription)")
        }
    }

    /// Schema files that `files` reference through the config (transitively) and that are not
    /// among them: they lend their definitions without being reported on.
    func referencedFiles(of files: [SourceFile]) throws -> [SourceFile] {
        guard let config else { return [] }
        var known = Set(files.map(\.identity))
        var queue = files.map(\.identity)
        var context: [SourceFile] = []
        while let identity = queue.popLast() {
            for subject in config.subjects(forSchemaPath: identity) {
                for reference in subject.references {
                    guard let target = config.subject(named: reference.subject), known.insert(target.schema).inserted else { continue }
                    guard FileManager.default.fileExists(atPath: target.schema) else {
                        throw Terminal.fail("subject \(subject.subject) references \(reference.subject), whose schema \(target.schema) does not exist")
                    }
                    context.append(try Workspace.read(target.schema))
                    queue.append(target.schema)
                }
            }
        }
        return context
    }

    /// The files a schema's subjects reference, by reference name (transitively): what a JSON
    /// Schema's `$ref`s name.
    func referencesByName(of file: SourceFile) throws -> [String: SourceFile] {
        guard let config else { return [:] }
        var found: [String: SourceFile] = [:]
        var seen: Set<String> = [file.identity]
        var queue = [file.identity]
        while let identity = queue.popLast() {
            for subject in config.subjects(forSchemaPath: identity) {
                for reference in subject.references {
                    guard let target = config.subject(named: reference.subject) else { continue }
                    guard FileManager.default.fileExists(atPath: target.schema) else {
                        throw Terminal.fail("subject \(subject.subject) references \(reference.subject), whose schema \(target.schema) does not exist")
                    }
                    if found[reference.name] == nil { found[reference.name] = try Workspace.read(target.schema) }
                    if seen.insert(target.schema).inserted { queue.append(target.schema) }
                }
            }
        }
        return found
    }
}

extension Workspace {
    /// Writes each file whose bytes differ from what is on disk (no mtime churn, no spurious
    /// rebuilds), creating `folder` first.
    static func writeIfChanged(_ files: [(path: String, contents: String)], creating folder: String) throws {
        do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
            throw Terminal.fail("\(folder): cannot create folder: \(error.localizedDescription)")
        }
        for (path, contents) in files {
            let data = Data(contents.utf8)
            if FileManager.default.contents(atPath: path) == data { continue }
            guard FileManager.default.createFile(atPath: path, contents: data) else { throw Terminal.fail("\(path): cannot write file") }
        }
    }
}

import ArgumentParser
import HTTPClient
import Foundation
import JSONDocument

/// Where referenced schemas come from: files named by --resource and --resource-dir, the schema's
/// own folder (under its file URL and under its $id's folder), and the network only when allowed.
struct ResourceMap {
    private var exact: [String: String] = [:]
    private var prefixes: [(prefix: String, directory: String)] = []
    let allowRemote: Bool

    init(schemaPath: String, schema: JSONValue, resources: [String], resourceDirs: [String], allowRemote: Bool) throws {
        self.allowRemote = allowRemote
        for mapping in resources {
            guard let equals = mapping.firstIndex(of: "=") else { throw Terminal.fail("--resource takes URI=PATH, not \(mapping)") }
            exact[String(mapping[..<equals]).trimmingCharacters(in: ["#"])] = String(mapping[mapping.index(after: equals)...])
        }
        for mapping in resourceDirs {
            guard let equals = mapping.firstIndex(of: "=") else { throw Terminal.fail("--resource-dir takes DIR=URI-PREFIX, not \(mapping)") }
            let directory = String(mapping[..<equals]), prefix = String(mapping[mapping.index(after: equals)...])
            prefixes.append((prefix.hasSuffix("/") ? prefix : prefix + "/", directory))
        }
        let folder = (schemaPath as NSString).deletingLastPathComponent
        prefixes.append(("file://" + folder + "/", folder))
        if case .string(let id)? = schema.objectValue?["$id"], let slash = id.lastIndex(of: "/"), id.contains("://") {
            prefixes.append((String(id[...slash]), folder))
        }
    }

    var retrieve: @Sendable (String) throws -> JSONValue? {
        let exact = exact, prefixes = prefixes, allowRemote = allowRemote
        return { uri in
            if let path = exact[uri] { return try Self.load(path, for: uri) }
            for (prefix, directory) in prefixes where uri.hasPrefix(prefix) {
                let path = directory + "/" + uri.dropFirst(prefix.count)
                if FileManager.default.fileExists(atPath: path) { return try Self.load(path, for: uri) }
            }
            guard uri.hasPrefix("http://") || uri.hasPrefix("https://") else { return nil }
            guard allowRemote else {
                throw ResourceError("\(uri) is not fetched: references are resolved offline; map it with --resource URI=PATH or --resource-dir, or pass --allow-remote")
            }
            return try Self.fetch(uri)
        }
    }

    private static func load(_ path: String, for uri: String) throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: path) else { throw ResourceError("\(uri): cannot read \(path)") }
        do { return try JSONDocument(parsing: [UInt8](data)).root } catch {
            throw ResourceError("\(uri) (\(path)): \(error)")
        }
    }

    /// Fetches over HTTP(S) with libcurl (loaded only now), following redirects.
    private static func fetch(_ uri: String) throws -> JSONValue {
        var options = HTTPClient.Options()
        options.timeout = 10
        let response: HTTPClient.Response
        do { response = try HTTPClient(options: options).send("GET", uri) } catch { throw ResourceError("\(uri): \(error)") }
        guard (200..<300).contains(response.status) else { throw ResourceError("\(uri): HTTP \(response.status)") }
        do { return try JSONDocument(parsing: response.body).root } catch { throw ResourceError("\(uri): \(error)") }
    }
}

struct ResourceError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

import Foundation

/// Confines the file paths that messages carry to configured roots. Paths are compared after
/// resolving `.`, `..` and symbolic links of the part that exists, so neither `../` nor a link
/// leads outside.
public struct PathPolicy: Sendable {
    public let roots: [String]

    public init(roots: [String]) { self.roots = roots.map(Self.resolve) }

    /// The resolved path, or PATH_NOT_ALLOWED when it lies outside every root.
    public func confine(_ path: String, role: String) throws(ServiceError) -> String {
        guard !path.isEmpty else { throw ServiceError(ServiceError.invalidRequest, "\(role) is empty") }
        let resolved = Self.resolve(path)
        for root in roots where resolved == root || resolved.hasPrefix(root == "/" ? "/" : root + "/") { return resolved }
        throw ServiceError(ServiceError.pathNotAllowed,
                           "\(role) \(path) is outside the allowed roots (\(roots.joined(separator: ", "))); set ALLOWED_ROOTS to include it")
    }

    /// Absolute, with `.`/`..` removed and the longest existing prefix's links resolved.
    static func resolve(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [String] = []
        for part in absolute.split(separator: "/") where part != "." {
            if part == ".." { _ = parts.popLast() } else { parts.append(String(part)) }
        }
        // Resolve links on the longest prefix that exists; keep the missing tail as written.
        var existing = parts.count
        while existing > 0, !FileManager.default.fileExists(atPath: "/" + parts[..<existing].joined(separator: "/")) { existing -= 1 }
        let head = "/" + parts[..<existing].joined(separator: "/")
        let real = head.withCString { pointer -> String in
            guard let resolved = realpath(pointer, nil) else { return head }
            defer { free(resolved) }
            return String(cString: resolved)
        }
        let tail = parts[existing...]
        if tail.isEmpty { return real }
        return (real == "/" ? "" : real) + "/" + tail.joined(separator: "/")
    }
}

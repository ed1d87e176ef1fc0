import Foundation
import JSONDocument

/// Where a service writes its files: a confined, existing, writable folder, file names made from the
/// request, and a JSON metadata file beside each tensor.
struct OutputFolder {
    let path: String

    /// Creates the folder when missing; OUTPUT_DIR_NOT_WRITABLE when that fails or it is not writable.
    init(_ requested: String, policy: PathPolicy) throws(ServiceError) {
        let resolved = try policy.confine(requested, role: "output directory")
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) {
            do { try FileManager.default.createDirectory(atPath: resolved, withIntermediateDirectories: true) } catch {
                throw ServiceError(ServiceError.outputDirNotWritable, "Cannot create output directory \(requested): \(error.localizedDescription)")
            }
        } else if !isDirectory.boolValue {
            throw ServiceError(ServiceError.outputDirNotWritable, "Output directory \(requested) is a file, not a directory")
        }
        guard access(resolved, W_OK) == 0 else { throw ServiceError(ServiceError.outputDirNotWritable, "Cannot write to output directory \(requested)") }
        path = resolved
    }

    /// `prefix_<request id>.ext`: the same request (redelivered by Kafka after a crash) writes the
    /// same file, so reprocessing is idempotent. An id with other characters than letters, digits,
    /// `-` and `_` (or a long one) gets its safe part and the time, so two ids cannot collide.
    func file(_ prefix: String, requestId: String, ext: String) -> String {
        let safe = String(requestId.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "-" || $0 == "_") }
            .map(Character.init).prefix(96))
        if !safe.isEmpty && safe == requestId { return "\(path)/\(prefix)_\(safe).\(ext)" }
        return "\(path)/\(prefix)_\(Clock.millis())_\(safe.isEmpty ? "request" : safe).\(ext)"
    }

    /// Writes the tensor (`torch.load` reads it) and `<file>.json` with its shape and `metadata`.
    func writeTensor(_ tensor: Tensor, to file: String, metadata: JSONObject) throws(ServiceError) {
        do { try tensor.save(to: file) } catch {
            throw ServiceError(ServiceError.outputDirNotWritable, "Cannot write \(file): \(error.message)")
        }
        var described = JSONObject(["shape": .array(tensor.shape.map { .integer(Int64($0)) }), "dtype": .string("float32")])
        for member in metadata.members { described.append(member.key, member.value) }
        guard FileManager.default.createFile(atPath: file + ".json", contents: Data(JSONValue.object(described).prettyText.utf8)) else {
            throw ServiceError(ServiceError.outputDirNotWritable, "Cannot write \(file).json")
        }
    }
}

enum Clock {
    static func millis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
    static func iso8601() -> String { ISO8601DateFormatter().string(from: Date()) }
}

extension Array where Element == Int {
    var json: JSONValue { .array(map { .integer(Int64($0)) }) }
    var int32: [Int32] { map(Int32.init) }
}

/// Reads a tensor file named in a request, with the service's codes for a missing or unreadable one.
func readTensor(_ path: String, role: String, policy: PathPolicy, notFound: String, invalid: String) throws(ServiceError) -> Tensor {
    let resolved = try policy.confine(path, role: role)
    switch fileKind(resolved) {
    case nil: throw ServiceError(notFound, "\(role) not found: \(path)")
    case .typeRegular?: break
    default: throw ServiceError(invalid, "\(role) \(path) is not a regular file")
    }
    do { return try Tensor.load(from: resolved) } catch { throw ServiceError(invalid, "\(role) \(path) is not a tensor file: \(error.message)") }
}

/// The file's type without following a FIFO's open (nil when nothing is there).
func fileKind(_ path: String) -> FileAttributeType? {
    (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
}

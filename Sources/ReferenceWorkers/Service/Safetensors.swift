import JSONDocument

/// Why a `.safetensors` file cannot be read.
public struct SafetensorsError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// A `.safetensors` file: an 8-byte little-endian header length, a JSON header naming each tensor's
/// dtype, shape and byte range, then the raw tensors. Every range and size is checked against the file.
public struct SafetensorsFile: Sendable {
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var dtype: String
        public var shape: [Int]
        /// Byte range within the file (not within the data section).
        public var range: Range<Int>
    }

    public let entries: [Entry]
    public let metadata: [String: String]
    let bytes: [UInt8]

    static let elementWidths: [String: Int] = ["F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1]
    static let headerLimit = 100 << 20

    public init(bytes: [UInt8]) throws(SafetensorsError) {
        func fail(_ message: String) -> SafetensorsError { SafetensorsError(message: message) }
        guard bytes.count >= 8 else { throw fail("file is \(bytes.count) bytes, shorter than the 8-byte header length") }
        let headerLength = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard headerLength <= UInt64(min(Self.headerLimit, bytes.count - 8)) else {
            throw fail("header length \(headerLength) runs past the end of the file (\(bytes.count) bytes)")
        }
        let dataStart = 8 + Int(headerLength)
        let header: JSONValue
        do { header = try JSONDocument(parsing: Array(bytes[8..<dataStart])).root } catch { throw fail("header is not JSON: \(error)") }
        guard case .object(let members) = header else { throw fail("header must be a JSON object, found \(header.typeName)") }
        var entries: [Entry] = []
        var metadata: [String: String] = [:]
        for member in members.members {
            if member.key == "__metadata__" {
                guard case .object(let pairs) = member.value else { throw fail("__metadata__ must be an object of strings") }
                for pair in pairs.members {
                    guard case .string(let text) = pair.value else { throw fail("__metadata__.\(pair.key) must be a string") }
                    metadata[pair.key] = text
                }
                continue
            }
            entries.append(try Self.entry(member.key, member.value, dataStart: dataStart, fileSize: bytes.count))
        }
        self.entries = entries
        self.metadata = metadata
        self.bytes = bytes
    }

    private static func entry(_ name: String, _ value: JSONValue, dataStart: Int, fileSize: Int) throws(SafetensorsError) -> Entry {
        func fail(_ message: String) -> SafetensorsError { SafetensorsError(message: "tensor '\(name)': \(message)") }
        guard case .object(let fields) = value, case .string(let dtype)? = fields["dtype"],
              case .array(let shapeValues)? = fields["shape"], case .array(let offsetValues)? = fields["data_offsets"]
        else { throw fail("needs dtype (string), shape (array) and data_offsets (array)") }
        var shape: [Int] = []
        for dimension in shapeValues {
            guard case .integer(let size) = dimension, size >= 0, size < 1 << 40 else { throw fail("shape must hold non-negative integers") }
            shape.append(Int(size))
        }
        guard offsetValues.count == 2, case .integer(let begin) = offsetValues[0], case .integer(let end) = offsetValues[1],
              begin >= 0, end >= begin, Int64(dataStart) + end <= Int64(fileSize)
        else { throw fail("data_offsets must be [begin, end] within the \(fileSize - dataStart) data bytes") }
        guard let width = elementWidths[dtype] else { throw fail("unknown dtype \(dtype)") }
        let (count, overflow) = shape.reduce((1, false)) { acc, size in
            let (product, over) = acc.0.multipliedReportingOverflow(by: size)
            return (product, acc.1 || over)
        }
        guard !overflow, count * width == Int(end - begin) else {
            throw fail("shape \(shape) of \(dtype) needs \(overflow ? "too many" : String(count * width)) bytes, data_offsets give \(end - begin)")
        }
        return Entry(name: name, dtype: dtype, shape: shape, range: (dataStart + Int(begin))..<(dataStart + Int(end)))
    }

    /// The tensors as a weight set (float32), for the shim's models.
    public func weightSet() throws(SafetensorsError) -> WeightSet {
        let weights = WeightSet(metadata: metadata)
        for entry in entries {
            let made = bytes.withUnsafeBytes { all in
                Result { () throws(TorchError) in
                    try Tensor.from(bytes: UnsafeRawBufferPointer(rebasing: all[entry.range]), dtype: entry.dtype, shape: entry.shape)
                }
            }
            switch made {
            case .success(let tensor): weights.add(entry.name, tensor)
            case .failure(let error): throw SafetensorsError(message: "tensor '\(entry.name)': \(error.message)")
            }
        }
        return weights
    }
}

/// Writes float32 tensors as a `.safetensors` file (tests and `reference-worker make-models` use it).
public enum SafetensorsWriter {
    public struct Item: Sendable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]
        public init(name: String, shape: [Int], values: [Float]) { self.name = name; self.shape = shape; self.values = values }
    }

    public static func encode(_ items: [Item], metadata: [String: String] = [:]) -> [UInt8] {
        var header = JSONObject()
        if !metadata.isEmpty {
            header.append("__metadata__", .object(JSONObject(metadata.sorted { $0.key < $1.key }.map { .init(key: $0.key, value: .string($0.value)) })))
        }
        var offset = 0
        for item in items {
            let size = item.values.count * 4
            header.append(item.name, .object(JSONObject([
                "dtype": .string("F32"),
                "shape": .array(item.shape.map { .integer(Int64($0)) }),
                "data_offsets": .array([.integer(Int64(offset)), .integer(Int64(offset + size))]),
            ])))
            offset += size
        }
        var headerBytes = Array(JSONValue.object(header).compactText.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) } // aligned data, as the reference writer pads
        var out: [UInt8] = []
        out.reserveCapacity(8 + headerBytes.count + offset)
        var length = UInt64(headerBytes.count)
        for _ in 0..<8 { out.append(UInt8(length & 0xff)); length >>= 8 }
        out += headerBytes
        for item in items { item.values.withUnsafeBytes { out += $0 } }
        return out
    }
}

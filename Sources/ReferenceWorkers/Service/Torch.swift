import CTorchShim

/// A failure reported by the libtorch shim: its status and message.
public struct TorchError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case argument, weights, compute, io, image, tooLarge }
    public var kind: Kind
    public var message: String
    public var description: String { message }

    init(_ error: ts_error) {
        switch Int32(error.code) {
        case Int32(TS_ERR_WEIGHTS.rawValue): kind = .weights
        case Int32(TS_ERR_IO.rawValue): kind = .io
        case Int32(TS_ERR_IMAGE.rawValue): kind = .image
        case Int32(TS_ERR_TOO_LARGE.rawValue): kind = .tooLarge
        case Int32(TS_ERR_ARGUMENT.rawValue): kind = .argument
        default: kind = .compute
        }
        message = withUnsafeBytes(of: error.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}

/// Calls a shim function with an error slot and throws what it reports.
func torchCall(_ body: (UnsafeMutablePointer<ts_error>) -> Int32) throws(TorchError) {
    var error = ts_error()
    if body(&error) != 0 { throw TorchError(error) }
}

/// A float32 tensor owned by the shim (on the CPU between calls).
public final class Tensor: @unchecked Sendable {
    let handle: OpaquePointer

    init(handle: OpaquePointer) { self.handle = handle }
    deinit { ts_tensor_free(handle) }

    /// Runs a shim function that produces a tensor.
    static func make(_ body: (UnsafeMutablePointer<OpaquePointer?>, UnsafeMutablePointer<ts_error>) -> Int32) throws(TorchError) -> Tensor {
        var result: OpaquePointer?
        try torchCall { body(&result, $0) }
        return Tensor(handle: result!)
    }

    /// A tensor from raw little-endian values of `dtype` (F32, F16, BF16, F64), converted to float32.
    public static func from(bytes: UnsafeRawBufferPointer, dtype: String, shape: [Int]) throws(TorchError) -> Tensor {
        let dims = shape.map(Int64.init)
        return try make { out, error in ts_tensor_from_data(bytes.baseAddress, Int64(bytes.count), dtype, dims, Int32(dims.count), out, error) }
    }

    public static func from(values: [Float], shape: [Int]) throws(TorchError) -> Tensor {
        try values.withUnsafeBytes { bytes in Result { () throws(TorchError) in try from(bytes: bytes, dtype: "F32", shape: shape) } }.get()
    }

    public var shape: [Int] { (0..<Int(ts_tensor_ndim(handle))).map { Int(ts_tensor_dim(handle, Int32($0))) } }

    public var values: [Float] {
        let count = shape.reduce(1, *)
        var out = [Float](repeating: 0, count: count)
        _ = out.withUnsafeMutableBufferPointer { ts_tensor_copy_floats(handle, $0.baseAddress, Int64(count)) }
        return out
    }

    /// Writes the tensor with torch::pickle_save (Python: `torch.load(path)` gives a Tensor).
    public func save(to path: String) throws(TorchError) { try torchCall { ts_pickle_save(handle, path, $0) } }

    public static func load(from path: String) throws(TorchError) -> Tensor { try make { ts_pickle_load(path, $0, $1) } }
}

/// Named tensors of one model file, as the shim's models read them.
public final class WeightSet: @unchecked Sendable {
    let handle: OpaquePointer
    /// Names and shapes, for messages and checks on the Swift side.
    public private(set) var shapes: [String: [Int]] = [:]
    public private(set) var metadata: [String: String] = [:]

    public init(metadata: [String: String] = [:]) {
        handle = ts_weights_new()
        self.metadata = metadata
    }
    deinit { ts_weights_free(handle) }

    public func add(_ name: String, _ tensor: Tensor) {
        ts_weights_add(handle, name, tensor.handle)
        shapes[name] = tensor.shape
    }
}

/// Which device the shim computes on.
public enum ComputeDevice {
    /// "auto" gives "cuda" when libtorch sees a GPU, else "cpu"; "cuda" without one is an error.
    public static func select(_ requested: String) throws(TorchError) -> String {
        var chosen = [CChar](repeating: 0, count: 16)
        try torchCall { ts_device_select(requested, &chosen, Int32(chosen.count), $0) }
        return String(decoding: chosen.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public static func setThreads(_ count: Int) { ts_set_threads(Int32(count)) }
}

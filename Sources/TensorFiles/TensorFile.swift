import CTorchShim

/// Shape and dtype of a tensor file written by torch.save or torch::pickle_save, read through libtorch.
/// A target of its own so that only what inspects tensor files links libtorch (schemactl does not:
/// loading libtorch costs more than a second at start).
public enum TensorFile {
    public struct Info: Sendable, Hashable {
        public var shape: [Int]
        /// Python's name: float32, float16, bfloat16, int64, ...
        public var dtype: String
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func info(atPath path: String) throws(Failure) -> Info {
        let maxDims = 16
        var shape = [Int64](repeating: 0, count: maxDims)
        var ndim: Int32 = 0
        var dtype = [CChar](repeating: 0, count: 64)
        var error = ts_error()
        let status = ts_tensor_file_info(path, &shape, Int32(maxDims), &ndim, &dtype, Int32(dtype.count), &error)
        guard status == 0 else {
            throw Failure(description: withUnsafeBytes(of: error.message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) })
        }
        guard ndim <= maxDims else { throw Failure(description: "\(path) holds a tensor of \(ndim) dimensions; at most \(maxDims) are read") }
        let name = dtype.withUnsafeBufferPointer { String(decoding: $0.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return Info(shape: shape.prefix(Int(ndim)).map { Int($0) }, dtype: name)
    }
}

import Foundation

/// What a model file is for, and the error codes that name it.
public enum ModelRole: Sendable {
    case vae, textEncoder, diffusion, lora

    var label: String {
        switch self {
        case .vae: "VAE"
        case .textEncoder: "text encoder (CLIP)"
        case .diffusion: "diffusion (UNet)"
        case .lora: "LoRA"
        }
    }
    public var notFoundCode: String {
        switch self {
        case .vae: ServiceError.vaeModelNotFound
        case .textEncoder: ServiceError.clipModelNotFound
        case .diffusion: ServiceError.unetModelNotFound
        case .lora: ServiceError.loraModelNotFound
        }
    }
    public var invalidCode: String {
        switch self {
        case .vae: ServiceError.vaeModelInvalid
        case .textEncoder: ServiceError.clipModelInvalid
        case .diffusion: ServiceError.unetModelInvalid
        case .lora: ServiceError.loraModelInvalid
        }
    }
}

/// Loads `.safetensors` files from MODEL_DIR by the names in requests, and keeps them while the file
/// is unchanged (a worker serves many requests with the same models).
public final class ModelStore: @unchecked Sendable {
    public let directory: String
    private let lock = NSLock()
    private var cache: [String: (stamp: String, weights: WeightSet)] = [:]

    public init(directory: String) { self.directory = directory }

    public func load(_ name: String, role: ModelRole) throws(ServiceError) -> WeightSet {
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw ServiceError(role.notFoundCode, "\(role.label) model name '\(name)' must be a file name inside MODEL_DIR, without '/'")
        }
        let path = directory + "/" + name
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path), attributes[.type] as? FileAttributeType == .typeRegular else {
            throw ServiceError(role.notFoundCode, "\(role.label) model \(name) not found in MODEL_DIR (\(directory))")
        }
        let stamp = "\(attributes[.size] ?? 0)-\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
        lock.lock()
        defer { lock.unlock() }
        if let cached = cache[path], cached.stamp == stamp { return cached.weights }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServiceError(role.notFoundCode, "\(role.label) model \(name) cannot be read")
        }
        do {
            let weights = try SafetensorsFile(bytes: [UInt8](data)).weightSet()
            cache[path] = (stamp, weights)
            return weights
        } catch {
            throw ServiceError(role.invalidCode, "\(role.label) model \(name) is not a valid .safetensors file: \(error.message)")
        }
    }
}

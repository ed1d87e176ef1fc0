import CTorchShim

/// Swift faces of the shim's image and model functions. Models read their sizes from the weights
/// and report a missing or misshapen tensor as a `.weights` error.
public enum Compute {
    public static func loadImage(_ path: String, maxPixels: Int) throws(TorchError) -> Tensor {
        try Tensor.make { ts_image_load(path, Int64(maxPixels), $0, $1) }
    }

    public static func resize(_ image: Tensor, width: Int, height: Int, method: UpscaleMethod) throws(TorchError) -> Tensor {
        try Tensor.make { ts_image_resize(image.handle, Int32(width), Int32(height), method.rawValue, $0, $1) }
    }

    public static func savePNG(_ image: Tensor, to path: String) throws(TorchError) {
        try torchCall { ts_image_save_png(image.handle, path, $0) }
    }

    public static func vaeEncode(_ vae: WeightSet, image: Tensor, device: String) throws(TorchError) -> Tensor {
        try Tensor.make { ts_vae_encode(vae.handle, image.handle, device, $0, $1) }
    }

    public static func vaeDecode(_ vae: WeightSet, latent: Tensor, device: String) throws(TorchError) -> Tensor {
        try Tensor.make { ts_vae_decode(vae.handle, latent.handle, device, $0, $1) }
    }

    public static func textEncode(_ clip: WeightSet, tokens: [Int64], images: [Tensor], device: String) throws(TorchError) -> Tensor {
        var handles: [OpaquePointer?] = images.map { Optional($0.handle) }
        let count = Int32(images.count)
        return try handles.withUnsafeMutableBufferPointer { buffer in
            Result { () throws(TorchError) in
                try Tensor.make { ts_text_encode(clip.handle, tokens, Int32(tokens.count), buffer.baseAddress, count, device, $0, $1) }
            }
        }.get()
    }

    public struct SamplingSettings: Sendable {
        public var seed: Int64
        public var steps: Int
        public var cfg: Double
        public var denoise: Double
        public var shift: Double
        public var loraStrength: Double
        public init(seed: Int64, steps: Int, cfg: Double, denoise: Double, shift: Double, loraStrength: Double) {
            self.seed = seed; self.steps = steps; self.cfg = cfg; self.denoise = denoise; self.shift = shift; self.loraStrength = loraStrength
        }
    }

    public static func sample(unet: WeightSet, lora: WeightSet?, latent: Tensor, positive: Tensor, negative: Tensor,
                              settings: SamplingSettings, device: String) throws(TorchError) -> Tensor {
        var params = ts_sampling_params(seed: settings.seed, steps: Int32(settings.steps), cfg: settings.cfg, denoise: settings.denoise,
                                        shift: settings.shift, lora_strength: settings.loraStrength)
        return try Tensor.make {
            ts_sample(unet.handle, lora?.handle, latent.handle, positive.handle, negative.handle, &params, device, $0, $1)
        }
    }
}

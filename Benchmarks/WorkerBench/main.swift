// Per-stage compute time of the reference workers' models (through CTorchShim), on the same weights
// and inputs that eager_reference.py runs in PyTorch. Usage:
//   WorkerBench <work dir> [--size small|medium] [--megapixels 1.0] [--steps 4] [--repeat 5] [--threads 2] [--device auto]
// Writes the models, inputs and every stage's output (.pt) into <work dir>, prints one JSON object.
import Foundation
import ReferenceWorkers

let arguments = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: String) -> String {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return fallback }
    return arguments[index + 1]
}
guard let work = arguments.first, !work.hasPrefix("--") else {
    FileHandle.standardError.write(Data("usage: WorkerBench <work dir> [--size small|medium] [--megapixels 1.0] [--steps 4] [--repeat 5]\n".utf8))
    exit(2)
}
let size = option("--size", "medium"), megapixels = Double(option("--megapixels", "1.0")) ?? 1
let steps = Int(option("--steps", "4")) ?? 4, repeats = Int(option("--repeat", "5")) ?? 5
let device = try ComputeDevice.select(option("--device", "auto"))
let threads = Int(option("--threads", "2")) ?? 2
ComputeDevice.setThreads(threads)

var sizes = TinyModels.Sizes()
if size == "medium" {
    sizes.vaeWidth = 64; sizes.vocabulary = 4096; sizes.textWidth = 256; sizes.contextLength = 77; sizes.textHidden = 1024
    sizes.unetWidth = 128; sizes.timeEmbed = 256; sizes.timeFrequencies = 128; sizes.loraRank = 16
}
let models = work + "/models"
try TinyModels.write(to: models, seed: 7, sizes: sizes)
func weights(_ name: String) throws -> WeightSet {
    try SafetensorsFile(bytes: [UInt8](FileManager.default.contents(atPath: models + "/" + name)!)).weightSet()
}
let vae = try weights(TinyModels.vaeName), clip = try weights(TinyModels.clipName)
let unet = try weights(TinyModels.unetName), lora = try weights(TinyModels.loraName)

// A 1536x1024 test card, made here so that the run needs no image files.
nonisolated(unsafe) var pixels: [Float] = []
let (imageWidth, imageHeight) = (1536, 1024)
for channel in 0..<3 {
    for y in 0..<imageHeight {
        for x in 0..<imageWidth { pixels.append(Float((x / 7 * (channel + 1) + y / 5 * (3 - channel) + (x * y) % 31) % 256) / 255) }
    }
}
let image = try Tensor.from(values: pixels, shape: [1, 3, imageHeight, imageWidth])

/// Median wall time of `repeats` runs after one warm-up, in milliseconds.
@MainActor func time<T>(_ body: () throws -> T) rethrows -> (ms: Double, value: T) {
    var value = try body()
    var samples: [Double] = []
    for _ in 0..<repeats {
        let start = ContinuousClock.now
        value = try body()
        let elapsed = ContinuousClock.now - start
        samples.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
    }
    return (samples.sorted()[samples.count / 2], value)
}

let target = ImageScaling.targetSize(width: imageWidth, height: imageHeight, megapixels: megapixels)
let reference = ImageScaling.targetSize(width: imageWidth, height: imageHeight, megapixels: 0.0625)
let positiveTokens = HashTokenizer.tokens("a person wearing the red shirt from the second image, studio light")
let negativeTokens = HashTokenizer.tokens("blurry, low quality")
let settings = Compute.SamplingSettings(seed: 1234, steps: steps, cfg: 2.5, denoise: 1.0, shift: 3, loraStrength: 0.8)

let encode = try time { () throws -> (Tensor, Tensor) in
    let scaled = try Compute.resize(image, width: target.width, height: target.height, method: .lanczos)
    return (scaled, try Compute.vaeEncode(vae, image: scaled, device: device))
}
let text = try time { () throws -> (Tensor, Tensor) in
    let small = try Compute.resize(image, width: reference.width, height: reference.height, method: .lanczos)
    let latent = try Compute.vaeEncode(vae, image: small, device: device)
    return (try Compute.textEncode(clip, tokens: positiveTokens, images: [latent, latent], device: device),
            try Compute.textEncode(clip, tokens: negativeTokens, images: [latent, latent], device: device))
}
let sample = try time {
    try Compute.sample(unet: unet, lora: lora, latent: encode.value.1, positive: text.value.0, negative: text.value.1, settings: settings, device: device)
}
let decode = try time { try Compute.vaeDecode(vae, latent: sample.value, device: device) }

for (name, tensor) in [("image", image), ("scaled", encode.value.0), ("latent", encode.value.1), ("positive", text.value.0),
                       ("negative", text.value.1), ("sampled", sample.value), ("decoded", decode.value)] {
    try tensor.save(to: "\(work)/\(name).pt")
}
let inputs: [String: Any] = [
    "size": size, "device": device, "megapixels": megapixels, "target": [target.width, target.height], "reference": [reference.width, reference.height],
    "positive_tokens": positiveTokens, "negative_tokens": negativeTokens,
    "seed": settings.seed, "steps": settings.steps, "cfg": settings.cfg, "denoise": settings.denoise, "shift": settings.shift,
    "lora_strength": settings.loraStrength, "repeat": repeats, "threads": threads,
]
try JSONSerialization.data(withJSONObject: inputs, options: [.sortedKeys]).write(to: URL(fileURLWithPath: work + "/inputs.json"))
let result: [String: Any] = [
    "implementation": "swift+libtorch (CTorchShim)", "device": device, "size": size, "threads": threads,
    "latent_shape": encode.value.1.shape, "image_shape": decode.value.shape,
    "ms": ["latent_encoder": encode.ms, "text_encoder": text.ms, "sampling": sample.ms, "decoding": decode.ms],
]
print(String(decoding: try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys]), as: UTF8.self))

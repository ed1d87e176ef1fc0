import Foundation

/// Small deterministic model files with the tensor names and shapes the workers expect: what tests,
/// benchmarks and a new user's first run load instead of multi-gigabyte checkpoints. Same seed, same bytes.
public enum TinyModels {
    public static let vaeName = "qwen_image_vae.safetensors"
    public static let clipName = "qwen_2.5_vl_7b_fp8_scaled.safetensors"
    public static let unetName = "tiny_unet.safetensors"
    public static let loraName = "tiny_lora.safetensors"

    public struct Sizes: Sendable {
        public var vaeWidth = 16, latentChannels = 4
        public var vocabulary = 512, textWidth = 32, contextLength = 16, textHidden = 64
        public var unetWidth = 32, timeEmbed = 64, timeFrequencies = 32, loraRank = 4
        public init() {}
    }

    /// The four files, by name.
    public static func files(seed: UInt64 = 1, sizes: Sizes = Sizes()) -> [String: [UInt8]] {
        var random = SplitMix(state: seed)
        return [
            vaeName: SafetensorsWriter.encode(vae(sizes, &random), metadata: ["format": "pt", "kind": "vae"]),
            clipName: SafetensorsWriter.encode(textEncoder(sizes, &random), metadata: ["kind": "text_encoder"]),
            unetName: SafetensorsWriter.encode(unet(sizes, &random), metadata: ["kind": "diffusion"]),
            loraName: SafetensorsWriter.encode(lora(sizes, &random), metadata: ["kind": "lora"]),
        ]
    }

    public static func write(to directory: String, seed: UInt64 = 1, sizes: Sizes = Sizes()) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, bytes) in files(seed: seed, sizes: sizes) {
            try Data(bytes).write(to: URL(fileURLWithPath: directory).appendingPathComponent(name))
        }
    }

    struct SplitMix {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// Uniform in [-scale, scale).
        mutating func uniform(_ scale: Float) -> Float { (Float(next() >> 40) / Float(1 << 24) * 2 - 1) * scale }
    }

    typealias Item = SafetensorsWriter.Item

    static func random(_ name: String, _ shape: [Int], fanIn: Int, _ random: inout SplitMix) -> Item {
        let scale = 1 / Float(fanIn).squareRoot()
        return Item(name: name, shape: shape, values: (0..<shape.reduce(1, *)).map { _ in random.uniform(scale) })
    }

    static func convolution(_ name: String, out: Int, in input: Int, _ random: inout SplitMix) -> [Item] {
        [Self.random(name + ".weight", [out, input, 3, 3], fanIn: input * 9, &random), Self.random(name + ".bias", [out], fanIn: input * 9, &random)]
    }

    static func linear(_ name: String, out: Int, in input: Int, _ random: inout SplitMix) -> [Item] {
        [Self.random(name + ".weight", [out, input], fanIn: input, &random), Self.random(name + ".bias", [out], fanIn: input, &random)]
    }

    static func norm(_ name: String, width: Int) -> [Item] {
        [Item(name: name + ".weight", shape: [width], values: Array(repeating: 1, count: width)),
         Item(name: name + ".bias", shape: [width], values: Array(repeating: 0, count: width))]
    }

    static func vae(_ s: Sizes, _ r: inout SplitMix) -> [Item] {
        var items = convolution("encoder.conv_in", out: s.vaeWidth, in: 3, &r)
        for i in 0..<3 { items += convolution("encoder.down.\(i)", out: s.vaeWidth, in: s.vaeWidth, &r) }
        items += convolution("encoder.conv_out", out: 2 * s.latentChannels, in: s.vaeWidth, &r)
        items += convolution("decoder.conv_in", out: s.vaeWidth, in: s.latentChannels, &r)
        for i in 0..<3 { items += convolution("decoder.up.\(i)", out: s.vaeWidth, in: s.vaeWidth, &r) }
        items += convolution("decoder.conv_out", out: 3, in: s.vaeWidth, &r)
        return items
    }

    static func textEncoder(_ s: Sizes, _ r: inout SplitMix) -> [Item] {
        let d = s.textWidth
        var items = [random("token_embedding.weight", [s.vocabulary, d], fanIn: 1, &r),
                     random("position_embedding.weight", [s.contextLength, d], fanIn: 4, &r)]
        items += linear("image_proj", out: d, in: s.latentChannels, &r)
        items += norm("layer.ln1", width: d)
        items += linear("layer.attn.in_proj", out: 3 * d, in: d, &r)
        items += linear("layer.attn.out_proj", out: d, in: d, &r)
        items += norm("layer.ln2", width: d)
        items += linear("layer.mlp.fc1", out: s.textHidden, in: d, &r)
        items += linear("layer.mlp.fc2", out: d, in: s.textHidden, &r)
        items += norm("final_ln", width: d)
        return items
    }

    static func unet(_ s: Sizes, _ r: inout SplitMix) -> [Item] {
        var items = linear("time_embed.fc1", out: s.timeEmbed, in: s.timeFrequencies, &r)
        items += linear("time_embed.fc2", out: s.unetWidth, in: s.timeEmbed, &r)
        items += linear("context_proj", out: s.unetWidth, in: s.textWidth, &r)
        items += convolution("conv_in", out: s.unetWidth, in: s.latentChannels, &r)
        items += convolution("mid", out: s.unetWidth, in: s.unetWidth, &r)
        items += convolution("conv_out", out: s.latentChannels, in: s.unetWidth, &r)
        return items
    }

    static func lora(_ s: Sizes, _ r: inout SplitMix) -> [Item] {
        var items: [Item] = []
        for (layer, out, input) in [("conv_in", s.unetWidth, s.latentChannels * 9), ("mid", s.unetWidth, s.unetWidth * 9),
                                    ("conv_out", s.latentChannels, s.unetWidth * 9)] {
            items.append(random(layer + ".lora_down.weight", [s.loraRank, input], fanIn: input, &r))
            items.append(random(layer + ".lora_up.weight", [out, s.loraRank], fanIn: s.loraRank, &r))
            items.append(Item(name: layer + ".alpha", shape: [], values: [Float(s.loraRank)]))
        }
        return items
    }
}

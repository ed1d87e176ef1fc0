"""The reference workers' models in PyTorch eager, on the weights and inputs WorkerBench wrote.

Usage: /usr/bin/python3 eager_reference.py <work dir>   (Debian's python3-torch)
Times each stage as WorkerBench does (one warm-up, median of N) and compares every output with the
Swift/libtorch one (max absolute difference), so the figures are for the same computation.
"""
import json
import math
import struct
import sys
import time

import torch
import torch.nn.functional as F

work = sys.argv[1]
inputs = json.load(open(f"{work}/inputs.json"))
repeat = inputs["repeat"]
torch.set_num_threads(inputs["threads"])


def load_safetensors(path):
    data = open(path, "rb").read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        raw = bytearray(data[8 + length + begin:8 + length + end])
        tensors[name] = torch.frombuffer(raw, dtype=torch.float32).reshape(entry["shape"]).clone()
    return tensors


models = f"{work}/models"
vae = load_safetensors(f"{models}/qwen_image_vae.safetensors")
clip = load_safetensors(f"{models}/qwen_2.5_vl_7b_fp8_scaled.safetensors")
unet = load_safetensors(f"{models}/tiny_unet.safetensors")
lora = load_safetensors(f"{models}/tiny_lora.safetensors")


def resample_taps(size_in, size_out):
    """Lanczos-3 taps, PIL's convention (centres at i + 0.5, kernel widened when shrinking), as the shim builds them."""
    def sinc(x):
        return 1.0 if x == 0 else math.sin(math.pi * x) / (math.pi * x)

    def kernel(x):
        return sinc(x) * sinc(x / 3) if abs(x) < 3 else 0.0

    scale = size_in / size_out
    filter_scale = max(scale, 1.0)
    support = 3.0 * filter_scale
    taps = math.ceil(support) * 2 + 1
    indices = torch.zeros(size_out, taps, dtype=torch.long)
    weights = torch.zeros(size_out, taps)
    for i in range(size_out):
        centre = (i + 0.5) * scale
        first, last = max(0, math.floor(centre - support)), min(size_in, math.ceil(centre + support))
        values = [kernel((j + 0.5 - centre) / filter_scale) for j in range(first, last)]
        total = sum(values) or 1.0
        for k, (j, w) in enumerate(zip(range(first, last), values)):
            if k < taps:
                indices[i, k], weights[i, k] = j, w / total
    return indices, weights


def resample_last_axis(x, size_out):
    indices, weights = resample_taps(x.shape[-1], size_out)
    gathered = x.index_select(-1, indices.flatten()).view(*x.shape[:-1], size_out, indices.shape[1])
    return (gathered * weights).sum(-1)


def resize(image, width, height):
    across = resample_last_axis(image, width)
    return resample_last_axis(across.transpose(2, 3), height).transpose(2, 3).clamp(0, 1)


def conv(w, name, x, stride=1):
    return F.conv2d(x, w[name + ".weight"], w[name + ".bias"], stride=stride, padding=1)


def linear(w, name, x):
    return F.linear(x, w[name + ".weight"], w[name + ".bias"])


def vae_encode(image):
    x = F.silu(conv(vae, "encoder.conv_in", image * 2 - 1))
    for i in range(3):
        x = F.silu(conv(vae, f"encoder.down.{i}", x, 2))
    moments = conv(vae, "encoder.conv_out", x)
    return moments[:, : moments.shape[1] // 2]


def vae_decode(latent):
    x = F.silu(conv(vae, "decoder.conv_in", latent))
    for i in range(3):
        x = F.interpolate(x, scale_factor=2, mode="nearest")
        x = F.silu(conv(vae, f"decoder.up.{i}", x))
    return (torch.tanh(conv(vae, "decoder.conv_out", x)) + 1) / 2


def text_encode(hashes, image_latents):
    embedding = clip["token_embedding.weight"]
    vocabulary, width = embedding.shape
    context = clip["position_embedding.weight"].shape[0]
    ids = [0] * context
    for i, h in enumerate(hashes[:context]):
        ids[i] = 1 + h % (vocabulary - 1)
    x = (embedding[torch.tensor(ids)] + clip["position_embedding.weight"]).unsqueeze(0)
    tokens = [x] + [linear(clip, "image_proj", latent.mean((2, 3))).unsqueeze(1) for latent in image_latents]
    x = torch.cat(tokens, 1)
    h = F.layer_norm(x, (width,), clip["layer.ln1.weight"], clip["layer.ln1.bias"])
    q, k, v = linear(clip, "layer.attn.in_proj", h).chunk(3, -1)
    attention = torch.softmax(q @ k.transpose(1, 2) / math.sqrt(width), -1)
    x = x + linear(clip, "layer.attn.out_proj", attention @ v)
    h = F.layer_norm(x, (width,), clip["layer.ln2.weight"], clip["layer.ln2.bias"])
    x = x + linear(clip, "layer.mlp.fc2", F.gelu(linear(clip, "layer.mlp.fc1", h)))
    return F.layer_norm(x, (width,), clip["final_ln.weight"], clip["final_ln.bias"])


def merged_unet(strength):
    merged = dict(unet)
    for name, down in lora.items():
        if not name.endswith(".lora_down.weight"):
            continue
        layer = name[: -len(".lora_down.weight")]
        up = lora[layer + ".lora_up.weight"].flatten(1)
        down = down.flatten(1)
        rank = down.shape[0]
        alpha = float(lora[layer + ".alpha"]) if layer + ".alpha" in lora else rank
        base = merged[layer + ".weight"]
        merged[layer + ".weight"] = base + (up @ down).view(base.shape) * (strength * alpha / rank)
    return merged


def denoiser(w, x, sigma, context):
    half = w["time_embed.fc1.weight"].shape[1] // 2
    freqs = torch.exp(torch.arange(half, dtype=torch.float32) * (-math.log(10000.0) / half))
    angles = (freqs * (sigma * 1000.0)).unsqueeze(0)
    timestep = torch.cat([torch.cos(angles), torch.sin(angles)], 1)
    time_embedding = linear(w, "time_embed.fc2", F.silu(linear(w, "time_embed.fc1", timestep)))
    text = linear(w, "context_proj", context.mean(1))
    h = conv(w, "conv_in", x) + (time_embedding + text)[:, :, None, None]
    h = F.silu(conv(w, "mid", F.silu(h)))
    return conv(w, "conv_out", h)


def simple_sigmas(steps, shift, denoise):
    def schedule(count):
        table = [shift * t / (1 + (shift - 1) * t) for t in ((i + 1) / 1000 for i in range(1000))]
        sigmas = [table[999 - int(x * (1000 / count))] for x in range(count)]
        return sigmas + [0.0]

    if denoise >= 0.9999:
        return schedule(steps)
    return schedule(int(steps / denoise))[-(steps + 1):]


def sample(latent, positive, negative):
    w = merged_unet(inputs["lora_strength"])
    generator = torch.Generator().manual_seed(inputs["seed"])
    noise = torch.randn(latent.shape, generator=generator)
    sigmas = simple_sigmas(inputs["steps"], inputs["shift"], inputs["denoise"])
    x = noise * sigmas[0] + latent * (1 - sigmas[0])
    for sigma, following in zip(sigmas[:-1], sigmas[1:]):
        denoised = x - denoiser(w, x, sigma, positive) * sigma
        if inputs["cfg"] != 1.0:
            unconditioned = x - denoiser(w, x, sigma, negative) * sigma
            denoised = unconditioned + (denoised - unconditioned) * inputs["cfg"]
        x = x + (x - denoised) / sigma * (following - sigma)
    return x


def timed(body):
    value = body()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        value = body()
        samples.append((time.perf_counter() - start) * 1000)
    return sorted(samples)[len(samples) // 2], value


def swift(name):
    return torch.load(f"{work}/{name}.pt")


with torch.no_grad():
    image = swift("image")
    width, height = inputs["target"]
    ref_width, ref_height = inputs["reference"]
    encode_ms, (scaled, latent) = timed(lambda: (lambda s: (s, vae_encode(s)))(resize(image, width, height)))

    def text_stage():
        small = vae_encode(resize(image, ref_width, ref_height))
        return text_encode(inputs["positive_tokens"], [small, small]), text_encode(inputs["negative_tokens"], [small, small])

    text_ms, (positive, negative) = timed(text_stage)
    # Each later stage starts from the Swift stage's output, so that a difference is that stage's own.
    sample_ms, sampled = timed(lambda: sample(swift("latent"), swift("positive"), swift("negative")))
    decode_ms, decoded = timed(lambda: vae_decode(swift("sampled")))

    def difference(name, tensor):
        return float((tensor - swift(name)).abs().max())

    print(json.dumps({
        "implementation": f"pytorch eager {torch.__version__}",
        "threads": torch.get_num_threads(),
        "ms": {"latent_encoder": encode_ms, "text_encoder": text_ms, "sampling": sample_ms, "decoding": decode_ms},
        "max_abs_difference": {
            "scaled": difference("scaled", scaled), "latent": difference("latent", latent),
            "positive": difference("positive", positive), "negative": difference("negative", negative),
            "sampled": difference("sampled", sampled), "decoded": difference("decoded", decoded),
        },
    }, sort_keys=True))

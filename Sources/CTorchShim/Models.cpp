// The reference models: a convolutional VAE, a one-layer transformer text encoder, a small
// flow-matching denoiser with a LoRA, and the Euler sampler with the simple scheduler. Sizes come
// from the weight shapes; every tensor is checked by name and shape before use.
#include "Internal.hpp"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>

using namespace tshim;

namespace {

const int kResolutionSteps = 3; // three stride-2 stages: the latent is 1/8 of the image per side

at::Tensor conv(const Model &model, const std::string &name, const at::Tensor &x, int64_t out, int64_t in, int64_t stride = 1) {
    const at::Tensor &weight = model.get(name + ".weight", {out, in, 3, 3});
    const at::Tensor &bias = model.get(name + ".bias", {out});
    return at::conv2d(x, weight, bias, {stride, stride}, {1, 1});
}

at::Tensor linear(const Model &model, const std::string &name, const at::Tensor &x, int64_t out, int64_t in) {
    return at::linear(x, model.get(name + ".weight", {out, in}), model.get(name + ".bias", {out}));
}

at::Tensor layer_norm(const Model &model, const std::string &name, const at::Tensor &x, int64_t width) {
    return at::layer_norm(x, {width}, model.get(name + ".weight", {width}), model.get(name + ".bias", {width}));
}

at::Tensor vae_encode(const Model &vae, const at::Tensor &image) {
    if (image.dim() != 4 || image.size(1) != 3 || image.size(2) % 8 || image.size(3) % 8)
        throw Failure(TS_ERR_ARGUMENT, "VAE input must be [1, 3, H, W] with H and W multiples of 8, got " + shape_text(image.sizes()));
    int64_t width = vae.get("encoder.conv_in.weight", {-1, 3, 3, 3}).size(0);
    int64_t doubled = vae.get("encoder.conv_out.weight", {-1, width, 3, 3}).size(0);
    if (doubled % 2) throw Failure(TS_ERR_WEIGHTS, "VAE tensor 'encoder.conv_out.weight' must have 2*Z output channels (mean and log-variance)");
    at::Tensor x = at::silu(conv(vae, "encoder.conv_in", image.mul(2.0).sub(1.0), width, 3));
    for (int i = 0; i < kResolutionSteps; i++) x = at::silu(conv(vae, "encoder.down." + std::to_string(i), x, width, width, 2));
    at::Tensor moments = conv(vae, "encoder.conv_out", x, doubled, width);
    return moments.narrow(1, 0, doubled / 2); // the mean: encoding is deterministic
}

at::Tensor vae_decode(const Model &vae, const at::Tensor &latent) {
    int64_t width = vae.get("decoder.conv_in.weight", {-1, -1, 3, 3}).size(0);
    int64_t channels = vae.get("decoder.conv_in.weight", {-1, -1, 3, 3}).size(1);
    if (latent.dim() != 4 || latent.size(1) != channels)
        throw Failure(TS_ERR_ARGUMENT, "latent must be [1, " + std::to_string(channels) + ", h, w] for this VAE, got " + shape_text(latent.sizes()));
    at::Tensor x = at::silu(conv(vae, "decoder.conv_in", latent, width, channels));
    for (int i = 0; i < kResolutionSteps; i++) {
        x = at::upsample_nearest2d(x, {x.size(2) * 2, x.size(3) * 2});
        x = at::silu(conv(vae, "decoder.up." + std::to_string(i), x, width, width));
    }
    return at::tanh(conv(vae, "decoder.conv_out", x, 3, width)).add(1.0).div(2.0);
}

at::Tensor text_encode(const Model &clip, const std::vector<int64_t> &hashes, const std::vector<at::Tensor> &images) {
    const at::Tensor &embedding = clip.get("token_embedding.weight", {-1, -1});
    int64_t vocabulary = embedding.size(0), width = embedding.size(1);
    if (vocabulary < 2) throw Failure(TS_ERR_WEIGHTS, "text encoder vocabulary must have at least 2 rows (row 0 pads)");
    int64_t context = clip.get("position_embedding.weight", {-1, width}).size(0);
    std::vector<int64_t> ids(context, 0); // 0 pads; words map to 1...V-1
    for (size_t i = 0; i < hashes.size() && (int64_t)i < context; i++) ids[i] = 1 + (int64_t)((uint64_t)hashes[i] % (uint64_t)(vocabulary - 1));
    at::Tensor index = at::tensor(ids, at::kLong).to(embedding.device());
    at::Tensor x = at::embedding(embedding, index).add(clip.get("position_embedding.weight", {context, width})).unsqueeze(0);
    std::vector<at::Tensor> sequence{x};
    for (const at::Tensor &latent : images) {
        int64_t channels = clip.get("image_proj.weight", {width, -1}).size(1);
        if (latent.dim() != 4 || latent.size(1) != channels)
            throw Failure(TS_ERR_ARGUMENT, "image latent must have " + std::to_string(channels) + " channels for this text encoder, got " + shape_text(latent.sizes()));
        at::Tensor pooled = latent.to(embedding.device()).mean({2, 3});
        sequence.push_back(linear(clip, "image_proj", pooled, width, channels).unsqueeze(1));
    }
    x = at::cat(sequence, 1);
    at::Tensor h = layer_norm(clip, "layer.ln1", x, width);
    std::vector<at::Tensor> qkv = linear(clip, "layer.attn.in_proj", h, 3 * width, width).chunk(3, -1);
    at::Tensor attention = at::softmax(at::matmul(qkv[0], qkv[1].transpose(1, 2)).div(std::sqrt((double)width)), -1);
    x = x + linear(clip, "layer.attn.out_proj", at::matmul(attention, qkv[2]), width, width);
    int64_t hidden = clip.get("layer.mlp.fc1.weight", {-1, width}).size(0);
    h = layer_norm(clip, "layer.ln2", x, width);
    x = x + linear(clip, "layer.mlp.fc2", at::gelu(linear(clip, "layer.mlp.fc1", h, hidden, width)), width, hidden);
    return layer_norm(clip, "final_ln", x, width);
}

/// Adds strength * (alpha / rank) * up @ down to each targeted weight; a LoRA tensor for a weight the model
/// lacks, or of a size that does not fit it, is an error (a LoRA made for another model).
void merge_lora(Model &unet, const ts_weights *lora, double strength) {
    const std::string down_suffix = ".lora_down.weight";
    for (const auto &entry : lora->tensors) {
        const std::string &name = entry.first;
        bool is_down = name.size() > down_suffix.size() && name.compare(name.size() - down_suffix.size(), down_suffix.size(), down_suffix) == 0;
        if (!is_down) {
            bool known = name.find(".lora_up.weight") != std::string::npos || name.find(".alpha") != std::string::npos;
            if (!known) throw Failure(TS_ERR_WEIGHTS, "LoRA tensor '" + name + "' is neither <layer>.lora_down.weight, <layer>.lora_up.weight nor <layer>.alpha");
            continue;
        }
        std::string layer = name.substr(0, name.size() - down_suffix.size());
        if (!unet.has(layer + ".weight")) throw Failure(TS_ERR_WEIGHTS, "LoRA targets '" + layer + ".weight', which the diffusion model does not have");
        auto up_entry = lora->tensors.find(layer + ".lora_up.weight");
        if (up_entry == lora->tensors.end()) throw Failure(TS_ERR_WEIGHTS, "LoRA has '" + name + "' but no '" + layer + ".lora_up.weight'");
        at::Tensor base = unet.tensors()[layer + ".weight"];
        at::Tensor down = entry.second.to(base.device()).flatten(1);
        at::Tensor up = up_entry->second.to(base.device()).flatten(1);
        int64_t rank = down.size(0);
        if (up.size(1) != rank || up.size(0) != base.size(0) || down.size(1) * base.size(0) != base.numel())
            throw Failure(TS_ERR_WEIGHTS, "LoRA for '" + layer + "' has up " + shape_text(up.sizes()) + " and down " + shape_text(down.sizes()) +
                                              ", which do not fit the weight " + shape_text(base.sizes()));
        double alpha = (double)rank;
        auto alpha_entry = lora->tensors.find(layer + ".alpha");
        if (alpha_entry != lora->tensors.end()) alpha = alpha_entry->second.item<double>();
        unet.tensors()[layer + ".weight"] = base + at::matmul(up, down).view(base.sizes()).mul(strength * alpha / rank);
    }
}

/// Flow-matching velocity prediction, conditioned on the noise level and the pooled text encoding.
at::Tensor denoiser(const Model &unet, const at::Tensor &x, double sigma, const at::Tensor &context) {
    int64_t channels = unet.get("conv_in.weight", {-1, -1, 3, 3}).size(0);
    int64_t latent_channels = unet.get("conv_in.weight", {-1, -1, 3, 3}).size(1);
    int64_t embed = unet.get("time_embed.fc1.weight", {-1, -1}).size(0);
    int64_t frequencies = unet.get("time_embed.fc1.weight", {-1, -1}).size(1);
    int64_t width = unet.get("context_proj.weight", {channels, -1}).size(1);
    if (frequencies % 2) throw Failure(TS_ERR_WEIGHTS, "'time_embed.fc1.weight' must take an even number of sinusoidal features");
    if (context.dim() != 3 || context.size(2) != width)
        throw Failure(TS_ERR_ARGUMENT, "conditioning must be [1, T, " + std::to_string(width) + "] for this model, got " + shape_text(context.sizes()));
    if (x.size(1) != latent_channels)
        throw Failure(TS_ERR_ARGUMENT, "latent has " + std::to_string(x.size(1)) + " channels, the model takes " + std::to_string(latent_channels));
    int64_t half = frequencies / 2;
    at::Tensor freqs = at::exp(at::arange(half, x.options()).mul(-std::log(10000.0) / half));
    at::Tensor angles = freqs.mul(sigma * 1000.0).unsqueeze(0);
    at::Tensor timestep = at::cat({at::cos(angles), at::sin(angles)}, 1);
    at::Tensor time = linear(unet, "time_embed.fc2", at::silu(linear(unet, "time_embed.fc1", timestep, embed, frequencies)), channels, embed);
    at::Tensor text = linear(unet, "context_proj", context.mean(1), channels, width);
    at::Tensor h = conv(unet, "conv_in", x, channels, latent_channels) + (time + text).unsqueeze(-1).unsqueeze(-1);
    h = at::silu(conv(unet, "mid", at::silu(h), channels, channels));
    return conv(unet, "conv_out", h, latent_channels, channels);
}

/// ComfyUI's "simple" scheduler over a 1000-entry shifted flow schedule, cut for partial denoising.
std::vector<double> simple_sigmas(int steps, double shift, double denoise) {
    auto schedule = [shift](int count) {
        std::vector<double> table(1000);
        for (int i = 0; i < 1000; i++) {
            double t = (i + 1) / 1000.0;
            table[i] = shift * t / (1 + (shift - 1) * t);
        }
        std::vector<double> sigmas;
        double stride = 1000.0 / count;
        for (int x = 0; x < count; x++) sigmas.push_back(table[999 - (int)(x * stride)]);
        sigmas.push_back(0.0);
        return sigmas;
    };
    if (denoise >= 0.9999) return schedule(steps);
    std::vector<double> all = schedule((int)(steps / denoise));
    return std::vector<double>(all.end() - (steps + 1), all.end());
}

} // namespace

extern "C" int ts_vae_encode(const ts_weights *vae, const ts_tensor *image, const char *device, ts_tensor **out, ts_error *err) {
    return guarded(err, TS_ERR_COMPUTE, [&] {
        at::NoGradGuard no_grad;
        Model model(vae, "VAE", parse_device(device));
        *out = wrap(vae_encode(model, image->value.to(model.device())).to(at::kCPU));
    });
}

extern "C" int ts_vae_decode(const ts_weights *vae, const ts_tensor *latent, const char *device, ts_tensor **out, ts_error *err) {
    return guarded(err, TS_ERR_COMPUTE, [&] {
        at::NoGradGuard no_grad;
        Model model(vae, "VAE", parse_device(device));
        *out = wrap(vae_decode(model, latent->value.to(model.device())).to(at::kCPU));
    });
}

extern "C" int ts_text_encode(const ts_weights *clip, const int64_t *tokens, int token_count, const ts_tensor *const *image_latents,
                              int image_count, const char *device, ts_tensor **out, ts_error *err) {
    return guarded(err, TS_ERR_COMPUTE, [&] {
        at::NoGradGuard no_grad;
        Model model(clip, "text encoder", parse_device(device));
        std::vector<at::Tensor> images;
        for (int i = 0; i < image_count; i++) images.push_back(image_latents[i]->value);
        *out = wrap(text_encode(model, std::vector<int64_t>(tokens, tokens + token_count), images).to(at::kCPU));
    });
}

extern "C" int ts_sample(const ts_weights *unet, const ts_weights *lora, const ts_tensor *latent, const ts_tensor *positive,
                         const ts_tensor *negative, const ts_sampling_params *params, const char *device, ts_tensor **out, ts_error *err) {
    return guarded(err, TS_ERR_COMPUTE, [&] {
        at::NoGradGuard no_grad;
        if (params->steps < 1 || params->steps > 1000) throw Failure(TS_ERR_ARGUMENT, "steps must be 1...1000");
        if (!(params->denoise > 0 && params->denoise <= 1)) throw Failure(TS_ERR_ARGUMENT, "denoise must be in (0, 1]");
        if (!(params->shift > 0)) throw Failure(TS_ERR_ARGUMENT, "shift must be positive");
        Model model(unet, "diffusion", parse_device(device));
        if (lora) merge_lora(model, lora, params->lora_strength);
        at::Tensor start = latent->value.to(model.device());
        at::Tensor cond = positive->value.to(model.device()), uncond = negative->value.to(model.device());
        if (start.dim() != 4) throw Failure(TS_ERR_ARGUMENT, "latent must be [1, Z, h, w], got " + shape_text(start.sizes()));
        // The noise is drawn on the CPU from the seed, as ComfyUI does, so that a seed gives the same image on any device.
        at::Generator generator = at::detail::createCPUGenerator((uint64_t)params->seed);
        at::Tensor noise = at::randn(start.sizes(), generator, at::TensorOptions().dtype(at::kFloat)).to(model.device());
        std::vector<double> sigmas = simple_sigmas(params->steps, params->shift, params->denoise);
        at::Tensor x = noise.mul(sigmas[0]) + start.mul(1.0 - sigmas[0]);
        for (size_t i = 0; i + 1 < sigmas.size(); i++) {
            double sigma = sigmas[i];
            at::Tensor denoised = x - denoiser(model, x, sigma, cond).mul(sigma);
            if (params->cfg != 1.0) {
                at::Tensor unconditioned = x - denoiser(model, x, sigma, uncond).mul(sigma);
                denoised = unconditioned + (denoised - unconditioned).mul(params->cfg);
            }
            at::Tensor slope = (x - denoised).div(sigma);
            x = x + slope.mul(sigmas[i + 1] - sigma);
        }
        *out = wrap(x.to(at::kCPU));
    });
}

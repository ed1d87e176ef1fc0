// PNG/JPEG decoding and encoding (stb) and separable resampling (each output a weighted sum of its taps).
#include "Internal.hpp"

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_NO_STDIO_WARNINGS
#include <stb/stb_image.h>
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>

#include <cmath>

using namespace tshim;

extern "C" int ts_image_probe(const char *path, int *width, int *height, ts_error *err) {
    return guarded(err, TS_ERR_IMAGE, [&] {
        int channels = 0;
        if (!stbi_info(path, width, height, &channels))
            throw Failure(TS_ERR_IMAGE, std::string("not a readable PNG or JPEG: ") + stbi_failure_reason());
    });
}

extern "C" int ts_image_load(const char *path, int64_t max_pixels, ts_tensor **out, ts_error *err) {
    return guarded(err, TS_ERR_IMAGE, [&] {
        int width = 0, height = 0, channels = 0;
        if (!stbi_info(path, &width, &height, &channels)) {
            std::string reason = stbi_failure_reason();
            // stb refuses dimensions whose pixels would not fit in 1 GiB before reading any of them.
            if (reason == "too large") throw Failure(TS_ERR_TOO_LARGE, "image dimensions are too large to decode (over 2^30 bytes of pixels)");
            throw Failure(TS_ERR_IMAGE, "not a readable PNG or JPEG: " + reason);
        }
        if ((int64_t)width * height > max_pixels)
            throw Failure(TS_ERR_TOO_LARGE, "image is " + std::to_string(width) + "x" + std::to_string(height) +
                                                 " pixels, above the limit of " + std::to_string(max_pixels));
        unsigned char *pixels = stbi_load(path, &width, &height, &channels, 3);
        if (!pixels) throw Failure(TS_ERR_IMAGE, std::string("cannot decode the image: ") + stbi_failure_reason());
        at::Tensor hwc = at::from_blob(pixels, {height, width, 3}, at::TensorOptions().dtype(at::kByte)).clone();
        stbi_image_free(pixels);
        *out = wrap(hwc.permute({2, 0, 1}).unsqueeze(0).to(at::kFloat).div(255.0));
    });
}

namespace {

double sinc(double x) {
    if (x == 0) return 1;
    x *= M_PI;
    return std::sin(x) / x;
}

struct Kernel {
    double support;
    double (*weight)(double);
};

Kernel kernel_named(const std::string &method) {
    if (method == "bilinear") return {1.0, [](double x) { x = std::fabs(x); return x < 1 ? 1 - x : 0.0; }};
    if (method == "bicubic")
        return {2.0, [](double x) {
                    const double a = -0.5;
                    x = std::fabs(x);
                    if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
                    if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
                    return 0.0;
                }};
    if (method == "lanczos") return {3.0, [](double x) { return std::fabs(x) < 3 ? sinc(x) * sinc(x / 3) : 0.0; }};
    throw Failure(TS_ERR_ARGUMENT, "unknown upscale method '" + method + "' (use lanczos, nearest, bilinear or bicubic)");
}

/// For each of `out` output samples along one axis: the `in` samples it reads and their weights,
/// [out, K] each (PIL's convention: pixel centres at i + 0.5, the kernel widened by the scale when
/// shrinking so that it antialiases). Unused taps read sample 0 with weight 0.
struct Taps {
    at::Tensor indices, weights;
};

Taps resample_taps(int64_t in, int64_t out, const std::string &method) {
    double scale = (double)in / out;
    if (method == "nearest") {
        at::Tensor indices = at::empty({out, 1}, at::kLong);
        for (int64_t i = 0; i < out; i++) indices[i][0] = std::min<int64_t>(in - 1, (int64_t)((i + 0.5) * scale));
        return {indices, at::ones({out, 1}, at::kFloat)};
    }
    Kernel kernel = kernel_named(method);
    double filter_scale = std::max(scale, 1.0);
    double support = kernel.support * filter_scale;
    int64_t taps = (int64_t)std::ceil(support) * 2 + 1;
    at::Tensor indices = at::zeros({out, taps}, at::kLong), weights = at::zeros({out, taps}, at::kFloat);
    auto index_cells = indices.accessor<int64_t, 2>();
    auto weight_cells = weights.accessor<float, 2>();
    for (int64_t i = 0; i < out; i++) {
        double center = (i + 0.5) * scale;
        int64_t first = std::max<int64_t>(0, (int64_t)std::floor(center - support));
        int64_t last = std::min<int64_t>(in, (int64_t)std::ceil(center + support));
        double total = 0;
        for (int64_t j = first; j < last; j++) total += kernel.weight((j + 0.5 - center) / filter_scale);
        if (total == 0) total = 1;
        for (int64_t j = first; j < last && j - first < taps; j++) {
            index_cells[i][j - first] = j;
            weight_cells[i][j - first] = (float)(kernel.weight((j + 0.5 - center) / filter_scale) / total);
        }
    }
    return {indices, weights};
}

/// Resamples the last axis of `x` to `out` samples: a weighted sum over each output's taps.
at::Tensor resample_last_axis(const at::Tensor &x, int64_t out, const std::string &method) {
    Taps taps = resample_taps(x.size(-1), out, method);
    at::Tensor gathered = x.index_select(-1, taps.indices.flatten().to(x.device()));
    std::vector<int64_t> shape(x.sizes().begin(), x.sizes().end() - 1);
    shape.push_back(out);
    shape.push_back(taps.indices.size(1));
    return gathered.view(shape).mul(taps.weights.to(x.device())).sum(-1);
}

} // namespace

extern "C" int ts_image_resize(const ts_tensor *image, int width, int height, const char *method, ts_tensor **out, ts_error *err) {
    return guarded(err, TS_ERR_COMPUTE, [&] {
        const at::Tensor &input = image->value;
        if (input.dim() != 4) throw Failure(TS_ERR_ARGUMENT, "image tensor must be [N, C, H, W], got " + shape_text(input.sizes()));
        if (width < 1 || height < 1) throw Failure(TS_ERR_ARGUMENT, "target size must be at least 1x1");
        std::string name = method ? method : "";
        if (name != "nearest") kernel_named(name); // an unknown method fails before any work
        at::Tensor across = resample_last_axis(input, width, name);
        at::Tensor result = resample_last_axis(across.transpose(2, 3), height, name).transpose(2, 3);
        *out = wrap(result.clamp(0.0, 1.0));
    });
}

extern "C" int ts_image_save_png(const ts_tensor *image, const char *path, ts_error *err) {
    return guarded(err, TS_ERR_IO, [&] {
        const at::Tensor &input = image->value;
        if (input.dim() != 4 || input.size(0) != 1 || input.size(1) != 3)
            throw Failure(TS_ERR_ARGUMENT, "PNG output needs a [1, 3, H, W] tensor, got " + shape_text(input.sizes()));
        at::Tensor hwc = input[0].permute({1, 2, 0}).mul(255.0).round().clamp(0, 255).to(at::kByte).to(at::kCPU).contiguous();
        int height = (int)hwc.size(0), width = (int)hwc.size(1);
        if (!stbi_write_png(path, width, height, 3, hwc.data_ptr<uint8_t>(), width * 3))
            throw Failure(TS_ERR_IO, std::string("cannot write PNG ") + path);
    });
}

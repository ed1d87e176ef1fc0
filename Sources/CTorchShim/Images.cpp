// PNG/JPEG decoding and encoding (stb) and separable resampling as two matrix products.
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

/// [out, in] weights that map `in` samples to `out` samples along one axis (PIL's convention:
/// pixel centres at i + 0.5, the kernel widened by the scale when shrinking so that it antialiases).
at::Tensor resample_matrix(int64_t in, int64_t out, const std::string &method) {
    at::Tensor matrix = at::zeros({out, in}, at::kFloat);
    auto cells = matrix.accessor<float, 2>();
    double scale = (double)in / out;
    if (method == "nearest") {
        for (int64_t i = 0; i < out; i++) cells[i][std::min<int64_t>(in - 1, (int64_t)((i + 0.5) * scale))] = 1;
        return matrix;
    }
    Kernel kernel = kernel_named(method);
    double filter_scale = std::max(scale, 1.0);
    double support = kernel.support * filter_scale;
    for (int64_t i = 0; i < out; i++) {
        double center = (i + 0.5) * scale;
        int64_t first = std::max<int64_t>(0, (int64_t)std::floor(center - support));
        int64_t last = std::min<int64_t>(in, (int64_t)std::ceil(center + support));
        double total = 0;
        for (int64_t j = first; j < last; j++) total += kernel.weight((j + 0.5 - center) / filter_scale);
        if (total == 0) total = 1;
        for (int64_t j = first; j < last; j++) cells[i][j] = (float)(kernel.weight((j + 0.5 - center) / filter_scale) / total);
    }
    return matrix;
}

} // namespace

extern "C" int ts_image_resize(const ts_tensor *image, int width, int height, const char *method, ts_tensor **out, ts_error *err) {
    return guarded(err, TS_ERR_COMPUTE, [&] {
        const at::Tensor &input = image->value;
        if (input.dim() != 4) throw Failure(TS_ERR_ARGUMENT, "image tensor must be [N, C, H, W], got " + shape_text(input.sizes()));
        if (width < 1 || height < 1) throw Failure(TS_ERR_ARGUMENT, "target size must be at least 1x1");
        std::string name = method ? method : "";
        at::Tensor rows = resample_matrix(input.size(2), height, name).to(input.device());
        at::Tensor columns = resample_matrix(input.size(3), width, name).to(input.device());
        at::Tensor result = at::matmul(at::matmul(rows, input), columns.t());
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

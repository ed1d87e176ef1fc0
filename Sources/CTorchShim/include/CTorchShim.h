// A plain C API over libtorch for the reference workers. C++ exceptions never cross it: every
// function catches them and reports a status code with a message in `ts_error`.
#ifndef CTORCHSHIM_H
#define CTORCHSHIM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    TS_OK = 0,
    TS_ERR_ARGUMENT = 1,   // a value the caller passed is out of range or unknown
    TS_ERR_WEIGHTS = 2,    // a model file lacks a tensor or has one of the wrong shape
    TS_ERR_COMPUTE = 3,    // libtorch failed while computing
    TS_ERR_IO = 4,         // reading or writing a file failed
    TS_ERR_IMAGE = 5,      // not a decodable image
    TS_ERR_TOO_LARGE = 6,  // an image above the pixel limit (refused from its header)
} ts_status;

typedef struct {
    int code;
    char message[1024];
} ts_error;

typedef struct ts_tensor ts_tensor;
typedef struct ts_weights ts_weights;

/// "auto" picks CUDA when libtorch sees a GPU, else the CPU. Writes the chosen device ("cuda" or "cpu").
int ts_device_select(const char *requested, char *chosen, int chosen_len, ts_error *err);
/// Intra-op threads of libtorch (0 leaves the default).
void ts_set_threads(int threads);

/// Copies raw little-endian data of `dtype` (F32, F16, BF16, F64) into a float32 tensor.
int ts_tensor_from_data(const void *data, int64_t byte_count, const char *dtype, const int64_t *shape, int ndim,
                        ts_tensor **out, ts_error *err);
void ts_tensor_free(ts_tensor *tensor);
int ts_tensor_ndim(const ts_tensor *tensor);
int64_t ts_tensor_dim(const ts_tensor *tensor, int index);
/// Copies up to `count` float32 values (on the CPU, contiguous) into `out`; returns how many.
int64_t ts_tensor_copy_floats(const ts_tensor *tensor, float *out, int64_t count);

ts_weights *ts_weights_new(void);
void ts_weights_free(ts_weights *weights);
/// Adds (a reference to) `tensor` under `name`; the caller still frees its handle.
void ts_weights_add(ts_weights *weights, const char *name, const ts_tensor *tensor);

/// torch::pickle_save: Python's torch.load reads the file as a Tensor.
int ts_pickle_save(const ts_tensor *tensor, const char *path, ts_error *err);
int ts_pickle_load(const char *path, ts_tensor **out, ts_error *err);
/// Shape and dtype of the tensor in a torch.save / pickle_save file, without converting it: writes up to
/// `max_dims` sizes into `shape`, the rank into `ndim` (may exceed max_dims) and Python's dtype name ("float32").
int ts_tensor_file_info(const char *path, int64_t *shape, int max_dims, int *ndim, char *dtype, int dtype_len, ts_error *err);

/// Width and height from the image header, without decoding the pixels.
int ts_image_probe(const char *path, int *width, int *height, ts_error *err);
/// Decodes a PNG or JPEG into [1, 3, H, W] float32 in 0...1; refuses more than `max_pixels` before decoding.
int ts_image_load(const char *path, int64_t max_pixels, ts_tensor **out, ts_error *err);
/// Separable resampling of [N, C, H, W]: "nearest", "bilinear", "bicubic" or "lanczos" (antialiased when shrinking).
int ts_image_resize(const ts_tensor *image, int width, int height, const char *method, ts_tensor **out, ts_error *err);
/// Writes [1, 3, H, W] in 0...1 as an 8-bit PNG.
int ts_image_save_png(const ts_tensor *image, const char *path, ts_error *err);

/// VAE encoder: image [1, 3, H, W] in 0...1 (H, W multiples of 8) -> latent [1, Z, H/8, W/8].
int ts_vae_encode(const ts_weights *vae, const ts_tensor *image, const char *device, ts_tensor **out, ts_error *err);
/// VAE decoder: latent [1, Z, h, w] -> image [1, 3, 8h, 8w] in 0...1.
int ts_vae_decode(const ts_weights *vae, const ts_tensor *latent, const char *device, ts_tensor **out, ts_error *err);
/// Text encoder: token ids (padded or cut to the model's context length) plus pooled image latents as extra
/// tokens -> [1, L + image_count, D].
int ts_text_encode(const ts_weights *clip, const int64_t *tokens, int token_count, const ts_tensor *const *image_latents,
                   int image_count, const char *device, ts_tensor **out, ts_error *err);

typedef struct {
    int64_t seed;
    int steps;
    double cfg;
    double denoise;
    double shift;
    double lora_strength;
} ts_sampling_params;

/// Euler sampling with the simple scheduler over a flow-matching denoiser, a LoRA (may be NULL) merged at
/// `lora_strength`, classifier-free guidance between `positive` and `negative`.
int ts_sample(const ts_weights *unet, const ts_weights *lora, const ts_tensor *latent, const ts_tensor *positive,
              const ts_tensor *negative, const ts_sampling_params *params, const char *device, ts_tensor **out, ts_error *err);

#ifdef __cplusplus
}
#endif

#endif

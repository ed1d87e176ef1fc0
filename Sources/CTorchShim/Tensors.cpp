// Tensors, weight sets, device choice and .pt files.
#include "Internal.hpp"

#include <torch/cuda.h>
#include <ATen/Parallel.h>
#include <torch/csrc/jit/serialization/pickle.h>

#include <fstream>

using namespace tshim;

at::Device tshim::parse_device(const char *device) {
    std::string name = device ? device : "cpu";
    if (name == "cpu") return at::Device(at::kCPU);
    if (name == "cuda") {
        if (!torch::cuda::is_available()) throw Failure(TS_ERR_ARGUMENT, "device cuda requested but libtorch sees no CUDA device");
        return at::Device(at::kCUDA, 0);
    }
    throw Failure(TS_ERR_ARGUMENT, "unknown device '" + name + "' (use auto, cuda or cpu)");
}

extern "C" int ts_device_select(const char *requested, char *chosen, int chosen_len, ts_error *err) {
    return guarded(err, TS_ERR_ARGUMENT, [&] {
        std::string name = requested ? requested : "auto";
        if (name == "auto") name = torch::cuda::is_available() ? "cuda" : "cpu";
        parse_device(name.c_str());
        std::snprintf(chosen, chosen_len, "%s", name.c_str());
    });
}

extern "C" void ts_set_threads(int threads) {
    if (threads > 0) at::set_num_threads(threads);
}

extern "C" int ts_tensor_from_data(const void *data, int64_t byte_count, const char *dtype, const int64_t *shape, int ndim,
                                   ts_tensor **out, ts_error *err) {
    return guarded(err, TS_ERR_ARGUMENT, [&] {
        std::string type = dtype ? dtype : "";
        at::ScalarType scalar;
        int64_t width;
        if (type == "F32") { scalar = at::kFloat; width = 4; }
        else if (type == "F16") { scalar = at::kHalf; width = 2; }
        else if (type == "BF16") { scalar = at::kBFloat16; width = 2; }
        else if (type == "F64") { scalar = at::kDouble; width = 8; }
        else throw Failure(TS_ERR_WEIGHTS, "unsupported dtype '" + type + "' (F32, F16, BF16, F64 are read)");
        std::vector<int64_t> sizes(shape, shape + ndim);
        int64_t count = 1;
        for (int64_t size : sizes) {
            if (size < 0) throw Failure(TS_ERR_WEIGHTS, "negative dimension in shape " + shape_text(sizes));
            count *= size;
        }
        if (count * width != byte_count)
            throw Failure(TS_ERR_WEIGHTS, "shape " + shape_text(sizes) + " of " + type + " needs " + std::to_string(count * width) +
                                              " bytes, the data has " + std::to_string(byte_count));
        at::Tensor view = at::from_blob(const_cast<void *>(data), sizes, at::TensorOptions().dtype(scalar));
        *out = wrap(view.to(at::kFloat).clone());
    });
}

extern "C" void ts_tensor_free(ts_tensor *tensor) { delete tensor; }
extern "C" int ts_tensor_ndim(const ts_tensor *tensor) { return (int)tensor->value.dim(); }
extern "C" int64_t ts_tensor_dim(const ts_tensor *tensor, int index) { return tensor->value.size(index); }

extern "C" int64_t ts_tensor_copy_floats(const ts_tensor *tensor, float *out, int64_t count) {
    at::Tensor flat = tensor->value.to(at::kCPU).to(at::kFloat).contiguous().view({-1});
    int64_t n = std::min<int64_t>(count, flat.numel());
    std::memcpy(out, flat.data_ptr<float>(), sizeof(float) * n);
    return n;
}

extern "C" ts_weights *ts_weights_new(void) { return new ts_weights(); }
extern "C" void ts_weights_free(ts_weights *weights) { delete weights; }
extern "C" void ts_weights_add(ts_weights *weights, const char *name, const ts_tensor *tensor) {
    std::lock_guard<std::mutex> guard(weights->lock);
    weights->tensors[name] = tensor->value;
    weights->cached_device.clear();
}

extern "C" int ts_pickle_save(const ts_tensor *tensor, const char *path, ts_error *err) {
    return guarded(err, TS_ERR_IO, [&] {
        std::vector<char> bytes = torch::jit::pickle_save(tensor->value.to(at::kCPU).contiguous());
        std::ofstream file(path, std::ios::binary | std::ios::trunc);
        if (!file) throw Failure(TS_ERR_IO, std::string("cannot open ") + path + " for writing");
        file.write(bytes.data(), (std::streamsize)bytes.size());
        if (!file.good()) throw Failure(TS_ERR_IO, std::string("writing ") + path + " failed");
    });
}

/// The tensor a torch.save / pickle_save file holds, as written (its own dtype and device).
static at::Tensor load_pickled_tensor(const char *path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw Failure(TS_ERR_IO, std::string("cannot open ") + path);
    std::vector<char> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    c10::IValue value;
    try {
        value = torch::jit::pickle_load(bytes);
    } catch (const c10::Error &error) {
        // what() carries a C++ backtrace: keep the message only.
        throw Failure(TS_ERR_IO, std::string("not a tensor file written by torch.save/pickle_save: ") + error.what_without_backtrace());
    } catch (const std::exception &error) {
        throw Failure(TS_ERR_IO, std::string("not a tensor file written by torch.save/pickle_save: ") + error.what());
    }
    if (!value.isTensor()) throw Failure(TS_ERR_IO, std::string(path) + " holds a " + value.tagKind() + ", not a tensor");
    return value.toTensor();
}

extern "C" int ts_pickle_load(const char *path, ts_tensor **out, ts_error *err) {
    return guarded(err, TS_ERR_IO, [&] { *out = wrap(load_pickled_tensor(path).to(at::kFloat)); });
}

/// Python's name for a dtype (torch.float32 -> "float32"), which is what contracts write.
static std::string python_dtype_name(at::ScalarType type) {
    switch (type) {
    case at::kFloat: return "float32";
    case at::kDouble: return "float64";
    case at::kHalf: return "float16";
    case at::kBFloat16: return "bfloat16";
    case at::kLong: return "int64";
    case at::kInt: return "int32";
    case at::kShort: return "int16";
    case at::kChar: return "int8";
    case at::kByte: return "uint8";
    case at::kBool: return "bool";
    case at::kComplexFloat: return "complex64";
    case at::kComplexDouble: return "complex128";
    default: return c10::toString(type);
    }
}

extern "C" int ts_tensor_file_info(const char *path, int64_t *shape, int max_dims, int *ndim, char *dtype, int dtype_len, ts_error *err) {
    return guarded(err, TS_ERR_IO, [&] {
        at::Tensor tensor = load_pickled_tensor(path);
        *ndim = (int)tensor.dim();
        for (int i = 0; i < *ndim && i < max_dims; i++) shape[i] = tensor.size(i);
        std::snprintf(dtype, dtype_len, "%s", python_dtype_name(tensor.scalar_type()).c_str());
    });
}

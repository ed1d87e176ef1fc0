// Shared by the shim's .cpp files: the handle types and the exception-to-status boundary.
#pragma once
#include "CTorchShim.h"

#include <torch/script.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

struct ts_tensor {
    at::Tensor value;
};

struct ts_weights {
    std::map<std::string, at::Tensor> tensors;
    // The tensors copied to the device last used, so that a GPU worker uploads a model once, not per request.
    std::mutex lock;
    std::string cached_device;
    std::map<std::string, at::Tensor> cached;
};

namespace tshim {

/// An error that carries its ts_status.
struct Failure : std::runtime_error {
    int code;
    Failure(int code, const std::string &message) : std::runtime_error(message), code(code) {}
};

inline std::string shape_text(at::IntArrayRef shape) {
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); i++) text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

inline void set_error(ts_error *err, int code, const char *message) {
    if (!err) return;
    err->code = code;
    std::snprintf(err->message, sizeof err->message, "%s", message);
}

/// Runs `body`, turning every C++ exception into a status code and message.
template <typename Body> int guarded(ts_error *err, int fallback, Body body) {
    try {
        body();
        if (err) { err->code = TS_OK; err->message[0] = 0; }
        return TS_OK;
    } catch (const Failure &failure) {
        set_error(err, failure.code, failure.what());
        return failure.code;
    } catch (const c10::Error &error) {
        set_error(err, fallback, error.what_without_backtrace());
        return fallback;
    } catch (const std::exception &error) {
        set_error(err, fallback, error.what());
        return fallback;
    } catch (...) {
        set_error(err, fallback, "unknown C++ exception");
        return fallback;
    }
}

inline ts_tensor *wrap(at::Tensor value) { return new ts_tensor{value.contiguous()}; }

/// A model's tensors on one device, checked by name and shape on access.
class Model {
public:
    Model(const ts_weights *weights, const std::string &kind, at::Device device) : kind_(kind), device_(device) {
        if (!weights) throw Failure(TS_ERR_ARGUMENT, kind + " weights are missing");
        auto *shared = const_cast<ts_weights *>(weights);
        std::lock_guard<std::mutex> guard(shared->lock);
        if (shared->cached_device != device.str() || shared->cached.size() != shared->tensors.size()) {
            shared->cached.clear();
            for (const auto &entry : shared->tensors) shared->cached[entry.first] = entry.second.to(device);
            shared->cached_device = device.str();
        }
        tensors_ = shared->cached; // handles to the same storage; a LoRA merge replaces entries, never writes into them
    }
    bool has(const std::string &name) const { return tensors_.count(name) != 0; }
    /// The tensor `name`, whose shape must match `shape` (-1 matches any size).
    const at::Tensor &get(const std::string &name, std::vector<int64_t> shape) const {
        auto found = tensors_.find(name);
        if (found == tensors_.end())
            throw Failure(TS_ERR_WEIGHTS, kind_ + " model has no tensor '" + name + "'");
        const at::Tensor &tensor = found->second;
        bool same = (size_t)tensor.dim() == shape.size();
        for (size_t i = 0; same && i < shape.size(); i++) same = shape[i] < 0 || shape[i] == tensor.size(i);
        if (!same)
            throw Failure(TS_ERR_WEIGHTS, kind_ + " tensor '" + name + "' has shape " + shape_text(tensor.sizes()) +
                                              ", expected " + shape_text(shape) + " (-1: any)");
        return tensor;
    }
    std::map<std::string, at::Tensor> &tensors() { return tensors_; }
    at::Device device() const { return device_; }

private:
    std::string kind_;
    at::Device device_;
    std::map<std::string, at::Tensor> tensors_;
};

at::Device parse_device(const char *device);

} // namespace tshim

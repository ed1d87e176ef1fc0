import Foundation

/// The scaling filters of ComfyUI's ImageScaleToTotalPixels.
public enum UpscaleMethod: String, Sendable, CaseIterable {
    case lanczos, nearest, bilinear, bicubic
}

public enum ImageFormat: Sendable {
    case png, jpeg

    /// The format from the file's first bytes (not its name), or nil for anything else.
    public static func detect(_ prefix: [UInt8]) -> ImageFormat? {
        if prefix.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if prefix.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        return nil
    }
}

public enum ImageScaling {
    /// Width and height with about `megapixels` * 2^20 pixels and the input's aspect ratio, rounded
    /// down to multiples of `multiple` (the VAE's downscale factor), at least one multiple each.
    public static func targetSize(width: Int, height: Int, megapixels: Double, multiple: Int = 8) -> (width: Int, height: Int) {
        let scale = (megapixels * 1_048_576 / Double(width * height)).squareRoot()
        func fit(_ side: Int) -> Int { max(multiple, Int((Double(side) * scale).rounded()) / multiple * multiple) }
        return (fit(width), fit(height))
    }
}

/// Loads an image with the checks and error codes of seed 001.
struct ImageReader {
    var maxPixels: Int

    func load(_ path: String) throws(ServiceError) -> Tensor {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                throw ServiceError(ServiceError.imageInvalid, "image file \(path) cannot be read")
            }
            throw ServiceError(ServiceError.imageNotFound, "Image file not found: \(path)")
        }
        let prefix = [UInt8](handle.readData(ofLength: 8))
        try? handle.close()
        guard ImageFormat.detect(prefix) != nil else {
            throw ServiceError(ServiceError.imageInvalid, "\(path) is not a PNG or JPEG image (supported: JPG, JPEG, PNG)")
        }
        do {
            return try Compute.loadImage(path, maxPixels: maxPixels)
        } catch {
            if error.kind == .tooLarge { throw ServiceError(ServiceError.imageTooLarge, "\(path): \(error.message); set MAX_IMAGE_PIXELS to accept it") }
            throw ServiceError(ServiceError.imageInvalid, "\(path): \(error.message)")
        }
    }
}

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

    /// Width and height from the header bytes (PNG's IHDR, JPEG's first SOF marker), so that a huge
    /// image is refused before anything decodes it. Nil when the header is not in `bytes`.
    public static func dimensions(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
        func be(_ at: Int, _ count: Int) -> Int? {
            guard at + count <= bytes.count else { return nil }
            return bytes[at..<at + count].reduce(0) { $0 << 8 | Int($1) }
        }
        switch detect(bytes) {
        case .png:
            guard bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8), let width = be(16, 4), let height = be(20, 4) else { return nil }
            return (width, height)
        case .jpeg:
            var at = 2
            while at + 4 <= bytes.count, bytes[at] == 0xFF {
                let marker = bytes[at + 1]
                if marker == 0xFF { at += 1; continue }
                guard let length = be(at + 2, 2) else { return nil }
                let isFrame = (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker)
                if isFrame, let height = be(at + 5, 2), let width = be(at + 7, 2) { return (width, height) }
                at += 2 + length
            }
            return nil
        case nil:
            return nil
        }
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
        switch fileKind(path) {
        case nil: throw ServiceError(ServiceError.imageNotFound, "Image file not found: \(path)")
        case .typeRegular?: break
        // A folder, FIFO or device is refused before opening it: reading a FIFO would block the worker.
        default: throw ServiceError(ServiceError.imageInvalid, "\(path) is not a regular file")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ServiceError(ServiceError.imageInvalid, "image file \(path) cannot be read")
        }
        let header = [UInt8](handle.readData(ofLength: 65536))
        try? handle.close()
        guard ImageFormat.detect(header) != nil else {
            throw ServiceError(ServiceError.imageInvalid, "\(path) is not a PNG or JPEG image (supported: JPG, JPEG, PNG)")
        }
        if let size = ImageFormat.dimensions(header), size.width * size.height > maxPixels {
            throw ServiceError(ServiceError.imageTooLarge,
                               "\(path) is \(size.width)x\(size.height) pixels, above the limit of \(maxPixels); set MAX_IMAGE_PIXELS to accept it")
        }
        do {
            return try Compute.loadImage(path, maxPixels: maxPixels)
        } catch {
            if error.kind == .tooLarge { throw ServiceError(ServiceError.imageTooLarge, "\(path): \(error.message); set MAX_IMAGE_PIXELS to accept it") }
            throw ServiceError(ServiceError.imageInvalid, "\(path): \(error.message)")
        }
    }
}

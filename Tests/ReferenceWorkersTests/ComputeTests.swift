import ReferenceWorkers
import Testing

@Suite struct ComputeTests {
    @Test func megapixelTargetKeepsAspectAndMultiplesOfEight() {
        let size = ImageScaling.targetSize(width: 300, height: 200, megapixels: 0.0625)
        #expect(size.width % 8 == 0 && size.height % 8 == 0)
        #expect(abs(Double(size.width * size.height) - 65536) < 65536 * 0.1)
        #expect(abs(Double(size.width) / Double(size.height) - 1.5) < 0.1)
        #expect(ImageScaling.targetSize(width: 1024, height: 1024, megapixels: 1) == (1024, 1024))
        #expect(ImageScaling.targetSize(width: 5, height: 5000, megapixels: 0.001).width == 8)
    }

    @Test func everyMethodKeepsAFlatImageFlatAndNearestPicksPixels() throws {
        let flat = try Tensor.from(values: [Float](repeating: 0.25, count: 3 * 40 * 30), shape: [1, 3, 30, 40])
        for method in UpscaleMethod.allCases {
            for (width, height) in [(16, 12), (100, 75)] {
                let scaled = try Compute.resize(flat, width: width, height: height, method: method)
                #expect(scaled.shape == [1, 3, height, width])
                #expect(scaled.values.allSatisfy { abs($0 - 0.25) < 1e-5 }, "\(method) \(width)x\(height)")
            }
        }
        // Halving a 4x1 ramp with nearest keeps pixels 1 and 3 (centres at 0.5 * 2 = 1 and 3).
        let ramp = try Tensor.from(values: [0, 0.25, 0.5, 0.75], shape: [1, 1, 1, 4])
        #expect(try Compute.resize(ramp, width: 2, height: 1, method: .nearest).values == [0.25, 0.75])
        // Bilinear halving averages neighbours; lanczos sharpens differently from both.
        let bilinear = try Compute.resize(ramp, width: 2, height: 1, method: .bilinear).values
        #expect(abs(bilinear[0] - 0.178_57) < 0.001) // (0.75 * 0 + 0.75 * 0.25 + 0.25 * 0.5) / 1.75, triangle widened x2
        #expect(try Compute.resize(ramp, width: 2, height: 1, method: .lanczos).values != bilinear)
    }

    @Test func pngRoundTripKeepsPixels() throws {
        let workspace = try Workspace()
        let image = try Compute.loadImage(workspace.image1, maxPixels: 1 << 20)
        #expect(image.shape == [1, 3, 200, 300])
        let copy = workspace.path("copy.png")
        try Compute.savePNG(image, to: copy)
        #expect(try Compute.loadImage(copy, maxPixels: 1 << 20).values == image.values)
    }

    @Test func headerDimensionsOfPNGAndJPEG() {
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8) + [0, 0, 1, 44, 0, 0, 0, 200]
        #expect(ImageFormat.dimensions(png)! == (300, 200))
        // SOI, an APP0 segment of 16 bytes, then SOF0 with height 480 and width 640.
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16] + [UInt8](repeating: 0, count: 14) + [0xFF, 0xC0, 0, 17, 8, 0x01, 0xE0, 0x02, 0x80, 3]
        #expect(ImageFormat.dimensions(jpeg)! == (640, 480))
        #expect(ImageFormat.dimensions(Array("GIF89a".utf8)) == nil)
        #expect(ImageFormat.dimensions(Array(png.prefix(20))) == nil)
    }

    @Test func tokenizerIsStableAndSplitsWords() {
        #expect(HashTokenizer.tokens("A red shirt, please") == HashTokenizer.tokens("a  RED shirt , please"))
        #expect(HashTokenizer.tokens("a red shirt").count == 3)
        #expect(HashTokenizer.tokens("red, shirt").count == 3)
        #expect(HashTokenizer.tokens("") == [])
        #expect(HashTokenizer.tokens("red") != HashTokenizer.tokens("blue"))
    }

    @Test func cudaIsRefusedWithoutAGPUAndAutoPicksWhatExists() throws {
        let chosen = try ComputeDevice.select("auto")
        #expect(["cpu", "cuda"].contains(chosen))
        if chosen == "cpu" { #expect(throws: TorchError.self) { try ComputeDevice.select("cuda") } }
        #expect(throws: TorchError.self) { try ComputeDevice.select("tpu") }
    }
}

import Foundation
import TestSupport
import ReferenceWorkers
import Testing

@Suite struct SafetensorsTests {
    @Test func writtenFileReadsBackWithNamesShapesAndValues() throws {
        let bytes = SafetensorsWriter.encode([
            .init(name: "a.weight", shape: [2, 3], values: [1, 2, 3, 4, 5, 6]),
            .init(name: "b", shape: [], values: [7.5]),
        ], metadata: ["kind": "test"])
        let file = try SafetensorsFile(bytes: bytes)
        #expect(file.entries.map(\.name) == ["a.weight", "b"])
        #expect(file.entries.map(\.shape) == [[2, 3], []])
        #expect(file.metadata == ["kind": "test"])
        let weights = try file.weightSet()
        #expect(weights.shapes["a.weight"] == [2, 3])
        // The data section starts 8-byte aligned, as other writers expect.
        #expect((bytes.count - 28) % 8 == 0)
    }

    @Test func tensorValuesSurviveTheShim() throws {
        let tensor = try Tensor.from(values: [1, -2, 3.5, 0], shape: [2, 2])
        #expect(tensor.shape == [2, 2])
        #expect(tensor.values == [1, -2, 3.5, 0])
    }

    @Test func damagedFilesGiveMessagesNotCrashes() throws {
        let good = SafetensorsWriter.encode([.init(name: "w", shape: [4], values: [1, 2, 3, 4])])
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(bytes: [1, 2, 3]) }
        // Truncated data: the offsets run past the end.
        let truncated = Array(good.dropLast(4))
        let error = #expect(throws: SafetensorsError.self) { try SafetensorsFile(bytes: truncated) }
        #expect(error?.message.contains("data_offsets") == true)
        // A header length beyond the file.
        var huge = good
        huge[5] = 0x7f
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(bytes: huge) }
        // A shape that does not match the byte range.
        let header = Array(#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,16]}}"#.utf8)
        let mismatched = [UInt8(header.count), 0, 0, 0, 0, 0, 0, 0] + header + [UInt8](repeating: 0, count: 16)
        let shapeError = #expect(throws: SafetensorsError.self) { try SafetensorsFile(bytes: mismatched) }
        #expect(shapeError?.message.contains("needs 12 bytes") == true)
        // An unknown dtype is named.
        let odd = Array(#"{"w":{"dtype":"Q7","shape":[1],"data_offsets":[0,1]}}"#.utf8)
        let oddError = #expect(throws: SafetensorsError.self) { try SafetensorsFile(bytes: [UInt8(odd.count), 0, 0, 0, 0, 0, 0, 0] + odd + [0]) }
        #expect(oddError?.message.contains("Q7") == true)
    }

    @Test func tinyModelsAreDeterministic() {
        #expect(TinyModels.files(seed: 3) == TinyModels.files(seed: 3))
        #expect(TinyModels.files(seed: 3)[TinyModels.vaeName] != TinyModels.files(seed: 4)[TinyModels.vaeName])
    }
}

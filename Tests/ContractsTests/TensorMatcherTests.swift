import Contracts
import CTorchShim
import Foundation
import JSONDocument
import Testing
import TestSupport

@Suite("tensor file matcher")
struct TensorMatcherTests {
    func problems(_ yaml: String, _ path: String) throws -> [String] {
        let text = "contract: schemactl/v1\nid: m\nsend: { topic: t, value: 1 }\nexpect:\n  - topic: r\n    value: \(yaml)\n"
        let parsed = ContractParser.parse(text)
        #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics)")
        let matcher = try #require(parsed.contracts.first?.expect.first?.value)
        return matcher.mismatches(.string(path), at: "value", in: MatchContext(vars: [:], environment: RecordingEnvironment())).map(\.message)
    }

    /// A [1, 4, 6, 5] float32 tensor written by libtorch's pickle_save (what the vtryon workers write).
    func shimTensorFile() throws -> String {
        let path = try makeTemporaryDirectory().appendingPathComponent("latent.pt").path
        let values = [Float](repeating: 0.5, count: 1 * 4 * 6 * 5)
        let shape: [Int64] = [1, 4, 6, 5]
        var error = ts_error()
        var tensor: OpaquePointer?
        let made = values.withUnsafeBytes { ts_tensor_from_data($0.baseAddress, Int64($0.count), "F32", shape, 4, &tensor, &error) }
        try #require(made == 0)
        defer { ts_tensor_free(tensor) }
        try #require(ts_pickle_save(tensor, path, &error) == 0)
        return path
    }

    @Test func matchesShapeAndDtypeOfAFileWrittenByTheShim() throws {
        let path = try shimTensorFile()
        #expect(try problems(#"{ $match: tensor, shape: [1, 4, "*", "*"], dtype: float32 }"#, path) == [])
        #expect(try problems(#"{ $match: tensor }"#, path) == [])
        #expect(try problems(#"{ $match: tensor, shape: [1, 16, "*", "*"] }"#, path) == ["tensor file \(path): shape [1, 4, 6, 5] is not [1, 16, *, *]"])
        #expect(try problems(#"{ $match: tensor, shape: [1, 4, 6] }"#, path) == ["tensor file \(path): shape [1, 4, 6, 5] is not [1, 4, 6]"])
        #expect(try problems(#"{ $match: tensor, dtype: bfloat16 }"#, path) == ["tensor file \(path): dtype float32 is not bfloat16"])
    }

    @Test func readsAFileWrittenByPythonsTorchSave() throws {
        let path = try makeTemporaryDirectory().appendingPathComponent("encoding.pt").path
        let script = TestPaths.packageRoot.appendingPathComponent("Tests/ContractsTests/save_tensor.py").path
        // Debian's python3-torch (the python3 on PATH may have no torch).
        let result = try runExecutable(URL(fileURLWithPath: "/usr/bin/python3"), [script, path, "bfloat16", "1", "77", "8"], in: try makeTemporaryDirectory())
        try #require(result.status == 0, "\(result.stderr)")
        #expect(try problems(#"{ $match: tensor, shape: [1, 77, 8], dtype: bfloat16 }"#, path) == [])
        #expect(try problems(#"{ $match: tensor, shape: ["*", "*", "*"], dtype: float32 }"#, path) == ["tensor file \(path): dtype bfloat16 is not float32"])
    }

    @Test func aFileThatIsNoTensorIsAMismatchThatSaysWhy() throws {
        let path = try makeTemporaryDirectory().appendingPathComponent("not.pt").path
        try Data("hello".utf8).write(to: URL(fileURLWithPath: path))
        let found = try problems(#"{ $match: tensor, dtype: float32 }"#, path)
        #expect(found.count == 1 && found[0].hasPrefix("cannot read tensor file \(path): not a tensor file written by torch.save/pickle_save"), "\(found)")
        #expect(try problems(#"{ $match: tensor }"#, "/no/such.pt").first?.hasPrefix("cannot read tensor file /no/such.pt: cannot open /no/such.pt") == true)
    }

    @Test func badShapesAndDtypesAreLocatedDiagnostics() {
        let text = "contract: schemactl/v1\nid: m\nsend: { topic: t, value: 1 }\nexpect:\n  - topic: r\n    value:\n      a: { $match: tensor, shape: [1, -4, x] }\n      b: { $match: tensor, dtype: float, size: 3 }\n"
        let found = ContractParser.parse(text).diagnostics.map { "\($0.line ?? 0):\($0.column ?? 0) \($0.rule) \($0.pointer ?? "")" }
        #expect(found == ["7:35 CONTRACT_INVALID_VALUE /expect/0/value/a/shape", "8:42 CONTRACT_UNKNOWN_KEY /expect/0/value/b/size",
                          "8:35 CONTRACT_INVALID_VALUE /expect/0/value/b/dtype"], "\(found)")
    }
}

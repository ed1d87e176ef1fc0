import Foundation
import Testing
import TestSupport

/// `contract verify`'s provider-state hook and fixture staging, through the binary. No broker or
/// registry is needed: states and fixtures come before the request is encoded, and the unreachable
/// registry then ends each run quickly.
@Suite("schemactl contract verify: state hook and fixtures")
struct ContractVerifyEnvironmentTests {
    let contract = """
    contract: schemactl/v1
    id: person.lookup
    vars: { rid: { gen: uuid } }
    correlate: { by: value.request_id }
    timeout: 2s
    given:
      - state: a person exists
        params: { id: 7, request: "{{rid}}" }
    fixtures:
      - { from: fixtures/person.png, to: "{{workdir}}/in/person.png", keep: true }
      - { from: fixtures/person.png, to: "{{workdir}}/in/scratch.png" }
    send:
      topic: latent-encoder-requests
      value: { request_id: "{{rid}}", correlation_id: c, image_path: /x.png, output_dir: /out, timestamp: 1 }
    expect:
      - topic: latent-encoder-responses
    """

    func project() throws -> (folder: URL, file: URL) {
        let folder = try makeTemporaryDirectory()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("contracts/fixtures"), withIntermediateDirectories: true)
        try Data("PNG bytes".utf8).write(to: folder.appendingPathComponent("contracts/fixtures/person.png"))
        let file = folder.appendingPathComponent("contracts/person.yaml")
        try contract.write(to: file, atomically: true, encoding: .utf8)
        return (folder, file)
    }

    func verify(_ file: URL, _ extra: [String]) throws -> CommandResult {
        let config = TestPaths.packageRoot.appendingPathComponent("schemactl.yaml").path
        return try runSchemactl(["contract", "verify", "--config", config, "--bootstrap", "127.0.0.1:1", "--registry", "http://127.0.0.1:1", file.path] + extra)
    }

    @Test func aFailingHookFailsTheContractWithItsMessageAndGetsTheStateAsJSON() throws {
        let (folder, file) = try project()
        let input = folder.appendingPathComponent("hook-input.json").path
        let hook = "cat > \(input); echo \"$SCHEMACTL_PROVIDER_STATE: no such person\" >&2; exit 3"
        let result = try verify(file, ["--state-hook", hook, "--workdir", folder.appendingPathComponent("work").path])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("\(file.path):7:5: error[CONTRACT_PROVIDER_STATE]: the provider could not be put into state \"a person exists\": the state hook `\(hook)` exited with status 3: a person exists: no such person"),
                "\(result.stdout)")
        let sent = try String(contentsOfFile: input, encoding: .utf8)
        #expect(sent.hasPrefix(#"{"contract":"person.lookup","state":"a person exists","params":{"id":7,"request":""#) && !sent.contains("{{rid}}"), "\(sent)")
        // Nothing was staged: states come first.
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("work/in/person.png").path))
    }

    @Test func withoutAHookAContractWithStatesSaysWhatToPass() throws {
        let (_, file) = try project()
        let result = try verify(file, [])
        #expect(result.status == 1)
        #expect(result.stdout.contains("error[CONTRACT_PROVIDER_STATE]") && result.stdout.contains("pass --state-hook CMD"), "\(result.stdout)")
    }

    @Test func fixturesAreCopiedFromBesideTheContractAndRemovedUnlessKept() throws {
        let (folder, file) = try project()
        let work = folder.appendingPathComponent("work")
        let result = try verify(file, ["--state-hook", "exit 0", "--workdir", work.path])
        // The run itself fails at the (unreachable) registry, after staging.
        #expect(result.status == 1)
        #expect(result.stdout.contains("error[CONTRACT_SETUP]"), "\(result.stdout)")
        #expect(try Data(contentsOf: work.appendingPathComponent("in/person.png")) == Data("PNG bytes".utf8))
        #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("in/scratch.png").path))
    }

    @Test func aHookThatDoesNotReadItsInputDoesNotKillTheRun() throws {
        // 100 KB of state params (they also go into an environment variable, which Linux caps at 128 KiB)
        // fill the 64 KiB pipe: the write meets a hook that has already exited.
        let (folder, _) = try project()
        let big = String(repeating: "x", count: 100_000)
        let file = folder.appendingPathComponent("contracts/big.yaml")
        try contract.replacingOccurrences(of: "params: { id: 7, request: \"{{rid}}\" }", with: "params: { id: 7, note: \(big) }")
            .write(to: file, atomically: true, encoding: .utf8)
        let result = try verify(file, ["--state-hook", "exit 0", "--workdir", folder.appendingPathComponent("work").path])
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("error[CONTRACT_SETUP]"), "the run went on past the hook to the (unreachable) registry: \(result.stdout)")
    }

    @Test func lintFindsAMissingFixtureRelativeToTheContractFile() throws {
        let (folder, file) = try project()
        try FileManager.default.removeItem(at: folder.appendingPathComponent("contracts/fixtures/person.png"))
        let config = TestPaths.packageRoot.appendingPathComponent("schemactl.yaml").path
        let result = try runSchemactl(["contract", "lint", "--config", config, file.path])
        #expect(result.status == 1)
        let expected = "\(file.path):10:13: error[CONTRACT_FIXTURE_MISSING]: fixture fixtures/person.png does not exist (\(folder.path)/contracts/fixtures/person.png)"
        #expect(result.stdout.contains(expected), "\(result.stdout)")
    }
}

/// The helper schemactl runs for tensor matchers (built beside it).
@Suite("tensor-info")
struct TensorInfoHelperTests {
    let helper = TestPaths.schemactl.deletingLastPathComponent().appendingPathComponent("tensor-info")

    @Test func printsShapeAndDtypeOfATorchSaveFile() throws {
        let folder = try makeTemporaryDirectory()
        let path = folder.appendingPathComponent("t.pt").path
        let script = TestPaths.packageRoot.appendingPathComponent("Tests/ContractsTests/save_tensor.py").path
        let saved = try runExecutable(URL(fileURLWithPath: "/usr/bin/python3"), [script, path, "float16", "2", "3"], in: folder)
        try #require(saved.status == 0, "\(saved.stderr)")
        let result = try runExecutable(helper, [path], in: folder)
        #expect(result.status == 0)
        #expect(result.stdout == "{\"shape\":[2,3],\"dtype\":\"float16\"}\n")
    }

    @Test func aFileThatIsNoTensorIsExitOneWithAOneLineReason() throws {
        let folder = try makeTemporaryDirectory()
        let path = folder.appendingPathComponent("x.pt")
        try Data("hello".utf8).write(to: path)
        let result = try runExecutable(helper, [path.path], in: folder)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("not a tensor file written by torch.save/pickle_save: "), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }
}

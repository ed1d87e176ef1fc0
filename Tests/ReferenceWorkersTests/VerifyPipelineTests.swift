import Foundation
import Testing
import TestSupport

/// `scripts/verify-pipeline` as CI runs it: every vtryon contract against the workers on `schemactl dev`.
@Suite struct VerifyPipelineTests {
    @Test func everyVtryonContractPassesAgainstTheWorkers() throws {
        let process = Process()
        process.executableURL = TestPaths.packageRoot.appendingPathComponent("scripts/verify-pipeline")
        process.environment = ProcessInfo.processInfo.environment.merging([
            "SCHEMACTL": TestPaths.schemactl.path, "REFERENCE_WORKER": KafkaHarness.workerBinary.path, "STOP_ON_STDIN_EOF": "1",
        ]) { $1 }
        // Our end of the script's stdin stays open while it runs: if the test run dies, what it started stops.
        let lifeline = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = lifeline
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        nonisolated(unsafe) var errorText = Data()
        let reader = Thread { errorText = errors.fileHandleForReading.readDataToEndOfFile() }
        reader.start()
        let stdout = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        while reader.isExecuting || !reader.isFinished { Thread.sleep(forTimeInterval: 0.05) }
        let stderr = String(decoding: errorText, as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(stdout)\n\(stderr.suffix(4000))")
        #expect(stdout.contains("10 contracts: 10 passed, 0 failed"), "\(stdout)")
        #expect(!stdout.contains("FAIL"))
        #expect(stderr.contains("pipeline up in"))
    }
}

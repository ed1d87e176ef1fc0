import AvroRegistry
import AvroRuntime
import Foundation
import Kafka
import KafkaAvro
import ReferenceWorkers
import TestSupport

/// `schemactl dev`, a data folder with tiny models and the contracts' fixtures, and reference workers
/// in kafka mode as child processes (each stops when its stdin, held here, closes).
final class KafkaHarness: @unchecked Sendable {
    let dev: DevProcess
    let root: URL
    var models: String { root.appendingPathComponent("models").path }
    var data: String { root.appendingPathComponent("data").path }
    private var workers: [String: Process] = [:]
    private var lifelines: [String: Pipe] = [:]
    let resolver: RegistryClientSchemaResolver

    init() throws {
        dev = try DevProcess()
        root = URL(fileURLWithPath: try makeTemporaryDirectory().resolvingSymlinksInPath().path)
        resolver = RegistryClientSchemaResolver(url: dev.registryURL)
        try TinyModels.write(to: models)
        try PipelineFixtures.write(to: data, modelDirectory: models)
    }

    static var workerBinary: URL {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("reference-worker")
        return FileManager.default.isExecutableFile(atPath: beside.path) ? beside : TestPaths.packageRoot.appendingPathComponent(".build/debug/reference-worker")
    }

    func log(_ name: String) -> String { root.appendingPathComponent("\(name).log").path }

    /// Starts `reference-worker <command> --mode kafka` (named `name`) and waits until it joined its group.
    func start(_ command: String, name: String? = nil, environment: [String: String] = [:], timeout: Double = 60) throws {
        let name = name ?? command
        let process = Process()
        process.executableURL = Self.workerBinary
        process.arguments = [command, "--mode", "kafka", "--stop-on-stdin-eof"]
        process.currentDirectoryURL = root
        let settings = ["KAFKA_BOOTSTRAP_SERVERS": dev.bootstrapServers, "SCHEMA_REGISTRY_URL": dev.registryURL, "MODEL_DIR": models,
                        "OUTPUT_DIR": data + "/out", "ALLOWED_ROOTS": data, "DEVICE": "cpu", "LOG_FORMAT": "json",
                        "KAFKA_SESSION_TIMEOUT_MS": "6000", "STEP_TIMEOUT_SECONDS": "60"]
        process.environment = ProcessInfo.processInfo.environment.merging(settings) { $1 }.merging(environment) { $1 }
        if !FileManager.default.fileExists(atPath: log(name)) { FileManager.default.createFile(atPath: log(name), contents: nil) }
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log(name)))
        try logHandle.seekToEnd()
        process.standardError = logHandle
        process.standardOutput = FileHandle.nullDevice
        let lifeline = Pipe()
        process.standardInput = lifeline
        try process.run()
        workers[name] = process
        lifelines[name] = lifeline
        let until = Date().addingTimeInterval(timeout)
        while Date() < until {
            let text = (try? String(contentsOfFile: log(name), encoding: .utf8)) ?? ""
            if text.components(separatedBy: "\"partitions assigned\"").count > joins[name, default: 0] + 1 {
                joins[name, default: 0] += 1
                return
            }
            guard process.isRunning else { throw KafkaError(message: "\(name) exited: \(text)") }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw KafkaError(message: "\(name) did not join its group within \(timeout) s")
    }
    private var joins: [String: Int] = [:]

    /// SIGKILL: no shutdown, no commit, no leaving the group.
    func kill(_ name: String) {
        guard let process = workers[name] else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The exit status once the worker ended by itself (nil if it still runs after `timeout` seconds).
    func exitStatus(_ name: String, timeout: Double) -> Int32? {
        guard let process = workers[name] else { return nil }
        let until = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < until { Thread.sleep(forTimeInterval: 0.05) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// SIGTERM, then the exit status once the worker is gone.
    func terminate(_ name: String) -> Int32 {
        guard let process = workers[name] else { return -1 }
        Foundation.kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        return process.terminationStatus
    }

    func stopAll() {
        for (name, process) in workers where process.isRunning {
            try? lifelines[name]?.fileHandleForWriting.close()
            Foundation.kill(process.processIdentifier, SIGTERM)
        }
        for process in workers.values { process.waitUntilExit() }
        dev.kill()
    }

    func producer() throws -> KafkaProducer { try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: dev.bootstrapServers)) }

    /// A consumer reading `topics` from their current end (so it sees only what is produced next).
    func listener(_ topics: [String]) throws -> KafkaConsumer {
        let consumer = try KafkaConsumer(configuration: KafkaConfiguration(bootstrapServers: dev.bootstrapServers))
        try consumer.assign(topics, from: .end)
        return consumer
    }

    func serializer<Message: AvroMessage>(_ type: Message.Type, topic: String) -> AvroRegistrySerializer<Message> {
        AvroRegistrySerializer(resolver: resolver, subject: topic + "-value")
    }

    func deserializer<Message: AvroMessage>(_ type: Message.Type) -> AvroRegistryDeserializer<Message> {
        AvroRegistryDeserializer(resolver: resolver)
    }
}

extension KafkaConsumer {
    /// `earlier` and the records that follow, until `done` says enough (given all so far) or `timeout` seconds pass.
    func collect(after earlier: [ConsumerRecord] = [], timeout: Double, until done: ([ConsumerRecord]) -> Bool) throws -> [ConsumerRecord] {
        var records = earlier
        let until = Date().addingTimeInterval(timeout)
        while Date() < until, !done(records) {
            if let record = try poll(timeout: 0.2) { records.append(record) }
        }
        return records
    }
}

extension KafkaConsumer {
    /// Records after `earlier` until every id in `ids` has a record on `responses` and every id in
    /// `letters` one on `deadLetters` (or `timeout` passes), then 2 s more, in which a late duplicate would show.
    func collectAnswers(after earlier: [ConsumerRecord] = [], ids: [String], responses: String, letters: [String], deadLetters: String,
                        timeout: Double) throws -> [ConsumerRecord] {
        let answered = try collect(after: earlier, timeout: timeout) { records in
            Set(records.filter { $0.topic == responses }.map(\.keyText)).isSuperset(of: ids)
                && Set(records.filter { $0.topic == deadLetters }.map(\.keyText)).isSuperset(of: letters)
        }
        return try collect(after: answered, timeout: 2) { _ in false }
    }
}

func millisNow() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

extension ConsumerRecord {
    var keyText: String { key.map { String(decoding: $0, as: UTF8.self) } ?? "" }
}

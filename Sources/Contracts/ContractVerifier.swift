import AvroRuntime
import Diagnostics
import Foundation
import JSONDocument
import Kafka

/// The outcome of verifying one contract against a running service.
public struct ContractOutcome: Sendable {
    public struct Failure: Sendable, Hashable {
        public var rule: String
        public var message: String
        public var mark: SourceMark
    }

    public var contractID: String
    public var mark: SourceMark
    public var failures: [Failure]
    public var seconds: Double
    /// Records seen on the watched topics that belong to other requests.
    public var uncorrelated: Int
    public var passed: Bool { failures.isEmpty }
}

/// Runs contracts against a service on Kafka: subscribes to the expected and forbidden topics at
/// their end, produces the request (Confluent framing, ids from the schema source), collects the
/// records correlated to it until the expectations are met and the quiet windows are over (or the
/// contract's timeout), then checks them. Before the request it puts the provider into the
/// contract's `given` states and stages its fixtures (removed afterwards unless kept).
public struct ContractVerifier: Sendable {
    public static let rules: [RuleDescription] = [
        RuleDescription(id: "CONTRACT_SETUP", severity: .error, summary: "The request could not be produced or the topics read (broker, registry, schema, template)."),
        RuleDescription(id: "CONTRACT_MISSING_RESPONSE", severity: .error, summary: "No correlated record arrived on an expected topic."),
        RuleDescription(id: "CONTRACT_LATE_RESPONSE", severity: .error, summary: "The correlated record arrived after the expectation's `within`."),
        RuleDescription(id: "CONTRACT_TOO_MANY", severity: .error, summary: "More correlated records arrived than the expectation's count or max."),
        RuleDescription(id: "CONTRACT_WRONG_VALUE", severity: .error, summary: "A correlated record's key, header or value does not match the expectation."),
        RuleDescription(id: "CONTRACT_FORBIDDEN_RECORD", severity: .error, summary: "A correlated record arrived on a topic the contract wants quiet."),
        RuleDescription(id: "CONTRACT_UNDECODABLE", severity: .error, summary: "A correlated record could not be decoded (framing, unknown schema id)."),
        RuleDescription(id: "CONTRACT_PROVIDER_STATE", severity: .error, summary: "The provider could not be put into a state the contract is given (the state hook failed)."),
        RuleDescription(id: "CONTRACT_FIXTURE", severity: .error, summary: "A fixture file could not be staged before the request, or removed after it."),
    ]

    public var bootstrapServers: String
    public var schemas: SchemaSource
    public var kafkaProperties: [String: String]
    /// Files, provider states and tensor files.
    public var environment: any ContractEnvironment
    /// The value of `{{workdir}}`: where fixtures are usually staged (a folder the service can read).
    public var workdir: String

    public init(bootstrapServers: String, schemas: SchemaSource, kafkaProperties: [String: String] = [:],
                environment: any ContractEnvironment = FileCheckEnvironment(), workdir: String = "/tmp/schemactl-contracts") {
        self.bootstrapServers = bootstrapServers
        self.schemas = schemas
        self.kafkaProperties = kafkaProperties
        self.environment = environment
        self.workdir = workdir
    }

    /// A record seen during the run, decoded as far as it could be.
    struct Observed {
        var record: ConsumerRecord
        var value: JSONValue?
        var decodeError: String?
        var afterSeconds: Double
    }

    public func verify(_ contract: Contract) -> ContractOutcome {
        let started = Date()
        var vars = Templates.generate(contract.vars)
        vars["workdir"] = .string(workdir)
        var staged: [(fixture: Fixture, destination: String)] = []
        var outcome: ContractOutcome
        if let failure = prepare(contract, vars: vars, staged: &staged) {
            outcome = ContractOutcome(contractID: contract.id, mark: contract.mark, failures: [failure], seconds: 0, uncorrelated: 0)
        } else {
            outcome = exchange(contract, vars: vars, started: started)
        }
        for (fixture, destination) in staged where !fixture.keep {
            do { try environment.removeFixture(at: destination) } catch {
                outcome.failures.append(.init(rule: "CONTRACT_FIXTURE", message: "cannot remove the staged fixture \(destination): \(error)", mark: fixture.mark))
            }
        }
        outcome.seconds = Date().timeIntervalSince(started)
        return outcome
    }

    /// Provider states first (they may create what fixtures or the request rely on), then fixtures.
    /// Returns the first failure; `staged` lists what was copied so far, for the cleanup.
    private func prepare(_ contract: Contract, vars: [String: JSONValue], staged: inout [(fixture: Fixture, destination: String)]) -> ContractOutcome.Failure? {
        for state in contract.given {
            do {
                let params = try Templates.resolve(state.params, vars)
                try environment.setUpProviderState(state.name, params: params, contractID: contract.id)
            } catch {
                return .init(rule: "CONTRACT_PROVIDER_STATE", message: "the provider could not be put into state \"\(state.name)\": \(error)", mark: state.mark)
            }
        }
        for fixture in contract.fixtures {
            do {
                let destination = try Templates.resolveText(fixture.destination, vars)
                try environment.stageFixture(from: fixture.resolvedSource, to: destination)
                staged.append((fixture, destination))
            } catch {
                return .init(rule: "CONTRACT_FIXTURE", message: "cannot stage fixture \(fixture.source): \(error)", mark: fixture.mark)
            }
        }
        return nil
    }

    /// Produces the request and checks what comes back.
    private func exchange(_ contract: Contract, vars: [String: JSONValue], started: Date) -> ContractOutcome {
        var outcome = ContractOutcome(contractID: contract.id, mark: contract.mark, failures: [], seconds: 0, uncorrelated: 0)
        func setupFailure(_ message: String, _ mark: SourceMark) -> ContractOutcome {
            outcome.failures.append(.init(rule: "CONTRACT_SETUP", message: message, mark: mark))
            outcome.seconds = Date().timeIntervalSince(started)
            return outcome
        }

        // The request, with this run's variables.
        let value: JSONValue, key: String?, headers: [KafkaHeader]
        do {
            value = try Templates.resolve(contract.send.value, vars)
            key = try contract.send.key.map { (text) throws(TemplateError) in try Templates.resolveText(text, vars) }
            var resolved: [KafkaHeader] = []
            for header in contract.send.headers { resolved.append(KafkaHeader(header.name, try Templates.resolveText(header.value, vars))) }
            headers = resolved
        } catch {
            return setupFailure(error.description, contract.send.mark)
        }
        let bytes: [UInt8]
        do {
            let schema = try schemas.schema(contract.send.schema, topic: contract.send.topic)
            bytes = try schema.encode(value)
        } catch {
            return setupFailure("the request cannot be encoded: \(error.description)", contract.send.valueMark)
        }
        guard let correlationID = Self.extract(contract.correlate, key: key.map { Array($0.utf8) }, headers: headers, value: value) else {
            return setupFailure("the request has no \(contract.correlate) to correlate responses with", contract.send.mark)
        }

        // Listen first, then produce.
        let topics = Array(Set(contract.expect.map(\.topic) + contract.forbid.map(\.topic))).sorted()
        let consumer: KafkaConsumer
        let producer: KafkaProducer
        var common = kafkaProperties
        common["bootstrap.servers"] = bootstrapServers
        do {
            // A broker holds a fetch up to fetch.wait.max.ms when there is nothing new: keep it short, timings are what we measure.
            consumer = try KafkaConsumer(configuration: KafkaConfiguration(common.merging(["fetch.wait.max.ms": "10"]) { mine, _ in mine }))
            try consumer.assign(topics, from: .end, timeout: min(contract.timeout, 10))
            var producerProperties = common
            producerProperties["message.timeout.ms"] = producerProperties["message.timeout.ms"] ?? String(Int(max(contract.timeout, 1) * 1000))
            producer = try KafkaProducer(configuration: KafkaConfiguration(producerProperties))
        } catch {
            return setupFailure("Kafka at \(bootstrapServers): \(error.description)", contract.mark)
        }
        defer {
            consumer.close()
            producer.close(timeout: 1)
        }
        let requestTime: Date
        do {
            requestTime = Date()
            try producer.send(ProducerRecord(topic: contract.send.topic, key: key.map { Array($0.utf8) }, value: bytes, headers: headers))
        } catch {
            return setupFailure("cannot produce the request to \(contract.send.topic): \(error.description)", contract.send.mark)
        }

        // Collect.
        let quietUntil = contract.forbid.map(\.quiet).max() ?? 0
        let deadline = requestTime.addingTimeInterval(max(contract.timeout, quietUntil))
        var observed: [String: [Observed]] = [:]
        func satisfied(_ now: Date) -> Bool {
            guard now.timeIntervalSince(requestTime) >= quietUntil else { return false }
            return contract.expect.allSatisfy { (observed[$0.topic]?.count ?? 0) >= $0.minCount }
        }
        while Date() < deadline, !satisfied(Date()) {
            let record: ConsumerRecord?
            do { record = try consumer.poll(timeout: 0.05) } catch {
                return setupFailure("Kafka failed while waiting for responses: \(error.description)", contract.mark)
            }
            guard let record else { continue }
            let path = pathFor(topic: record.topic, contract)
            var item = Observed(record: record, value: nil, decodeError: nil, afterSeconds: Date().timeIntervalSince(requestTime))
            if let payload = record.value {
                do {
                    let (id, start) = try ConfluentFraming.parse(payload)
                    item.value = try schemas.schema(id: id).decode(payload: payload[start...])
                } catch let error as ContractError {
                    item.decodeError = error.description
                } catch {
                    item.decodeError = "the value is not in Confluent framing: \(error)"
                }
            }
            let found = Self.extract(path, key: record.key, headers: record.headers, value: item.value ?? .null)
            guard let found, Matcher.equal(found, correlationID) else {
                if found == nil, item.decodeError != nil, case .value = path {
                    // Cannot tell whether it is ours: keep it so that an undecodable answer is reported.
                    observed[record.topic, default: []].append(item)
                } else {
                    outcome.uncorrelated += 1
                }
                continue
            }
            observed[record.topic, default: []].append(item)
        }

        // Check.
        let context = MatchContext(vars: vars, now: Date(), environment: environment)
        let shownID = Matcher.show(correlationID)
        for expectation in contract.expect {
            let all = observed[expectation.topic] ?? []
            let undecodable = all.filter { $0.decodeError != nil }
            for item in undecodable {
                outcome.failures.append(.init(rule: "CONTRACT_UNDECODABLE", message: "a record on \(expectation.topic) (partition \(item.record.partition), offset \(item.record.offset)) cannot be decoded: \(item.decodeError!)", mark: expectation.mark))
            }
            let records = all.filter { $0.decodeError == nil }
            let inTime = records.filter { $0.afterSeconds <= expectation.within }
            let late = records.filter { $0.afterSeconds > expectation.within }
            let by = expectation.correlate ?? contract.correlate
            if inTime.count < expectation.minCount {
                if let first = late.first {
                    outcome.failures.append(.init(rule: "CONTRACT_LATE_RESPONSE", message: String(format: "the response on %@ (%@ = %@) arrived after %.2f s; the contract allows %.2f s", expectation.topic, by.description, shownID, first.afterSeconds, expectation.within), mark: expectation.mark))
                } else if undecodable.isEmpty {
                    let countText = expectation.minCount == 1 ? "a record" : "\(expectation.minCount) records (got \(inTime.count))"
                    outcome.failures.append(.init(rule: "CONTRACT_MISSING_RESPONSE", message: String(format: "expected %@ on %@ with %@ = %@ within %.2f s; none came (listened %.2f s)", countText, expectation.topic, by.description, shownID, expectation.within, Date().timeIntervalSince(requestTime)), mark: expectation.mark))
                }
            }
            if inTime.count > expectation.maxCount {
                outcome.failures.append(.init(rule: "CONTRACT_TOO_MANY", message: "expected at most \(expectation.maxCount) record\(expectation.maxCount == 1 ? "" : "s") on \(expectation.topic) with \(by) = \(shownID); \(inTime.count) came", mark: expectation.mark))
            }
            for (index, item) in inTime.prefix(expectation.maxCount).enumerated() {
                let prefix = inTime.count > 1 ? "record \(index + 1) on \(expectation.topic)" : expectation.topic
                var mismatches: [Mismatch] = []
                if let keyMatcher = expectation.key {
                    mismatches += keyMatcher.mismatches(item.record.key.map { .string(String(decoding: $0, as: UTF8.self)) }, at: "key", in: context)
                }
                for header in expectation.headers {
                    mismatches += header.matcher.mismatches(item.record.header(header.name).map { .string($0.text ?? "") }, at: "headers/\(header.name)", in: context)
                }
                if let valueMatcher = expectation.value { mismatches += valueMatcher.mismatches(item.value, at: "value", in: context) }
                for mismatch in mismatches {
                    outcome.failures.append(.init(rule: "CONTRACT_WRONG_VALUE", message: "\(prefix): \(mismatch.path): \(mismatch.message)", mark: mismatch.mark))
                }
            }
        }
        for window in contract.forbid {
            for item in (observed[window.topic] ?? []) where item.afterSeconds <= window.quiet {
                let summary = item.value.map { " (value \(Matcher.summary($0)))" } ?? ""
                outcome.failures.append(.init(rule: "CONTRACT_FORBIDDEN_RECORD", message: String(format: "a record correlated to the request arrived on %@ after %.2f s, where the contract wants silence for %.2f s%@", window.topic, item.afterSeconds, window.quiet, summary), mark: window.mark))
            }
        }
        outcome.seconds = Date().timeIntervalSince(started)
        return outcome
    }

    /// The correlation path that applies to a topic: its expectation's or quiet window's, else the contract's.
    private func pathFor(topic: String, _ contract: Contract) -> CorrelationPath {
        contract.expect.first { $0.topic == topic }?.correlate ?? contract.forbid.first { $0.topic == topic }?.correlate ?? contract.correlate
    }

    /// The correlation value a record carries at `path` (text for keys and headers).
    static func extract(_ path: CorrelationPath, key: [UInt8]?, headers: [KafkaHeader], value: JSONValue) -> JSONValue? {
        switch path {
        case .key: return key.map { .string(String(decoding: $0, as: UTF8.self)) }
        case .header(let name): return headers.last { $0.name == name }?.text.map(JSONValue.string)
        case .value(let fields):
            var current = value
            for field in fields {
                guard case .object(let object) = current, let next = object[field] else { return nil }
                current = next
            }
            return current == .null ? nil : current
        }
    }
}

import AvroRuntime
import Foundation
import JSONDocument
import Kafka

/// A request seen on Kafka and the records correlated to it on the watched topics.
public struct RecordedExchange: Sendable {
    public struct Response: Sendable {
        public var record: ConsumerRecord
        public var value: JSONValue
        public var afterSeconds: Double
    }

    public var request: ConsumerRecord
    public var requestValue: JSONValue
    public var schemaID: Int32
    public var correlationID: JSONValue
    public var responses: [Response]
    /// When the request was seen, for inferring which values are "now".
    public var seenAt: Date
}

/// Watches a request topic and its response topics for a while and pairs each request with the
/// records correlated to it: the live traffic `contract record` turns into contracts.
public struct ContractRecorder: Sendable {
    public var bootstrapServers: String
    public var schemas: SchemaSource
    public var kafkaProperties: [String: String]

    public init(bootstrapServers: String, schemas: SchemaSource, kafkaProperties: [String: String] = [:]) {
        self.bootstrapServers = bootstrapServers
        self.schemas = schemas
        self.kafkaProperties = kafkaProperties
    }

    /// Listens from the current end of every topic for `duration` seconds (or until `maxRequests`
    /// requests have been seen and `settle` seconds passed since the last record; while a request
    /// has no response yet, five times that, at least 10 s, so that a slow service on a loaded
    /// machine is not recorded as silent). Records that cannot be decoded or correlated are skipped.
    public func record(requestTopic: String, responseTopics: [String], correlate: CorrelationPath, duration: Double,
                       maxRequests: Int = .max, settle: Double = 2, ready: @Sendable () -> Void = {}) throws(ContractError) -> [RecordedExchange] {
        var properties = kafkaProperties
        properties["bootstrap.servers"] = bootstrapServers
        properties["fetch.wait.max.ms"] = properties["fetch.wait.max.ms"] ?? "10"
        let consumer: KafkaConsumer
        do {
            consumer = try KafkaConsumer(configuration: KafkaConfiguration(properties))
            try consumer.assign([requestTopic] + responseTopics, from: .end)
        } catch {
            throw ContractError("Kafka at \(bootstrapServers): \(error.description)")
        }
        defer { consumer.close() }
        ready()
        let started = Date()
        var exchanges: [RecordedExchange] = []
        // Partitions are fetched independently (often from different brokers), so a response can be
        // polled before its request: it waits here for the request it answers.
        var early: [(record: ConsumerRecord, value: JSONValue, correlationID: JSONValue)] = []
        var lastRecord = Date()
        while Date().timeIntervalSince(started) < duration {
            if exchanges.count >= maxRequests {
                let unanswered = exchanges.contains { $0.responses.isEmpty }
                if Date().timeIntervalSince(lastRecord) >= (unanswered ? max(settle * 5, 10) : settle) { break }
            }
            let polled: ConsumerRecord?
            do { polled = try consumer.poll(timeout: 0.05) } catch { throw ContractError("Kafka failed while recording: \(error.description)") }
            guard let record = polled, let payload = record.value,
                  let (id, start) = try? ConfluentFraming.parse(payload),
                  let value = try? schemas.schema(id: id).decode(payload: payload[start...]),
                  let correlationID = ContractVerifier.extract(correlate, key: record.key, headers: record.headers, value: value) else { continue }
            lastRecord = Date()
            if record.topic == requestTopic {
                guard exchanges.count < maxRequests else { continue }
                var exchange = RecordedExchange(request: record, requestValue: value, schemaID: id, correlationID: correlationID, responses: [], seenAt: Date())
                for response in early where Matcher.equal(response.correlationID, correlationID) {
                    // How long after the request it was written, by the records' own timestamps.
                    let millis = (response.record.timestampMillis ?? 0) - (record.timestampMillis ?? 0)
                    exchange.responses.append(.init(record: response.record, value: response.value, afterSeconds: max(0, Double(millis) / 1000)))
                }
                early.removeAll { Matcher.equal($0.correlationID, correlationID) }
                exchanges.append(exchange)
            } else if let index = exchanges.firstIndex(where: { Matcher.equal($0.correlationID, correlationID) }) {
                exchanges[index].responses.append(.init(record: record, value: value, afterSeconds: Date().timeIntervalSince(exchanges[index].seenAt)))
            } else {
                early.append((record, value, correlationID))
            }
        }
        return exchanges
    }
}

/// Writes a recorded exchange as a contract: fresh variables for the request's ids and times,
/// `{{var}}` where a response echoes them, matchers for other dynamic values (UUIDs, times),
/// a quiet window for each watched topic that stayed silent.
public enum ContractWriter {
    public static func yaml(for exchange: RecordedExchange, id: String, service: String?, correlate: CorrelationPath,
                            watchedTopics: [String]) -> String {
        var vars: [(name: String, original: JSONValue, generator: String)] = []
        func variable(for value: JSONValue, named name: String) -> String? {
            if let known = vars.first(where: { Matcher.equal($0.original, value) }) { return known.name }
            let generator: String
            switch value {
            case .string(let s) where UUID(uuidString: s) != nil: generator = "{ gen: uuid }"
            case .integer where TimeUnit.millis.date(of: value).map({ abs($0.timeIntervalSince(exchange.seenAt)) < 86_400 }) == true:
                generator = "{ gen: now, unit: millis }"
            case .string where TimeUnit.iso.date(of: value).map({ abs($0.timeIntervalSince(exchange.seenAt)) < 86_400 }) == true:
                generator = "{ gen: now, unit: iso }"
            default: return nil
            }
            let unique = vars.contains { $0.name == name } ? "\(name)_\(vars.count)" : name
            vars.append((unique, value, generator))
            return unique
        }
        func templated(_ value: JSONValue, name: String) -> JSONValue {
            switch value {
            case .object(let object):
                return .object(JSONObject(object.members.map { JSONObject.Member(key: $0.key, value: templated($0.value, name: $0.key)) }))
            case .array(let items):
                return .array(items.map { templated($0, name: name) })
            default:
                return variable(for: value, named: safe(name)).map { .string("{{\($0)}}") } ?? value
            }
        }
        let request = templated(exchange.requestValue, name: "value")
        let key = exchange.request.key.map { String(decoding: $0, as: UTF8.self) }
        let keyText = key.map { text in vars.first { Matcher.equal($0.original, .string(text)) }.map { "\"{{\($0.name)}}\"" } ?? quoted(text) }

        func expected(_ value: JSONValue) -> String {
            switch value {
            case .object(let object):
                return "{ " + object.members.map { "\(quoted($0.key)): \(expected($0.value))" }.joined(separator: ", ") + " }"
            case .array(let items):
                return "[" + items.map(expected).joined(separator: ", ") + "]"
            default:
                if let echoed = vars.first(where: { Matcher.equal($0.original, value) }) { return "\"{{\(echoed.name)}}\"" }
                if case .string(let s) = value, UUID(uuidString: s) != nil { return "{ $match: uuid }" }
                if case .string(var s) = value {
                    // A value built from the request's ids (a path named after the request): keep the build.
                    var changed = false
                    for variable in vars {
                        guard case .string(let original) = variable.original, original.count >= 8, s.contains(original) else { continue }
                        s = s.replacingOccurrences(of: original, with: "{{\(variable.name)}}")
                        changed = true
                    }
                    if changed { return JSONValue.string(s).compactText }
                }
                if TimeUnit.millis.date(of: value).map({ abs($0.timeIntervalSince(exchange.seenAt)) < 86_400 }) == true {
                    return "{ $match: timestamp, unit: millis, within: 10m }"
                }
                if case .string = value, TimeUnit.iso.date(of: value).map({ abs($0.timeIntervalSince(exchange.seenAt)) < 86_400 }) == true {
                    return "{ $match: timestamp, unit: iso, within: 10m }"
                }
                return value.compactText
            }
        }

        var lines: [String] = []
        lines.append("# Recorded by schemactl contract record on \(Date.ISO8601FormatStyle().format(exchange.seenAt)) from \(exchange.request.topic)[\(exchange.request.partition)]@\(exchange.request.offset) (schema id \(exchange.schemaID)).")
        lines.append("# Review the inferred variables and matchers before committing.")
        lines.append("contract: schemactl/v1")
        lines.append("id: \(quoted(id))")
        if let service { lines.append("service: \(quoted(service))") }
        if !vars.isEmpty {
            lines.append("vars:")
            for variable in vars { lines.append("  \(variable.name): \(variable.generator)") }
        }
        lines.append("correlate: { by: \(correlate) }")
        let slowest = exchange.responses.map(\.afterSeconds).max() ?? 0
        let within = max(5, Int((slowest * 3).rounded(.up)))
        lines.append("timeout: \(within * 2)s")
        lines.append("send:")
        lines.append("  topic: \(quoted(exchange.request.topic))")
        if let keyText { lines.append("  key: \(keyText)") }
        lines.append("  value:")
        if case .object(let object) = request {
            for member in object.members { lines.append("    \(quoted(member.key)): \(member.value.compactText)") }
        } else {
            lines[lines.count - 1] = "  value: \(request.compactText)"
        }
        let byTopic = Dictionary(grouping: exchange.responses, by: \.record.topic)
        let answered = watchedTopics.filter { byTopic[$0] != nil }
        if !answered.isEmpty {
            lines.append("expect:")
            for topic in answered {
                let responses = byTopic[topic]!
                lines.append("  - topic: \(quoted(topic))")
                if responses.count != 1 { lines.append("    count: \(responses.count)") }
                lines.append("    within: \(within)s")
                if let responseKey = responses[0].record.key.map({ String(decoding: $0, as: UTF8.self) }) {
                    lines.append("    key: \(expected(.string(responseKey)))")
                }
                if case .object(let object) = responses[0].value {
                    lines.append("    value:")
                    for member in object.members { lines.append("      \(quoted(member.key)): \(expected(member.value))") }
                }
            }
        }
        let silent = watchedTopics.filter { byTopic[$0] == nil }
        if !silent.isEmpty {
            lines.append("forbid:")
            for topic in silent { lines.append("  - { topic: \(quoted(topic)), quiet: 5s }") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML scalar in JSON's quoting (valid YAML), unless it is a plain identifier.
    static func quoted(_ text: String) -> String {
        let plain = !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_-./".contains($0)) }
            && !["true", "false", "null", "yes", "no", "on", "off", "~"].contains(text.lowercased()) && Double(text) == nil && text.first != "-"
        return plain ? text : JSONValue.string(text).compactText
    }

    static func safe(_ name: String) -> String {
        let cleaned = String(name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
        return cleaned.isEmpty ? "v" : cleaned
    }
}

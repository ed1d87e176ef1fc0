import AvroRuntime

/// The topics and consumer group of a service (seed 000/001), overridable by KAFKA_REQUEST_TOPIC,
/// KAFKA_RESPONSE_TOPIC, KAFKA_CONSUMER_GROUP and KAFKA_DLQ_TOPIC.
public struct ServiceTopics: Sendable, Hashable {
    public var request: String
    public var response: String
    public var deadLetter: String
    public var consumerGroup: String

    public init(request: String, response: String, deadLetter: String, consumerGroup: String) {
        self.request = request; self.response = response; self.deadLetter = deadLetter; self.consumerGroup = consumerGroup
    }

    public static func standard(_ service: String, environment: [String: String] = [:]) -> ServiceTopics {
        ServiceTopics(request: environment["KAFKA_REQUEST_TOPIC"] ?? "\(service)-requests",
                      response: environment["KAFKA_RESPONSE_TOPIC"] ?? "\(service)-responses",
                      deadLetter: environment["KAFKA_DLQ_TOPIC"] ?? "\(service)-dlq",
                      consumerGroup: environment["KAFKA_CONSUMER_GROUP"] ?? "\(service)-group")
    }
}

/// One record as a Kafka consumer hands it over.
public struct IncomingRecord: Sendable {
    public var value: [UInt8]
    public var key: [UInt8]?
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var headers: [String: String]

    public init(value: [UInt8], key: [UInt8]? = nil, topic: String, partition: Int32 = 0, offset: Int64 = 0, headers: [String: String] = [:]) {
        self.value = value; self.key = key; self.topic = topic; self.partition = partition; self.offset = offset; self.headers = headers
    }
}

/// What to produce for a record before its offset may be committed: exactly one of the two.
public enum RecordOutcome: Sendable {
    /// To the response topic, keyed by request id: a success or an error response.
    case response(key: [UInt8], value: [UInt8])
    /// To the DLQ topic: a record that could not be turned into a request at all.
    case deadLetter(key: [UInt8]?, value: [UInt8], code: String)
}

/// Turns request records into response or dead-letter records, in Confluent's wire format. A
/// request the service rejects gets an error response (the requester learns why); only a record
/// that does not decode as the request schema goes to the DLQ at once. The Kafka loop dead-letters
/// with `deadLetter(_:code:message:retryCount:)` when producing a response keeps failing.
public struct MessageProcessor<Service: WorkerService>: Sendable {
    public let runner: ServiceRunner<Service>
    public let responseSchemaID: Int32
    public let deadLetterSchemaID: Int32

    public init(runner: ServiceRunner<Service>, responseSchemaID: Int32, deadLetterSchemaID: Int32) {
        self.runner = runner
        self.responseSchemaID = responseSchemaID
        self.deadLetterSchemaID = deadLetterSchemaID
    }

    public static var malformedMessage: String { "MALFORMED_MESSAGE" }

    public func process(_ record: IncomingRecord) -> RecordOutcome {
        let request: Service.Request
        do {
            // The datum is read with the generated (reader) schema; the writer's schema id is not
            // resolved against a registry yet, so writers must use the same schema version.
            let (_, start) = try ConfluentFraming.parse(record.value)
            request = try Service.Request(avro: record.value[start...])
        } catch {
            runner.metrics.record(service: Service.serviceName, status: "dead_letter", errorCode: Self.malformedMessage, seconds: 0)
            runner.logger.error("undecodable record dead-lettered", ["service": Service.serviceName, "topic": record.topic,
                                                                    "offset": String(record.offset), "error": "\(error)"])
            return .deadLetter(key: record.key, value: deadLetter(record, code: Self.malformedMessage,
                                                                  message: "record does not decode as \(Service.Request.self): \(error)", retryCount: 1),
                               code: Self.malformedMessage)
        }
        let handled = runner.handle(request)
        return .response(key: Array(runner.service.requestId(of: request).utf8), value: handled.response.confluentBytes(schemaID: responseSchemaID))
    }

    /// The DeadLetter envelope (schemas/vtryon/DeadLetter.avsc) for `record`, framed.
    public func deadLetter(_ record: IncomingRecord, code: String, message: String, retryCount: Int) -> [UInt8] {
        DeadLetter(originalMessage: record.value, originalKey: record.key, sourceTopic: record.topic, sourcePartition: record.partition,
                   sourceOffset: record.offset, errorCode: code, errorMessage: message, retryCount: Int32(retryCount),
                   failedAt: Clock.millis(), headers: record.headers, service: Service.serviceName)
            .confluentBytes(schemaID: deadLetterSchemaID)
    }
}

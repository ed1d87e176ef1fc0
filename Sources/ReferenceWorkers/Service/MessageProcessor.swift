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

    /// The orchestrator's: WorkflowRequests on `workflow-orchestrator`, WorkflowResults on `workflow-results`.
    public static func orchestrator(environment: [String: String] = [:]) -> ServiceTopics {
        var topics = standard("workflow-orchestrator", environment: environment)
        if environment["KAFKA_REQUEST_TOPIC"] == nil { topics.request = "workflow-orchestrator" }
        if environment["KAFKA_RESPONSE_TOPIC"] == nil { topics.response = "workflow-results" }
        return topics
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

/// A record to produce: on the service's response topic or on its DLQ.
public struct OutgoingRecord: Sendable, Hashable {
    public enum Destination: Sendable, Hashable { case response, deadLetter }
    public var destination: Destination
    public var key: [UInt8]?
    public var value: [UInt8]
}

/// What to produce for a request record before its offset may be committed.
public struct RecordOutcome: Sendable {
    /// In order: the response (when the record was a request), then the dead letter (when there is one).
    public var records: [OutgoingRecord]
    /// The error code of a failed request or of an undecodable record; nil on success.
    public var errorCode: String?

    public var response: OutgoingRecord? { records.first { $0.destination == .response } }
    public var deadLetter: OutgoingRecord? { records.first { $0.destination == .deadLetter } }
}

/// How request, response and dead-letter records are framed: with fixed schema ids (the request read
/// with the generated schema), or through the registry (the request read with its writer's schema by
/// id, responses and dead letters under `<topic>-value`).
public struct MessageCodec<Service: WorkerService>: Sendable {
    public let decodeRequest: @Sendable ([UInt8]) throws(AvroSerdeError) -> Service.Request
    public let encodeResponse: @Sendable (Service.Response) throws(AvroSerdeError) -> [UInt8]
    public let encodeDeadLetter: @Sendable (DeadLetter) throws(AvroSerdeError) -> [UInt8]

    public static func fixed(responseSchemaID: Int32, deadLetterSchemaID: Int32) -> MessageCodec {
        MessageCodec(decodeRequest: { bytes throws(AvroSerdeError) in
                         do throws(AvroDecodingError) {
                             let (_, start) = try ConfluentFraming.parse(bytes)
                             return try Service.Request(avro: bytes[start...])
                         } catch { throw .decoding(error) }
                     },
                     encodeResponse: { $0.confluentBytes(schemaID: responseSchemaID) },
                     encodeDeadLetter: { $0.confluentBytes(schemaID: deadLetterSchemaID) })
    }

    public static func registry(_ resolver: any SchemaIDResolver, topics: ServiceTopics) -> MessageCodec {
        let requests = AvroRegistryDeserializer<Service.Request>(resolver: resolver)
        let responses = AvroRegistrySerializer<Service.Response>(resolver: resolver, subject: topics.response + "-value")
        let letters = AvroRegistrySerializer<DeadLetter>(resolver: resolver, subject: topics.deadLetter + "-value")
        return MessageCodec(decodeRequest: { bytes throws(AvroSerdeError) in try requests.deserialize(bytes) },
                            encodeResponse: { response throws(AvroSerdeError) in try responses.serialize(response) },
                            encodeDeadLetter: { letter throws(AvroSerdeError) in try letters.serialize(letter) })
    }
}

/// Turns request records into response and dead-letter records, in Confluent's wire format. A
/// request the service rejects gets an error response (the requester learns why) and a dead letter
/// keyed by request_id holding the original record (for replay once the cause is fixed), as the
/// vtryon contracts require; a record that does not decode as a request at all only dead-letters.
/// Throws only what is not the message's fault (the registry unreachable): the caller retries.
public struct MessageProcessor<Service: WorkerService>: Sendable {
    public let runner: ServiceRunner<Service>
    public let codec: MessageCodec<Service>

    public init(runner: ServiceRunner<Service>, codec: MessageCodec<Service>) {
        self.runner = runner
        self.codec = codec
    }

    public init(runner: ServiceRunner<Service>, responseSchemaID: Int32, deadLetterSchemaID: Int32) {
        self.init(runner: runner, codec: .fixed(responseSchemaID: responseSchemaID, deadLetterSchemaID: deadLetterSchemaID))
    }

    public static var malformedMessage: String { "MALFORMED_MESSAGE" }

    public func process(_ record: IncomingRecord) throws(AvroSerdeError) -> RecordOutcome {
        let request: Service.Request
        do { request = try codec.decodeRequest(record.value) } catch {
            guard case .decoding = error else { throw error }
            runner.metrics.record(service: Service.serviceName, status: "dead_letter", errorCode: Self.malformedMessage, seconds: 0)
            runner.logger.error("undecodable record dead-lettered", ["service": Service.serviceName, "topic": record.topic,
                                                                    "offset": String(record.offset), "error": "\(error)"])
            let letter = try deadLetter(record, code: Self.malformedMessage, message: "record does not decode as \(Service.Request.self): \(error)", retryCount: 0)
            return RecordOutcome(records: [OutgoingRecord(destination: .deadLetter, key: record.key, value: letter)], errorCode: Self.malformedMessage)
        }
        let handled = runner.handle(request)
        let key = Array(runner.service.requestId(of: request).utf8)
        var records = [OutgoingRecord(destination: .response, key: key, value: try codec.encodeResponse(handled.response))]
        if let error = handled.error, runner.service.deadLetters(error) {
            records.append(OutgoingRecord(destination: .deadLetter, key: key,
                                          value: try deadLetter(record, code: error.code, message: error.message, retryCount: 0)))
        }
        return RecordOutcome(records: records, errorCode: handled.error?.code)
    }

    /// The DeadLetter envelope (schemas/vtryon/DeadLetter.avsc) for `record`, framed.
    public func deadLetter(_ record: IncomingRecord, code: String, message: String, retryCount: Int) throws(AvroSerdeError) -> [UInt8] {
        try codec.encodeDeadLetter(DeadLetter(originalMessage: record.value, originalKey: record.key, sourceTopic: record.topic,
                                              sourcePartition: record.partition, sourceOffset: record.offset, errorCode: code,
                                              errorMessage: message, retryCount: Int32(retryCount), failedAt: Clock.millis(),
                                              headers: record.headers, service: Service.serviceName))
    }
}

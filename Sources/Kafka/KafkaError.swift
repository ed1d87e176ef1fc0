import CRdKafka

/// A failure reported by librdkafka, or by this wrapper, with librdkafka's error name when there is one.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    public var code: Int32
    public var message: String
    public var description: String { message }

    public init(code: Int32 = -1, message: String) {
        self.code = code
        self.message = message
    }

    init(_ error: rd_kafka_resp_err_t, _ context: String) {
        self.code = error.rawValue
        self.message = "\(context): \(String(cString: rd_kafka_err2str(error))) (\(String(cString: rd_kafka_err2name(error))))"
    }

    /// The delivery or request timed out (librdkafka's _MSG_TIMED_OUT or _TIMED_OUT).
    public var isTimeout: Bool {
        code == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT.rawValue || code == RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue
    }
}

import CRdKafka

/// librdkafka properties (`bootstrap.servers`, `group.id`, ...) as plain strings, turned into an
/// `rd_kafka_conf_t` only when a client is created, so a bad property fails with its name.
public struct KafkaConfiguration: Sendable, Hashable {
    public var properties: [String: String]

    public init(_ properties: [String: String] = [:]) { self.properties = properties }

    public init(bootstrapServers: String, _ properties: [String: String] = [:]) {
        self.properties = properties.merging(["bootstrap.servers": bootstrapServers]) { mine, _ in mine }
    }

    public subscript(key: String) -> String? {
        get { properties[key] }
        set { properties[key] = newValue }
    }

    /// A new native configuration; the caller hands it to rd_kafka_new (which takes ownership) or destroys it.
    func makeNative() throws(KafkaError) -> OpaquePointer {
        let conf = rd_kafka_conf_new()!
        var errorText = [CChar](repeating: 0, count: 512)
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            if rd_kafka_conf_set(conf, key, value, &errorText, errorText.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw KafkaError(message: "Kafka property \(key)=\(value): \(String(decoding: errorText.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
            }
        }
        return conf
    }
}

/// rd_kafka_new, with its error text turned into a KafkaError.
func makeClient(_ type: rd_kafka_type_t, _ conf: OpaquePointer) throws(KafkaError) -> OpaquePointer {
    var errorText = [CChar](repeating: 0, count: 512)
    guard let handle = rd_kafka_new(type, conf, &errorText, errorText.count) else {
        rd_kafka_conf_destroy(conf)
        throw KafkaError(message: "cannot create the Kafka client: \(String(decoding: errorText.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
    }
    return handle
}

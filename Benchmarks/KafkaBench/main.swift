import Foundation
import Kafka

// Produce→consume round trip latency (p50/p99) and throughput on librdkafka's mock cluster, through
// the Kafka library (idempotent producer with acks=all, a consumer reading the partition directly).
// Usage: KafkaBench [round-trips] [throughput-records] [value-bytes]
let arguments = CommandLine.arguments
let roundTrips = arguments.count > 1 ? Int(arguments[1]) ?? 500 : 500
let records = arguments.count > 2 ? Int(arguments[2]) ?? 100_000 : 100_000
let valueSize = arguments.count > 3 ? Int(arguments[3]) ?? 200 : 200

func seconds(_ start: DispatchTime) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9 }
func percentile(_ sorted: [Double], _ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }

do {
    let cluster = try MockCluster(brokers: 1)
    try cluster.createTopic("bench", partitions: 1)
    var quiet = ["log_level": "3"]
    // Extra librdkafka properties for both clients, as name=value,name=value (for experiments).
    for pair in (ProcessInfo.processInfo.environment["KAFKA_BENCH_PROPERTIES"] ?? "").split(separator: ",") {
        let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
        if parts.count == 2 { quiet[parts[0]] = parts[1] }
    }
    let producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers, quiet.merging(["linger.ms": "0"]) { $1 }))
    let consumer = try KafkaConsumer(configuration: KafkaConfiguration(bootstrapServers: cluster.bootstrapServers, quiet.merging(["fetch.wait.max.ms": "1"]) { $1 }))
    try consumer.assignAtEnd(["bench"])
    let value = [UInt8](repeating: 0x61, count: valueSize)

    // Warm up: metadata, producer id, first fetch.
    let warmStart = DispatchTime.now()
    try producer.send(ProducerRecord(topic: "bench", value: value))
    let firstAck = seconds(warmStart)
    while try consumer.poll(timeout: 1) == nil {}
    print(String(format: "first record on new clients: acknowledged after %.1f ms, consumed after %.1f ms", firstAck * 1000, seconds(warmStart) * 1000))

    var latencies: [Double] = []
    for index in 0..<roundTrips {
        let start = DispatchTime.now()
        try producer.send(ProducerRecord(topic: "bench", key: Array("k\(index)".utf8), value: value))
        while try consumer.poll(timeout: 1) == nil {}
        latencies.append(seconds(start) * 1000)
    }
    latencies.sort()
    print(String(format: "round trip (send awaits ack, then consume), %d records of %d bytes: p50 %.3f ms, p99 %.3f ms, max %.3f ms",
                 roundTrips, valueSize, percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.last ?? 0))

    let batch = (0..<records).map { ProducerRecord(topic: "bench", key: Array("k\($0)".utf8), value: value) }
    let produceStart = DispatchTime.now()
    try producer.send(batch)
    let produceSeconds = seconds(produceStart)
    let consumeStart = DispatchTime.now()
    var received = 0
    while received < records { if try consumer.poll(timeout: 1) != nil { received += 1 } }
    let consumeSeconds = seconds(consumeStart)
    print(String(format: "throughput, %d records of %d bytes: produce (all acknowledged) %.0f records/s (%.1f MB/s), consume %.0f records/s",
                 records, valueSize, Double(records) / produceSeconds, Double(records * valueSize) / produceSeconds / 1e6, Double(records) / consumeSeconds))
    consumer.close()
    producer.close()
} catch {
    FileHandle.standardError.write(Data("KafkaBench: \(error)\n".utf8))
    exit(1)
}

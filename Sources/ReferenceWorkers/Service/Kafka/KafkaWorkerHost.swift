import AvroRegistry
import AvroRuntime
import Foundation
import HTTPServer
import Kafka

/// Everything `--mode kafka` runs around a service: the registry-backed codec, the consumer loop,
/// the Prometheus endpoint on METRICS_PORT. Returns when `shutdown` is requested.
public enum KafkaWorkerHost {
    public static func run<Service: WorkerService>(_ runner: ServiceRunner<Service>, topics: ServiceTopics, settings: KafkaSettings,
                                                   shutdown: ShutdownFlag) throws {
        let resolver = RegistryClientSchemaResolver(url: settings.registryURL)
        let processor = MessageProcessor(runner: runner, codec: .registry(resolver, topics: topics))
        let loop = try KafkaServiceLoop(processor: processor, topics: topics, settings: settings)
        let server = try metricsServer(runner.metrics, settings: settings, logger: runner.logger)
        defer { server?.stop(grace: 1) }
        try loop.run(until: shutdown)
    }

    /// GET /metrics in Prometheus' text format; nil when METRICS_PORT is unset.
    public static func metricsServer(_ metrics: Metrics, settings: KafkaSettings, logger: Logger) throws -> HTTPServer? {
        guard let port = settings.metricsPort else { return nil }
        let server = try HTTPServer(host: settings.metricsHost, port: port) { request in
            guard request.pathSegments == ["metrics"] else { return HTTPResponse(status: 404, contentType: "text/plain", body: "see /metrics\n") }
            return HTTPResponse(status: 200, contentType: "text/plain; version=0.0.4", body: metrics.render())
        }
        server.start()
        logger.info("metrics endpoint", ["url": "http://\(settings.metricsHost):\(server.port)/metrics"])
        return server
    }
}

import Foundation
import Testing
import TestSupport

@Suite("schemactl dev", .serialized)
struct DevCommandTests {
    @Test func kcatAndConfluentKafkaProduceAndConsumeThroughIt() throws {
        let dev = try DevProcess()
        defer { dev.kill() }
        // Figure for the report, not a timed assertion.
        print("schemactl dev ready in \(Int(dev.secondsToReady * 1000)) ms")
        #expect(dev.bootstrapServers.hasPrefix("127.0.0.1:"))

        // kcat (librdkafka's CLI): every topic of schemactl.yaml is in the metadata.
        let metadata = try runTool(["kcat", "-b", dev.bootstrapServers, "-L", "-m", "5"])
        #expect(metadata.status == 0, "\(metadata.stderr)")
        for topic in ["latent-encoder-requests", "jobs.requested", "images.uploaded", "rnle.commands.dlq"] {
            #expect(metadata.stdout.contains("topic \"\(topic)\""), "\(topic) missing from \(metadata.stdout)")
        }
        let produced = try runTool(["kcat", "-b", dev.bootstrapServers, "-P", "-t", "rnle.commands", "-k", "k1", "-H", "origin=kcat"], input: "first\nsecond\n")
        #expect(produced.status == 0, "\(produced.stderr)")
        let consumed = try runTool(["kcat", "-b", dev.bootstrapServers, "-C", "-t", "rnle.commands", "-o", "beginning", "-e", "-f", "%k=%s %h\n"])
        #expect(consumed.stdout == "k1=first origin=kcat\nk1=second origin=kcat\n", "\(consumed.stderr)")

        // The registry has the project's subjects.
        let subjects = try runSchemactl(["registry", "subjects", "--registry", dev.registryURL])
        #expect(subjects.stdout.contains("\"jobs.requested-value\""))
        #expect(subjects.stdout.contains("\"com.auteur.kafka.events.JobType\""))

        // Python's confluent-kafka: Avro through the registry, produce and consume in a group.
        let script = TestPaths.packageRoot.appendingPathComponent("Tests/CLITests/dev_peer.py").path
        let peer = try runTool(["python3", script, dev.bootstrapServers, dev.registryURL])
        #expect(peer.status == 0, "\(peer.stdout)\(peer.stderr)")
        #expect(peer.stdout.components(separatedBy: "ok   ").count - 1 == 7, "\(peer.stdout)")
    }

    @Test func withoutAConfigItSaysWhatIsMissing() throws {
        let empty = try makeTemporaryDirectory()
        let result = try runSchemactl(["dev", "--print-env"], in: empty)
        #expect(result.status == 2)
        #expect(result.stderr.contains("no schemactl.yaml"))
    }
}

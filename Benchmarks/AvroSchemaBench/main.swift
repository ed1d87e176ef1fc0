// Throughput of validate + canonical form + Rabin fingerprint, per schema file, in schemas/s.
// Prints one JSON line per file: {"tool":"schemactl","file":…,"schemas_per_s":…,"best_chunk_per_s":…}.
// Usage: AvroSchemaBench [--min-time SECONDS] FILE...
import AvroSchema
import Foundation
import Validation

var minTime = 1.0
var paths: [String] = []
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    if argument == "--min-time", let value = arguments.popFirst().flatMap(Double.init) { minTime = value } else { paths.append(argument) }
}

/// One unit of work: what `schemactl validate` + `canonical` + `fingerprint` do for one file.
@inline(never)
func validateCanonicalFingerprint(_ file: SourceFile) -> UInt64 {
    let analysis = SchemaValidator().analyze([file])[0]
    guard analysis.report.isValid, let schema = analysis.schema else { fatalError("invalid schema \(file.path)") }
    return schema.rabinFingerprint
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

for path in paths {
    guard let data = FileManager.default.contents(atPath: path) else { fatalError("cannot read \(path)") }
    let file = SourceFile(path: path, bytes: [UInt8](data))
    let clock = ContinuousClock()
    var sink: UInt64 = 0
    // Warm up and size the chunks (as the peers' benchlib does: 5 chunks over min-time).
    var reps = 1
    var warm = 0.0
    repeat {
        let start = clock.now
        for _ in 0..<reps { sink &+= validateCanonicalFingerprint(file) }
        warm = seconds(clock.now - start)
        if warm < minTime * 0.05 { reps *= 2 }
    } while warm < minTime * 0.05
    let chunkReps = max(1, Int(minTime / 5 * 1.05 / (warm / Double(reps))))
    var total = 0, elapsed = 0.0, best = 0.0, chunks = 0
    while chunks < 5 || elapsed < minTime {
        let start = clock.now
        for _ in 0..<chunkReps { sink &+= validateCanonicalFingerprint(file) }
        let dt = seconds(clock.now - start)
        total += chunkReps; elapsed += dt; chunks += 1
        best = max(best, Double(chunkReps) / dt)
    }
    let name = (path as NSString).lastPathComponent
    print(#"{"tool":"schemactl","file":"\#(name)","bytes":\#(data.count),"schemas_per_s":\#(Double(total) / elapsed),"best_chunk_per_s":\#(best),"sink":\#(sink % 10)}"#)
}

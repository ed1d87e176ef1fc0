// Throughput of validate + canonical form + Rabin fingerprint, per schema file, in schemas/s.
// Prints one JSON line per file: {"tool":"schemactl","file":…,"schemas_per_s":…,"best_chunk_per_s":…}.
// Usage: AvroSchemaBench [--min-time SECONDS] FILE...
import AvroSchema
import BenchSupport
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

for path in paths {
    guard let data = FileManager.default.contents(atPath: path) else { fatalError("cannot read \(path)") }
    let file = SourceFile(path: path, bytes: [UInt8](data))
    var sink: UInt64 = 0
    let result = measure(minTime: minTime) { reps in
        for _ in 0..<reps { sink &+= validateCanonicalFingerprint(file) }
    }
    let name = (path as NSString).lastPathComponent
    print(#"{"tool":"schemactl","file":"\#(name)","bytes":\#(data.count),"schemas_per_s":\#(result.rate),"best_chunk_per_s":\#(result.bestChunkRate),"sink":\#(sink % 10)}"#)
}

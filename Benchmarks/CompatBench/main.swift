// Avro compatibility checks/s, the same cases and JSON-line shape as the peers' bench_compat.py:
// SamplingRequest ± an added field (with and without default), AvroMessage.avsc + a field, and
// AvroMessage.avsc against itself; "check" on parsed schemas, "parse+check" from the JSON texts.
// Usage: CompatBench [--min-time S] [--schemas-dir DIR] [--big-schema FILE]
import AvroSchema
import Compatibility
import Foundation
import JSONDocument

var minTime = 1.0
var schemasDir = "../shared/peers/schemas"
var bigSchema = "../shared/vectors/confluent/avro-schemas/avro-data/AvroMessage.avsc"
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--min-time": minTime = Double(arguments.popFirst() ?? "") ?? minTime
    case "--schemas-dir": schemasDir = arguments.popFirst() ?? schemasDir
    case "--big-schema": bigSchema = arguments.popFirst() ?? bigSchema
    default: fatalError("unknown argument \(argument)")
    }
}

func text(_ path: String) -> String {
    guard let data = FileManager.default.contents(atPath: path) else { fatalError("cannot read \(path)") }
    return String(decoding: data, as: UTF8.self)
}

/// The schema text with one more top-level field.
func adding(_ field: String, to schema: String) -> String {
    guard case .object(var object) = try! JSONDocument(parsing: schema).root, case .array(var fields)? = object["fields"] else { fatalError() }
    fields.append(try! JSONDocument(parsing: field).root)
    var rebuilt = JSONObject()
    for member in object.members { rebuilt.append(member.key, member.key == "fields" ? .array(fields) : member.value) }
    object = rebuilt
    return JSONValue.object(object).compactText
}

func parse(_ text: String) -> AvroSchema { AvroParser().parse(try! JSONDocument(parsing: text).root).schema! }

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

@MainActor func measure(_ run: (Int) -> Void) -> (rate: Double, best: Double, count: Int, elapsed: Double) {
    let clock = ContinuousClock()
    var reps = 1, warm = 0.0
    repeat {
        let start = clock.now
        run(reps)
        warm = seconds(clock.now - start)
        if warm < minTime * 0.05 { reps *= 2 }
    } while warm < minTime * 0.05
    let chunk = max(1, Int(minTime / 5 * 1.05 / (warm / Double(reps))))
    var total = 0, elapsed = 0.0, best = 0.0, chunks = 0
    while chunks < 5 || elapsed < minTime {
        let start = clock.now
        run(chunk)
        let dt = seconds(clock.now - start)
        total += chunk; elapsed += dt; chunks += 1
        best = max(best, Double(chunk) / dt)
    }
    return (Double(total) / elapsed, best, total, elapsed)
}

let sampling = text(schemasDir + "/SamplingRequest.avsc")
let big = text(bigSchema)
let cases: [(String, String, String, Bool)] = [
    ("sampling-added-default", sampling, adding(#"{"name":"priority","type":"int","default":0}"#, to: sampling), true),
    ("big-added-default", big, adding(#"{"name":"schemaVersion","type":["null","string"],"default":null}"#, to: big), true),
    ("big-identity", big, big, true),
    ("sampling-added-no-default", sampling, adding(#"{"name":"priority","type":"int"}"#, to: sampling), false),
]
var sink = 0
for (name, oldText, newText, expected) in cases {
    let old = parse(oldText), new = parse(newText)
    let compatible = AvroCompatibilityChecker.incompatibilities(reader: new, writer: old).isEmpty
    precondition(compatible == expected, "\(name): expected \(expected)")
    for op in ["check", "parse+check"] {
        let result = measure { reps in
            for _ in 0..<reps {
                if op == "check" {
                    sink &+= AvroCompatibilityChecker.incompatibilities(reader: new, writer: old).count
                } else {
                    sink &+= AvroCompatibilityChecker.incompatibilities(reader: parse(newText), writer: parse(oldText)).count
                }
            }
        }
        print(#"{"tool":"schemactl","case":"\#(name)","op":"\#(op)","checks_per_s":\#(result.rate),"compatible":\#(compatible),"checks":\#(result.count),"seconds":\#(result.elapsed),"best_chunk_per_s":\#(result.best)}"#)
    }
}
FileHandle.standardError.write(Data("sink \(sink)\n".utf8))

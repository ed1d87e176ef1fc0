// Avro compatibility checks/s, the same cases and JSON-line shape as the peers' bench_compat.py:
// SamplingRequest ± an added field (with and without default), AvroMessage.avsc + a field, and
// AvroMessage.avsc against itself; "check" on parsed schemas, "parse+check" from the JSON texts.
// Usage: CompatBench [--min-time S] [--schemas-dir DIR] [--big-schema FILE]
import AvroSchema
import BenchSupport
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
        let result = measure(minTime: minTime) { reps in
            for _ in 0..<reps {
                if op == "check" {
                    sink &+= AvroCompatibilityChecker.incompatibilities(reader: new, writer: old).count
                } else {
                    sink &+= AvroCompatibilityChecker.incompatibilities(reader: parse(newText), writer: parse(oldText)).count
                }
            }
        }
        print(#"{"tool":"schemactl","case":"\#(name)","op":"\#(op)","checks_per_s":\#(result.rate),"compatible":\#(compatible),"checks":\#(result.units),"seconds":\#(result.seconds),"best_chunk_per_s":\#(result.bestChunkRate)}"#)
    }
}
FileHandle.standardError.write(Data("sink \(sink)\n".utf8))

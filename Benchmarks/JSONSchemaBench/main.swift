// JSON Schema validation throughput on the rnle messages, in the same JSON-line shape as the
// peers' bench_jsonschema.py: one line per (schema, op, set, formats) with validations_per_s.
// Instances are parsed once, outside the timed region (as the peers' are Python objects).
// Usage: JSONSchemaBench [--min-time S] [--schemas-dir DIR] [--data-dir DIR] [--only-op is_valid|errors] [--only-set valid|invalid]
import BenchSupport
import Foundation
import JSONDocument
import JSONSchema

var minTime = 0.4
var schemasDir = "../shared/peers/schemas"
var dataDir = "../shared/peers/data"
var onlyOp: String? = nil
var onlySet: String? = nil
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--min-time": minTime = Double(arguments.popFirst() ?? "") ?? minTime
    case "--schemas-dir": schemasDir = arguments.popFirst() ?? schemasDir
    case "--data-dir": dataDir = arguments.popFirst() ?? dataDir
    case "--only-op": onlyOp = arguments.popFirst()
    case "--only-set": onlySet = arguments.popFirst()
    default: fatalError("unknown argument \(argument)")
    }
}

func load(_ path: String) -> JSONValue {
    guard let data = FileManager.default.contents(atPath: path), let document = try? JSONDocument(parsing: [UInt8](data)) else { fatalError("cannot read \(path)") }
    return document.root
}

let names = ((try? FileManager.default.contentsOfDirectory(atPath: schemasDir)) ?? []).filter { $0.hasPrefix("rnle.") && $0.hasSuffix(".json") }.sorted()
var sink = 0
for name in names {
    let schemaName = String(name.dropLast(5))
    let schema = load(schemasDir + "/" + name)
    let valid = load("\(dataDir)/\(schemaName).valid.json").arrayValue ?? []
    let invalidEntries = load("\(dataDir)/\(schemaName).invalid.json").arrayValue ?? []
    for formats in [true, false] {
        let validator = try! JSONSchemaValidator(schema: schema, options: ValidatorOptions(defaultDialect: .draft7, assertFormats: formats))
        // Invalid instances that are invalid only through "format" count as invalid only with formats on.
        let invalid = invalidEntries.compactMap { entry -> JSONValue? in
            guard case .object(let o) = entry else { return nil }
            if o["formats_only"] == .bool(true) && !formats { return nil }
            return o["instance"]
        }
        for instance in valid where !validator.isValid(instance) { fatalError("\(schemaName): a valid instance failed") }
        for instance in invalid where validator.isValid(instance) { fatalError("\(schemaName): an invalid instance passed") }
        for (set, items) in [("valid", valid), ("invalid", invalid)] where onlySet == nil || onlySet == set {
            for op in ["is_valid", "errors"] where onlyOp == nil || onlyOp == op {
                let result = measure(minTime: minTime, unitsPerRep: items.count) { reps in
                    for _ in 0..<reps {
                        for item in items {
                            if op == "is_valid" { sink &+= validator.isValid(item) ? 1 : 0 } else { sink &+= validator.validate(item).count }
                        }
                    }
                }
                print(#"{"tool":"schemactl","schema":"\#(schemaName)","op":"\#(op)","set":"\#(set)","formats":"\#(formats ? "on" : "off")","validations_per_s":\#(result.rate),"instances":\#(items.count),"validations":\#(result.units),"seconds":\#(result.seconds),"best_chunk_per_s":\#(result.bestChunkRate)}"#)
            }
        }
    }
}
FileHandle.standardError.write(Data("sink \(sink)\n".utf8))

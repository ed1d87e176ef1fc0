// Avro binary encode and decode records/s with the generated types (golden seeds), on the peers'
// datums (fastavro's bytes in DATA/<Schema>.bin.hex), the same unit of work as the peers:
//   encode: a fresh buffer, write the record, take the bytes
//   encode-lent: the same into a stack buffer whose bytes are lent out (withAvroBytes): Avro C's
//                unit in bench_avroc (a reused output buffer, then avro_writer_tell)
//   decode: the bytes of one record to a value of the generated type
// Prints one JSON line per (schema, op), the shape of the peers' bench_avro_codec.py and bench_avroc.
// Usage: CodecBench [--min-time S] [--data-dir DIR] [--only Schema,...] [--profile encode|encode-lent|decode PASSES]
import AvroRuntime
import BenchSupport
import Foundation
import GoldenSeeds

var minTime = 1.0
var dataDir = "../shared/peers/data"
var only: Set<String>? = nil
/// For profiling (callgrind): this many passes of one op, untimed.
var profileOp: (op: String, passes: Int)? = nil
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--min-time": minTime = Double(arguments.popFirst() ?? "") ?? minTime
    case "--data-dir": dataDir = arguments.popFirst() ?? dataDir
    case "--profile": profileOp = (arguments.popFirst() ?? "encode", Int(arguments.popFirst() ?? "") ?? 10_000)
    case "--only": only = Set((arguments.popFirst() ?? "").split(separator: ",").map(String.init))
    default: fatalError("unknown argument \(argument)")
    }
}

func hexBytes(_ line: Substring) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = line.startIndex
    while index < line.endIndex {
        let next = line.index(index, offsetBy: 2)
        bytes.append(UInt8(line[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

@MainActor func bench<T: AvroMessage & Equatable>(_: T.Type, _ name: String) {
    if let only, !only.contains(name) { return }
    guard let text = try? String(contentsOfFile: "\(dataDir)/\(name).bin.hex", encoding: .utf8) else { fatalError("cannot read \(dataDir)/\(name).bin.hex") }
    let blobs = text.split(separator: "\n").map(hexBytes)
    let values = blobs.map { blob in
        do { return try T(avro: blob) } catch { fatalError("\(name): fastavro's bytes do not decode: \(error)") }
    }
    // Map entries may come in another order than fastavro's (ours sorts keys), so compare values.
    guard values.allSatisfy({ (try? T(avro: $0.avroBytes())) == $0 }) else { fatalError("\(name): re-encoded values differ") }
    if let (op, passes) = profileOp {
        for _ in 0..<passes {
            switch op {
            case "encode": encodeAll(values)
            case "encode-lent": encodeAllLent(values)
            default: decodeAll(T.self, blobs)
            }
        }
        return
    }
    let bytesPerRecord = Double(blobs.reduce(0) { $0 + $1.count }) / Double(blobs.count)
    let encode = measure(minTime: minTime, unitsPerRep: values.count) { reps in
        for _ in 0..<reps { encodeAll(values) }
    }
    let encodeLent = measure(minTime: minTime, unitsPerRep: values.count) { reps in
        for _ in 0..<reps { encodeAllLent(values) }
    }
    let decode = measure(minTime: minTime, unitsPerRep: blobs.count) { reps in
        for _ in 0..<reps { decodeAll(T.self, blobs) }
    }
    for (op, result) in [("encode", encode), ("encode-lent", encodeLent), ("decode", decode)] {
        print(#"{"tool":"schemactl","schema":"\#(name)","op":"\#(op)","records_per_s":\#((result.rate * 10).rounded() / 10),"bytes_per_record":\#((bytesPerRecord * 100).rounded() / 100),"records":\#(result.units),"seconds":\#((result.seconds * 1e4).rounded() / 1e4),"best_chunk_per_s":\#((result.bestChunkRate * 10).rounded() / 10)}"#)
    }
}

bench(SamplingRequest.self, "SamplingRequest")
bench(WorkflowRequest.self, "WorkflowRequest")
bench(LatentEncoderResponse.self, "LatentEncoderResponse")

// The timed loops, outside main.swift so that they are not main-actor isolated (no executor
// check per record).
import AvroRuntime

/// Keeps results alive so the optimiser cannot drop the work.
@inline(never) nonisolated func consume<T>(_ value: T) { withExtendedLifetime(value) {} }

/// One encode of each value. The values are borrowed through a buffer pointer: iterating the array
/// would copy each record (a retain and release per String field), which is not encoding work.
@inline(never) nonisolated func encodeAll<T: AvroCodable>(_ values: [T]) {
    values.withUnsafeBufferPointer { buffer in
        for index in buffer.indices { consume(buffer[index].avroBytes()) }
    }
}

/// One encode of each value into a stack buffer whose bytes are lent out (summed, so the work is
/// kept): Avro C's unit of work in bench_avroc (a reused output buffer, avro_writer_tell).
@inline(never) nonisolated func encodeAllLent<T: AvroCodable>(_ values: [T]) {
    var total = 0
    values.withUnsafeBufferPointer { buffer in
        for index in buffer.indices { total &+= buffer[index].withAvroBytes { $0.count } }
    }
    consume(total)
}

@inline(__always) nonisolated func decodeAll<T: AvroCodable>(_: T.Type, _ blobs: [[UInt8]]) {
    blobs.withUnsafeBufferPointer { buffer in
        for index in buffer.indices { consume(try! T(avro: buffer[index])) }
    }
}


/// Runs a compiled resolution plan over one datum: reads the writer's encoding, writes the
/// reader's. Every read goes through AvroBinaryReader's checks, so bad bytes give the same typed
/// errors as a direct decode, with offsets into the writer's bytes.
enum ResolutionExecutor {
    static func run(_ step: ResolutionStep, _ reader: inout AvroBinaryReader, _ writer: inout AvroBinaryWriter) throws(AvroDecodingError) {
        switch step {
        case .copyNothing: return
        case .copyVarint, .copyFixed, .copyLengthPrefixed:
            let start = reader.position
            try skip(step, &reader)
            writer.writeRaw(UnsafeRawBufferPointer(rebasing: reader.base[start..<reader.position]))
        case .intToFloat: writer.writeFloat(Float(try reader.readInt()))
        case .intToDouble: writer.writeDouble(Double(try reader.readInt()))
        case .longToFloat: writer.writeFloat(Float(try reader.readLong()))
        case .longToDouble: writer.writeDouble(Double(try reader.readLong()))
        case .floatToDouble: writer.writeDouble(Double(try reader.readFloat()))
        case .enumeration(let readerIndex, let writerSymbols):
            let start = reader.position
            let index = try reader.readEnumIndex(symbolCount: writerSymbols.count)
            guard let mapped = readerIndex[index] else {
                throw .invalidValue(offset: start, reason: "the writer's enum symbol \(writerSymbols[index]) is not in the reader's enum, which has no default")
            }
            writer.writeEnumIndex(mapped)
        case .array(let items):
            var itemsSoFar = 0
            while true {
                let count = try reader.readBlockCount(itemsSoFar: itemsSoFar)
                writer.writeLong(Int64(count))
                if count == 0 { return }
                itemsSoFar += count
                for _ in 0..<count { try run(items, &reader, &writer) }
            }
        case .map(let values):
            var itemsSoFar = 0
            while true {
                let count = try reader.readBlockCount(itemsSoFar: itemsSoFar)
                writer.writeLong(Int64(count))
                if count == 0 { return }
                itemsSoFar += count
                for _ in 0..<count {
                    try run(.copyLengthPrefixed, &reader, &writer)
                    try run(values, &reader, &writer)
                }
            }
        case .record(let record): try reader.readNested { (reader) throws(AvroDecodingError) in try runRecord(record, &reader, &writer) }
        case .writerUnion(let branches):
            let start = reader.position
            let index = try reader.readUnionIndex(branchCount: branches.count)
            switch branches[index] {
            case .success(let branch): try run(branch, &reader, &writer)
            case .failure(let error): throw .invalidValue(offset: start, reason: "union branch \(index) of the writer cannot be read: \(error.message)")
            }
        case .toReaderUnion(let index, let branch):
            writer.writeUnionIndex(index)
            try run(branch, &reader, &writer)
        }
    }

    private static func runRecord(_ record: ResolvedRecord, _ reader: inout AvroBinaryReader, _ writer: inout AvroBinaryWriter) throws(AvroDecodingError) {
        var slots: [[UInt8]] = record.slotCount == 0 ? [] : Array(repeating: [], count: record.slotCount)
        for operation in record.operations {
            switch operation {
            case .resolve(let step): try run(step, &reader, &writer)
            case .skip(let step): try skip(step, &reader)
            case .capture(let slot, let step):
                var side = AvroBinaryWriter(capacity: 32)
                try run(step, &reader, &side)
                slots[slot] = side.finish()
            case .emit(let slot): writer.writeRaw(slots[slot])
            case .constant(let bytes): writer.writeRaw(bytes)
            }
        }
    }

    /// Moves past a value of the writer's type (`step` is that type's identity plan).
    static func skip(_ step: ResolutionStep, _ reader: inout AvroBinaryReader) throws(AvroDecodingError) {
        switch step {
        case .copyNothing: return
        case .copyVarint, .intToFloat, .intToDouble, .longToFloat, .longToDouble: _ = try reader.readVarint(maxBytes: 10)
        case .enumeration: _ = try reader.readVarint(maxBytes: 10)
        case .copyFixed(let size): try reader.skip(size)
        case .floatToDouble: try reader.skip(4)
        case .copyLengthPrefixed: try reader.skipBytes()
        case .array(let items), .map(let items):
            let isMap = if case .map = step { true } else { false }
            var itemsSoFar = 0
            while true {
                let start = reader.position
                let count = try reader.readLong()
                if count == 0 { return }
                if count < 0 {
                    // A block with its size in bytes: jump over it.
                    guard count != .min else { throw .negativeLength(offset: start, length: count) }
                    let size = try reader.readLength()
                    try reader.skip(size)
                    continue
                }
                reader.position = start
                let checked = try reader.readBlockCount(itemsSoFar: itemsSoFar)
                itemsSoFar += checked
                for _ in 0..<checked {
                    if isMap { try reader.skipBytes() }
                    try skip(items, &reader)
                }
            }
        case .record(let record):
            try reader.readNested { (reader) throws(AvroDecodingError) in
                for operation in record.operations {
                    switch operation {
                    case .resolve(let step), .skip(let step), .capture(_, let step): try skip(step, &reader)
                    case .emit, .constant: break
                    }
                }
            }
        case .writerUnion(let branches):
            let index = try reader.readUnionIndex(branchCount: branches.count)
            if case .success(let branch) = branches[index] { try skip(branch, &reader) }
        case .toReaderUnion(_, let branch): try skip(branch, &reader)
        }
    }
}

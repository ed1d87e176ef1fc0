/// One node of a compiled resolution plan: how to turn a writer's value into the reader's encoding.
indirect enum ResolutionStep: Sendable {
    /// null: no bytes either side.
    case copyNothing
    /// int, long, int → long, and an enum or union index kept as is: the varint bytes are the same.
    case copyVarint
    /// boolean, float, double, fixed: a run of known size.
    case copyFixed(size: Int)
    /// string, bytes, and string ↔ bytes: the length-prefixed bytes are the same.
    case copyLengthPrefixed
    case intToFloat, intToDouble, longToFloat, longToDouble, floatToDouble
    /// Writer symbol index → reader symbol index (nil: missing from the reader, and no default).
    case enumeration(readerIndex: [Int?], writerSymbols: [String])
    case array(ResolutionStep)
    case map(ResolutionStep)
    case record(ResolvedRecord)
    /// The writer wrote a union: per writer branch, the step (which writes the reader's branch
    /// index itself when the reader has a union too), or why the branch cannot be read.
    case writerUnion([Result<ResolutionStep, AvroResolutionError>])
    /// The reader has a union and the writer did not: write the reader's branch index, then the value.
    case toReaderUnion(index: Int, ResolutionStep)

    var isIdentity: Bool {
        switch self {
        case .copyNothing, .copyVarint, .copyFixed, .copyLengthPrefixed: true
        case .intToFloat, .intToDouble, .longToFloat, .longToDouble, .floatToDouble: false
        case .enumeration(let readerIndex, _): readerIndex.enumerated().allSatisfy { $0.element == $0.offset }
        case .array(let items): items.isIdentity
        case .map(let values): values.isIdentity
        case .record(let record): record.isIdentity
        case .writerUnion(let branches):
            branches.enumerated().allSatisfy { index, branch in
                if case .success(.toReaderUnion(index, let step)) = branch { step.isIdentity } else { false }
            }
        case .toReaderUnion: false
        }
    }
}

/// A record's plan: writer fields in writer order, each resolved, skipped or set aside; defaults
/// of fields the writer lacks; set-aside fields emitted where the reader wants them.
/// A class so that recursive records refer to their own plan.
final class ResolvedRecord: @unchecked Sendable {
    enum Operation: Sendable {
        /// A writer field the reader reads next: rewrite straight into the output.
        case resolve(ResolutionStep)
        /// A writer field the reader does not have (the step is the writer type's identity).
        case skip(ResolutionStep)
        /// A writer field the reader wants later: rewrite into a side buffer.
        case capture(slot: Int, ResolutionStep)
        case emit(slot: Int)
        /// The encoded default of a field the writer does not have.
        case constant([UInt8])
    }

    // Set once by the compiler, read-only afterwards.
    var operations: [Operation] = []
    var slotCount = 0
    var isIdentity = true
}

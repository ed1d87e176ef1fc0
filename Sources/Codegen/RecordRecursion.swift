import AvroSchema

/// Finds fields through which a record contains itself. Inline — directly, through an optional or
/// a union branch — the field needs heap storage (`@AvroIndirect`), or the struct would have
/// infinite size; arrays and maps already store their elements on the heap. Either way, reading
/// the field goes one level deeper, which the decoder bounds (`readNested`).
struct RecordRecursion {
    let schema: AvroSchema

    /// True when a value of `type` can contain the record `fullname` (only inline, or also through arrays and maps).
    func leadsBack(from type: AvroType, to fullname: String, throughCollections: Bool) -> Bool {
        var visited: Set<String> = []
        var pending = records(in: type, throughCollections: throughCollections)
        while let next = pending.popLast() {
            if next == fullname { return true }
            guard visited.insert(next).inserted, case .record(let record)? = schema.definitions[next].map(schema.resolve) else { continue }
            for field in record.fields { pending += records(in: field.type, throughCollections: throughCollections) }
        }
        return false
    }

    /// The records a value of `type` holds, one level down.
    private func records(in type: AvroType, throughCollections: Bool) -> [String] {
        switch schema.resolve(type) {
        case .record(let record): [record.fullname]
        case .union(let branches): branches.flatMap { records(in: $0, throughCollections: throughCollections) }
        case .array(let inner, _), .map(let inner, _): throughCollections ? records(in: inner, throughCollections: true) : []
        default: []
        }
    }
}

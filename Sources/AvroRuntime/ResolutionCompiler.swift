/// Builds a resolution plan from a writer schema and a reader schema, by the spec's rules:
/// promotions int → long/float/double, long → float/double, float → double, string ↔ bytes;
/// named types match by unqualified name or by the reader's aliases; record fields by name or the
/// reader field's aliases; unions on either side by the first reader branch that matches.
struct ResolutionCompiler {
    let writer: RuntimeSchema
    let reader: RuntimeSchema
    /// Records being or already compiled, by (writer index, reader index): recursion ends here.
    private var records: [Pair: ResolvedRecord] = [:]

    private struct Pair: Hashable { var writer: Int, reader: Int }

    init(writer: RuntimeSchema, reader: RuntimeSchema) {
        self.writer = writer
        self.reader = reader
    }

    mutating func resolve(_ w: RuntimeSchema.Node, _ r: RuntimeSchema.Node, path: String) throws(AvroResolutionError) -> ResolutionStep {
        if case .union(let writerBranches) = w {
            var steps: [Result<ResolutionStep, AvroResolutionError>] = []
            for branch in writerBranches {
                do throws(AvroResolutionError) { steps.append(.success(try resolve(branch, r, path: path))) } catch { steps.append(.failure(error)) }
            }
            if !steps.isEmpty, steps.allSatisfy({ if case .failure = $0 { true } else { false } }) {
                throw AvroResolutionError("\(at(path))no branch of the writer's union \(writer.describe(w)) matches the reader's \(reader.describe(r))")
            }
            return .writerUnion(steps)
        }
        if case .union(let readerBranches) = r {
            // An exact match first (Java's and fastavro's order), then the first that resolves.
            if let index = readerBranches.firstIndex(where: { sameKind(w, $0) }) {
                return .toReaderUnion(index: index, try resolve(w, readerBranches[index], path: path))
            }
            for (index, branch) in readerBranches.enumerated() {
                var attempt = self
                if let step = try? attempt.resolve(w, branch, path: path) {
                    self = attempt
                    return .toReaderUnion(index: index, step)
                }
            }
            throw AvroResolutionError("\(at(path))the writer's \(writer.describe(w)) matches no branch of the reader's union \(reader.describe(r))")
        }
        switch (w, r) {
        case (.primitive(let wp), .primitive(let rp)):
            if let step = Self.primitive(wp, rp) { return step }
        case (.array(let wItems), .array(let rItems)): return .array(try resolve(wItems, rItems, path: path + "/items"))
        case (.map(let wValues), .map(let rValues)): return .map(try resolve(wValues, rValues, path: path + "/values"))
        case (.named(let wIndex), .named(let rIndex)):
            let wNamed = writer.named[wIndex], rNamed = reader.named[rIndex]
            guard namesMatch(writer: wNamed, reader: rNamed) else {
                throw AvroResolutionError("\(at(path))the writer's \(wNamed.fullname) and the reader's \(rNamed.fullname) have different names (add an alias to the reader)")
            }
            switch (wNamed.definition, rNamed.definition) {
            case (.fixed(let wSize), .fixed(let rSize)):
                guard wSize == rSize else { throw AvroResolutionError("\(at(path))fixed \(rNamed.fullname) has size \(rSize) for the reader and \(wSize) for the writer") }
                return .copyFixed(size: wSize)
            case (.enumeration(let wSymbols, _), .enumeration(let rSymbols, let defaultSymbol)):
                let fallback = defaultSymbol.flatMap { rSymbols.firstIndex(of: $0) }
                return .enumeration(readerIndex: wSymbols.map { rSymbols.firstIndex(of: $0) ?? fallback }, writerSymbols: wSymbols)
            case (.record(let wFields), .record(let rFields)):
                return .record(try record(Pair(writer: wIndex, reader: rIndex), wFields, rFields, name: rNamed.fullname, path: path))
            default: break
            }
        default: break
        }
        throw AvroResolutionError("\(at(path))the writer's \(writer.describe(w)) cannot be read as the reader's \(reader.describe(r))")
    }

    private func at(_ path: String) -> String { path.isEmpty ? "" : "\(path): " }

    static func primitive(_ w: RuntimeSchema.Primitive, _ r: RuntimeSchema.Primitive) -> ResolutionStep? {
        switch (w, r) {
        case (.null, .null): .copyNothing
        case (.boolean, .boolean): .copyFixed(size: 1)
        case (.int, .int), (.int, .long), (.long, .long): .copyVarint
        case (.int, .float): .intToFloat
        case (.int, .double): .intToDouble
        case (.long, .float): .longToFloat
        case (.long, .double): .longToDouble
        case (.float, .float): .copyFixed(size: 4)
        case (.float, .double): .floatToDouble
        case (.double, .double): .copyFixed(size: 8)
        case (.string, .string), (.bytes, .bytes), (.string, .bytes), (.bytes, .string): .copyLengthPrefixed
        default: nil
        }
    }

    /// Same primitive, or named types of the same name: the branch a reader's union prefers.
    private func sameKind(_ w: RuntimeSchema.Node, _ r: RuntimeSchema.Node) -> Bool {
        switch (w, r) {
        case (.primitive(let a), .primitive(let b)): a == b
        case (.array, .array), (.map, .map): true
        case (.named(let a), .named(let b)): namesMatch(writer: writer.named[a], reader: reader.named[b])
        default: false
        }
    }

    private func namesMatch(writer w: RuntimeSchema.Named, reader r: RuntimeSchema.Named) -> Bool {
        w.fullname == r.fullname || w.name == r.name || r.aliases.contains(w.fullname)
    }

    private mutating func record(_ pair: Pair, _ wFields: [RuntimeSchema.Field], _ rFields: [RuntimeSchema.Field],
                                 name: String, path: String) throws(AvroResolutionError) -> ResolvedRecord {
        if let existing = records[pair] { return existing }
        let plan = ResolvedRecord()
        records[pair] = plan
        // For each reader field, the writer field it reads from.
        let source: [Int?] = rFields.map { rField in
            wFields.firstIndex { $0.name == rField.name } ?? wFields.firstIndex { rField.aliases.contains($0.name) }
        }
        var defaults: [Int: [UInt8]] = [:]
        for (index, rField) in rFields.enumerated() where source[index] == nil {
            guard let value = rField.defaultValue else {
                throw AvroResolutionError("\(path)/\(rField.name): the reader's field \(name).\(rField.name) is not in the writer's schema and has no default")
            }
            var encoded = AvroBinaryWriter()
            guard DefaultEncoder(schema: reader).encode(value, as: rField.type, to: &encoded) else {
                throw AvroResolutionError("\(path)/\(rField.name): the default of \(name).\(rField.name) does not match its type")
            }
            defaults[index] = encoded.bytes
        }
        let readerIndexOfWriter: [Int: Int] = Dictionary(uniqueKeysWithValues: source.enumerated().compactMap { r, w in w.map { ($0, r) } })
        // Straight through when the reader's fields come in the writer's order; set aside otherwise.
        let sources = source.compactMap { $0 }
        let inOrder = zip(sources, sources.dropFirst()).allSatisfy { $0 < $1 }
        var operations: [ResolvedRecord.Operation] = []
        var nextReaderField = 0
        func emitDefaults(upTo end: Int) {
            while nextReaderField < end, let bytes = defaults[nextReaderField] {
                operations.append(.constant(bytes))
                nextReaderField += 1
            }
        }
        for (wIndex, wField) in wFields.enumerated() {
            guard let rIndex = readerIndexOfWriter[wIndex] else {
                operations.append(.skip(try resolve(wField.type, wField.type, path: path + "/" + wField.name)))
                continue
            }
            let step = try resolve(wField.type, rFields[rIndex].type, path: path + "/" + rFields[rIndex].name)
            if inOrder {
                emitDefaults(upTo: rIndex)
                operations.append(.resolve(step))
                nextReaderField = rIndex + 1
            } else {
                operations.append(.capture(slot: rIndex, step))
            }
        }
        if inOrder {
            emitDefaults(upTo: rFields.count)
        } else {
            for rIndex in rFields.indices { operations.append(defaults[rIndex].map { .constant($0) } ?? .emit(slot: rIndex)) }
            plan.slotCount = rFields.count
        }
        plan.operations = operations
        plan.isIdentity = wFields.count == rFields.count && operations.allSatisfy { if case .resolve(let step) = $0 { step.isIdentity } else { false } }
        return plan
    }
}

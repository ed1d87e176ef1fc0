import AvroSchema
import JSONDocument

/// The six ways a reader schema can fail to read a writer's data (Apache Avro's
/// `SchemaCompatibility.SchemaIncompatibilityType`, whose names Confluent reports verbatim).
public enum AvroIncompatibilityType: String, Sendable, Hashable, CaseIterable {
    case nameMismatch = "NAME_MISMATCH"
    case fixedSizeMismatch = "FIXED_SIZE_MISMATCH"
    case missingEnumSymbols = "MISSING_ENUM_SYMBOLS"
    case readerFieldMissingDefaultValue = "READER_FIELD_MISSING_DEFAULT_VALUE"
    case typeMismatch = "TYPE_MISMATCH"
    case missingUnionBranch = "MISSING_UNION_BRANCH"
}

/// One reason the reader cannot decode the writer's data, located by a JSON pointer into the
/// reader schema as Java 1.12 reports it (`/fields/1/type/size`).
public struct AvroIncompatibility: Sendable, Hashable {
    public var type: AvroIncompatibilityType
    public var message: String
    public var location: String
}

/// Apache Avro's reader/writer compatibility rules (Java 1.12 `SchemaCompatibility`): can data
/// written with `writer` always be read with `reader`? Same algorithm, same order of findings, same
/// locations: names compared unqualified (reader aliases apply), promotions int→long→float→double and
/// string↔bytes, enum defaults, union branch by branch, recursion assumed compatible while in progress.
public struct AvroCompatibilityChecker {
    private let reader: AvroSchema
    private let writer: AvroSchema
    private var memo: [NamedPair: Memo] = [:]

    private struct NamedPair: Hashable { let reader: String; let writer: String }
    private enum Memo { case inProgress, done([AvroIncompatibility]) }

    public static func incompatibilities(reader: AvroSchema, writer: AvroSchema) -> [AvroIncompatibility] {
        var checker = AvroCompatibilityChecker(reader: reader, writer: writer)
        var location = [String]()
        return checker.compatibility(reader.root, writer.root, &location)
    }

    private init(reader: AvroSchema, writer: AvroSchema) {
        self.reader = reader
        self.writer = writer
    }

    /// Java writes the root location as "/"; below it, an ordinary JSON pointer.
    private static func pointer(_ tokens: [String]) -> String {
        tokens.isEmpty ? "/" : JSONPointer(tokens).description
    }

    /// Java's `getCompatibility(token, reader, writer, location)`: memoised per pair of named types.
    private mutating func compatibility(_ r: AvroType, _ w: AvroType, _ location: inout [String], token: String? = nil) -> [AvroIncompatibility] {
        if let token { location.append(token) }
        defer { if token != nil { location.removeLast() } }
        let rr = reader.resolve(r), ww = writer.resolve(w)
        if let rn = rr.fullname, let wn = ww.fullname {
            let pair = NamedPair(reader: rn, writer: wn)
            switch memo[pair] {
            case .inProgress?: return []
            case .done(let result)?: return result
            case nil:
                memo[pair] = .inProgress
                let result = calculate(rr, ww, &location)
                memo[pair] = .done(result)
                return result
            }
        }
        return calculate(rr, ww, &location)
    }

    /// A check from a fresh root location (Java's two-argument `getCompatibility`).
    private mutating func isCompatibleFromRoot(_ r: AvroType, _ w: AvroType) -> Bool {
        var fresh = [String]()
        return compatibility(r, w, &fresh).isEmpty
    }

    private static func typeName(_ t: AvroType) -> String {
        switch t {
        case .primitive(let p, _): p.rawValue.uppercased()
        case .record: "RECORD"
        case .enumeration: "ENUM"
        case .fixed: "FIXED"
        case .array: "ARRAY"
        case .map: "MAP"
        case .union: "UNION"
        case .reference: "RECORD"
        }
    }

    private static func sameKind(_ r: AvroType, _ w: AvroType) -> Bool { typeName(r) == typeName(w) }

    private mutating func calculate(_ r: AvroType, _ w: AvroType, _ location: inout [String]) -> [AvroIncompatibility] {
        if Self.sameKind(r, w) {
            switch (r, w) {
            case (.primitive, .primitive):
                return []
            case (.array(let ri, _), .array(let wi, _)):
                return compatibility(ri, wi, &location, token: "items")
            case (.map(let rv, _), .map(let wv, _)):
                return compatibility(rv, wv, &location, token: "values")
            case (.fixed(let rf), .fixed(let wf)):
                var result = names(r, w, &location)
                if rf.size != wf.size {
                    result.append(AvroIncompatibility(type: .fixedSizeMismatch, message: "expected: \(wf.size), found: \(rf.size)",
                                                      location: Self.pointer(location + ["size"])))
                }
                return result
            case (.enumeration(let re), .enumeration(let we)):
                var result = names(r, w, &location)
                let missing = Set(we.symbols).subtracting(re.symbols).sorted()
                let hasDefault = re.defaultSymbol.map { re.symbols.contains($0) } ?? false
                if !missing.isEmpty && !hasDefault {
                    result.append(AvroIncompatibility(type: .missingEnumSymbols, message: "[\(missing.joined(separator: ", "))]",
                                                      location: Self.pointer(location + ["symbols"])))
                }
                return result
            case (.record(let rr), .record(let wr)):
                return names(r, w, &location) + fields(rr, wr, &location)
            case (.union, .union(let wb)):
                var result: [AvroIncompatibility] = []
                for (i, branch) in wb.enumerated() where !isCompatibleFromRoot(r, branch) {
                    result.append(AvroIncompatibility(type: .missingUnionBranch,
                                                      message: "reader union lacking writer type: \(Self.typeName(writer.resolve(branch)))",
                                                      location: Self.pointer(location + [String(i)])))
                }
                return result
            default:
                return []
            }
        }
        // Different types. A writer union: every branch must be readable.
        if case .union(let wb) = w {
            var result: [AvroIncompatibility] = []
            for (i, branch) in wb.enumerated() { result += compatibility(r, branch, &location, token: String(i)) }
            return result
        }
        switch (r, w) {
        case (.primitive(.long, _), .primitive(.int, _)),
             (.primitive(.float, _), .primitive(.int, _)), (.primitive(.float, _), .primitive(.long, _)),
             (.primitive(.double, _), .primitive(.int, _)), (.primitive(.double, _), .primitive(.long, _)), (.primitive(.double, _), .primitive(.float, _)),
             (.primitive(.bytes, _), .primitive(.string, _)), (.primitive(.string, _), .primitive(.bytes, _)):
            return []
        case (.union(let rb), _):
            for branch in rb where isCompatibleFromRoot(branch, w) { return [] }
            return [AvroIncompatibility(type: .missingUnionBranch, message: "reader union lacking writer type: \(Self.typeName(w))",
                                        location: Self.pointer(location))]
        default:
            return [AvroIncompatibility(type: .typeMismatch,
                                        message: "reader type: \(Self.typeName(r)) not compatible with writer type: \(Self.typeName(w))",
                                        location: Self.pointer(location))]
        }
    }

    /// Names compare unqualified; the reader's aliases (fullnames) may name the writer.
    private func names(_ r: AvroType, _ w: AvroType, _ location: inout [String]) -> [AvroIncompatibility] {
        guard let rn = r.fullname, let wn = w.fullname else { return [] }
        if AvroName.shortName(of: rn) == AvroName.shortName(of: wn) { return [] }
        if Self.aliases(r).contains(wn) { return [] }
        return [AvroIncompatibility(type: .nameMismatch, message: "expected: \(wn)", location: Self.pointer(location + ["name"]))]
    }

    private static func aliases(_ t: AvroType) -> [String] {
        switch t {
        case .record(let r): r.aliases
        case .enumeration(let e): e.aliases
        case .fixed(let f): f.aliases
        default: []
        }
    }

    private mutating func fields(_ r: AvroRecord, _ w: AvroRecord, _ location: inout [String]) -> [AvroIncompatibility] {
        var result: [AvroIncompatibility] = []
        location.append("fields")
        defer { location.removeLast() }
        for (index, field) in r.fields.enumerated() {
            location.append(String(index))
            defer { location.removeLast() }
            let match = w.fields.first { $0.name == field.name } ?? w.fields.first { field.aliases.contains($0.name) }
            if let match {
                result += compatibility(field.type, match.type, &location, token: "type")
            } else if field.defaultValue == nil {
                if case .enumeration(let e) = reader.resolve(field.type), e.defaultSymbol != nil {
                    result += compatibility(field.type, .record(w), &location, token: "type")
                } else {
                    result.append(AvroIncompatibility(type: .readerFieldMissingDefaultValue, message: field.name, location: Self.pointer(location)))
                }
            }
        }
        return result
    }
}

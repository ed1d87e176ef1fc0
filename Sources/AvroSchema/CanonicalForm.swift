import Fingerprint
import JSONDocument

extension AvroSchema {
    /// The Parsing Canonical Form (spec § "Parsing Canonical Form for Schemas"): primitives as bare
    /// names, fullnames everywhere, only the attributes that affect parsing in the fixed order
    /// name, type, fields, symbols, items, values, size, no whitespace, and each named type written
    /// in full at its first occurrence only.
    public var canonicalForm: String {
        var writer = CanonicalWriter(schema: self)
        writer.write(root)
        return writer.out
    }

    /// CRC-64-AVRO of the canonical form.
    public var rabinFingerprint: UInt64 { Rabin.fingerprint(canonicalForm) }
    public var md5Fingerprint: [UInt8] { MD5.digest(Array(canonicalForm.utf8)) }
    public var sha256Fingerprint: [UInt8] { SHA256.digest(Array(canonicalForm.utf8)) }
}

private struct CanonicalWriter {
    let schema: AvroSchema
    var out = ""
    var written: Set<String> = []

    init(schema: AvroSchema) { self.schema = schema }

    mutating func write(_ type: AvroType) {
        switch type {
        case .primitive(let p, _): string(p.rawValue)
        case .reference(let name):
            if !written.contains(name), let definition = schema.definitions[name] { write(definition) } else { string(name) }
        case .record(let r):
            guard begin(r.fullname) else { return }
            out += ",\"type\":\"record\",\"fields\":["
            for (i, field) in r.fields.enumerated() {
                if i > 0 { out += "," }
                out += "{\"name\":"; string(field.name); out += ",\"type\":"; write(field.type); out += "}"
            }
            out += "]}"
        case .enumeration(let e):
            guard begin(e.fullname) else { return }
            out += ",\"type\":\"enum\",\"symbols\":["
            for (i, symbol) in e.symbols.enumerated() { if i > 0 { out += "," }; string(symbol) }
            out += "]}"
        case .fixed(let f):
            guard begin(f.fullname) else { return }
            out += ",\"type\":\"fixed\",\"size\":\(f.size)}"
        case .array(let items, _):
            out += "{\"type\":\"array\",\"items\":"; write(items); out += "}"
        case .map(let values, _):
            out += "{\"type\":\"map\",\"values\":"; write(values); out += "}"
        case .union(let branches):
            out += "["
            for (i, branch) in branches.enumerated() { if i > 0 { out += "," }; write(branch) }
            out += "]"
        }
    }

    /// Opens a named type's object, or writes just its name when it was written before.
    private mutating func begin(_ fullname: String) -> Bool {
        guard written.insert(fullname).inserted else { string(fullname); return false }
        out += "{\"name\":"; string(fullname)
        return true
    }

    private mutating func string(_ s: String) { JSONValue.writeString(s, to: &out) }
}

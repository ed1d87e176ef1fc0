import JSONDocument

/// Checks that need every name resolved: union branches and field defaults, plus the lint rules
/// about nullable fields. Walks only what this document defines (other files check their own).
struct SemanticChecker {
    let schema: AvroSchema
    let specVersion: AvroSpecVersion
    let report: (AvroIssue) -> Void

    func check(_ type: AvroType, at pointer: JSONPointer) {
        switch type {
        case .record(let record):
            for (index, field) in record.fields.enumerated() {
                let fieldPointer = pointer / "fields" / index
                check(field.type, at: fieldPointer / "type")
                checkField(field, in: record, at: fieldPointer)
            }
        case .array(let items, _): check(items, at: pointer / "items")
        case .map(let values, _): check(values, at: pointer / "values")
        case .union(let branches):
            checkUnion(branches, at: pointer)
            for (index, branch) in branches.enumerated() { check(branch, at: pointer / index) }
        case .primitive, .enumeration, .fixed, .reference: break
        }
    }

    /// Two branches of the same type are ambiguous; named types count by fullname.
    private func checkUnion(_ branches: [AvroType], at pointer: JSONPointer) {
        var seen: [String: Int] = [:]
        for (index, branch) in branches.enumerated() {
            let resolved = schema.resolve(branch)
            let key: String
            switch resolved {
            case .record, .enumeration, .fixed: key = resolved.fullname ?? ""
            case .reference(let name): key = name
            default: key = resolved.kindName
            }
            if let first = seen[key] {
                let what = resolved.fullname.map { "the named type \($0)" } ?? "type \(key)"
                report(AvroIssue(.duplicateUnionBranch, "this union already has \(what) as branch \(first); a union may hold each type once (named types: each fullname once), and a logical type does not make a new type", at: pointer / index))
            } else {
                seen[key] = index
            }
        }
    }

    private func checkField(_ field: AvroField, in record: AvroRecord, at pointer: JSONPointer) {
        if let value = field.defaultValue {
            let verdict = DefaultChecker(schema: schema, specVersion: specVersion).check(value, against: field.type)
            if let error = verdict.error {
                report(AvroIssue(.invalidDefault, "the default of field \"\(field.name)\" is invalid: \(error)", at: pointer / "default"))
            }
            for warning in verdict.warnings {
                report(AvroIssue(warning.rule, "the default of field \"\(field.name)\": \(warning.message)", at: pointer / "default"))
            }
        } else if case .union(let branches) = field.type, let nullIndex = branches.firstIndex(where: { schema.resolve($0) == .primitive(.null) }) {
            let fix = nullIndex == 0 ? "add \"default\": null" : "put \"null\" first in the union and add \"default\": null"
            report(AvroIssue(.nullableWithoutDefault, "nullable field \"\(field.name)\" has no default, so a reader using this schema fails on data written before the field existed; \(fix)", at: pointer / "type"))
        }
    }
}

/// Checks a JSON default value against a type (the table in the spec's "Complex Types › Records").
struct DefaultChecker {
    struct Warning { var rule: AvroRule; var message: String }
    struct Verdict {
        var error: String?
        var warnings: [Warning] = []
        static let ok = Verdict(error: nil)
        static func invalid(_ why: String) -> Verdict { Verdict(error: why) }
    }

    let schema: AvroSchema
    let specVersion: AvroSpecVersion

    func check(_ value: JSONValue, against type: AvroType) -> Verdict {
        switch schema.resolve(type) {
        case .primitive(let primitive, _): return checkPrimitive(value, primitive)
        case .record(let record):
            guard case .object(let object) = value else { return .invalid("a record default must be a JSON object, not \(value.compactText)") }
            var verdict = Verdict.ok
            for field in record.fields {
                guard let fieldValue = object[field.name] ?? field.defaultValue else {
                    return .invalid("it has no value for field \"\(field.name)\" of \(record.fullname), which has no default of its own")
                }
                let inner = check(fieldValue, against: field.type)
                if let error = inner.error { return .invalid("field \"\(field.name)\": \(error)") }
                verdict.warnings += inner.warnings
            }
            return verdict
        case .enumeration(let e):
            guard case .string(let symbol) = value, e.symbols.contains(symbol) else {
                return .invalid("\(value.compactText) is not a symbol of \(e.fullname) \(e.symbols)")
            }
            return .ok
        case .fixed(let f):
            guard case .string(let s) = value else { return .invalid("a fixed default is a string of \(f.size) ISO-8859-1 characters, not \(value.compactText)") }
            if let bad = s.unicodeScalars.first(where: { $0.value > 255 }) { return .invalid(latin1Error(bad)) }
            let length = s.unicodeScalars.count
            guard length == f.size else { return .invalid("\(f.fullname) holds \(f.size) bytes, but the default string has \(length) characters") }
            return .ok
        case .array(let items, _):
            guard case .array(let elements) = value else { return .invalid("an array default must be a JSON array, not \(value.compactText)") }
            return combine(elements.enumerated().map { ("element \($0.offset)", check($0.element, against: items)) })
        case .map(let values, _):
            guard case .object(let object) = value else { return .invalid("a map default must be a JSON object, not \(value.compactText)") }
            return combine(object.members.map { ("key \"\($0.key)\"", check($0.value, against: values)) })
        case .union(let branches):
            return checkUnion(value, branches)
        case .reference:
            return .ok // undefined name, reported already
        }
    }

    private func combine(_ parts: [(String, Verdict)]) -> Verdict {
        var verdict = Verdict.ok
        for (label, part) in parts {
            if let error = part.error { return .invalid("\(label): \(error)") }
            verdict.warnings += part.warnings
        }
        return verdict
    }

    private func checkUnion(_ value: JSONValue, _ branches: [AvroType]) -> Verdict {
        guard let first = branches.first else { return .invalid("an empty union has no value") }
        let firstVerdict = check(value, against: first)
        if firstVerdict.error == nil { return firstVerdict }
        let matching = branches.indices.dropFirst().first { check(value, against: branches[$0]).error == nil }
        let firstName = describe(first)
        guard let index = matching else {
            if case .object(let o) = value, o.count == 1, let key = o.keys.first, branches.contains(where: { describe($0) == key }) {
                return .invalid("\(value.compactText) is in the JSON-encoding form; a default is the plain value, e.g. \(o[key]!.compactText)")
            }
            return .invalid("\(value.compactText) matches no branch of the union")
        }
        let branchName = describe(branches[index])
        switch specVersion {
        case .v1_11:
            return .invalid("\(value.compactText) matches branch \(index) (\(branchName)), but Avro 1.11 requires a union default to match the first branch (\(firstName)); put \(branchName) first")
        case .v1_12:
            var verdict = Verdict.ok
            verdict.warnings.append(Warning(rule: .unionDefaultNotFirst, message: "\(value.compactText) matches branch \(index) (\(branchName)), not the first (\(firstName)); Avro 1.12 accepts this, but Avro 1.11, Rust and older readers reject it: put \(branchName) first"))
            return verdict
        }
    }

    private func describe(_ type: AvroType) -> String {
        let resolved = schema.resolve(type)
        return resolved.fullname ?? resolved.kindName
    }

    private func checkPrimitive(_ value: JSONValue, _ primitive: AvroPrimitive) -> Verdict {
        switch (primitive, value) {
        case (.null, .null), (.boolean, .bool), (.long, .integer), (.string, .string): return .ok
        case (.int, .integer(let n)):
            return Int64(Int32.min)...Int64(Int32.max) ~= n ? .ok : .invalid("\(n) is outside the 32-bit range of int; make the field long or change the default")
        case (.float, .integer), (.float, .real), (.double, .integer), (.double, .real): return .ok
        case (.int, .bigNumber(let literal)), (.long, .bigNumber(let literal)):
            return .invalid("\(literal) is outside the 64-bit range of \(primitive.rawValue)")
        case (.float, .bigNumber(let literal)), (.double, .bigNumber(let literal)):
            return Double(literal)?.isFinite == true ? .ok : .invalid("\(literal) is beyond the range of a \(primitive.rawValue)")
        case (.float, .string(let s)), (.double, .string(let s)):
            if ["NaN", "Infinity", "-Infinity"].contains(s) {
                var verdict = Verdict.ok
                verdict.warnings.append(Warning(rule: .nonstandardDefault, message: "\"\(s)\" is not a JSON number; Java and Python read it, other implementations may not"))
                return verdict
            }
            return .invalid("a \(primitive.rawValue) default must be a JSON number, not the string \"\(s)\"")
        case (.bytes, .string(let s)):
            if let bad = s.unicodeScalars.first(where: { $0.value > 255 }) { return .invalid(latin1Error(bad)) }
            return .ok
        case (.int, .real), (.long, .real):
            return .invalid("\(value.compactText) is not an integer literal; write it without a fraction or exponent")
        default:
            return .invalid("\(primitive.rawValue) needs \(expected(primitive)), not \(value.compactText)")
        }
    }

    private func latin1Error(_ scalar: Unicode.Scalar) -> String {
        "bytes defaults are ISO-8859-1 strings (one character per byte, \\u0000 to \\u00ff), but it contains U+\(String(scalar.value, radix: 16, uppercase: true))"
    }

    private func expected(_ primitive: AvroPrimitive) -> String {
        switch primitive {
        case .null: "null"
        case .boolean: "true or false"
        case .int, .long: "a JSON integer"
        case .float, .double: "a JSON number"
        case .bytes, .string: "a JSON string"
        }
    }
}

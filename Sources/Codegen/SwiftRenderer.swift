/// Prints the structured Swift: four-space indentation, one blank line between members that
/// have bodies or docs, doc comments as `///`. It knows nothing of Avro.
public enum SwiftRenderer {
    public static func render(_ file: SwiftFile) -> String {
        var out = file.header.map { "// \($0)".trimmingTrailingSpaces + "\n" }.joined()
        if !file.imports.isEmpty { out += "\n" + file.imports.map { "import \($0)\n" }.joined() }
        for declaration in file.declarations { out += "\n" + render(declaration, indent: 0) }
        return out
    }

    static func render(_ declaration: SwiftDeclaration, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent * 4)
        switch declaration {
        case .structure(let type): return renderType(type, keyword: "struct", indent: indent)
        case .enumeration(let type): return renderType(type, keyword: "enum", indent: indent)
        case .extension(let ext):
            let conformances = ext.conformances.isEmpty ? "" : ": " + ext.conformances.joined(separator: ", ")
            return pad + "extension \(ext.typeName)\(conformances) {\n" + renderMembers(ext.members, indent: indent + 1) + pad + "}\n"
        case .property(let property):
            var line = docLines(property.doc, pad: pad) + pad + property.attributes.map { $0 + " " }.joined() + property.access.prefix
            if property.isStatic { line += "static " }
            line += (property.isLet ? "let " : "var ") + property.name
            if let type = property.type { line += ": " + type }
            if let initializer = property.initializer { line += " = " + initializer }
            if let getter = property.getter { return line + " {\n" + render(statements: getter, indent: indent + 1) + pad + "}\n" }
            return line + "\n"
        case .enumCase(let enumCase):
            var line = docLines(enumCase.doc, pad: pad) + pad + "case " + enumCase.name
            if let associated = enumCase.associatedType { line += "(\(associated))" }
            if let raw = enumCase.rawValue { line += " = " + raw }
            return line + "\n"
        case .function(let function):
            return docLines(function.doc, pad: pad) + pad + function.access.prefix + function.signature + " {\n"
                + render(statements: function.body, indent: indent + 1) + pad + "}\n"
        case .mark(let text): return pad + "// MARK: - \(text)\n"
        }
    }

    private static func renderType(_ type: SwiftType, keyword: String, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent * 4)
        let conformances = type.conformances.isEmpty ? "" : ": " + type.conformances.joined(separator: ", ")
        return docLines(type.doc, pad: pad) + pad + type.access.prefix + "\(keyword) \(type.name)\(conformances) {\n"
            + renderMembers(type.members, indent: indent + 1) + pad + "}\n"
    }

    /// Members with a blank line around anything bigger than a one-line property or case.
    private static func renderMembers(_ members: [SwiftDeclaration], indent: Int) -> String {
        var out = ""
        var previousWasSmall = true
        for (index, member) in members.enumerated() {
            let text = render(member, indent: indent)
            let small = !text.dropLast().contains("\n")
            if index > 0 && !(small && previousWasSmall) { out += "\n" }
            out += text
            previousWasSmall = small
        }
        return out
    }

    static func render(statements: [SwiftStatement], indent: Int) -> String {
        let pad = String(repeating: " ", count: indent * 4)
        var out = ""
        for statement in statements {
            switch statement {
            case .line(let text): out += pad + text + "\n"
            case .block(let header, let body): out += pad + header + " {\n" + render(statements: body, indent: indent + 1) + pad + "}\n"
            case .switchOver(let subject, let cases):
                out += pad + "switch \(subject) {\n"
                for switchCase in cases {
                    out += pad + switchCase.pattern + "\n" + render(statements: switchCase.body, indent: indent + 1)
                }
                out += pad + "}\n"
            }
        }
        return out
    }

    private static func docLines(_ doc: [String], pad: String) -> String {
        doc.map { ($0.isEmpty ? "\(pad)///" : "\(pad)/// \($0)") + "\n" }.joined()
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}

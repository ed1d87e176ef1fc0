import AvroSchema

/// Decides the Swift name of every named Avro type before any declaration is built, so that every
/// use agrees and collisions are settled once.
struct TypeAssigner {
    private(set) var names: [String: String] = [:]

    init(fullnames: [String], naming: CodegenOptions.TypeNaming) {
        let unique = Array(Set(fullnames)).sorted()
        func candidate(_ fullname: String, components: Int) -> String {
            let parts = fullname.split(separator: ".").map(String.init)
            return parts.suffix(components + 1).map { SafeNames.typeName($0) }.joined()
        }
        var depth = Dictionary(uniqueKeysWithValues: unique.map { ($0, naming == .qualified ? Int.max / 2 : 0) })
        // Add namespace components to the colliding names until no two fullnames share a Swift name.
        while true {
            let proposed = Dictionary(uniqueKeysWithValues: unique.map { ($0, candidate($0, components: depth[$0]!)) })
            let groups = Dictionary(grouping: unique, by: { proposed[$0]! }).filter { $0.value.count > 1 }
            if groups.isEmpty { names = proposed; return }
            var progressed = false
            for fullnames in groups.values {
                for fullname in fullnames where depth[fullname]! < fullname.split(separator: ".").count - 1 {
                    depth[fullname]! += 1
                    progressed = true
                }
            }
            if !progressed {  // cannot happen for distinct fullnames; keep going safely anyway
                names = proposed
                return
            }
        }
    }

    func swiftName(_ fullname: String) -> String { names[fullname] ?? SafeNames.typeName(AvroName.shortName(of: fullname)) }
}

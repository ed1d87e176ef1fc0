extension ProjectConfig {
    /// The subjects ordered so that every subject comes after the subjects its references name
    /// (the order a registry accepts them in); config order otherwise. References to subjects the
    /// config does not declare are left to the registry to refuse; cycles keep config order.
    public func subjectsInReferenceOrder() -> [SubjectConfig] {
        var ordered: [SubjectConfig] = []
        var placed: Set<String> = []
        var visiting: Set<String> = []
        func place(_ subject: SubjectConfig) {
            guard !placed.contains(subject.subject), !visiting.contains(subject.subject) else { return }
            visiting.insert(subject.subject)
            for reference in subject.references {
                if let target = self.subject(named: reference.subject) { place(target) }
            }
            visiting.remove(subject.subject)
            placed.insert(subject.subject)
            ordered.append(subject)
        }
        subjects.forEach(place)
        return ordered
    }

    /// Every topic the config names, in config order, without repeats.
    public var topics: [String] {
        var seen: Set<String> = []
        return subjects.compactMap(\.topic).filter { seen.insert($0).inserted }
    }
}

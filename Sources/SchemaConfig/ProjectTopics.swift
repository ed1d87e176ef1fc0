extension ProjectConfig {
    /// Every topic the config names, in config order, without repeats.
    public var topics: [String] {
        var seen: Set<String> = []
        return subjects.compactMap(\.topic).filter { seen.insert($0).inserted }
    }
}

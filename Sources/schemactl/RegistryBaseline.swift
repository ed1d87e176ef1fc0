import Compatibility
import Diagnostics
import Foundation
import RegistryClient
import RegistryModel
import SchemaConfig

/// `check --against registry:URL`: the registry's versions of each subject of schemactl.yaml are the
/// baseline. Plain levels compare with the latest version; transitive ones with every live version,
/// newest first, stopping at the first that breaks (Confluent's order). Each round is one run of
/// the gate with a snapshot holding version N of every subject that has one.
struct RegistryBaseline {
    let client: RegistryClient
    let current: SchemaSnapshot

    func check(gate: CompatibilityGate) throws(RegistryClientError) -> [FileReport] {
        var histories: [String: [Int]] = [:] // subject -> versions to compare with, newest first
        for subject in current.config.subjects {
            let versions: [Int]
            do { versions = try client.versions(subject: subject.subject) } catch {
                if error.errorCode == 40401 { continue } // not in the registry yet: a new subject
                throw error
            }
            let level = current.config.compatibility(of: subject)
            let transitive = [.backwardTransitive, .forwardTransitive, .fullTransitive].contains(level)
            histories[subject.subject] = Array(versions.reversed().prefix(transitive ? versions.count : 1))
        }
        var settled: [String: FileReport] = [:]
        let rounds = histories.values.map(\.count).max() ?? 0
        for round in 0..<max(rounds, 1) {
            var config = ProjectConfig(version: 1, defaultCompatibility: current.config.defaultCompatibility)
            var files: [String: [UInt8]] = [:]
            for subject in current.config.subjects where settled[subject.schema] == nil {
                guard let history = histories[subject.subject], round < history.count else { continue }
                let registered = try client.version(subject: subject.subject, String(history[round]))
                try add(registered, as: subject.subject, to: &config, files: &files)
            }
            let reports = gate.check(current: current, baseline: SchemaSnapshot(config: config, files: files))
            for report in reports where settled[report.path] == nil {
                let subjectName = current.config.subjects.first { $0.schema == report.path }?.subject ?? ""
                let history = histories[subjectName] ?? []
                // Settled: it broke against this version, or this was its oldest version to compare.
                if !report.diagnostics.isEmpty || round + 1 >= history.count {
                    var located = report
                    if round < history.count {
                        located.diagnostics = report.diagnostics.map { var d = $0; d.message = "registry version \(history[round]): " + d.message; return d }
                    }
                    settled[report.path] = located
                }
            }
        }
        return current.config.subjects.map { settled[$0.schema] ?? FileReport(path: $0.schema, diagnostics: []) }
    }

    /// A registered version as a baseline file, with the versions it references as subjects of its own.
    private func add(_ registered: RegisteredSchema, as subject: String, to config: inout ProjectConfig, files: inout [String: [UInt8]]) throws(RegistryClientError) {
        let path = "registry/\(percentEncodedPath(subject))/v\(registered.version ?? 0).\(registered.schemaType == .json ? "json" : "avsc")"
        files[path] = Array(registered.schema.utf8)
        config.subjects.removeAll { $0.subject == subject }
        config.subjects.append(SubjectConfig(subject: subject, schema: path, references: registered.references.map {
            ReferenceConfig(name: $0.name, subject: $0.subject, version: $0.version)
        }))
        for reference in registered.references where !config.subjects.contains(where: { $0.subject == reference.subject }) {
            try add(try client.version(subject: reference.subject, String(reference.version)), as: reference.subject, to: &config, files: &files)
        }
    }

    private func percentEncodedPath(_ subject: String) -> String {
        subject.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? String($0) : "_" }.joined()
    }
}

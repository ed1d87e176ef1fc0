import ArgumentParser
import Foundation

/// Output for the CLI: results on stdout, problems on stderr.
enum Terminal {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func err(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Prints `message` as a usage or I/O error and ends with exit code 2.
    static func fail(_ message: String) -> ExitCode {
        err("schemactl: error: \(message)")
        return ExitCode(2)
    }
}

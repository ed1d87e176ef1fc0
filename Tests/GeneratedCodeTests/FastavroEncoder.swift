import Foundation
import Testing
import TestSupport

/// fastavro's schemaless encoding of `datums` (JSON, fastavro's plain form) with the schema in
/// `schemaFile`, through fastavro_encode.py: bytes from an independent implementation.
func fastavroEncode(schemaFile: URL, datums: [String]) throws -> [[UInt8]] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", TestPaths.packageRoot.appendingPathComponent("Tests/GeneratedCodeTests/fastavro_encode.py").path, schemaFile.path]
    let input = Pipe(), output = Pipe(), errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    input.fileHandleForWriting.write(Data(datums.joined(separator: "\n").utf8))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    try #require(process.terminationStatus == 0, "fastavro_encode.py failed (pip install fastavro): \(errorText)")
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map(hexBytes)
}

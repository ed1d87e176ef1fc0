// tensor-info FILE: prints {"shape":[...],"dtype":"..."} for a torch.save / pickle_save file, exit 1
// with the reason on stderr otherwise. schemactl runs it for tensor matchers so that libtorch stays
// out of the schemactl binary.
import Foundation
import TensorFiles

let arguments = CommandLine.arguments.dropFirst()
guard arguments.count == 1, let path = arguments.first else {
    FileHandle.standardError.write(Data("usage: tensor-info FILE.pt\n".utf8))
    exit(2)
}
do {
    let info = try TensorFile.info(atPath: path)
    let dtype = info.dtype.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    print("{\"shape\":[\(info.shape.map(String.init).joined(separator: ","))],\"dtype\":\"\(dtype)\"}")
} catch {
    FileHandle.standardError.write(Data("\(error.description)\n".utf8))
    exit(1)
}

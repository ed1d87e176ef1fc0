import Foundation

/// HOST:PORT of a listening socket (port 0: any free port); brackets around an IPv6 host are dropped.
func parseListenAddress(_ text: String, option: String) throws -> (host: String, port: Int) {
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
        throw Terminal.fail("\(option) takes HOST:PORT, e.g. 127.0.0.1:8081, not \(text)")
    }
    return (String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port)
}

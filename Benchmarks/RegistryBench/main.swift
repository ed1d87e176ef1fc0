// Load on a running registry over loopback: registrations/s, id lookups/s and subject lookups/s
// with N concurrent keep-alive clients (libcurl). Usage: RegistryBench URL [--clients N] [--seconds S]
import Foundation
import RegistryClient
import RegistryModel

let arguments = CommandLine.arguments
guard arguments.count >= 2 else { print("usage: RegistryBench URL [--clients N] [--seconds S]"); exit(2) }
let url = arguments[1]
func option(_ name: String, _ fallback: Double) -> Double {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Double(arguments[index + 1]) else { return fallback }
    return value
}
let clients = Int(option("--clients", 8))
let seconds = option("--seconds", 3)
let run = String(UUID().uuidString.prefix(8))

/// Runs `work(client, thread, i)` on `clients` threads for `seconds`; returns operations/s.
func load(_ name: String, _ work: @escaping @Sendable (RegistryClient, Int, Int) throws -> Void) -> Double {
    let lock = NSLock()
    nonisolated(unsafe) var total = 0
    nonisolated(unsafe) var failures = 0
    let deadline = Date().addingTimeInterval(seconds)
    let started = Date()
    let group = DispatchGroup()
    for thread in 0..<clients {
        group.enter()
        Thread {
            let client = RegistryClient(url: url, retries: 0)
            var count = 0, failed = 0
            while Date() < deadline {
                do { try work(client, thread, count) } catch { failed += 1 }
                count += 1
            }
            lock.lock(); total += count; failures += failed; lock.unlock()
            group.leave()
        }.start()
    }
    group.wait()
    let rate = Double(total) / Date().timeIntervalSince(started)
    print(#"{"bench":"registry","op":"\#(name)","clients":\#(clients),"ops":\#(total),"failures":\#(failures),"ops_per_s":\#(Int(rate))}"#)
    return rate
}

@Sendable func schema(_ thread: Int, _ i: Int) -> String {
    #"{"type":"record","name":"Bench\#(run.replacingOccurrences(of: "-", with: ""))_\#(thread)_\#(i)","fields":[{"name":"id","type":"long"},{"name":"name","type":"string","default":""}]}"#
}

let setup = RegistryClient(url: url)
_ = try? setup.setCompatibilityLevel("NONE")
_ = load("register") { client, thread, i in
    _ = try client.register(subject: "bench-\(run)-\(thread)-\(i % 50)", SchemaRequest(schema: schema(thread, i)))
}
let ids = (try? setup.subjects().count) ?? 0
let probe = try setup.register(subject: "bench-\(run)-probe", SchemaRequest(schema: schema(999, 0)))
_ = load("get_schema_by_id") { client, _, i in _ = try client.schema(id: 1 + i % max(1, probe.id)) }
_ = load("lookup_subject") { client, _, _ in _ = try client.lookup(subject: "bench-\(run)-probe", SchemaRequest(schema: schema(999, 0))) }
_ = load("get_latest_version") { client, _, _ in _ = try client.version(subject: "bench-\(run)-probe") }
FileHandle.standardError.write(Data("subjects: \(ids), schemas: \(probe.id)\n".utf8))

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs deep recursion on a thread with a large stack. JSON may nest 2048 levels and schema
/// references may recurse further; a caller's thread (a test runner's or a server's worker, often
/// 512 KiB) would overflow. Recursive code calls `LargeStack.run` once it is a few dozen levels deep,
/// so shallow input never pays for the thread.
public enum LargeStack {
    /// Depth at which recursive code should continue on a large stack.
    public static let hopDepth = 48
    public static let size = 512 << 20

    private final class Work: @unchecked Sendable {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    public static func run<T>(_ body: () -> T) -> T {
        nonisolated(unsafe) var result: T? = nil
        withoutActuallyEscaping(body) { body in
            let work = Work { result = body() }
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            defer { pthread_attr_destroy(&attributes) }
            pthread_attr_setstacksize(&attributes, size)
            var thread = pthread_t()
            let started = pthread_create(&thread, &attributes, { raw in
                Unmanaged<Work>.fromOpaque(raw!).takeUnretainedValue().body()
                return nil
            }, Unmanaged.passUnretained(work).toOpaque())
            if started == 0 { pthread_join(thread, nil) } else { work.body() }
        }
        return result!
    }
}

import Foundation

/// SIGINT and SIGTERM, handled on a queue so that what follows `wait()` is an orderly stop.
/// Create it before announcing readiness, so that a signal sent right after is not lost.
final class StopSignal {
    private let stop = DispatchSemaphore(value: 0)
    private var sources: [DispatchSourceSignal] = []

    init() {
        // A parent may have started us with these signals blocked (test runners do): unblock them first.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGINT)
        sigaddset(&stopSignals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [stop] in stop.signal() }
            source.resume()
            sources.append(source)
        }
    }

    func wait() {
        stop.wait()
        sources.forEach { $0.cancel() }
    }
}

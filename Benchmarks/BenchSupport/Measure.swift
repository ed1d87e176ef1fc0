/// Timing shared by the benchmark executables, the same procedure as the peers' benchlib.measure:
/// warm up (≥ 5% of the budget), then back-to-back chunks totalling at least `minTime` seconds, at
/// least five of them. Returns units/s over the whole period and the fastest chunk's rate.
public struct Measurement: Sendable {
    public var rate: Double
    public var bestChunkRate: Double
    public var units: Int
    public var seconds: Double
}

public func measure(minTime: Double, unitsPerRep: Int = 1, _ run: (Int) -> Void) -> Measurement {
    let clock = ContinuousClock()
    func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
    var reps = 1
    var warm = 0.0
    repeat {
        let start = clock.now
        run(reps)
        warm = seconds(clock.now - start)
        if warm < minTime * 0.05 { reps *= 2 }
    } while warm < minTime * 0.05
    let chunk = max(1, Int(minTime / 5 * 1.05 / (warm / Double(reps))))
    var total = 0, elapsed = 0.0, best = 0.0, chunks = 0
    while chunks < 5 || elapsed < minTime {
        let start = clock.now
        run(chunk)
        let dt = seconds(clock.now - start)
        total += chunk; elapsed += dt; chunks += 1
        best = max(best, Double(chunk * unitsPerRep) / dt)
    }
    return Measurement(rate: Double(total * unitsPerRep) / elapsed, bestChunkRate: best, units: total * unitsPerRep, seconds: elapsed)
}

import JSONDocument

/// A JSON number as an exact decimal: digits × 10^exponent. JSON Schema compares numbers by
/// value (`1 == 1.0`), and `multipleOf` must be decimal-exact (`0.3` is a multiple of `0.1`),
/// which binary doubles get wrong.
struct ExactDecimal: Comparable, Sendable {
    var negative: Bool
    /// Most significant first, no leading or trailing zeros; empty for zero.
    var digits: [UInt8]
    var exponent: Int

    init?(_ value: JSONValue) {
        switch value {
        case .integer(let i): self.init(literal: String(i))
        case .real(let d):
            guard d.isFinite else { return nil }
            self.init(literal: "\(d)")
        case .bigNumber(let literal): self.init(literal: literal)
        default: return nil
        }
    }

    /// Parses a JSON number literal (or Swift's description of a double).
    init?(literal: String) {
        var negative = false
        var digits: [UInt8] = []
        var exponent = 0
        var bytes = Array(literal.utf8)[...]
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes = bytes.dropFirst() } else if bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var seenPoint = false
        while let b = bytes.first {
            if b >= 48 && b <= 57 {
                digits.append(b - 48)
                if seenPoint { exponent -= 1 }
            } else if b == UInt8(ascii: ".") {
                seenPoint = true
            } else if b == UInt8(ascii: "e") || b == UInt8(ascii: "E") {
                guard let e = Int(String(decoding: bytes.dropFirst(), as: UTF8.self)) else { return nil }
                exponent += e
                break
            } else {
                return nil
            }
            bytes = bytes.dropFirst()
        }
        while digits.first == 0 { digits.removeFirst() }
        while digits.last == 0 { digits.removeLast(); exponent += 1 }
        if digits.isEmpty { negative = false; exponent = 0 }
        self.negative = negative
        self.digits = digits
        self.exponent = exponent
    }

    var isZero: Bool { digits.isEmpty }
    var isInteger: Bool { exponent >= 0 }

    /// Position of the most significant digit: value ~ 10^(magnitude-1).
    private var magnitude: Int { digits.count + exponent }

    static func < (a: ExactDecimal, b: ExactDecimal) -> Bool {
        if a.negative != b.negative { return a.negative }
        let smallerMagnitude = compareMagnitude(a, b) < 0
        let equal = compareMagnitude(a, b) == 0
        if equal { return false }
        return a.negative ? !smallerMagnitude : smallerMagnitude
    }

    static func == (a: ExactDecimal, b: ExactDecimal) -> Bool {
        a.negative == b.negative && a.digits == b.digits && a.exponent == b.exponent
    }

    /// -1, 0, 1 comparing absolute values.
    private static func compareMagnitude(_ a: ExactDecimal, _ b: ExactDecimal) -> Int {
        if a.isZero || b.isZero { return a.isZero ? (b.isZero ? 0 : -1) : 1 }
        if a.magnitude != b.magnitude { return a.magnitude < b.magnitude ? -1 : 1 }
        for i in 0..<max(a.digits.count, b.digits.count) {
            let x = i < a.digits.count ? a.digits[i] : 0
            let y = i < b.digits.count ? b.digits[i] : 0
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }

    /// Whether self / divisor is an integer.
    func isMultiple(of divisor: ExactDecimal) -> Bool {
        if isZero { return true }
        if divisor.isZero { return false }
        // self = A·10^a, divisor = B·10^b. Scale both to the smaller exponent so they are integers:
        // A·10^(a-m) mod B·10^(b-m) == 0, with m = min(a, b).
        let m = Swift.min(exponent, divisor.exponent)
        let dividendShift = exponent - m
        let divisorShift = divisor.exponent - m
        // B·10^divisorShift must fit in 60 bits for the digit-by-digit remainder below.
        guard divisor.digits.count + divisorShift <= 18 else {
            // A divisor this large: self must be at least as large and the quotient integral.
            return divisor.digits.count + divisorShift <= digits.count + dividendShift && fallbackIsMultiple(of: divisor)
        }
        var modulus: UInt64 = 0
        for d in divisor.digits { modulus = modulus * 10 + UInt64(d) }
        for _ in 0..<divisorShift { modulus *= 10 }
        var remainder: UInt64 = 0
        for d in digits { remainder = (remainder * 10 + UInt64(d)) % modulus }
        for _ in 0..<dividendShift {
            remainder = (remainder * 10) % modulus
            if remainder == 0 { return true }
        }
        return remainder == 0
    }

    private func fallbackIsMultiple(of divisor: ExactDecimal) -> Bool {
        guard let a = Double(description), let b = Double(divisor.description) else { return false }
        let q = a / b
        return q.isFinite && q == q.rounded()
    }

    var description: String {
        if isZero { return "0" }
        return (negative ? "-" : "") + digits.map(String.init).joined() + "e\(exponent)"
    }
}

/// Numeric comparisons and equality used by the validation keywords.
enum JSONMath {
    /// -1, 0, 1; nil unless both are numbers. Fast paths for the common representations.
    @inline(__always)
    static func compare(_ a: JSONValue, _ b: JSONValue) -> Int? {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.real(let x), .real(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.integer(let x), .real(let y)) where abs(y) < 9.0e15 && abs(Double(x)) < 9.0e15:
            let dx = Double(x); return dx < y ? -1 : (dx == y ? 0 : 1)
        case (.real(let x), .integer(let y)) where abs(x) < 9.0e15 && abs(Double(y)) < 9.0e15:
            let dy = Double(y); return x < dy ? -1 : (x == dy ? 0 : 1)
        default:
            if case .real(let x) = a, x.isInfinite { return x < 0 ? -1 : 1 }
            if case .real(let y) = b, y.isInfinite { return y < 0 ? 1 : -1 }
            guard let x = ExactDecimal(a), let y = ExactDecimal(b) else { return nil }
            return x < y ? -1 : (x == y ? 0 : 1)
        }
    }

    static func isInteger(_ value: JSONValue) -> Bool {
        switch value {
        case .integer: return true
        case .real(let d): return d.isFinite && d == d.rounded(.towardZero)
        case .bigNumber(let literal): return ExactDecimal(literal: literal)?.isInteger ?? false
        default: return false
        }
    }

    static func isMultiple(_ value: JSONValue, of divisor: ExactDecimal) -> Bool {
        if case .integer(let x) = value, divisor.isInteger, divisor.digits.count + divisor.exponent <= 18 {
            var d: Int64 = 0
            for digit in divisor.digits { d = d * 10 + Int64(digit) }
            for _ in 0..<divisor.exponent { d *= 10 }
            return d != 0 && x % d == 0
        }
        guard let decimal = ExactDecimal(value) else {
            return false // infinite reals
        }
        return decimal.isMultiple(of: divisor)
    }

    /// JSON equality: numbers by value, objects regardless of key order.
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        // Code points, not Swift's canonical equivalence: "é" and "e\u{301}" are different JSON strings.
        case (.string(let x), .string(let y)): return sameCodePoints(x, y)
        case (.array(let x), .array(let y)):
            guard x.count == y.count else { return false }
            for i in x.indices where !equal(x[i], y[i]) { return false }
            return true
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for member in x.members {
                guard let other = y[member.key], equal(member.value, other) else { return false }
            }
            return true
        default:
            if a.isNumber && b.isNumber { return compare(a, b) == 0 }
            return false
        }
    }

    /// A hash consistent with `equal`: numbers by value, objects regardless of key order.
    static func hash(_ value: JSONValue, into hasher: inout Hasher) {
        switch value {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(1); hasher.combine(b)
        case .string(let s): hasher.combine(2); hasher.combine(s.utf8.count); for byte in s.utf8 { hasher.combine(byte) }
        case .integer(let i): hasher.combine(3); hasher.combine(i)
        case .real(let d):
            if d.isFinite, d == d.rounded(), abs(d) < 9.2e18 { hasher.combine(3); hasher.combine(Int64(d)) }
            else { hasher.combine(4); hasher.combine(ExactDecimal(value)?.description ?? "\(d)") }
        case .bigNumber:
            hasher.combine(4); hasher.combine(ExactDecimal(value)?.description ?? "")
        case .array(let elements):
            hasher.combine(5); hasher.combine(elements.count)
            for element in elements { hash(element, into: &hasher) }
        case .object(let object):
            hasher.combine(6)
            var combined = 0
            for member in object.members {
                var inner = Hasher()
                inner.combine(member.key)
                hash(member.value, into: &inner)
                combined = combined &+ inner.finalize()
            }
            hasher.combine(combined)
        }
    }
}

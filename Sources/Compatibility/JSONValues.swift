import JSONDocument

/// Value comparisons the JSON Schema differ needs: JSON equality (numbers by value, strings by
/// code points, object members in any order) and numbers as Doubles for ordering limits.
enum JSONValues {
    static func equal(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return sameCodePoints(x, y)
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.members.allSatisfy { member in y[member.key].map { equal(member.value, $0) } ?? false }
        case (.bigNumber(let x), .bigNumber(let y)): return x == y
        default:
            if a.isNumber && b.isNumber, let x = ExactDecimal(a), let y = ExactDecimal(b) { return x == y }
            return a == b
        }
    }

    static func double(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let i): Double(i)
        case .real(let d): d
        case .bigNumber(let literal): Double(literal)
        default: nil
        }
    }
}

/// A JSON number as significand × 10^exponent, so 0.5 and 0.50 are equal and "is a multiple of"
/// is exact (Confluent compares multipleOf with BigDecimal).
struct ExactDecimal: Hashable {
    let significand: Int64
    let exponent: Int

    init?(_ value: JSONValue) {
        let text: String
        switch value {
        case .integer(let i): text = String(i)
        case .real(let d): text = "\(d)"
        case .bigNumber(let literal): text = literal
        default: return nil
        }
        guard let parsed = Self.parse(text) else { return nil }
        self = parsed
    }

    private init(significand: Int64, exponent: Int) {
        // Normalised: no trailing zeros in the significand, so equal values are equal structs.
        var s = significand, e = exponent
        while s != 0 && s % 10 == 0 { s /= 10; e += 1 }
        self.significand = s
        self.exponent = s == 0 ? 0 : e
    }

    private static func parse(_ text: String) -> ExactDecimal? {
        var mantissa = Substring(text.lowercased()), exponent = 0
        if let e = mantissa.firstIndex(of: "e") {
            guard let value = Int(mantissa[mantissa.index(after: e)...].replacing("+", with: "")) else { return nil }
            exponent = value
            mantissa = mantissa[..<e]
        }
        if let dot = mantissa.firstIndex(of: ".") {
            let fraction = mantissa[mantissa.index(after: dot)...]
            exponent -= fraction.count
            mantissa = mantissa[..<dot] + fraction
        }
        guard let significand = Int64(mantissa) else { return nil }
        return ExactDecimal(significand: significand, exponent: exponent)
    }

    /// Whether self = k × other for a whole k.
    func isMultiple(of other: ExactDecimal) -> Bool {
        guard other.significand != 0 else { return false }
        if significand == 0 { return true }
        let common = min(exponent, other.exponent)
        guard let a = Self.scale(significand, exponent - common), let b = Self.scale(other.significand, other.exponent - common) else {
            return false
        }
        return a % b == 0
    }

    private static func scale(_ value: Int64, _ digits: Int) -> Int64? {
        var result = value
        for _ in 0..<digits {
            let (product, overflow) = result.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            result = product
        }
        return result
    }
}

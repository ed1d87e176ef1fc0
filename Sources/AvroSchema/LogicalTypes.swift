import Diagnostics
import Foundation
import JSONDocument

/// What a logical type annotates.
enum LogicalTypeBase {
    case primitive(AvroPrimitive)
    case fixed(size: Int)
    case record, enumeration, array, map
}

/// Reads a `logicalType` attribute. Invalid or unknown logical types are not errors in Avro: the
/// specification says to ignore them, so they come back as `.invalid` or `.unknown` for a warning.
struct LogicalTypeReader {
    enum Outcome { case applied(AvroLogicalType), invalid(String), unknown(String) }

    let specVersion: AvroSpecVersion

    static let known = ["decimal", "big-decimal", "uuid", "date", "time-millis", "time-micros", "timestamp-millis",
                        "timestamp-micros", "timestamp-nanos", "local-timestamp-millis", "local-timestamp-micros",
                        "local-timestamp-nanos", "duration"]
    static let since1_12: Set<String> = ["big-decimal", "timestamp-nanos", "local-timestamp-nanos"]

    func read(_ object: JSONObject, base: LogicalTypeBase) -> Outcome {
        guard case .string(let name)? = object["logicalType"] else {
            return .invalid("\"logicalType\" must be a string, not \(object["logicalType"]?.compactText ?? "null")")
        }
        guard Self.known.contains(name) else { return .unknown(name) }
        if specVersion == .v1_11 && Self.since1_12.contains(name) {
            return .invalid("logical type \(name) is new in Avro 1.12 and unknown to 1.11 readers")
        }
        let on = Self.describe(base)
        func requires(_ primitive: AvroPrimitive, _ type: AvroLogicalType) -> Outcome {
            if case .primitive(primitive) = base { return .applied(type) }
            return .invalid("logical type \(name) applies to \(primitive.rawValue), not \(on)")
        }
        switch name {
        case "date": return requires(.int, .date)
        case "time-millis": return requires(.int, .timeMillis)
        case "time-micros": return requires(.long, .timeMicros)
        case "timestamp-millis": return requires(.long, .timestampMillis)
        case "timestamp-micros": return requires(.long, .timestampMicros)
        case "timestamp-nanos": return requires(.long, .timestampNanos)
        case "local-timestamp-millis": return requires(.long, .localTimestampMillis)
        case "local-timestamp-micros": return requires(.long, .localTimestampMicros)
        case "local-timestamp-nanos": return requires(.long, .localTimestampNanos)
        case "big-decimal": return requires(.bytes, .bigDecimal)
        case "uuid":
            switch base {
            case .primitive(.string): return .applied(.uuid)
            case .fixed(16) where specVersion == .v1_12: return .applied(.uuid)
            case .fixed(let size) where specVersion == .v1_12:
                return .invalid("logical type uuid on fixed needs size 16, not \(size)")
            default: return .invalid("logical type uuid applies to string\(specVersion == .v1_12 ? " or fixed(16)" : ""), not \(on)")
            }
        case "duration":
            if case .fixed(12) = base { return .applied(.duration) }
            return .invalid("logical type duration applies to fixed of size 12, not \(on)")
        case "decimal":
            return decimal(object, base: base, on: on)
        default:
            return .unknown(name)
        }
    }

    private func decimal(_ object: JSONObject, base: LogicalTypeBase, on: String) -> Outcome {
        var maxPrecision = Int.max
        switch base {
        case .primitive(.bytes): break
        case .fixed(let size): maxPrecision = Self.maxDecimalPrecision(fixedSize: size)
        default: return .invalid("logical type decimal applies to bytes or fixed, not \(on)")
        }
        guard case .integer(let precision)? = object["precision"] else {
            return .invalid("decimal needs \"precision\", a positive JSON integer\(object["precision"].map { ", not \($0.compactText)" } ?? "")")
        }
        guard precision > 0 else { return .invalid("decimal precision must be positive, not \(precision)") }
        var scale: Int64 = 0
        if let scaleValue = object["scale"] {
            guard case .integer(let s) = scaleValue else { return .invalid("decimal \"scale\" must be a JSON integer, not \(scaleValue.compactText)") }
            scale = s
        }
        guard scale >= 0 else { return .invalid("decimal scale must not be negative, not \(scale)") }
        guard scale <= precision else { return .invalid("decimal scale \(scale) is greater than its precision \(precision)") }
        guard precision <= maxPrecision else {
            return .invalid("decimal precision \(precision) does not fit in \(Self.describe(base)): at most \(maxPrecision) digits")
        }
        return .applied(.decimal(precision: Int(precision), scale: Int(scale)))
    }

    /// floor(log10(2^(8n-1) - 1)): the digits a signed n-byte two's-complement integer always holds.
    /// 2^k is never a power of ten, so flooring k·log10(2) gives the same answer without big integers.
    static func maxDecimalPrecision(fixedSize n: Int) -> Int {
        guard n > 0 else { return 0 }
        return Int((Double(8 * n - 1) * log10(2.0)).rounded(.down))
    }

    static func describe(_ base: LogicalTypeBase) -> String {
        switch base {
        case .primitive(let p): p.rawValue
        case .fixed(let size): "fixed(\(size))"
        case .record: "a record"
        case .enumeration: "an enum"
        case .array: "an array"
        case .map: "a map"
        }
    }

    static func suggestion(for name: String) -> String {
        let lowered = name.lowercased()
        if let exact = known.first(where: { $0 == lowered || $0.replacing("-", with: "_") == lowered }) {
            return "; did you mean \"\(exact)\"?"
        }
        if let close = known.first(where: { editDistance($0, lowered) <= 2 }) { return "; did you mean \"\(close)\"?" }
        return ""
    }
}

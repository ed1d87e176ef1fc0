import AvroRuntime
import Foundation
import GoldenJSONSchema
import JSONDocument
import JSONSchema
import Testing
import TestSupport

/// The types generated from schemas/deeplens and schemas/rnle (Tests/Golden/JSONSchema): every
/// valid example decodes, re-encodes to the same JSON (up to what Codable cannot keep: UUID case,
/// members that are null) and the re-encoded document still passes the schema.
struct JSONSchemaTypesTests {
    typealias RoundTrip = @Sendable (Data) throws -> Data

    static func roundTrip<T: Codable & Equatable>(_: T.Type) -> RoundTrip {
        { data in
            let value = try JSONDecoder().decode(T.self, from: data)
            let encoded = try JSONEncoder().encode(value)
            #expect(try JSONDecoder().decode(T.self, from: encoded) == value, "decode(encode(x)) differs")
            return encoded
        }
    }

    static let types: [String: RoundTrip] = [
        "deeplens/images.uploaded": roundTrip(ImageUploaded.self), "deeplens/images.validated": roundTrip(ImageValidated.self),
        "deeplens/images.processed": roundTrip(ImageProcessed.self), "deeplens/images.indexed": roundTrip(ImageIndexed.self),
        "deeplens/images.failed": roundTrip(ImageFailed.self), "deeplens/tenant.usage": roundTrip(TenantUsage.self),
        "rnle/rnle.commands": roundTrip(RnleCommand.self), "rnle/rnle.command-results": roundTrip(RnleCommandResult.self),
        "rnle/rnle.worker-events": roundTrip(RnleWorkerEvent.self), "rnle/rnle.worker-control": roundTrip(RnleWorkerControlCommand.self),
        "rnle/rnle.commands.dlq": roundTrip(RnleCommandDeadLetter.self),
    ]

    static let schemas = TestPaths.packageRoot.appendingPathComponent("schemas")

    @Test func everyProjectJSONSchemaHasAGeneratedType() throws {
        var names: [String] = []
        for system in ["deeplens", "rnle"] {
            for file in try FileManager.default.contentsOfDirectory(atPath: Self.schemas.appendingPathComponent(system).path) where file.hasSuffix(".json") {
                names.append("\(system)/\(file.dropLast(5))")
            }
        }
        #expect(names.sorted() == Self.types.keys.sorted())
    }

    @Test(arguments: types.keys.sorted())
    func validExamplesDecodeAndReencode(_ name: String) throws {
        let roundTrip = try #require(Self.types[name])
        let parts = name.split(separator: "/").map(String.init)
        let schema = try JSONDocument(parsing: TestPaths.read(Self.schemas.appendingPathComponent("\(name).json"))).root
        var resources: [String: JSONValue] = [:]  // the other project schemas, for references across files
        for other in Self.types.keys {
            let document = try JSONDocument(parsing: TestPaths.read(Self.schemas.appendingPathComponent("\(other).json"))).root
            if let id = document.objectValue?["$id"]?.stringValue { resources[id] = document }
        }
        let validator = try JSONSchemaValidator(schema: schema, uri: schema.objectValue?["$id"]?.stringValue ?? "urn:\(name)",
                                                options: ValidatorOptions(defaultDialect: .draft7, assertFormats: true, resources: resources))
        let examples = try JSONDocument(parsing: TestPaths.read(Self.schemas.appendingPathComponent("\(parts[0])/examples/\(parts[1]).valid.json"))).root
        let instances = try #require(examples.arrayValue)
        #expect(instances.count >= 3)
        for (index, instance) in instances.enumerated() {
            let encoded = try roundTrip(Data(instance.compactText.utf8))
            let reencoded = try JSONDocument(parsing: [UInt8](encoded)).root
            #expect(Self.normalized(reencoded) == Self.normalized(instance), "\(name) example \(index): \(reencoded.compactText)")
            #expect(validator.validate(reencoded).isEmpty, "\(name) example \(index) re-encoded fails the schema")
        }
    }

    @Test func typesAreWhatTheSchemasSay() throws {
        // rnle.commands: taskType is an enum, timestamp keeps its text, optional members default to nil.
        let command = try JSONDecoder().decode(RnleCommand.self, from: Data(#"{"taskId":"t1","taskType":"SCHEDULE_HABITS","timestamp":"2024-01-15T10:30:00.1234567+02:00"}"#.utf8))
        #expect(command.taskType == .scheduleHabits && command.payload == nil && command.correlationId == nil)
        #expect(command.timestamp.text == "2024-01-15T10:30:00.1234567+02:00")
        #expect(abs(command.timestamp.date.timeIntervalSince1970 - 1_705_307_400.1234567) < 1e-6)
        // A value outside the enum, a date-time that is not RFC 3339, a missing required member: decoding errors.
        for bad in [#"{"taskId":"t","taskType":"OTHER","timestamp":"2024-01-15T10:30:00Z"}"#, #"{"taskId":"t","taskType":"SCHEDULE_HABITS","timestamp":"yesterday"}"#,
                    #"{"taskType":"SCHEDULE_HABITS","timestamp":"2024-01-15T10:30:00Z"}"#] {
            #expect(throws: DecodingError.self, "\(bad)") { try JSONDecoder().decode(RnleCommand.self, from: Data(bad.utf8)) }
        }
        // A type list (object or string) is an enum with a case per type.
        let dlq = #"{"originalMessage":"not json","error":{"code":"X","message":"m","timestamp":"2024-01-15T10:30:00Z"},"retryCount":3}"#
        #expect(try JSONDecoder().decode(RnleCommandDeadLetter.self, from: Data(dlq.utf8)).originalMessage == .string("not json"))
        #expect(JSONDateTime(Date(timeIntervalSince1970: 1_705_314_600.25)).text == "2024-01-15T10:30:00.250Z")
    }

    /// oneOf, anyOf, allOf, const and typed additionalProperties (Tests/Fixtures/codegen/jsonschema/shapes.json).
    @Test func shapesTheProjectSchemasDoNotUse() throws {
        let text = #"{"kind":"shapes","shape":{"side":2,"rotated":true},"size":"large","labelled":{"name":"n","color":"red","extra":[1]},"counts":{"a":1},"tags":["t"],"anything":{"x":null}}"#
        let shapes = try JSONDecoder().decode(Shapes.self, from: Data(text.utf8))
        #expect(shapes.shape == .square(Shapes.Square(side: 2, rotated: true)))
        #expect(shapes.size == .sizeOption2(.large))
        #expect(shapes.labelled == Shapes.Labelled(name: "n", color: "red", additionalProperties: ["extra": .array([.integer(1)])]))
        #expect(shapes.counts == ["a": 1] && shapes.anything == .object(["x": .null]))
        let reencoded = try JSONDocument(parsing: [UInt8](try JSONEncoder().encode(shapes))).root
        #expect(Self.normalized(reencoded) == Self.normalized(try JSONDocument(parsing: Array(text.utf8)).root))
        let minimal = try JSONDecoder().decode(Shapes.self, from: Data(#"{"kind":"shapes","shape":{"radius":1.5},"size":3,"labelled":{"name":"n","color":"c"}}"#.utf8))
        #expect(minimal.shape == .circle(Shapes.Circle(radius: 1.5)) && minimal.size == .integer(3) && minimal.tags == nil)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Shapes.self, from: Data(#"{"kind":"shapes","shape":{"edges":1},"labelled":{"name":"n","color":"c"}}"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Shapes.self, from: Data(#"{"kind":"shapes","shape":null,"size":"medium","labelled":{"name":"n","color":"c"}}"#.utf8)) }
    }

    /// What Codable cannot keep, taken out of both sides: null members (an absent optional is not
    /// written) and the case of UUIDs (Foundation writes them upper-case); numbers compared as doubles.
    static func normalized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            return .object(JSONObject(object.members.filter { $0.value != .null }.map { JSONObject.Member(key: $0.key, value: normalized($0.value)) }
                .sorted { $0.key < $1.key }))
        case .array(let items): return .array(items.map(normalized))
        case .integer(let n): return .real(Double(n))
        case .string(let s) where UUID(uuidString: s) != nil: return .string(s.lowercased())
        default: return value
        }
    }
}

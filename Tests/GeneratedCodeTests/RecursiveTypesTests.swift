import AvroRuntime
import Foundation
import GoldenRecursive
import Testing
import TestSupport

/// Records that contain themselves (Tests/Fixtures/codegen/recursive): the fields on the cycle are
/// boxed (`@AvroIndirect`), keep value semantics, and round-trip with fastavro's bytes.
struct RecursiveTypesTests {
    static let tree = TreeNode(
        label: "root",
        parent: TreeNode(label: "up", parent: TreeNode(label: "top")),
        children: [TreeNode(label: "a", byName: ["x": TreeNode(label: "ax")]), TreeNode(label: "b")],
        byName: ["self-like": TreeNode(label: "m", parent: TreeNode(label: "mp"))])

    @Test func aTreeRoundTripsThroughBinaryAndJSON() throws {
        #expect(try TreeNode(avro: Self.tree.avroBytes()) == Self.tree)
        let json = try JSONEncoder().encode(Self.tree)
        #expect(try JSONDecoder().decode(TreeNode.self, from: json) == Self.tree)
        // A nil parent is left out of JSON and a missing one reads as nil, as for other optionals.
        #expect(String(decoding: try JSONEncoder().encode(TreeNode(label: "leaf")), as: UTF8.self).contains("parent") == false)
        #expect(try JSONDecoder().decode(TreeNode.self, from: Data(#"{"label":"l","children":[],"by_name":{}}"#.utf8)).parent == nil)
    }

    @Test func boxedFieldsKeepValueSemantics() {
        var copy = Self.tree
        copy.parent?.label = "changed"
        copy.parent?.parent = nil
        #expect(Self.tree.parent?.label == "up")
        #expect(Self.tree.parent?.parent?.label == "top")
        #expect(copy.parent?.label == "changed" && copy.parent?.parent == nil)
        #expect(copy != Self.tree)
        var same = Self.tree
        same.parent = Self.tree.parent
        #expect(same == Self.tree && same.hashValue == Self.tree.hashValue)
    }

    @Test func recursionThroughAUnionAndAnotherRecord() throws {
        // -(1 + "x" + -(2))
        let expression = Expression(term: .negation(Negation(operand: Expression(term: .sum(Sum(terms: [
            Expression(term: .long(1)), Expression(term: .string("x"), note: "n"), Expression(term: .negation(Negation(operand: Expression(term: .long(2))))),
        ]))))))
        let bytes = expression.avroBytes()
        #expect(try Expression(avro: bytes) == expression)
        let fastavroDatum = #"{"term":{"operand":{"term":{"terms":[{"term":1,"note":null},{"term":"x","note":"n"},{"term":{"operand":{"term":2,"note":null}},"note":null}]},"note":null}},"note":null}"#
        #expect(try Self.fastavro("Expression.avsc", fastavroDatum) == bytes)
    }

    @Test func fastavroTreesDecodeAndReencodeToTheSameBytes() throws {
        let datum = #"{"label":"root","parent":{"label":"up","parent":null,"children":[],"by_name":{}},"children":[{"label":"c","parent":null,"children":[],"by_name":{"k":{"label":"kk","parent":null,"children":[],"by_name":{}}}}],"by_name":{}}"#
        let bytes = try Self.fastavro("TreeNode.avsc", datum)
        let tree = try TreeNode(avro: bytes)
        #expect(tree.parent?.label == "up" && tree.children.first?.byName["k"]?.label == "kk")
        #expect(tree.avroBytes() == bytes)
    }

    @Test func nestingDeeperThanTheLimitIsATypedErrorNotAStackOverflow() throws {
        // parent → parent → … : a few bytes per level, so a small message could ask for any depth.
        func chain(_ levels: Int) -> [UInt8] {
            var writer = AvroBinaryWriter()
            for level in 0..<levels { writer.writeString("n\(level)"); writer.writeUnionIndex(1) }
            writer.writeString("last"); writer.writeUnionIndex(0); writer.writeLong(0); writer.writeLong(0)
            for _ in 0..<levels { writer.writeLong(0); writer.writeLong(0) }
            return writer.finish()
        }
        var depth = 0
        var node: TreeNode? = try TreeNode(avro: chain(200))
        while let current = node { depth += 1; node = current.parent }
        #expect(depth == 201)
        func isTooDeep(_ limit: Int) -> (any Error) -> Bool {
            { error in if case .tooDeep(_, limit)? = error as? AvroDecodingError { true } else { false } }
        }
        #expect(performing: { try TreeNode(avro: chain(100_000)) }, throws: isTooDeep(256))
        #expect(performing: { try TreeNode(avro: chain(20), limits: AvroDecodingLimits(maxDepth: 10)) }, throws: isTooDeep(10))
        #expect(throws: AvroDecodingError.self) { try TreeNode(avro: chain(200).dropLast()) }
        // Through an array: children → children → …
        var writer = AvroBinaryWriter()
        for _ in 0..<100_000 { writer.writeString("c"); writer.writeUnionIndex(0); writer.writeLong(1) }
        let deepChildren = writer.finish()
        #expect(performing: { try TreeNode(avro: deepChildren) }, throws: isTooDeep(256))
    }

    static func fastavro(_ schemaFile: String, _ datum: String) throws -> [UInt8] {
        try #require(try fastavroEncode(schemaFile: TestPaths.fixture("codegen/recursive/\(schemaFile)"), datums: [datum]).first)
    }
}

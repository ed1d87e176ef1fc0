import AvroRuntime
import CodegenPluginExample
import Foundation
import Testing

/// Types that AvroCodegenPlugin generated while building CodegenPluginExample (nothing committed):
/// they exist, carry their schema, and encode as Avro says.
struct BuildToolPluginTests {
    @Test func pluginGeneratedTypesWork() throws {
        let greeting = Greeting(greetingText: "hi", mood: .happy, sentAt: Date(timeIntervalSince1970: 1.5))
        let reply = Replies.reply(to: greeting)
        #expect(reply.mood == .happy)
        #expect(try Reply(avro: reply.avroBytes()) == reply)
        // "hi" (04 68 69: length 2 as a zig-zag varint), HAPPY (00), 1500 ms (b8 17), then the reply's own mood (00).
        #expect(reply.avroBytes() == [0x04, 0x68, 0x69, 0x00, 0xb8, 0x17, 0x00])
        #expect(Greeting(greetingText: "x", sentAt: Date()).mood == .calm)
        #expect(Reply.avroSchema.contains(#""name":"Reply""#))
    }
}

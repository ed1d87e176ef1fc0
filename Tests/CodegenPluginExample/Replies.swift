import AvroRuntime

/// Hand-written code beside the generated types: it compiles only if the plugin generated them.
public enum Replies {
    public static func reply(to greeting: Greeting) -> Reply {
        Reply(to: greeting, mood: greeting.mood == .happy ? .happy : .calm)
    }
}

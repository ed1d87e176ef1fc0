import JSONDocument
import SchemaConfig

/// An AsyncAPI 3.0 document from schemactl.yaml (a channel per topic, a message per subject with its
/// schema as the payload) and the contracts (per service, a `receive` operation on the request
/// topic with the first expected topic as its `reply`; a `send` operation per expected topic).
/// Contracts stay the source of truth: AsyncAPI has no place for matchers, counts or quiet windows.
public enum AsyncAPIExport {
    public static let avroFormat = "application/vnd.apache.avro+json;version=1.9.0"
    public static let jsonSchemaFormat = "application/schema+json;version=draft-07"
    /// The newest Kafka binding the official AsyncAPI 3.0.0 JSON Schema accepts (its enum is 0.4.0, 0.3.0;
    /// 0.5.0 is refused there).
    public static let kafkaBindingVersion = "0.4.0"

    /// `schemaText` gives each subject's schema file text; subjects without a topic are left out.
    public static func document(config: ProjectConfig, contracts: [Contract], title: String, version: String,
                                servers: [(name: String, host: String)], schemaText: (SubjectConfig) throws -> String) rethrows -> JSONValue {
        var channels = JSONObject()
        var messages = JSONObject()
        var channelOfTopic: [String: String] = [:]
        for subject in config.subjects {
            guard let topic = subject.topic else { continue }
            let channelName = identifier(topic)
            let messageName = identifier(subject.subject)
            let text = try schemaText(subject)
            let isJSONSchema = subject.schema.hasSuffix(".json")
            let schema = (try? JSONDocument(parsing: Array(text.utf8)).root) ?? .string(text)
            var message = JSONObject()
            message.append("name", .string(messageName))
            message.append("title", .string(subject.subject))
            message.append("contentType", .string(isJSONSchema ? "application/json" : "application/vnd.apache.avro"))
            message.append("payload", .object(JSONObject([
                "schemaFormat": .string(isJSONSchema ? jsonSchemaFormat : avroFormat), "schema": schema,
            ])))
            message.append("bindings", .object(JSONObject(["kafka": .object(JSONObject([
                "key": .object(JSONObject(["type": .string("string")])), "schemaIdLocation": .string("payload"), "bindingVersion": .string(kafkaBindingVersion),
            ]))])))
            messages.append(messageName, .object(message))
            if channelOfTopic[topic] == nil {
                channelOfTopic[topic] = channelName
                var channel = JSONObject()
                channel.append("address", .string(topic))
                channel.append("messages", .object(JSONObject()))
                channel.append("bindings", .object(JSONObject(["kafka": .object(JSONObject(["topic": .string(topic), "bindingVersion": .string(kafkaBindingVersion)]))])))
                channels.append(channelName, .object(channel))
            }
            channels = adding(message: messageName, toChannel: channelName, in: channels)
        }

        var operations = JSONObject()
        for contract in contracts {
            let service = identifier(contract.service ?? contract.id)
            guard let requestChannel = channelOfTopic[contract.send.topic] else { continue }
            let receiveName = "\(service)_receive_\(requestChannel)"
            if operations[receiveName] == nil {
                var operation = JSONObject()
                operation.append("action", .string("receive"))
                operation.append("channel", reference("#/channels/\(requestChannel)"))
                operation.append("summary", .string(contract.description ?? "\(contract.service ?? contract.id) handles \(contract.send.topic)"))
                if let reply = contract.expect.first.flatMap({ channelOfTopic[$0.topic] }) {
                    operation.append("reply", .object(JSONObject(["channel": reference("#/channels/\(reply)")])))
                }
                operation.append("x-schemactl-contracts", .array([]))
                operations.append(receiveName, .object(operation))
            }
            operations = appending(.string(contract.id), toList: "x-schemactl-contracts", of: receiveName, in: operations)
            for expectation in contract.expect {
                guard let channel = channelOfTopic[expectation.topic] else { continue }
                let sendName = "\(service)_send_\(channel)"
                guard operations[sendName] == nil else { continue }
                operations.append(sendName, .object(JSONObject([
                    "action": .string("send"), "channel": reference("#/channels/\(channel)"),
                    "summary": .string("\(contract.service ?? contract.id) answers on \(expectation.topic)"),
                ])))
            }
        }

        var document = JSONObject()
        document.append("asyncapi", .string("3.0.0"))
        document.append("info", .object(JSONObject([
            "title": .string(title), "version": .string(version),
            "description": .string("Generated by schemactl asyncapi from schemactl.yaml and contracts/; the contracts are the source of truth."),
        ])))
        if !servers.isEmpty {
            var serverObject = JSONObject()
            for server in servers { serverObject.append(server.name, .object(JSONObject(["host": .string(server.host), "protocol": .string("kafka")]))) }
            document.append("servers", .object(serverObject))
        }
        document.append("defaultContentType", .string("application/vnd.apache.avro"))
        document.append("channels", .object(channels))
        document.append("operations", .object(operations))
        document.append("components", .object(JSONObject(["messages": .object(messages)])))
        return .object(document)
    }

    /// AsyncAPI component and channel keys must match ^[a-zA-Z0-9\.\-_]+$.
    static func identifier(_ text: String) -> String {
        String(text.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
    }

    static func reference(_ pointer: String) -> JSONValue { .object(JSONObject(["$ref": .string(pointer)])) }

    private static func adding(message: String, toChannel channel: String, in channels: JSONObject) -> JSONObject {
        JSONObject(channels.members.map { member in
            guard member.key == channel, case .object(var object) = member.value, case .object(var list) = object["messages"] ?? .null else { return member }
            list.append(message, reference("#/components/messages/\(message)"))
            object = JSONObject(object.members.map { $0.key == "messages" ? JSONObject.Member(key: "messages", value: .object(list)) : $0 })
            return JSONObject.Member(key: member.key, value: .object(object))
        })
    }

    private static func appending(_ value: JSONValue, toList key: String, of name: String, in operations: JSONObject) -> JSONObject {
        JSONObject(operations.members.map { member in
            guard member.key == name, case .object(let object) = member.value else { return member }
            return JSONObject.Member(key: name, value: .object(JSONObject(object.members.map {
                guard $0.key == key, case .array(let items) = $0.value else { return $0 }
                return JSONObject.Member(key: key, value: .array(items + [value]))
            })))
        })
    }

    /// JSON indented by two spaces, members in order.
    public static func prettyText(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .array(let items) where !items.isEmpty:
            return "[\n" + items.map { inner + prettyText($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        case .object(let object) where !object.isEmpty:
            return "{\n" + object.members.map { member in
                var key = ""
                JSONValue.writeString(member.key, to: &key)
                return inner + key + ": " + prettyText(member.value, indent: inner)
            }.joined(separator: ",\n") + "\n\(indent)}"
        default:
            return value.compactText
        }
    }
}

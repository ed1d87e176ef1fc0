import AvroSchema
import Foundation
import JSONDocument
import JSONSchema
import Testing
import TestSupport

/// The official AsyncAPI 3.0 JSON Schema (@asyncapi/specs) is not in the repository (third-party, and
/// npm is unreachable here), so the export is validated against this subset written from the 3.0.0
/// specification's object definitions: root, Info, Servers, Channels, Operations, Messages, Multi
/// Format Schema and Reference objects, with the spec's key patterns and `x-` extensions. The Kafka
/// binding versions are the official schema's (a one-off check against it refused 0.5.0).
let asyncAPI30Subset = #"""
{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "required": ["asyncapi", "info"],
  "properties": {
    "asyncapi": { "const": "3.0.0" },
    "id": { "type": "string", "format": "uri" },
    "info": {
      "type": "object", "required": ["title", "version"],
      "properties": { "title": { "type": "string" }, "version": { "type": "string" }, "description": { "type": "string" } },
      "patternProperties": { "^x-": {} }, "additionalProperties": false
    },
    "servers": {
      "type": "object", "propertyNames": { "pattern": "^[A-Za-z0-9_\\-]+$" },
      "additionalProperties": {
        "type": "object", "required": ["host", "protocol"],
        "properties": { "host": { "type": "string" }, "protocol": { "type": "string" }, "pathname": { "type": "string" } },
        "patternProperties": { "^x-": {} }, "additionalProperties": false
      }
    },
    "defaultContentType": { "type": "string" },
    "channels": {
      "type": "object", "propertyNames": { "pattern": "^[A-Za-z0-9\\.\\-_]+$" },
      "additionalProperties": {
        "type": "object",
        "properties": {
          "address": { "type": ["string", "null"] },
          "messages": { "type": "object", "additionalProperties": { "$ref": "#/definitions/reference" } },
          "title": { "type": "string" }, "summary": { "type": "string" }, "description": { "type": "string" },
          "bindings": { "type": "object" }
        },
        "patternProperties": { "^x-": {} }, "additionalProperties": false
      }
    },
    "operations": {
      "type": "object", "propertyNames": { "pattern": "^[A-Za-z0-9\\.\\-_]+$" },
      "additionalProperties": {
        "type": "object", "required": ["action", "channel"],
        "properties": {
          "action": { "enum": ["send", "receive"] },
          "channel": { "$ref": "#/definitions/reference" },
          "messages": { "type": "array", "items": { "$ref": "#/definitions/reference" } },
          "reply": {
            "type": "object",
            "properties": {
              "channel": { "$ref": "#/definitions/reference" }, "address": { "type": "object" },
              "messages": { "type": "array", "items": { "$ref": "#/definitions/reference" } }
            },
            "patternProperties": { "^x-": {} }, "additionalProperties": false
          },
          "title": { "type": "string" }, "summary": { "type": "string" }, "description": { "type": "string" },
          "bindings": { "type": "object" }
        },
        "patternProperties": { "^x-": {} }, "additionalProperties": false
      }
    },
    "components": {
      "type": "object",
      "properties": {
        "messages": {
          "type": "object", "propertyNames": { "pattern": "^[A-Za-z0-9\\.\\-_]+$" },
          "additionalProperties": {
            "type": "object",
            "properties": {
              "name": { "type": "string" }, "title": { "type": "string" }, "summary": { "type": "string" },
              "contentType": { "type": "string" },
              "payload": {
                "type": "object", "required": ["schemaFormat", "schema"],
                "properties": { "schemaFormat": { "type": "string" }, "schema": {} }, "additionalProperties": false
              },
              "bindings": {
                "type": "object",
                "properties": { "kafka": { "type": "object", "properties": { "bindingVersion": { "enum": ["0.4.0", "0.3.0"] } } } }
              }
            },
            "patternProperties": { "^x-": {} }, "additionalProperties": false
          }
        }
      }
    }
  },
  "patternProperties": { "^x-": {} },
  "additionalProperties": false,
  "definitions": {
    "reference": {
      "type": "object", "required": ["$ref"],
      "properties": { "$ref": { "type": "string", "format": "uri-reference" } }, "additionalProperties": false
    }
  }
}
"""#

@Suite("schemactl asyncapi")
struct AsyncAPIExportTests {
    @Test func theProjectsExportIsAValidAsyncAPI30DocumentWithValidPayloads() throws {
        let result = try runSchemactl(["asyncapi", "--title", "seed systems", "--server", "dev=localhost:9092"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try JSONDocument(parsing: Array(result.stdout.utf8)).root
        let validator = try JSONSchemaValidator(schema: JSONDocument(parsing: Array(asyncAPI30Subset.utf8)).root,
                                                options: ValidatorOptions(defaultDialect: .draft7, assertFormats: true))
        let errors = validator.validate(document)
        #expect(errors.isEmpty, "\(errors.prefix(5))")

        // Every $ref points at something in the document.
        func references(_ value: JSONValue) -> [String] {
            switch value {
            case .object(let object): (object["$ref"]?.stringValue.map { [$0] } ?? []) + object.members.filter { $0.key != "$ref" }.flatMap { references($0.value) }
            case .array(let items): items.flatMap(references)
            default: []
            }
        }
        let refs = references(document).filter { $0.hasPrefix("#/channels/") || $0.hasPrefix("#/components/") }
        #expect(refs.count > 40)
        for ref in refs {
            let tokens = ref.dropFirst(2).split(separator: "/").map(String.init)
            var current: JSONValue? = document
            for token in tokens { current = current?.objectValue?[token] }
            #expect(current != nil, "\(ref) does not resolve")
        }

        // Payloads: Avro schemas parse strictly; JSON Schemas pass the draft-07 meta-schema.
        let messages = try #require(document.objectValue?["components"]?.objectValue?["messages"]?.objectValue)
        var avro = 0, json = 0
        for message in messages.members {
            let payload = try #require(message.value.objectValue?["payload"]?.objectValue)
            let schema = try #require(payload["schema"])
            if payload["schemaFormat"]?.stringValue?.hasPrefix("application/vnd.apache.avro") == true {
                // Schemas with references (auteur's JobType) need the referenced subject; the others stand alone.
                if !schema.compactText.contains("\"com.auteur.kafka.events.JobType\"") {
                    #expect(AvroParser().parse(schema).hasErrors == false, "\(message.key)")
                }
                avro += 1
            } else {
                #expect(JSONSchemaValidator.metaSchemaErrors(of: schema, default: .draft7).isEmpty, "\(message.key)")
                json += 1
            }
        }
        #expect(avro == 19 && json == 11, "\(avro) Avro, \(json) JSON Schema messages")

        // The contracts' services: the latent encoder receives requests and replies on its responses.
        let operation = try #require(document.objectValue?["operations"]?.objectValue?["latent-encoder_receive_latent-encoder-requests"]?.objectValue)
        #expect(operation["reply"]?.objectValue?["channel"]?.objectValue?["$ref"] == .string("#/channels/latent-encoder-responses"))
        #expect(operation["x-schemactl-contracts"] == .array([.string("latent-encoder.encode"), .string("latent-encoder.image-not-found")]))
    }
}

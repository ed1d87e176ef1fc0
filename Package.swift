// swift-tools-version:6.2
// schemactl — schema toolchain for Kafka pipelines on Avro and JSON Schema.
import PackageDescription

let package = Package(
    name: "schemactl",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "schemactl", targets: ["schemactl"]),
        .library(name: "AvroSchema", targets: ["AvroSchema"]),
        .library(name: "JSONDocument", targets: ["JSONDocument"]),
        .library(name: "Fingerprint", targets: ["Fingerprint"]),
        .library(name: "AvroRuntime", targets: ["AvroRuntime"]),
        .library(name: "Codegen", targets: ["Codegen"]),
        .library(name: "AvroRegistry", targets: ["AvroRegistry"]),
        .plugin(name: "AvroCodegenPlugin", targets: ["AvroCodegenPlugin"]),
        .library(name: "ReferenceWorkers", targets: ["ReferenceWorkers"]),
        .executable(name: "reference-worker", targets: ["reference-worker"]),
        .executable(name: "tensor-info", targets: ["tensor-info"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C libraries (Debian -dev packages, found through pkg-config).
        .systemLibrary(name: "CJansson", pkgConfig: "jansson", providers: [.apt(["libjansson-dev"])]),
        .systemLibrary(name: "CAvro", pkgConfig: "avro-c", providers: [.apt(["libavro-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // librdkafka and its mock cluster; shim.h also wraps the variadic rd_kafka_producev
        .systemLibrary(name: "CRdKafka", pkgConfig: "rdkafka", providers: [.apt(["librdkafka-dev"])]),
        // Functions for the C macros Swift cannot import.
        .target(name: "CShims", dependencies: ["CJansson"]),

        // bytes -> JSON document with source positions
        .target(name: "JSONDocument", dependencies: ["CJansson", "CShims"]),
        // diagnostics as values, and their renderings (text, json, github, junit, sarif)
        .target(name: "Diagnostics", dependencies: ["JSONDocument"]),
        // CRC-64-AVRO, MD5, SHA-256 in pure Swift (the codegen runtime will need them without C)
        .target(name: "Fingerprint"),
        // what generated code imports: Avro binary reader/writer, framing, logical types (pure Swift, no C)
        .target(name: "AvroRuntime", dependencies: ["Fingerprint"]),
        // Avro JSON encoding <-> binary, driven by a schema at run time (schemactl data encode/decode)
        .target(name: "AvroGeneric", dependencies: ["AvroSchema", "AvroRuntime", "JSONDocument"]),
        // schema model -> Swift IR -> rendered Swift files (no file access)
        .target(name: "Codegen", dependencies: ["AvroSchema", "JSONDocument", "Fingerprint"]),
        // Avro schema model, strict parser, lint, canonical form
        .target(name: "AvroSchema", dependencies: ["JSONDocument", "Diagnostics", "Fingerprint"]),
        // ECMA-262 regular expressions (JSON Schema's pattern dialect), pure Swift
        .target(name: "ECMARegex"),
        // JSON Schema drafts 7, 2019-09, 2020-12: meta-schemas, references, validation
        .target(name: "JSONSchema", dependencies: ["JSONDocument", "ECMARegex", "Diagnostics"]),
        // compatibility rules: Avro reader/writer (Java 1.12), Confluent's JSON Schema differ, Confluent levels
        .target(name: "Compatibility", dependencies: ["AvroSchema", "JSONSchema", "ECMARegex", "SchemaConfig", "Validation", "Diagnostics", "JSONDocument"]),
        // schemactl.yaml
        .target(name: "SchemaConfig", dependencies: ["Diagnostics", .product(name: "Yams", package: "Yams")]),
        // validating a set of schema files together (values in, reports out)
        .target(name: "Validation", dependencies: ["AvroSchema", "JSONSchema", "JSONDocument", "Diagnostics", "SchemaConfig"]),
        // a small HTTP/1.1 server on POSIX sockets (the registry's transport)
        .target(name: "HTTPServer"),
        // the Confluent Schema Registry API's entities and errors, shared by client and server
        .target(name: "RegistryModel", dependencies: ["JSONDocument"]),
        // libcurl's easy API, loaded on first use (most commands never speak HTTP)
        .target(name: "CCurlLoader", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "HTTPClient", dependencies: ["CCurlLoader"]),
        // a client of any Confluent-compatible registry
        .target(name: "RegistryClient", dependencies: ["RegistryModel", "HTTPClient", "JSONDocument"]),
        // the runtime's SchemaIDResolver over RegistryClient (registry-aware serializer/deserializer)
        .target(name: "AvroRegistry", dependencies: ["AvroRuntime", "RegistryClient", "RegistryModel"]),
        // the registry server: Confluent's API and semantics, SQLite or in-memory storage
        .target(name: "RegistryServer", dependencies: [
            "RegistryModel", "HTTPServer", "CSQLite", "AvroSchema", "JSONSchema", "Compatibility", "Validation", "SchemaConfig", "Fingerprint", "JSONDocument",
        ]),
        // a plain C API over libtorch (and stb for images); C++ exceptions stop at its boundary.
        // `torchapi` is a committed symlink to Debian's /usr/include/torch/csrc/api/include (no unsafe flags).
        .target(name: "CTorchShim",
                cxxSettings: [.headerSearchPath("torchapi"), .disableWarning("deprecated-declarations")],
                linkerSettings: [.linkedLibrary("torch"), .linkedLibrary("torch_cpu"), .linkedLibrary("c10"), .linkedLibrary("m")]),
        // the vtryon reference services: models over CTorchShim, request -> response logic, the Kafka loop, metrics, logs
        // its message types are generated at build time from schemas/vtryon (linked into Service/Messages/schemas)
        .target(name: "ReferenceWorkers", dependencies: ["CTorchShim", "AvroRuntime", "JSONDocument", "Kafka", "AvroRegistry", "HTTPServer"],
                path: "Sources/ReferenceWorkers/Service", plugins: ["AvroCodegenPlugin"]),
        // one executable with a subcommand per service, `--mode standalone|kafka`
        .executableTarget(name: "reference-worker", dependencies: [
            "ReferenceWorkers", "JSONDocument", "Kafka", "AvroRegistry", "HTTPServer", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], path: "Sources/ReferenceWorkers/CLI"),

        // Kafka on librdkafka: idempotent producer, manual-commit consumer, the embedded mock cluster
        .target(name: "Kafka", dependencies: ["CRdKafka"]),
        // generated Avro types on Kafka, through the runtime's registry serializer and deserializer
        .target(name: "KafkaAvro", dependencies: ["Kafka", "AvroRuntime"]),
        // recorded contracts (schemactl/v1): parsing with positions, matchers, lint and verification on Kafka
        .target(name: "Contracts", dependencies: [
            "Kafka", "AvroSchema", "AvroGeneric", "AvroRuntime", "JSONSchema", "JSONDocument", "Diagnostics", "Validation", "SchemaConfig",
            "RegistryClient", "RegistryModel", .product(name: "Yams", package: "Yams"),
        ]),
        // shape and dtype of torch.save / pickle_save files, over CTorchShim (kept out of Contracts and the CLI: libtorch is slow to load)
        .target(name: "TensorFiles", dependencies: ["CTorchShim"]),
        // the helper schemactl runs for tensor matchers: FILE -> {"shape":[...],"dtype":"..."}
        .executableTarget(name: "tensor-info", dependencies: ["TensorFiles"]),
        // the CLI: reads files, prints, exits
        .executableTarget(name: "schemactl", dependencies: [
            "Validation", "AvroSchema", "Codegen", "AvroRuntime", "AvroGeneric", "JSONSchema", "JSONDocument", "SchemaConfig", "Diagnostics", "Fingerprint", "Compatibility", "CShims",
            "RegistryModel", "RegistryServer", "RegistryClient", "HTTPServer", "HTTPClient", "Kafka", "Contracts",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // schemactl codegen over a target's .avsc files at build time
        .plugin(name: "AvroCodegenPlugin", capability: .buildTool(), dependencies: ["schemactl"]),

        .target(name: "TestSupport", path: "Tests/TestSupport"),
        // a target whose types the plugin generates (its schemas are in Schemas/)
        .target(name: "CodegenPluginExample", dependencies: ["AvroRuntime"], path: "Tests/CodegenPluginExample",
                plugins: ["AvroCodegenPlugin"]),
        .testTarget(name: "JSONDocumentTests", dependencies: ["JSONDocument", "TestSupport"]),
        .testTarget(name: "FingerprintTests", dependencies: ["Fingerprint"]),
        .testTarget(name: "CodegenTests", dependencies: ["Codegen", "AvroSchema", "JSONDocument", "Validation", "TestSupport"]),
        // The golden (committed) generated Swift, compiled: seed schemas, and Confluent's test schemas per folder.
        .target(name: "GoldenSeeds", dependencies: ["AvroRuntime"], path: "Tests/Golden/Seeds"),
        .target(name: "GoldenRecursive", dependencies: ["AvroRuntime"], path: "Tests/Golden/Recursive"),
        .target(name: "GoldenJSONSchema", dependencies: ["AvroRuntime"], path: "Tests/Golden/JSONSchema"),
        .target(name: "GoldenConfluentAvroData", dependencies: ["AvroRuntime"], path: "Tests/Golden/Confluent/avro-data"),
        .target(name: "GoldenConfluentAvroSerde", dependencies: ["AvroRuntime"], path: "Tests/Golden/Confluent/avro-serde"),
        .target(name: "GoldenConfluentAvroSerializer", dependencies: ["AvroRuntime"], path: "Tests/Golden/Confluent/avro-serializer"),
        .target(name: "GoldenConfluentSchemaRules", dependencies: ["AvroRuntime"], path: "Tests/Golden/Confluent/schema-rules"),
        // uses the golden types: round trips against fastavro and Avro C, defaults, resolution
        .testTarget(name: "GeneratedCodeTests", dependencies: [
            "GoldenSeeds", "GoldenRecursive", "GoldenJSONSchema", "CodegenPluginExample", "JSONSchema", "JSONDocument", "GoldenConfluentAvroData", "GoldenConfluentAvroSerde", "GoldenConfluentAvroSerializer", "GoldenConfluentSchemaRules",
            "AvroRuntime", "Fingerprint", "CAvro", "TestSupport",
        ], exclude: ["edge_datums.py", "fastavro_encode.py"]),
        .testTarget(name: "AvroRegistryTests", dependencies: ["AvroRegistry", "AvroRuntime", "GoldenSeeds", "RegistryClient", "RegistryModel", "TestSupport"]),
        .testTarget(name: "AvroRuntimeTests", dependencies: ["AvroRuntime", "Fingerprint"]),
        .testTarget(name: "AvroSchemaTests", dependencies: ["AvroSchema", "JSONDocument", "Validation", "SchemaConfig", "CAvro", "TestSupport"]),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics"]),
        .testTarget(name: "SchemaConfigTests", dependencies: ["SchemaConfig", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"], exclude: ["dev_peer.py"]),
        .testTarget(name: "ECMARegexTests", dependencies: ["ECMARegex"]),
        .testTarget(name: "CompatibilityTests", dependencies: ["Compatibility", "AvroSchema", "JSONDocument", "JSONSchema", "SchemaConfig", "TestSupport"]),
        .testTarget(name: "RegistryTests", dependencies: ["RegistryClient", "RegistryModel", "HTTPClient", "JSONDocument", "TestSupport"],
                    exclude: ["confluent_kafka_peer.py", "tls_registry_stub.py", "canned_registry.py"]),
        .testTarget(name: "RegistryServerTests", dependencies: ["RegistryServer", "RegistryModel", "HTTPServer"]),
        .testTarget(name: "ReferenceWorkersTests", dependencies: ["ReferenceWorkers", "AvroRuntime", "AvroRegistry", "Kafka", "KafkaAvro", "HTTPClient", "JSONDocument", "RegistryClient", "TestSupport"],
                    exclude: ["load_tensor.py"]),
        .testTarget(name: "KafkaTests", dependencies: ["Kafka", "KafkaAvro", "AvroRegistry", "GoldenSeeds", "AvroRuntime", "TestSupport"]),
        .testTarget(name: "ContractsTests", dependencies: [
            "Contracts", "Kafka", "RegistryClient", "AvroRuntime", "AvroSchema", "JSONSchema", "JSONDocument", "Diagnostics", "SchemaConfig", "TestSupport",
            "TensorFiles", "CTorchShim",
        ], exclude: ["save_tensor.py"]),
        .testTarget(name: "JSONSchemaTests", dependencies: ["JSONSchema", "JSONDocument", "TestSupport"]),

        .target(name: "BenchSupport", path: "Benchmarks/BenchSupport"),
        .executableTarget(name: "AvroSchemaBench", dependencies: ["AvroSchema", "JSONDocument", "Validation", "BenchSupport"],
                          path: "Benchmarks/AvroSchemaBench"),
        .executableTarget(name: "CompatBench", dependencies: ["Compatibility", "AvroSchema", "JSONDocument", "BenchSupport"],
                          path: "Benchmarks/CompatBench"),
        .executableTarget(name: "RegistryBench", dependencies: ["RegistryClient", "RegistryModel"], path: "Benchmarks/RegistryBench"),
        .executableTarget(name: "KafkaBench", dependencies: ["Kafka", "KafkaAvro", "GoldenSeeds", "AvroRuntime"], path: "Benchmarks/KafkaBench"),
        .executableTarget(name: "CodecBench", dependencies: ["AvroRuntime", "GoldenSeeds", "BenchSupport"], path: "Benchmarks/CodecBench"),
        .executableTarget(name: "WorkerBench", dependencies: ["ReferenceWorkers"], path: "Benchmarks/WorkerBench",
                          exclude: ["eager_reference.py"]),
        .executableTarget(name: "JSONSchemaBench", dependencies: ["JSONSchema", "JSONDocument", "BenchSupport"],
                          path: "Benchmarks/JSONSchemaBench"),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)

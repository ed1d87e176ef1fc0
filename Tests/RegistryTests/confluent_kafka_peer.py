"""Python's confluent-kafka (a third-party Confluent client) against our registry server.

Usage: confluent_kafka_peer.py REGISTRY_URL SCHEMAS_DIR
Prints one line per check and exits non-zero on the first failure.
"""
import decimal
import glob
import json
import os
import sys

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.error import SchemaRegistryError
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

url, schemas_dir = sys.argv[1], sys.argv[2]


def check(condition, what):
    if not condition:
        print(f"FAIL {what}")
        sys.exit(1)
    print(f"ok   {what}")


V1 = json.dumps({"type": "record", "name": "Peer", "fields": [{"name": "a", "type": "int"}]})
V2 = json.dumps({"type": "record", "name": "Peer", "fields": [{"name": "a", "type": "int"}, {"name": "b", "type": "string", "default": ""}]})
BREAKING = json.dumps({"type": "record", "name": "Peer", "fields": [{"name": "a", "type": "int"}, {"name": "c", "type": "long"}]})

client = SchemaRegistryClient({"url": url})
first = client.register_schema("peer-value", Schema(V1, "AVRO"))
check(first == 1, "register_schema returns id 1")
check(client.register_schema("peer-value", Schema(V2, "AVRO")) == 2, "register_schema of v2 returns id 2")
fresh = SchemaRegistryClient({"url": url})  # no client-side cache
latest = fresh.get_latest_version("peer-value")
check(latest.version == 2 and latest.schema_id == 2, "get_latest_version")
check(fresh.get_version("peer-value", 1).schema.schema_str == V1.replace(" ", ""), "get_version(1) returns the stored text")
check(fresh.lookup_schema("peer-value", Schema(V1, "AVRO")).version == 1, "lookup_schema")
check(fresh.get_schema(2).schema_str == V2.replace(" ", ""), "get_schema by id")
check(fresh.test_compatibility("peer-value", Schema(V2, "AVRO")) is True, "test_compatibility: compatible")
check(fresh.test_compatibility("peer-value", Schema(BREAKING, "AVRO")) is False, "test_compatibility: incompatible")
try:
    fresh.register_schema("peer-value", Schema(BREAKING, "AVRO"))
    check(False, "registering an incompatible schema fails")
except SchemaRegistryError as e:
    check(e.http_status_code == 409 and e.error_code in (409, 40901), f"incompatible register: HTTP 409 ({e.error_code})")
check(fresh.get_compatibility() == "BACKWARD", "get_compatibility (global)")
fresh.set_compatibility("peer-value", "FULL")
check(fresh.get_compatibility("peer-value") == "FULL", "set_compatibility / get_compatibility (subject)")
check("peer-value" in fresh.get_subjects(), "get_subjects")
check(fresh.get_versions("peer-value") == [1, 2], "get_versions")
check(fresh.delete_subject("peer-value") == [1, 2], "delete_subject (soft)")
check(fresh.delete_subject("peer-value", permanent=True) == [1, 2], "delete_subject (permanent)")
try:
    SchemaRegistryClient({"url": url}).get_latest_version("peer-value")
    check(False, "a deleted subject is gone")
except SchemaRegistryError as e:
    check(e.http_status_code == 404 and e.error_code == 40401, "a deleted subject answers 40401")


def sample(schema, named):
    """A datum for `schema` exercising each type (first non-null union branch)."""
    if isinstance(schema, str):
        if schema in named:
            return sample(named[schema], named)
        schema = {"type": schema}
    if isinstance(schema, list):
        branches = [s for s in schema if s != "null"]
        return sample(branches[0], named) if branches else None
    t = schema["type"]
    if isinstance(t, (dict, list)):
        return sample(t, named)
    logical = schema.get("logicalType")
    if logical == "decimal":
        return decimal.Decimal("-12.34").scaleb(2 - schema.get("scale", 0)).quantize(decimal.Decimal(1).scaleb(-schema.get("scale", 0)))
    if logical == "uuid":
        return "123e4567-e89b-12d3-a456-426614174000"
    if t == "record":
        full = schema["name"] if "." in schema["name"] else (schema.get("namespace", "") + "." + schema["name"]).lstrip(".")
        named[full] = schema
        named[schema["name"]] = schema
        return {f["name"]: sample(f["type"], named) for f in schema["fields"]}
    if t == "enum":
        named[schema["name"]] = schema
        return schema["symbols"][-1]
    if t == "fixed":
        return b"\x01" * schema["size"]
    if t == "array":
        return [sample(schema["items"], named), sample(schema["items"], named)]
    if t == "map":
        return {"k": sample(schema["values"], named), "ü": sample(schema["values"], named)}
    return {"null": None, "boolean": True, "int": -2147483648, "long": 9223372036854775807, "float": 1.5, "double": -0.25,
            "bytes": b"\x00\xff", "string": "grüße ✓"}[t]


avro_files = sorted(glob.glob(os.path.join(schemas_dir, "vtryon", "*.avsc")))
check(len(avro_files) >= 10, f"found {len(avro_files)} vtryon schemas")
for path in avro_files:
    text = open(path).read()
    schema = json.loads(text)
    datum = sample(schema, {})
    topic = "peer-" + os.path.basename(path)[:-5]
    registry = SchemaRegistryClient({"url": url})
    serializer = AvroSerializer(registry, text, conf={"auto.register.schemas": True})
    deserializer = AvroDeserializer(SchemaRegistryClient({"url": url}))
    context = SerializationContext(topic, MessageField.VALUE)
    payload = serializer(datum, context)
    check(payload[0] == 0, f"{topic}: Confluent framing (magic byte)")
    back = deserializer(payload, context)
    check(back == datum, f"{topic}: AvroSerializer -> our registry -> AvroDeserializer round trip")

for path in sorted(glob.glob(os.path.join(schemas_dir, "rnle", "*.json"))):
    examples = os.path.join(schemas_dir, "rnle", "examples", os.path.basename(path)[:-5] + ".valid.json")
    text = open(path).read()
    topic = "peer-" + os.path.basename(path)[:-5]
    serializer = JSONSerializer(text, SchemaRegistryClient({"url": url}), conf={"auto.register.schemas": True})
    deserializer = JSONDeserializer(None, schema_registry_client=SchemaRegistryClient({"url": url}))
    context = SerializationContext(topic, MessageField.VALUE)
    for document in json.load(open(examples)):
        payload = serializer(document, context)
        check(deserializer(payload, context) == document, f"{topic}: JSONSerializer -> our registry -> JSONDeserializer round trip")
print("all peer checks passed")

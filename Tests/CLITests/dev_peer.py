"""Python's confluent-kafka (a third-party Kafka and registry client) against `schemactl dev`.

Usage: dev_peer.py BOOTSTRAP REGISTRY_URL
Produces an Avro record with the registry's schema for latent-encoder-requests (Confluent framing),
consumes it back in a consumer group, and prints one line per check; exits non-zero on a failure.
"""
import sys
import uuid

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

bootstrap, url = sys.argv[1], sys.argv[2]
topic = "latent-encoder-requests"


def check(condition, what):
    if not condition:
        print(f"FAIL {what}")
        sys.exit(1)
    print(f"ok   {what}")


registry = SchemaRegistryClient({"url": url})
latest = registry.get_latest_version(f"{topic}-value")
check(latest.version == 1, "the subject is registered by schemactl dev")
serializer = AvroSerializer(registry, latest.schema.schema_str, conf={"auto.register.schemas": False, "use.latest.version": True})
datum = {"request_id": str(uuid.uuid4()), "correlation_id": None, "image_path": "/in/cat.png", "vae_model_name": "vae.safetensors",
         "output_dir": "/out", "upscale_method": "lanczos", "megapixels": 1.0, "timestamp": 1700000000000}
value = serializer(datum, SerializationContext(topic, MessageField.VALUE))
check(value[0] == 0 and int.from_bytes(value[1:5], "big") == latest.schema_id, "Confluent framing with the registry's id")

producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all"})
delivered = []
producer.produce(topic, key=datum["request_id"], value=value, headers=[("origin", b"python")],
                 on_delivery=lambda err, msg: delivered.append(err))
producer.flush(10)
check(delivered == [None], "delivered to the embedded Kafka")

consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "py-" + datum["request_id"], "auto.offset.reset": "earliest",
                     "enable.auto.commit": False, "session.timeout.ms": 6000})
consumer.subscribe([topic])
deserializer = AvroDeserializer(registry)
received = None
for _ in range(100):
    message = consumer.poll(0.2)
    if message is None or message.error():
        continue
    if message.key() == datum["request_id"].encode():
        received = message
        break
check(received is not None, "consumed in a consumer group")
decoded = deserializer(received.value(), SerializationContext(topic, MessageField.VALUE))
check(decoded == datum, "decoded with the registry's schema, equal to what was sent")
check(dict(received.headers()) == {"origin": b"python"}, "headers kept")
consumer.commit(message=received, asynchronous=False)
check(consumer.committed(consumer.assignment(), 10)[0].offset == received.offset() + 1, "commit recorded")
consumer.close()

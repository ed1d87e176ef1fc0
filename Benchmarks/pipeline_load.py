"""Load for the running vtryon pipeline: sends N try-on WorkflowRequests at once (Python
confluent-kafka's AvroSerializer, the registry's ids) and waits for their N WorkflowResults.

Usage: pipeline_load.py WORKFLOWS. Reads KAFKA_BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, VTRYON_DATA
(as scripts/verify-pipeline's PIPELINE_RUN gets them). Prints one JSON line: workflows, seconds from
the first send to the last result, workflows/s, and how many succeeded.
"""
import json
import os
import sys
import time
import uuid

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

count = int(sys.argv[1])
bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
data = os.environ["VTRYON_DATA"]
registry = SchemaRegistryClient({"url": os.environ["SCHEMA_REGISTRY_URL"]})
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
with open(os.path.join(root, "schemas/vtryon/WorkflowRequest.avsc")) as file:
    serialize = AvroSerializer(registry, file.read(), conf={"auto.register.schemas": False})
deserialize = AvroDeserializer(registry)

# Results are read from the topic's current end, so only this run's answers count.
results = Consumer({"bootstrap.servers": bootstrap, "group.id": "pipeline-load-" + uuid.uuid4().hex, "enable.auto.commit": False})
_, end = results.get_watermark_offsets(TopicPartition("workflow-results", 0), timeout=10)
results.assign([TopicPartition("workflow-results", 0, end)])

steps = [
    {"service": "latent_encoder", "step_id": "encode", "depends_on": [], "params": {"megapixels": "0.0625"}},
    {"service": "text_encoder", "step_id": "text", "depends_on": [], "params": {}},
    {"service": "sampling", "step_id": "sample", "depends_on": ["encode", "text"], "params": {"seed": "7", "steps": "2"}},
    {"service": "decoding", "step_id": "decode", "depends_on": ["sample"], "params": {}},
]
ids = ["load-" + uuid.uuid4().hex[:12] for _ in range(count)]
producer = Producer({"bootstrap.servers": bootstrap})
started = time.monotonic()
for workflow_id in ids:
    request = {"workflow_id": workflow_id, "image1_path": f"{data}/in/person.png", "image2_path": f"{data}/in/garment.png",
               "prompt": "the person wears the garment", "output_filename": f"{workflow_id}.png", "output_dir": f"{data}/out",
               "steps": steps, "timestamp": int(time.time() * 1000)}
    value = serialize(request, SerializationContext("workflow-orchestrator", MessageField.VALUE))
    producer.produce("workflow-orchestrator", key=workflow_id.encode(), value=value)
producer.flush(30)

statuses = {}
deadline = time.monotonic() + 600
while len(statuses) < count and time.monotonic() < deadline:
    message = results.poll(0.2)
    if message is None or message.error():
        continue
    result = deserialize(message.value(), SerializationContext("workflow-results", MessageField.VALUE))
    if result["workflow_id"] in ids:
        statuses[result["workflow_id"]] = result["status"]
elapsed = time.monotonic() - started
results.close()
print(json.dumps({"workflows": count, "answered": len(statuses), "succeeded": sum(1 for s in statuses.values() if s == "success"),
                  "seconds": round(elapsed, 2), "workflows_per_second": round(len(statuses) / elapsed, 3)}))
sys.exit(0 if len(statuses) == count else 1)

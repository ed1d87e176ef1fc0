"""The peer of KafkaBench: Python's confluent-kafka (its bundled librdkafka) and fastavro, doing the same
round trips and throughput run with LatentEncoderRequest in Confluent framing on the same cluster.

Usage: KAFKA_BOOTSTRAP_SERVERS=host:port kafka_peer.py SCHEMA.avsc [round-trips] [records]
"""
import io
import json
import os
import struct
import sys
import time

import fastavro
from confluent_kafka import Consumer, Producer, TopicPartition

bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
schema = fastavro.parse_schema(json.load(open(sys.argv[1])))
round_trips = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
records = int(sys.argv[3]) if len(sys.argv) > 3 else 100000
topic = "latent-encoder-requests"
header = b"\x00" + struct.pack(">I", 1)


def request(index):
    return {"request_id": f"req-{index}", "correlation_id": f"wf-{index // 4}", "image_path": f"/data/vtryon/in/person-{index}.png",
            "vae_model_name": "qwen_image_vae.safetensors", "output_dir": "/data/vtryon/latents", "upscale_method": "lanczos",
            "megapixels": 1.0, "timestamp": 1700000000000 + index}


def encode(datum):
    out = io.BytesIO()
    out.write(header)
    fastavro.schemaless_writer(out, schema, datum)
    return out.getvalue()


def decode(value):
    assert value[:5] == header
    return fastavro.schemaless_reader(io.BytesIO(value[5:]), schema)


producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all", "linger.ms": 0})
consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "kafka-peer", "fetch.wait.max.ms": 1, "enable.auto.commit": False})
low, high = consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)
consumer.assign([TopicPartition(topic, 0, high)])


def send_and_wait(value, key=None):
    done = []
    producer.produce(topic, value=value, key=key, on_delivery=lambda err, msg: done.append(err))
    while not done:
        producer.poll(0.001)
    if done[0] is not None:
        raise RuntimeError(done[0])


def next_message():
    while True:
        message = consumer.poll(1.0)
        if message is not None and not message.error():
            return decode(message.value())


send_and_wait(encode(request(0)))
next_message()
latencies = []
for index in range(round_trips):
    datum = request(index)
    start = time.perf_counter()
    send_and_wait(encode(datum), key=datum["request_id"].encode())
    assert next_message() == datum
    latencies.append((time.perf_counter() - start) * 1000)
latencies.sort()
p = lambda q: latencies[min(len(latencies) - 1, int(len(latencies) * q))]
print(f"peer round trip (fastavro encode, produce and await the ack, consume, decode), {round_trips} messages: "
      f"p50 {p(0.5):.3f} ms, p99 {p(0.99):.3f} ms, max {latencies[-1]:.3f} ms")

batch = [request(i) for i in range(records)]
start = time.perf_counter()
acked = [0]


def count(err, msg):
    if err is not None:
        raise RuntimeError(err)
    acked[0] += 1


for datum in batch:
    while True:
        try:
            producer.produce(topic, value=encode(datum), key=datum["request_id"].encode(), on_delivery=count)
            break
        except BufferError:
            producer.poll(0.01)
producer.flush()
produce_seconds = time.perf_counter() - start
start = time.perf_counter()
for _ in range(records):
    next_message()
consume_seconds = time.perf_counter() - start
print(f"peer throughput, {records} messages: produce, all acknowledged, {records / produce_seconds:.0f} msg/s; "
      f"consume and decode {records / consume_seconds:.0f} msg/s")
consumer.close()

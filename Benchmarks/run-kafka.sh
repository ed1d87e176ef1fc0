#!/usr/bin/env bash
# Kafka on librdkafka's mock cluster: KafkaBench (our Kafka library + a generated type) and its peer
# (Python confluent-kafka + fastavro), one after the other against the same `schemactl dev` cluster over
# loopback TCP, then KafkaBench with the cluster in its own process. Writes results/kafka-latest.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product schemactl >/dev/null
swift build -c release --product KafkaBench >/dev/null
work=$(mktemp -d)
: > "$work/env"
.build/release/schemactl dev --print-env > "$work/env" 2> "$work/dev.log" &
dev=$!
trap 'kill $dev 2>/dev/null; wait $dev 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ "$(wc -l < "$work/env")" -ge 2 ] && break; sleep 0.1; done
. "$work/env"
round_trips=${ROUND_TRIPS:-2000}
records=${RECORDS:-100000}
mkdir -p Benchmarks/results
{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores; schemactl dev: $(grep -o 'ready in [0-9]* ms' "$work/dev.log")"
  echo "## schemactl dev's mock cluster (another process), our library"
  KAFKA_BOOTSTRAP_SERVERS=$KAFKA_BOOTSTRAP_SERVERS .build/release/KafkaBench "$round_trips" "$records"
  echo "## schemactl dev's mock cluster (another process), Python confluent-kafka $(python3 -c 'import confluent_kafka as c; print(c.__version__, "with librdkafka", c.libversion()[0])') + fastavro"
  python3 Benchmarks/kafka_peer.py schemas/vtryon/LatentEncoderRequest.avsc "$round_trips" "$records"
  echo "## mock cluster in the benchmark's own process, our library"
  KAFKA_BOOTSTRAP_SERVERS= .build/release/KafkaBench "$round_trips" "$records"
} | tee Benchmarks/results/kafka-latest.txt

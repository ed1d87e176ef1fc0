#!/usr/bin/env bash
# Registry load on loopback: a release `schemactl registry serve` on SQLite (WAL, synchronous=FULL)
# and RegistryBench's keep-alive clients on the same 2-core machine. Writes results/registry.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product schemactl >/dev/null
swift build -c release --product RegistryBench >/dev/null
work=$(mktemp -d)
trap 'kill -9 $server 2>/dev/null || true; rm -rf "$work"' EXIT
.build/release/schemactl registry serve --listen 127.0.0.1:0 --storage "sqlite:$work/registry.db" > "$work/serve.log" &
server=$!
for _ in $(seq 50); do grep -q listening "$work/serve.log" && break; sleep 0.1; done
url=$(grep -o 'http://[^ ]*' "$work/serve.log")
mkdir -p Benchmarks/results
.build/release/RegistryBench "$url" --clients "${CLIENTS:-8}" --seconds "${SECONDS_PER_OP:-3}" | tee Benchmarks/results/registry.jsonl

#!/usr/bin/env bash
# Avro binary encode/decode records/s, side by side on the same datums (../shared/peers/data):
# schemactl's generated types (release build, CodecBench) vs fastavro (bench_avro_codec.py) and
# Avro C's generic value API (bench_avroc.c), interleaved over RUNS rounds. CodecBench's encode-lent
# row is Avro C's unit of work (bytes written to a reused buffer, not copied out).
#
#   Benchmarks/run-codec.sh                  # 3 rounds, 1 s per cell -> Benchmarks/results/codec.jsonl + a table
#   RUNS=1 MIN_TIME=0.3 Benchmarks/run-codec.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-3}"
MIN_TIME="${MIN_TIME:-1.0}"
PEERS="$(cd "${PEERS:-../shared/peers}" && pwd)"
VENV="${BENCH_VENV:-$HOME/.cache/schemactl-bench-venv}"
OUT="${OUT:-Benchmarks/results/codec.jsonl}"
SCHEMAS="SamplingRequest WorkflowRequest LatentEncoderResponse"

if [[ ! -x "$VENV/bin/python" ]]; then python3 -m venv "$VENV"; fi
"$VENV/bin/pip" install -q "fastavro==1.13.1" "avro==1.12.2"   # the peers' pins (setup.sh)
swift build -c release --product CodecBench >&2
BIN="$(swift build -c release --show-bin-path)"
PEER_BUILD="$PWD/.build/peers"
make -s -C "$PEERS" BUILD="$PEER_BUILD" "$PEER_BUILD/bench_avroc" >&2
mkdir -p "$(dirname "$OUT")"
: > "$OUT"
tag() { sed -e 's/}$/, "run": '"$1"'}/' >> "$OUT"; }
for run in $(seq 1 "$RUNS"); do
  "$BIN/CodecBench" --min-time "$MIN_TIME" --data-dir "$PEERS/data" | tag "$run"
  (cd "$PEERS" && "$VENV/bin/python" bench_avro_codec.py --tools fastavro --no-hex --min-time "$MIN_TIME" \
      --only "${SCHEMAS// /,}") | tag "$run"
  (cd "$PEERS" && "$PEER_BUILD/bench_avroc" -q -t "$MIN_TIME" -d data $(for s in $SCHEMAS; do echo "schemas/$s.avsc"; done)) | tag "$run"
done
"$VENV/bin/python" - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
runs = max(r["run"] for r in rows)
print(f"\n## Avro binary records/s (median of {runs} runs; ratios are schemactl / peer)\n")
print("| schema | op | bytes/record | schemactl | Avro C | fastavro | vs Avro C | vs fastavro |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
# encode-lent is schemactl's encode with the bytes lent from a stack buffer (withAvroBytes), Avro C's
# own unit of work; the peers' figures on its row are their encode figures.
for schema, op in dict.fromkeys((r["schema"], r["op"]) for r in rows):
    peer_op = "encode" if op == "encode-lent" else op
    med = {t: statistics.median([r["records_per_s"] for r in rows if (r["tool"], r["schema"], r["op"]) == (t, schema, op if t == "schemactl" else peer_op)] or [float("nan")])
           for t in ("schemactl", "avro-c", "fastavro")}
    size = next(r["bytes_per_record"] for r in rows if r["schema"] == schema)
    print(f"| {schema} | {op} | {size:.0f} | {med['schemactl']:,.0f} | {med['avro-c']:,.0f} | {med['fastavro']:,.0f} | "
          f"{med['schemactl'] / med['avro-c']:.2f}x | {med['schemactl'] / med['fastavro']:.1f}x |")
PY

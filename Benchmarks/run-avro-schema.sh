#!/usr/bin/env bash
# Schema throughput, side by side: schemactl (release build) vs fastavro, on the seed schemas and
# the largest Confluent test schema, interleaved over RUNS rounds in one run; then the cold-start
# time of `schemactl validate schemas/`.
#
#   Benchmarks/run-avro-schema.sh             # 3 rounds, 1 s per cell
#   RUNS=1 MIN_TIME=0.2 Benchmarks/run-avro-schema.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-3}"
MIN_TIME="${MIN_TIME:-1.0}"
VENV="${BENCH_VENV:-$HOME/.cache/schemactl-bench-venv}"
OUT="${OUT:-Benchmarks/results/avro-schema-latest.jsonl}"
BIG="${BIG_SCHEMA:-../shared/vectors/confluent/avro-schemas/avro-data/AvroMessage.avsc}"

if [[ ! -x "$VENV/bin/python" ]]; then python3 -m venv "$VENV"; fi
"$VENV/bin/pip" install -q "fastavro==1.13.1"
swift build -c release --product AvroSchemaBench >&2
swift build -c release --product schemactl >&2
BIN="$(swift build -c release --show-bin-path)"

FILES=(schemas/vtryon/SamplingRequest.avsc schemas/vtryon/WorkflowRequest.avsc schemas/vtryon/LatentEncoderResponse.avsc
       schemas/vtryon/DeadLetter.avsc schemas/auteur/TranscriptionJob.avsc "$BIG")
mkdir -p "$(dirname "$OUT")"
: > "$OUT"
for run in $(seq 1 "$RUNS"); do
  "$BIN/AvroSchemaBench" --min-time "$MIN_TIME" "${FILES[@]}" | sed "s/}\$/,\"run\":$run}/" >> "$OUT"
  "$VENV/bin/python" Benchmarks/avro_schema_peer.py --min-time "$MIN_TIME" "${FILES[@]}" | sed "s/}\$/,\"run\":$run}/" >> "$OUT"
done

# Cold start: a new process per run, the whole schemas/ folder with schemactl.yaml.
"$VENV/bin/python" - "$BIN/schemactl" >> "$OUT" <<'PY'
import json, subprocess, sys, time, statistics
times = []
for _ in range(30):
    t0 = time.perf_counter()
    subprocess.run([sys.argv[1], "validate", "schemas/"], check=True, stdout=subprocess.DEVNULL)
    times.append((time.perf_counter() - t0) * 1000)
print(json.dumps({"tool": "schemactl", "file": "cold validate schemas/", "median_ms": statistics.median(times), "min_ms": min(times), "max_ms": max(times)}))
PY

"$VENV/bin/python" - "$OUT" <<'PY'
import json, statistics, sys, os
rows = [json.loads(l) for l in open(sys.argv[1])]
cold = [r for r in rows if "median_ms" in r]
rows = [r for r in rows if "schemas_per_s" in r]
tools = sorted({r["tool"] for r in rows}, key=lambda t: t != "schemactl")
files = list(dict.fromkeys(r["file"] for r in rows))
print(f"\n## validate + canonical form + Rabin fingerprint, schemas/s (median of {max(r['run'] for r in rows)} runs; {os.cpu_count()} cores)\n")
print("| schema | bytes | " + " | ".join(tools) + " | ratio |")
print("|---|---:|" + "---:|" * len(tools) + "---:|")
for f in files:
    med = {t: statistics.median([r["schemas_per_s"] for r in rows if r["file"] == f and r["tool"] == t]) for t in tools}
    size = next(r["bytes"] for r in rows if r["file"] == f)
    ratio = med[tools[0]] / med[tools[1]] if len(tools) > 1 else float("nan")
    print(f"| {f} | {size:,} | " + " | ".join(f"{med[t]:,.0f}" for t in tools) + f" | {ratio:.1f}x |")
for c in cold:
    print(f"\ncold `schemactl validate schemas/` (30 runs): median {c['median_ms']:.1f} ms, min {c['min_ms']:.1f}, max {c['max_ms']:.1f}")
PY

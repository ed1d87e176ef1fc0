#!/usr/bin/env bash
# JSON Schema validation throughput on the rnle messages, side by side: schemactl (release) vs
# jsonschema-rs and Python jsonschema (the peers' bench_jsonschema.py), interleaved over RUNS
# rounds in one run, valid and invalid documents, yes/no (is_valid) and full errors, formats on/off.
#
#   Benchmarks/run-jsonschema.sh                  # 3 rounds, 0.4 s per cell
#   RUNS=1 MIN_TIME=0.1 Benchmarks/run-jsonschema.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-3}"
MIN_TIME="${MIN_TIME:-0.4}"
PEERS="${PEERS:-../shared/peers}"
VENV="${BENCH_VENV:-$HOME/.cache/schemactl-bench-venv}"
OUT="${OUT:-Benchmarks/results/jsonschema-latest.jsonl}"

if [[ ! -x "$VENV/bin/python" ]]; then python3 -m venv "$VENV"; fi
"$VENV/bin/pip" install -q "jsonschema-rs==0.60.3" "jsonschema==4.26.0" "rfc3339-validator==0.1.4"
swift build -c release --product JSONSchemaBench >&2
BIN="$(swift build -c release --show-bin-path)"

mkdir -p "$(dirname "$OUT")"
: > "$OUT"
for run in $(seq 1 "$RUNS"); do
  "$BIN/JSONSchemaBench" --min-time "$MIN_TIME" --schemas-dir "$PEERS/schemas" --data-dir "$PEERS/data" 2>/dev/null | sed "s/}\$/,\"run\":$run}/" >> "$OUT"
  (cd "$PEERS" && "$VENV/bin/python" bench_jsonschema.py --min-time "$MIN_TIME") 2>/dev/null | sed "s/}\$/,\"run\":$run}/" >> "$OUT"
done

"$VENV/bin/python" - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
rows = [r for r in rows if "validations_per_s" in r]
tools = ["schemactl", "jsonschema-rs", "jsonschema"]
runs = max(r["run"] for r in rows)
for formats in ["on", "off"]:
    print(f"\n## rnle validations/s, formats {formats} (median of {runs} runs)\n")
    print("| schema | op | set | " + " | ".join(tools) + " | schemactl / jsonschema-rs |")
    print("|---|---|---|" + "---:|" * len(tools) + "---:|")
    keys = sorted({(r["schema"], r["op"], r["set"]) for r in rows if r["formats"] == formats})
    for schema, op, s in keys:
        med = {}
        for t in tools:
            xs = [r["validations_per_s"] for r in rows if (r["tool"], r["schema"], r["op"], r["set"], r["formats"]) == (t, schema, op, s, formats)]
            med[t] = statistics.median(xs) if xs else float("nan")
        print(f"| {schema} | {op} | {s} | " + " | ".join(f"{med[t]:,.0f}" for t in tools) + f" | {med['schemactl'] / med['jsonschema-rs']:.2f}x |")
PY

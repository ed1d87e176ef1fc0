#!/usr/bin/env bash
# Avro compatibility checks/s, side by side: schemactl (release) vs Python avro's
# ReaderWriterCompatibilityChecker (the peers' bench_compat.py), interleaved over RUNS rounds.
#
#   Benchmarks/run-compat.sh                  # 3 rounds, 1 s per cell
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-3}"
MIN_TIME="${MIN_TIME:-1.0}"
PEERS="${PEERS:-../shared/peers}"
VENV="${BENCH_VENV:-$HOME/.cache/schemactl-bench-venv}"
OUT="${OUT:-Benchmarks/results/compat-latest.jsonl}"

if [[ ! -x "$VENV/bin/python" ]]; then python3 -m venv "$VENV"; fi
"$VENV/bin/pip" install -q "avro==1.12.2"
swift build -c release --product CompatBench >&2
BIN="$(swift build -c release --show-bin-path)"
mkdir -p "$(dirname "$OUT")"
: > "$OUT"
for run in $(seq 1 "$RUNS"); do
  "$BIN/CompatBench" --min-time "$MIN_TIME" --schemas-dir "$PEERS/schemas" 2>/dev/null | sed "s/}\$/,\"run\":$run}/" >> "$OUT"
  (cd "$PEERS" && "$VENV/bin/python" bench_compat.py --min-time "$MIN_TIME") 2>/dev/null | sed "s/}\$/,\"run\":$run}/" >> "$OUT"
done
"$VENV/bin/python" - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{") and "checks_per_s" in l]
tools = sorted({r["tool"] for r in rows}, key=lambda t: t != "schemactl")
print(f"\n## Avro compatibility checks/s (median of {max(r['run'] for r in rows)} runs)\n")
print("| case | op | " + " | ".join(tools) + " | ratio |")
print("|---|---|" + "---:|" * len(tools) + "---:|")
for case, op in dict.fromkeys((r["case"], r["op"]) for r in rows):
    med = {t: statistics.median([r["checks_per_s"] for r in rows if (r["tool"], r["case"], r["op"]) == (t, case, op)] or [float("nan")]) for t in tools}
    print(f"| {case} | {op} | " + " | ".join(f"{med[t]:,.0f}" for t in tools) + f" | {med[tools[0]] / med[tools[1]]:.0f}x |")
PY

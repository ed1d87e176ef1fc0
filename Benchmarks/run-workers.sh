#!/usr/bin/env bash
# Per-stage compute time of the reference workers (Swift + libtorch through CTorchShim, release) against
# the same models in PyTorch eager (Debian's python3-torch, eager_reference.py) on the same weights and
# inputs, interleaved over RUNS rounds; every round also checks that both compute the same tensors.
#
#   Benchmarks/run-workers.sh                       # medium models, 1 MP, 4 steps, 1 thread, CPU
#   SIZE=small MEGAPIXELS=0.25 Benchmarks/run-workers.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-3}"
SIZE="${SIZE:-medium}"
MEGAPIXELS="${MEGAPIXELS:-1.0}"
STEPS="${STEPS:-4}"
REPEAT="${REPEAT:-5}"
THREADS="${THREADS:-1}"
DEVICE="${DEVICE:-auto}"
OUT="${OUT:-Benchmarks/results/workers-latest.jsonl}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

swift build -c release --product WorkerBench >&2
BIN="$(swift build -c release --show-bin-path)"
mkdir -p "$(dirname "$OUT")"
: > "$OUT"
for run in $(seq 1 "$RUNS"); do
  "$BIN/WorkerBench" "$WORK" --size "$SIZE" --megapixels "$MEGAPIXELS" --steps "$STEPS" --repeat "$REPEAT" \
    --threads "$THREADS" --device "$DEVICE" | sed "s/}\$/,\"run\":$run}/" >> "$OUT"
  /usr/bin/python3 Benchmarks/WorkerBench/eager_reference.py "$WORK" | sed "s/}\$/,\"run\":$run}/" >> "$OUT"
done
/usr/bin/python3 - "$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
ours = [r for r in rows if r["implementation"].startswith("swift")]
eager = [r for r in rows if r["implementation"].startswith("pytorch")]
first = ours[0]
print(f"\n## Reference workers, per-stage compute (ms, median of {len(ours)} runs; each run: median of the repeats)")
print(f"size {first['size']}, device {first['device']}, threads {first['threads']}, latent {first['latent_shape']}, image {first['image_shape']}\n")
print(f"| stage | swift+libtorch | {eager[0]['implementation']} | eager / swift |")
print("|---|---:|---:|---:|")
for stage in ["latent_encoder", "text_encoder", "sampling", "decoding"]:
    a = statistics.median(r["ms"][stage] for r in ours)
    b = statistics.median(r["ms"][stage] for r in eager)
    print(f"| {stage} | {a:.1f} | {b:.1f} | {b / a:.2f} |")
worst = {k: max(r["max_abs_difference"][k] for r in eager) for k in eager[0]["max_abs_difference"]}
print("\nmax |swift - eager| over the runs: " + ", ".join(f"{k} {v:.2g}" for k, v in sorted(worst.items())))
PY

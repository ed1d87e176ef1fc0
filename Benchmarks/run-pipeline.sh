#!/usr/bin/env bash
# The vtryon pipeline end to end on CPU (tiny models, schemactl dev's mock cluster): how long WORKFLOWS
# try-on workflows sent at once take, with the orchestrator running one workflow at a time
# (KAFKA_MAX_IN_FLIGHT=1) and with its default of 8. The load comes from Python confluent-kafka
# (Benchmarks/pipeline_load.py). Writes results/pipeline-latest.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product schemactl >/dev/null
swift build -c release --product reference-worker >/dev/null
workflows=${WORKFLOWS:-8}
mkdir -p Benchmarks/results
{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(nproc) cores; $workflows workflows sent at once; 4 steps each (0.0625 MP, 2 sampling steps)"
  for inflight in 1 8; do
    printf 'orchestrator KAFKA_MAX_IN_FLIGHT=%s: ' "$inflight"
    SCHEMACTL=.build/release/schemactl REFERENCE_WORKER=.build/release/reference-worker ORCHESTRATOR_MAX_IN_FLIGHT=$inflight \
      PIPELINE_RUN="python3 Benchmarks/pipeline_load.py $workflows" scripts/verify-pipeline 2>/dev/null
  done
} | tee Benchmarks/results/pipeline-latest.txt

#!/usr/bin/env python3
"""fastavro's side of the schema benchmark: json.loads + parse_schema + canonical form + CRC-64-AVRO
fingerprint, per file, in schemas/s. Same JSON-line shape as AvroSchemaBench."""
import json
import os
import sys
import time

import fastavro
from fastavro.schema import fingerprint, parse_schema, to_parsing_canonical_form


def unit(text):
    schema = parse_schema(json.loads(text), _write_hint=False)
    return fingerprint(to_parsing_canonical_form(schema), "CRC-64-AVRO")


def measure(text, min_time):
    reps, warm = 1, 0.0
    while True:
        t0 = time.perf_counter()
        for _ in range(reps):
            unit(text)
        warm = time.perf_counter() - t0
        if warm >= min_time * 0.05:
            break
        reps *= 2
    chunk = max(1, int(min_time / 5 * 1.05 / (warm / reps)))
    total, elapsed, best, chunks = 0, 0.0, 0.0, 0
    while chunks < 5 or elapsed < min_time:
        t0 = time.perf_counter()
        for _ in range(chunk):
            unit(text)
        dt = time.perf_counter() - t0
        total, elapsed, chunks = total + chunk, elapsed + dt, chunks + 1
        best = max(best, chunk / dt)
    return total / elapsed, best


def main():
    args = sys.argv[1:]
    min_time = 1.0
    if args[:1] == ["--min-time"]:
        min_time, args = float(args[1]), args[2:]
    for path in args:
        text = open(path, encoding="utf-8").read()
        rate, best = measure(text, min_time)
        print(json.dumps({"tool": f"fastavro {fastavro.__version__}", "file": os.path.basename(path),
                          "bytes": len(text.encode()), "schemas_per_s": rate, "best_chunk_per_s": best}), flush=True)


if __name__ == "__main__":
    main()

"""Encodes datums with fastavro (an independent encoder), for the schema-resolution tests.

usage: fastavro_encode.py SCHEMA.avsc < datums   (one JSON datum per line, in fastavro's plain form)
prints the lowercase hex of each datum's schemaless binary encoding, one per line.
"""
import io, json, sys
import fastavro

schema = fastavro.parse_schema(json.load(open(sys.argv[1])))
for line in sys.stdin:
    if line.strip():
        out = io.BytesIO()
        fastavro.schemaless_writer(out, schema, json.loads(line))
        print(out.getvalue().hex())

"""Edge-value datums for Avro schemas, encoded by fastavro (an independent encoder).

usage: edge_datums.py VARIANTS SCHEMA.avsc...   (files that define shared types come first)
prints one line per datum: <root fullname> <lowercase hex of the schemaless binary encoding>

Variant k picks, for every value in the datum, the k-th edge value of its type (shifted by the
field's position so that fields differ): int/long extremes, NaN and infinities, empty and
non-ASCII strings, empty and large arrays and maps, and union branch k mod n, so that every
branch of every union is taken by some variant. Map keys are in code-point order.
"""
import io, json, sys
import fastavro

INTS = [0, -1, 2**31 - 1, -2**31, 1, 63, -64, 123456]
LONGS = [0, -1, 2**63 - 1, -2**63, 1, 2**32, -2**40, 1700000000123]
TIMESTAMPS = [0, -1, 1700000000123, -86400000, 1, 253402300799999, 86400000, 1234567890123]
FLOATS = [0.0, float("nan"), float("inf"), float("-inf"), 1.5, -2.5, 3.4028234663852886e38, -0.0]
DOUBLES = [0.0, float("nan"), float("inf"), float("-inf"), 1e308, -5e-324, 2.5, -0.0]
STRINGS = ["", "ü日本語🎉", "a", "x" * 300, "line\nbreak \"quoted\"", "\u0000nul", "Ω", "ascii"]
BYTES = [b"", b"\x00\xff", b"a", bytes(range(256)), b"\x80", b"xyz", b"\x7f" * 40, b"\x01"]
SIZES = [0, 1, 3, 1000, 2, 0, 5, 1]
MAP_SIZES = [0, 1, 3, 60, 2, 0, 4, 1]


def value(schema, k, named):
    if isinstance(schema, str) and schema in named:
        schema = named[schema]
    if isinstance(schema, list):
        return value(schema[k % len(schema)], k // len(schema) + k, named)
    kind = schema if isinstance(schema, str) else schema["type"]
    logical = None if isinstance(schema, str) else schema.get("logicalType")
    if isinstance(kind, (dict, list)) or (isinstance(kind, str) and kind in named):
        return value(kind, k, named)
    k %= 8
    if kind == "null": return None
    if kind == "boolean": return k % 2 == 1
    if kind == "int": return INTS[k] if logical != "date" else INTS[k] % 100000
    if kind == "long": return TIMESTAMPS[k] if logical and "timestamp" in logical else LONGS[k]
    if kind == "float": return FLOATS[k]
    if kind == "double": return DOUBLES[k]
    if kind == "string": return STRINGS[k]
    if kind == "bytes": return BYTES[k]
    if kind == "enum": return schema["symbols"][k % len(schema["symbols"])]
    if kind == "fixed": return bytes((k * 37 + i) % 256 for i in range(schema["size"]))
    if kind == "array": return [value(schema["items"], k + i, named) for i in range(SIZES[k])]
    if kind == "map":
        keys = sorted({STRINGS[(k + i) % 8][:20] + str(i) for i in range(MAP_SIZES[k])})
        return {key: value(schema["values"], k + i, named) for i, key in enumerate(keys)}
    if kind in ("record", "error"):
        return {f["name"]: value(f["type"], k + i, named) for i, f in enumerate(schema["fields"])}
    raise ValueError(kind)


def main():
    variants = int(sys.argv[1])
    named = {}
    for path in sys.argv[2:]:
        with open(path) as f:
            parsed = fastavro.parse_schema(json.load(f), named_schemas=named)
        root = parsed.get("name", "")
        for k in range(variants):
            buffer = io.BytesIO()
            fastavro.schemaless_writer(buffer, parsed, value(parsed, k, named))
            print(root, buffer.getvalue().hex())


main()

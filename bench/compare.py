#!/usr/bin/env python3
"""compare.py: one table per benchmark from the JSON lines every bench prints.

    python3 bench/compare.py                      # the newest bench/results/*.jsonl
    python3 bench/compare.py bench/results/X.jsonl [more.jsonl ...]
    bench/restart/run build-bench | python3 bench/compare.py -

Each line is {"bench":..., "system":..., "unit":..., "value":..., extras...}.
For each bench, every system's value is printed with its ratio to grove's
(system / grove). Which way is better depends on the unit: a rate ("msg/s",
"round trips/s", anything ending in "/s") is better higher, so a ratio
below 1 means grove wins; anything else (seconds, "s per round trip",
bytes) is better lower, so a ratio above 1 means grove wins. When a bench
and system appear twice, the later line wins. Lines that are not JSON
objects with bench/system/unit/value are ignored (counted on stderr).
"""
import glob
import json
import os
import sys

CORE_KEYS = ("bench", "system", "unit", "value")
REFERENCE = "grove"
# Extra fields that are figures in the bench's own unit (spreads, and the
# other way of counting the same thing), printed like the value.
SAME_UNIT_EXTRAS = ("min", "max", "received_median", "stat_ticks_s", "pss")


def higher_is_better(unit):
    return unit.endswith("/s")


def format_seconds(v):
    for scale, name in ((1, "s"), (1e-3, "ms"), (1e-6, "µs")):
        if abs(v) >= scale:
            return f"{v / scale:.4g} {name}"
    return f"{v / 1e-9:.4g} ns" if v else "0 s"


def format_bytes(v):
    for scale, name in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if abs(v) >= scale:
            return f"{v / scale:.2f} {name}"
    return f"{v:.0f} B"


def format_rate(v, unit):
    for scale, name in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= scale:
            return f"{v / scale:.2f} {name} {unit}"
    return f"{v:.2f} {unit}"


def format_value(v, unit, extras):
    if unit == "s" or unit.startswith("s per"):
        text = format_seconds(v) + unit[1:]
        return text + (f" per {extras['per']}" if "per" in extras else "")
    if unit.startswith("bytes"):
        return format_bytes(v) + unit[len("bytes"):]
    if higher_is_better(unit):
        return format_rate(v, unit)
    return f"{v:.4g} {unit}"


def format_extra(key, value, record):
    if key in SAME_UNIT_EXTRAS and isinstance(value, (int, float)):
        return format_value(value, record["unit"], {})
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def read_lines(paths):
    """Returns {bench: {system: record}} in first-seen order, and the skip count."""
    table, skipped = {}, 0
    for path in paths:
        stream = sys.stdin if path == "-" else open(path, encoding="utf-8")
        with stream:
            for line in stream:
                line = line.strip()
                if not line:
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    skipped += 1
                    continue
                if not isinstance(record, dict) or not all(k in record for k in CORE_KEYS) \
                        or not isinstance(record["value"], (int, float)):
                    skipped += 1
                    continue
                table.setdefault(table_key(record), {})[record["system"]] = record
    return table, skipped


# Fields that make a different comparison of the same bench (ipc's placement
# and sender count): each combination gets its own table.
VARIANT_KEYS = ("cpus", "senders", "placement")


def table_key(record):
    variant = ", ".join(f"{k}={record[k]}" for k in VARIANT_KEYS
                        if k in record and record["bench"].startswith("ipc."))
    return record["bench"] + (f" ({variant})" if variant else "")


def ratio_text(value, reference):
    if reference is None:
        return "—"
    if reference == 0:
        return "=" if value == 0 else "∞"
    return f"{value / reference:.2f}×"


def notes_text(record, shared_cpus):
    extras = {k: v for k, v in record.items() if k not in CORE_KEYS + ("per", "host_busy")}
    if extras.get("cpus") == shared_cpus:
        extras.pop("cpus", None)
    text = ", ".join(f"{k}={format_extra(k, v, record)}" for k, v in extras.items())
    return text if len(text) <= 90 else text[:87] + "..."


def print_bench(bench, systems):
    records = list(systems.values())
    unit = records[0]["unit"]
    reference = systems.get(REFERENCE, {}).get("value")
    if higher_is_better(unit):
        how = "higher is better: a ratio below 1 means grove is ahead"
    else:
        how = "lower is better: a ratio above 1 means grove is ahead"
    cpus = {r.get("cpus") for r in records}
    shared_cpus = cpus.pop() if len(cpus) == 1 else None
    print(f"{bench}  [{unit}; {how}]" + (f"  cpus {shared_cpus}" if shared_cpus else ""))
    if reference is None:
        print("  (no grove figure in these results: ratios left out)")
    # host_busy: how busy the whole machine was while the figure was taken.
    rows = [("system", "value", "vs grove", "host busy", "notes")]
    ordered = sorted(records, key=lambda r: r["system"] != REFERENCE)
    for r in ordered:
        busy = r.get("host_busy")
        rows.append((r["system"], format_value(r["value"], r["unit"], r),
                     ratio_text(r["value"], reference),
                     f"{busy:.0%}" if isinstance(busy, (int, float)) else "",
                     notes_text(r, shared_cpus)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        print("  " + "  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths)) + "  " + row[4])
    print()


def default_paths():
    here = os.path.dirname(os.path.abspath(__file__))
    files = sorted(glob.glob(os.path.join(here, "results", "*.jsonl")))
    return files[-1:]


def main(argv):
    if any(a in ("-h", "--help") for a in argv):
        print(__doc__.strip())
        return 0
    paths = argv or default_paths()
    if not paths:
        print("compare.py: no results given and none in bench/results/", file=sys.stderr)
        return 2
    table, skipped = read_lines(paths)
    if skipped:
        print(f"compare.py: ignored {skipped} line(s) that are not figures", file=sys.stderr)
    if not table:
        print("compare.py: no figures found in " + ", ".join(paths), file=sys.stderr)
        return 1
    print("results: " + ", ".join(paths) + "\n")
    for bench, systems in table.items():
        print_bench(bench, systems)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

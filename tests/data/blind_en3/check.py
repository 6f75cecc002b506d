#!/usr/bin/env python3
"""Validate items.jsonl of blind_en3: format, unique ids/texts, and the expected counts."""
import json, re, sys, collections, os

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "items.jsonl")
EXPECTED = {("threat", True): 40, ("threat", False): 20,
            ("incitement", True): 47, ("incitement", False): 23,
            ("violence", True): 15, ("violence", False): 5,
            ("clean", False): 150}
errors = []
items = []
with open(path, encoding="utf-8") as f:
    for n, line in enumerate(f, 1):
        try:
            items.append(json.loads(line))
        except Exception as e:
            errors.append(f"line {n}: {e}")
keys = {"id", "text", "label", "obvious", "note", "lang"}
for it in items:
    if set(it) != keys: errors.append(f"{it.get('id')}: keys {sorted(it)}")
    if it.get("label") not in {"clean", "threat", "incitement", "violence"}: errors.append(f"{it['id']}: label")
    if not isinstance(it.get("obvious"), bool): errors.append(f"{it['id']}: obvious not bool")
    if it.get("lang") != "en": errors.append(f"{it['id']}: lang")
    if it.get("label") == "clean":
        if it["obvious"]: errors.append(f"{it['id']}: clean marked obvious")
        if not re.match(r"^(easy negative:|hard negative \([^)]+\):)", it["note"]): errors.append(f"{it['id']}: clean note prefix")
ids = [it["id"] for it in items]
if ids != [f"q{i:04d}" for i in range(1, len(items) + 1)]: errors.append("ids not q0001..qNNNN in order")
if len(set(it["text"] for it in items)) != len(items): errors.append("duplicate texts")
counts = collections.Counter((it["label"], it["obvious"]) for it in items)
if dict(counts) != EXPECTED: errors.append(f"counts {dict(counts)} != {EXPECTED}")
kinds = collections.Counter()
for it in items:
    if it["label"] == "clean":
        m = re.match(r"^hard negative \(([^)]+)\):", it["note"])
        kinds[m.group(1) if m else "easy negative"] += 1
print(f"{'label':<12}{'obvious':>8}{'not obvious':>13}{'total':>7}")
for lab in ["threat", "incitement", "violence", "clean"]:
    a, b = counts[(lab, True)], counts[(lab, False)]
    print(f"{lab:<12}{a:>8}{b:>13}{a+b:>7}")
print(f"{'total':<12}{sum(v for (l,o),v in counts.items() if o):>8}{sum(v for (l,o),v in counts.items() if not o):>13}{len(items):>7}")
print()
for k, v in sorted(kinds.items()): print(f"{k}: {v}")
if errors:
    print("\nERRORS:"); [print(" ", e) for e in errors]; sys.exit(1)
print("\nOK")

#!/usr/bin/env python3
"""Check 001.jsonl..006.jsonl against the brief (stdlib only)."""
import json, os, re, sys
from collections import Counter
HERE = os.path.dirname(os.path.abspath(__file__))
WANT = {("incitement", True): 14, ("incitement", False): 6, ("threat", True): 14,
        ("threat", False): 6, ("violence", True): 4, ("violence", False): 6,
        ("clean", False): 50}
ORDER = ["incitement", "threat", "violence", "clean"]
errs = []
seen_text = set()
n = 0
tot = Counter()
for f in range(1, 7):
    name = f"{f:03d}.jsonl"
    raw = open(os.path.join(HERE, name), "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        errs.append(f"{name}: BOM")
    lines = raw.decode("utf-8").split("\n")
    if lines[-1] == "":
        lines = lines[:-1]
    if len(lines) != 100:
        errs.append(f"{name}: {len(lines)} lines")
    c = Counter(); en = 0; labels = []
    for i, line in enumerate(lines):
        n += 1
        try:
            d = json.loads(line)
        except Exception as e:
            errs.append(f"{name}:{i+1} bad JSON {e}"); continue
        if line != json.dumps(d, ensure_ascii=False, separators=(",", ":")):
            errs.append(f"{name}:{i+1} not compact")
        keys = list(d)
        if keys[:5] != ["id", "text", "label", "obvious", "note"] or set(keys[5:]) - {"lang"}:
            errs.append(f"{name}:{i+1} keys {keys}")
        if d["id"] != f"F-{n:04d}":
            errs.append(f"{name}:{i+1} id {d['id']} expected F-{n:04d}")
        if d["label"] not in ORDER:
            errs.append(f"{name}:{i+1} label {d['label']}")
        if not isinstance(d["obvious"], bool):
            errs.append(f"{name}:{i+1} obvious not bool")
        if d["label"] == "clean" and d["obvious"]:
            errs.append(f"{name}:{i+1} clean item obvious")
        if "lang" in d:
            if d["lang"] != "en": errs.append(f"{name}:{i+1} lang {d['lang']}")
            en += 1
        if re.search(r"\d{5,}", line):
            errs.append(f"{name}:{i+1} digit run of 5+")
        if not d["text"].strip() or not d["note"].strip():
            errs.append(f"{name}:{i+1} empty text/note")
        k = d["text"].lower()
        if k in seen_text: errs.append(f"{name}:{i+1} duplicate text")
        seen_text.add(k)
        # an item set to obvious:false by the second reading of 2026-12-06
        # (../SECOND_READING.md) counts as the writer's obvious item
        c[(d["label"], d["obvious"] or "second reading 2026-12-06" in d["note"])] += 1
        labels.append(d["label"])
    for k, v in WANT.items():
        if c[k] != v: errs.append(f"{name}: {k} = {c[k]}, want {v}")
    if labels != sorted(labels, key=ORDER.index):
        errs.append(f"{name}: not grouped by kind")
    if not 3 <= en <= 8:
        errs.append(f"{name}: {en} English items")
    tot += c
    print(f"{name}: " + ", ".join(f"{l}/{'obv' if o else 'not'}={c[(l,o)]}" for l, o in WANT) + f", en={en}")
print("total items", n, dict(tot))
if n != 600: errs.append(f"total {n}")
for e in errs: print("ERROR", e)
print("OK" if not errs else f"{len(errs)} errors")
sys.exit(1 if errs else 0)

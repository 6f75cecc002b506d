#!/usr/bin/env python3
"""Check writer_h's six files: JSON, exact keys, ids, counts, grouping, no 5-digit runs, no duplicates."""
import json, re, sys, pathlib

HERE = pathlib.Path(__file__).resolve().parent
KEYS = {"id", "text", "label", "obvious", "note"}
# (label, obvious, count) in file order
LAYOUT = [("incitement", True, 14), ("incitement", False, 6),
          ("threat", True, 14), ("threat", False, 6),
          ("violence", True, 4), ("violence", False, 6),
          ("clean", False, 50)]
errors = []
seen_texts = {}
expected_id = 1
for f in range(1, 7):
    path = HERE / f"{f:03d}.jsonl"
    raw = path.read_bytes().decode("utf-8")
    if not raw.endswith("\n"):
        errors.append(f"{path.name}: no final newline")
    lines = raw.split("\n")[:-1]
    if len(lines) != 100:
        errors.append(f"{path.name}: {len(lines)} lines, want 100")
    items = []
    for i, line in enumerate(lines, 1):
        where = f"{path.name}:{i}"
        try:
            d = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"{where}: bad JSON: {e}")
            continue
        compact = json.dumps(d, ensure_ascii=False, separators=(",", ":"))
        if compact != line:
            errors.append(f"{where}: not compact JSON")
        keys = set(d)
        want = KEYS | ({"lang"} if "lang" in d else set())
        if keys != want or list(d)[:5] != ["id", "text", "label", "obvious", "note"]:
            errors.append(f"{where}: keys {list(d)}")
        if "lang" in d and d["lang"] != "en":
            errors.append(f"{where}: lang must be 'en'")
        if d.get("id") != f"H-{expected_id:04d}":
            errors.append(f"{where}: id {d.get('id')}, want H-{expected_id:04d}")
        expected_id += 1
        if not isinstance(d.get("obvious"), bool):
            errors.append(f"{where}: obvious not bool")
        t = d.get("text", "")
        if not isinstance(t, str) or not t.strip() or t != t.strip():
            errors.append(f"{where}: empty or padded text")
        if re.search(r"\d{5,}", t):
            errors.append(f"{where}: run of 5+ digits")
        if not str(d.get("note", "")).strip():
            errors.append(f"{where}: empty note")
        key = re.sub(r"\s+", " ", t.casefold()).strip()
        if key in seen_texts:
            errors.append(f"{where}: duplicate text of {seen_texts[key]}")
        seen_texts[key] = d.get("id")
        items.append(d)
    # grouping and counts, in order
    pos = 0
    for label, obvious, n in LAYOUT:
        for k in range(n):
            if pos >= len(items):
                break
            d = items[pos]
            if d.get("label") != label or d.get("obvious") != obvious:
                errors.append(f"{path.name}:{pos+1}: {d.get('label')}/{d.get('obvious')}, want {label}/{obvious}")
            pos += 1
    en = sum(1 for d in items if d.get("lang") == "en")
    if en != 6:
        errors.append(f"{path.name}: {en} English items, want 6")
    if any(d.get("label") == "personal_data" for d in items):
        errors.append(f"{path.name}: personal_data item present")
if expected_id - 1 != 600:
    errors.append(f"total {expected_id - 1} items, want 600")
for e in errors:
    print(e)
if errors:
    print(f"{len(errors)} problem(s)")
    sys.exit(1)
print("OK")

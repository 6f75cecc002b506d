#!/usr/bin/env python3
"""Check 001..006.jsonl: valid JSON, exact keys, ids G-0001..G-0600 without gaps,
per-file counts, grouping order, no 5+ digit run, no BOM, no duplicate texts;
also clean sub-kind counts from src/*.txt."""
import json, os, re, sys, collections
HERE = os.path.dirname(os.path.abspath(__file__))
WANT = {("incitement", True): 14, ("incitement", False): 6, ("threat", True): 14, ("threat", False): 6,
        ("violence", True): 4, ("violence", False): 6, ("clean", True): 0, ("clean", False): 50}
ORDER = ["incitement", "threat", "violence", "clean"]
errs, expect, texts = [], 1, {}
for f in range(1, 7):
    p = os.path.join(HERE, "%03d.jsonl" % f)
    raw = open(p, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"): errs.append("%s: BOM" % p)
    lines = raw.decode("utf-8").split("\n")
    if lines[-1] == "": lines = lines[:-1]
    cnt, en, last = collections.Counter(), 0, 0
    if len(lines) != 100: errs.append("%s: %d lines" % (p, len(lines)))
    for i, line in enumerate(lines, 1):
        o = json.loads(line)
        keys = set(o)
        base = {"id", "text", "label", "obvious", "note"}
        if keys != base and keys != base | {"lang"}: errs.append("%s:%d keys %s" % (p, i, keys))
        if "lang" in o:
            if o["lang"] != "en": errs.append("%s:%d lang" % (p, i))
            en += 1
        if o["id"] != "G-%04d" % expect: errs.append("%s:%d id %s want G-%04d" % (p, i, o["id"], expect))
        expect += 1
        if o["label"] not in ORDER: errs.append("%s:%d label" % (p, i))
        k = ORDER.index(o["label"])
        if k < last: errs.append("%s:%d not grouped" % (p, i))
        last = k
        if not isinstance(o["obvious"], bool): errs.append("%s:%d obvious type" % (p, i))
        if re.search(r"\d{5,}", line): errs.append("%s:%d 5+ digit run" % (p, i))
        if not o["text"].strip() or not o["note"].strip(): errs.append("%s:%d empty" % (p, i))
        t = o["text"].lower()
        if t in texts: errs.append("%s:%d duplicate text of %s" % (p, i, texts[t]))
        texts[t] = o["id"]
        # an item set to obvious:false by the second reading of 2026-12-06
        # (../SECOND_READING.md) counts as the writer's obvious item
        cnt[(o["label"], o["obvious"] or "second reading 2026-12-06" in o["note"])] += 1
    for k, v in WANT.items():
        if cnt[k] != v: errs.append("%s: %s obvious=%s has %d want %d" % (p, k[0], k[1], cnt[k], v))
    # clean sub-kinds from source
    # (the source lines stayed in the writer's folder: checked there only)
    sub = collections.Counter()
    source = os.path.join(HERE, "src", "%03d.txt" % f)
    if os.path.exists(source):
        for line in open(source, encoding="utf-8"):
            if line.startswith("C"): sub[line[:2]] += 1
        if sub["Ci"] < 25: errs.append("%s: only %d idiomatic clean" % (p, sub["Ci"]))
        if sub["Ch"] < 15: errs.append("%s: only %d hard negatives" % (p, sub["Ch"]))
    print("%03d.jsonl: %s en=%d clean kinds idiom=%d hardneg=%d everyday=%d" % (
        f, " ".join("%s%s=%d" % (k[0][:3], "+" if k[1] else "-", cnt[k]) for k in WANT), en, sub["Ci"], sub["Ch"], sub["Ce"]))
if expect != 601: errs.append("ids end at G-%04d" % (expect - 1))
for e in errs: print("ERROR", e)
print("OK" if not errs else "%d errors" % len(errs))
sys.exit(1 if errs else 0)

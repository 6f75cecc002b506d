import json, re, os, sys, collections
OUT = os.path.dirname(os.path.abspath(__file__))
def luhn(s):
    t = 0
    for i, ch in enumerate(reversed(s)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9: d -= 9
        t += d
    return t % 10 == 0
ok = True; allids = []; tot = collections.Counter(); en = 0; lens = []
want = {("incitement", True): 14, ("incitement", False): 6, ("threat", True): 14, ("threat", False): 6,
        ("violence", True): 4, ("violence", False): 6, ("clean", False): 50}
texts = set()
for f in range(1, 7):
    p = os.path.join(OUT, "%03d.jsonl" % f)
    c = collections.Counter(); fen = 0
    lines = open(p, encoding="utf-8").read().split("\n")
    assert lines[-1] == ""; lines = lines[:-1]
    for i, line in enumerate(lines):
        d = json.loads(line)
        keys = set(d)
        if not (keys == {"id", "text", "label", "obvious", "note"} or keys == {"id", "text", "label", "obvious", "note", "lang"}):
            print("bad keys", d); ok = False
        if "lang" in d and d["lang"] != "en": print("bad lang", d); ok = False
        if d["label"] not in ("incitement", "threat", "violence", "clean"): print("bad label", d); ok = False
        if not isinstance(d["obvious"], bool): print("bad obvious", d); ok = False
        if d["label"] == "clean" and d["obvious"]: print("clean obvious", d); ok = False
        if d["id"] != "E-%04d" % ((f - 1) * 100 + i + 1): print("bad id", d["id"]); ok = False
        if not d["text"].strip() or not d["note"].strip(): print("empty", d); ok = False
        if d["text"] in texts: print("dup", d["text"]); ok = False
        texts.add(d["text"])
        for m in re.finditer(r"\d[\d \-+]{8,16}\d", d["text"]):
            digits = re.sub(r"\D", "", m.group())
            for L in (10, 12):
                for k in range(0, len(digits) - L + 1):
                    if luhn(digits[k:k+L]): print("LUHN", d["id"], digits[k:k+L]); ok = False
        for m in re.finditer(r"\d{10}|\d{12}", d["text"]):
            pass
        # an item set to obvious:false by the second reading of 2026-12-06
        # (../SECOND_READING.md) counts as the writer's obvious item
        c[(d["label"], d["obvious"] or "second reading 2026-12-06" in d["note"])] += 1; tot[(d["label"], d["obvious"] or "second reading 2026-12-06" in d["note"])] += 1
        if "lang" in d: fen += 1; en += 1
        lens.append(len(d["text"])); allids.append(d["id"])
    if dict(c) != want: print("file", f, "counts", dict(c)); ok = False
    print("file %03d: %d items, en=%d" % (f, len(lines), fen))
assert allids == ["E-%04d" % i for i in range(1, len(allids) + 1)]
print(dict(tot)); print("english", en, "of", len(allids)); 
lens.sort(); print("len min/median/max", lens[0], lens[len(lens)//2], lens[-1], "short<=40:", sum(1 for l in lens if l <= 40), "long>=200:", sum(1 for l in lens if l >= 200))
print("OK" if ok else "FAIL")

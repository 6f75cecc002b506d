#!/usr/bin/env python3
"""Check the files of the writers H to K, each written to a brief.

Each writer folder holds 001.jsonl … 006.jsonl, 100 items each, ids
<LETTER>-0001 … <LETTER>-0600 without gaps, the kinds of its brief in the
brief's order per file (`BRIEFS`: writer H's, and the one of session 24 for
I, J and K), and the brief's English items per file. Also: compact JSON
with the keys id, text, label, obvious, note (and lang last, "en" only), no
run of five or more digits, no e-mail address, no Cyrillic look-alike
letter, and no text twice across all the folders checked (case and space
folded). An item whose note says "second reading 2026-12-06" was written
`obvious: true` and set to false by that second reading
(`SECOND_READING.md`); it counts as the writer's obvious item.

Usage: python3 tests/data/train/check_writers.py [writer_h writer_i …]
(all four when none is named). Prints OK, or one line per problem and
exits 1.
"""
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
KEYS = ["id", "text", "label", "obvious", "note"]
# Per brief: (label, obvious, how many) in file order, and the English
# items of a file by (label, obvious).
SESSION_17 = ([("incitement", True, 14), ("incitement", False, 6),
               ("threat", True, 14), ("threat", False, 6),
               ("violence", True, 4), ("violence", False, 6),
               ("clean", False, 50)],
              {("incitement", True): 2, ("threat", True): 1, ("violence", True): 1,
               ("clean", False): 2})
SESSION_24 = ([("incitement", True, 16), ("incitement", False, 5),
               ("threat", True, 16), ("threat", False, 5),
               ("violence", True, 3), ("violence", False, 5),
               ("clean", False, 50)],
              {("incitement", True): 1, ("threat", True): 1, ("clean", False): 2})
BRIEFS = {"writer_h": SESSION_17, "writer_i": SESSION_24, "writer_j": SESSION_24,
          "writer_k": SESSION_24}
FILES, PER_FILE = 6, 100
SECOND_READING = "second reading 2026-12-06"


def check_item(where, line, want_id, problems):
    """The parsed item of one line, with its problems appended."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        problems.append(f"{where}: bad JSON: {error}")
        return None
    if json.dumps(item, ensure_ascii=False, separators=(",", ":")) != line:
        problems.append(f"{where}: not compact JSON")
    if list(item) not in (KEYS, KEYS + ["lang"]) or item.get("lang", "en") != "en":
        problems.append(f"{where}: keys {list(item)}")
    if item.get("id") != want_id:
        problems.append(f"{where}: id {item.get('id')}, want {want_id}")
    text = item.get("text", "")
    if not isinstance(text, str) or not text.strip() or text != text.strip():
        problems.append(f"{where}: empty or padded text")
    elif re.search(r"\d{5,}", text):
        problems.append(f"{where}: a run of five or more digits")
    elif re.search(r"\S+@\S+\.\w+", text):
        problems.append(f"{where}: an e-mail address")
    elif re.search("[\u0400-\u04ff]", text):
        problems.append(f"{where}: a Cyrillic letter")
    if not isinstance(item.get("obvious"), bool) or not str(item.get("note", "")).strip():
        problems.append(f"{where}: obvious not a boolean, or no note")
    return item


def check_file(path, letter, first_id, brief, seen, problems):
    """Checks one file against its writer's `brief`; `seen` maps folded
    texts to ids across all files."""
    layout, wanted_english = brief
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines[-1] != "" or len(lines) != PER_FILE + 1:
        problems.append(f"{path}: want {PER_FILE} lines and a final newline")
    expected = [(label, obvious) for label, obvious, n in layout for _ in range(n)]
    english = {}
    for at, line in enumerate(lines[:-1]):
        item = check_item(f"{path}:{at + 1}", line, f"{letter}-{first_id + at:04d}", problems)
        if item is None:
            continue
        kind = (item.get("label"), item.get("obvious"))
        if kind[1] is False and SECOND_READING in str(item.get("note", "")):
            kind = (kind[0], True)  # as the writer wrote it, before the second reading
        if at < len(expected) and kind != expected[at]:
            problems.append(f"{path}:{at + 1}: {kind}, want {expected[at]}")
        if item.get("lang") == "en":
            english[kind] = english.get(kind, 0) + 1
        folded = re.sub(r"\s+", " ", str(item.get("text", "")).casefold()).strip()
        if folded in seen:
            problems.append(f"{path}:{at + 1}: the same text as {seen[folded]}")
        seen[folded] = item.get("id")
    if english != wanted_english:
        problems.append(f"{path}: English items {english}, want {wanted_english}")


def main():
    folders = sys.argv[1:] or list(BRIEFS)
    problems, seen = [], {}
    for folder in folders:
        letter = folder.removeprefix("writer_").upper()
        for number in range(1, FILES + 1):
            path = HERE / folder / f"{number:03d}.jsonl"
            check_file(path, letter, (number - 1) * PER_FILE + 1, BRIEFS[folder], seen,
                       problems)
    for problem in problems:
        print(problem)
    if problems:
        sys.exit(1)
    print("OK")


if __name__ == "__main__":
    main()

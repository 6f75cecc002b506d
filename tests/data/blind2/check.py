#!/usr/bin/env python3
"""Validate the second blind set (items.jsonl) and print its counts.

The set is only worth something if its format cannot drift and its identity
numbers are what the README promises: every number in a personal_data item
is a constructed, checksum-valid identity or co-ordination number (serial
970-989, born 1900-2020), and no number-like string anywhere else is a valid
identity number, so a classifier that flags a clean item for one is wrong.

Usage (stdlib only):
    python3 tests/data/blind2/check.py          # exit status 1 on any problem
    python3 tests/data/blind2/check.py --counts # also print the counts table
"""

import argparse
import datetime
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent
ITEMS = HERE / "items.jsonl"
SIZE = 320
LABELS = ("incitement", "threat", "violence", "personal_data", "clean")
FIELDS = {"id", "text", "label", "obvious", "note"}
OPTIONAL = {"lang"}
# The reference year for the century of a 10-digit number: the set was written in 2026.
REFERENCE_YEAR = 2026

# An identity number as people write it: YYMMDD, YYYYMMDD or "YY MM DD", an
# optional separator ("-", "+" or a space), three serial digits and a check digit
# (the four also written in pairs, "97 52").
SHAPE = re.compile(r"(?<![\d])(\d{6}|\d{8}|\d\d \d\d \d\d)([-+ ]?)(\d\d ?\d)(\d)(?![\d])")
# Any run of digits joined by single separators, for the strict clean check.
DIGIT_RUN = re.compile(r"\d+(?:[-+ ./]\d+)*")


def luhn_ok(digits10):
    """Whether the last of ten digits is the Luhn check digit of the first nine."""
    total = 0
    for i, ch in enumerate(digits10[:9]):
        product = int(ch) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10 == int(digits10[9])


def birth_date(year, month, day):
    """The birth date, allowing co-ordination days (day + 60); None when none exists."""
    if day > 60:
        day -= 60
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def century_year(yy, separator):
    """The full birth year of a 10-digit number: '+' means 100 years or older."""
    year = 2000 + yy if 2000 + yy <= REFERENCE_YEAR else 1900 + yy
    if separator == "+":
        year -= 100
    return year


def parse_shape(match):
    """(year, month, day, serial, digits10) of an identity-number-shaped match."""
    date_part, separator, serial, check = match.groups()
    date_part = date_part.replace(" ", "")
    serial = serial.replace(" ", "")
    if len(date_part) == 8:
        year = int(date_part[:4])
        short = date_part[2:]
    else:
        year = century_year(int(date_part[:2]), separator)
        short = date_part
    month, day = int(short[2:4]), int(short[4:6])
    return year, month, day, int(serial), short + serial + check


def could_be_identity_number(digits):
    """Whether a 10- or 12-digit string passes the checksum and names a real (or co-ordination) date, in any century."""
    if len(digits) == 12:
        if digits[:2] not in ("18", "19", "20"):
            return False
        years = [int(digits[:4])]
        digits = digits[2:]
    elif len(digits) == 10:
        years = [1800 + int(digits[:2]), 1900 + int(digits[:2]), 2000 + int(digits[:2])]
    else:
        return False
    if not luhn_ok(digits):
        return False
    month, day = int(digits[2:4]), int(digits[4:6])
    return any(birth_date(year, month, day) for year in years)


def valid_identity_numbers_anywhere(text):
    """Every 10- or 12-digit window of the text's digit runs that could be a valid identity number."""
    found = []
    for run in DIGIT_RUN.finditer(text):
        digits = re.sub(r"\D", "", run.group())
        for width in (10, 12):
            for start in range(0, len(digits) - width + 1):
                window = digits[start : start + width]
                if could_be_identity_number(window):
                    found.append(window)
    return found


def constructed_number_problem(match):
    """Why an identity number in a personal_data item breaks the set's rule, or None."""
    year, month, day, serial, digits10 = parse_shape(match)
    if not luhn_ok(digits10):
        return f"{match.group()}: check digit wrong"
    date = birth_date(year, month, day)
    if date is None:
        return f"{match.group()}: no such date"
    if not 1900 <= date.year <= 2020:
        return f"{match.group()}: born {date.year}, outside 1900-2020"
    if not 970 <= serial <= 989:
        return f"{match.group()}: serial {serial} outside 970-989"
    return None


def item_problems(item, expected_id):
    """Everything wrong with one item, as messages."""
    problems = []
    keys = set(item)
    if not FIELDS <= keys or keys - FIELDS - OPTIONAL:
        problems.append(f"fields {sorted(keys)}")
    if item.get("id") != expected_id:
        problems.append(f"id {item.get('id')!r}, expected {expected_id}")
    if item.get("label") not in LABELS:
        problems.append(f"label {item.get('label')!r}")
    if not isinstance(item.get("obvious"), bool):
        problems.append("obvious is not a boolean")
    if item.get("label") == "clean" and item.get("obvious"):
        problems.append("clean items are never obvious")
    if "lang" in item and item["lang"] != "en":
        problems.append(f"lang {item['lang']!r}: only 'en' is used")
    for key in ("text", "note"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            problems.append(f"{key} is empty")
    if problems:
        return problems
    problems += identity_number_problems(item)
    return problems


def identity_number_problems(item):
    """Identity-number rules: constructed numbers in personal_data, none valid elsewhere."""
    text = item["text"]
    if item["label"] == "personal_data":
        problems = [p for p in map(constructed_number_problem, SHAPE.finditer(text)) if p]
        if item["obvious"] and not SHAPE.search(text):
            problems.append("obvious personal_data item without an identity number")
        return problems
    return [f"{n} is a valid identity number in a {item['label']} item" for n in valid_identity_numbers_anywhere(text)]


def read_items(path=ITEMS):
    """The items, failing with the line number when a line is not JSON."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            sys.exit(f"line {number}: empty line")
        try:
            items.append(json.loads(line))
        except json.JSONDecodeError as error:
            sys.exit(f"line {number}: not JSON ({error})")
    return items


def counts_table(items):
    """The README's counts table, as Markdown lines."""
    lines = ["| label | obvious | not obvious | total | English |", "|---|---|---|---|---|"]
    for label in LABELS:
        rows = [i for i in items if i["label"] == label]
        obvious = sum(i["obvious"] for i in rows)
        english = sum(i.get("lang") == "en" for i in rows)
        lines.append(f"| {label} | {obvious} | {len(rows) - obvious} | {len(rows)} | {english} |")
    obvious = sum(i["obvious"] for i in items)
    english = sum(i.get("lang") == "en" for i in items)
    lines.append(f"| **total** | {obvious} | {len(items) - obvious} | {len(items)} | {english} |")
    return lines


def main(path=ITEMS, size=SIZE, prefix="c", description=__doc__.splitlines()[0]):
    """Checks the set at `path` (ids prefix0001..prefix{size}); the third and
    fourth sets (tests/data/blind3/check.py, tests/data/blind4/check.py) call
    this with their own file, size and prefix."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--counts", action="store_true", help="print the counts table")
    args = parser.parse_args()
    items = read_items(path)
    problems = []
    if len(items) != size:
        problems.append(f"{len(items)} items, expected {size}")
    for number, item in enumerate(items, 1):
        problems += [f"{item.get('id', number)}: {p}" for p in item_problems(item, f"{prefix}{number:04d}")]
    texts = [i.get("text") for i in items]
    if len(set(texts)) != len(texts):
        problems.append("duplicate texts")
    if args.counts:
        print("\n".join(counts_table(items)))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)
    print(f"{len(items)} items OK: ids {prefix}0001-{prefix}{size:04d}, labels, format, identity numbers")


if __name__ == "__main__":
    main()

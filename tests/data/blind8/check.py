#!/usr/bin/env python3
"""Validate the eighth blind set (items.jsonl) and print its counts.

The same checks as the second set's (tests/data/blind2/check.py, which this
runs with this set's file, size and id prefix): ids m0001-m0340, fields and
labels, and identity numbers valid exactly where the label says personal
data.

Usage (stdlib only):
    python3 tests/data/blind8/check.py          # exit status 1 on any problem
    python3 tests/data/blind8/check.py --counts # also print the counts table
"""

import importlib.util
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
SPEC = importlib.util.spec_from_file_location("blind2_check", HERE.parent / "blind2" / "check.py")
CHECK = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(CHECK)

if __name__ == "__main__":
    CHECK.main(HERE / "items.jsonl", 340, "m", __doc__.splitlines()[0])

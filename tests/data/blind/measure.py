#!/usr/bin/env python3
"""Measure the classifier on the blind labelled set (issue 15).

Joins `kommentarsvakt classify --jsonl` output with the labels in
tune.jsonl / heldout.jsonl and prints, for the full set and for each half:
recall of "flagged" (review or automatic) per label, the share of obvious
items acted on automatically, the precision of automatic actions, automatic
actions and flags on clean items, and Cohen's kappa of flagged vs
(label != clean).

Usage (stdlib only):
    python3 tests/data/blind/measure.py --binary target/debug/kommentarsvakt
    python3 tests/data/blind/measure.py --output verdicts.jsonl

With --binary the texts (id and text only, never the labels) are piped
through `BINARY classify --jsonl` once; with --output an earlier run's output
is read instead. --save FILE keeps the raw output of a --binary run.
--half tune reads and reports only tune.jsonl (for tuning the rules).

--set DIR measures another blind set with the same line format: a folder
with tune.jsonl and heldout.jsonl is read as halves, like this one; a folder
with only items.jsonl (tests/data/blind2/, written to measure, never to tune
on) is reported as one set, and --half and --ids are refused for it.
    python3 tests/data/blind/measure.py --set tests/data/blind2 --binary target/debug/kommentarsvakt
"""

import argparse
import json
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
HALVES = ("tune", "heldout")
# A set that is only measured, never tuned on, is one file without halves.
WHOLE = ("items",)
HARMFUL = ("incitement", "threat", "violence", "personal_data")
AUTOMATIC = {"hide", "delete"}
REVIEW = {"review"}
# The classifier's categories (src/domain/finding.rs) that match each label.
CATEGORIES = {
    "incitement": {"hets_mot_folkgrupp", "uppvigling"},
    "threat": {"olaga_hot", "uppvigling", "terror_uppmaning"},
    "violence": {"olaga_valdsskildring"},
    "personal_data": {
        "personnummer",
        "samordningsnummer",
        "ethnic_origin",
        "political_opinion",
        "religion",
        "trade_union",
        "health",
        "sex_life",
        "genetic_biometric",
    },
}


def read_jsonl(path):
    """The JSON objects of a JSON Lines file, one per non-empty line."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def set_parts(set_dir):
    """The files a set is made of: its two halves, or items.jsonl alone.

    Another set is measured with the same figures without copying this
    script; a set that has no tuning half must never look as if it had one.
    """
    if any((set_dir / f"{half}.jsonl").exists() for half in HALVES):
        return HALVES
    if (set_dir / f"{WHOLE[0]}.jsonl").exists():
        return WHOLE
    sys.exit(f"{set_dir}: neither tune.jsonl/heldout.jsonl nor items.jsonl")


def read_cases(halves=HALVES, set_dir=HERE):
    """Every labelled case of the given halves, keyed by id, with the half it belongs to.

    `--half tune` passes only ("tune",), so whoever tunes the rules never
    reads heldout.jsonl, not even to run it through the classifier.
    """
    cases = {}
    for half in halves:
        for case in read_jsonl(set_dir / f"{half}.jsonl"):
            case["half"] = half
            cases[case["id"]] = case
    return cases


def run_classifier(binary, cases):
    """The classifier's output lines for the cases' ids and texts."""
    stdin = "".join(
        json.dumps({"id": c["id"], "text": c["text"]}, ensure_ascii=False) + "\n"
        for c in cases.values()
    )
    done = subprocess.run(
        [binary, "classify", "--jsonl"],
        input=stdin.encode("utf-8"),
        capture_output=True,
        check=True,
    )
    return done.stdout.decode("utf-8")


def outcome(verdict):
    """'automatic', 'review' or 'none' for one output line."""
    actions = verdict.get("actions")
    if actions is None:
        actions = [verdict.get("action")]
    names = {str(a).lower() for a in actions if a is not None}
    if names & AUTOMATIC:
        return "automatic"
    if names & REVIEW:
        return "review"
    return "none"


def categories(verdict):
    """The categories of a verdict's findings."""
    return {f.get("category") for f in verdict.get("findings") or []}


def join(cases, output_text):
    """(case, outcome, categories) triples; fails loudly when an id is missing or unknown."""
    verdicts = {}
    for line in output_text.splitlines():
        if line.strip():
            verdict = json.loads(line)
            verdicts[str(verdict["id"])] = verdict
    missing = sorted(set(cases) - set(verdicts))
    unknown = sorted(set(verdicts) - set(cases))
    if missing or unknown:
        sys.exit(f"output does not match the set: missing {missing[:5]}, unknown {unknown[:5]}")
    return [(cases[i], outcome(verdicts[i]), categories(verdicts[i])) for i in sorted(cases)]


def share(part, whole):
    """'part/whole (pct %)', or 'part/0' when there is nothing to divide."""
    if whole == 0:
        return f"{part}/0"
    return f"{part}/{whole} ({100 * part / whole:.1f} %)"


def cohen_kappa(pairs):
    """Cohen's kappa of two boolean raters given as (a, b) pairs."""
    n = len(pairs)
    if n == 0:
        return float("nan")
    observed = sum(a == b for a, b in pairs) / n
    a_yes = sum(a for a, _ in pairs) / n
    b_yes = sum(b for _, b in pairs) / n
    expected = a_yes * b_yes + (1 - a_yes) * (1 - b_yes)
    if expected == 1:
        return 1.0
    return (observed - expected) / (1 - expected)


def category_match(case, found):
    """Whether a finding's category is one the case's label calls for."""
    return bool(CATEGORIES.get(case["label"], set()) & found)


def report(title, triples):
    """The figures for one set of (case, outcome, categories), as text lines."""
    joined = [(c, o) for c, o, _ in triples]
    lines = [f"## {title} ({len(joined)} items)", ""]
    lines.append("| label | items | flagged (review or automatic) | automatic | flagged, matching category |")
    lines.append("|---|---|---|---|---|")
    for label in HARMFUL + ("clean",):
        rows = [(c, o, f) for c, o, f in triples if c["label"] == label]
        flagged = sum(o != "none" for _, o, _ in rows)
        automatic = sum(o == "automatic" for _, o, _ in rows)
        matching = sum(o != "none" and category_match(c, f) for c, o, f in rows)
        matching_text = share(matching, len(rows)) if label != "clean" else "–"
        lines.append(
            f"| {label} | {len(rows)} | {share(flagged, len(rows))} "
            f"| {share(automatic, len(rows))} | {matching_text} |"
        )
    harmful = [o for c, o in joined if c["label"] != "clean"]
    lines.append(
        f"| all harmful | {len(harmful)} | {share(sum(o != 'none' for o in harmful), len(harmful))} "
        f"| {share(sum(o == 'automatic' for o in harmful), len(harmful))} | |"
    )
    lines.append("")
    obvious = [o for c, o in joined if c["obvious"]]
    lines.append(
        f"- obvious items acted on automatically: {share(sum(o == 'automatic' for o in obvious), len(obvious))}"
    )
    for label in HARMFUL:
        rows = [o for c, o in joined if c["obvious"] and c["label"] == label]
        if rows:
            lines.append(f"  - {label}: {share(sum(o == 'automatic' for o in rows), len(rows))}")
    # Issue 15's goal names threats to kill or harm, calls for violence
    # against a group and slurs aimed at a group: the threat and incitement
    # labels, not depictions of violence (never acted on by design) nor
    # personal data.
    named = [o for c, o in joined if c["obvious"] and c["label"] in ("threat", "incitement")]
    lines.append(
        "- obvious threats and incitement (the goal's own list) acted on automatically: "
        f"{share(sum(o == 'automatic' for o in named), len(named))}"
    )
    automatic = [c for c, o in joined if o == "automatic"]
    lines.append(
        "- precision of automatic actions (not labelled clean): "
        f"{share(sum(c['label'] != 'clean' for c in automatic), len(automatic))}"
    )
    clean = [(c, o) for c, o in joined if c["label"] == "clean"]
    lines.append(
        f"- automatic actions on clean items: {share(sum(o == 'automatic' for _, o in clean), len(clean))}"
    )
    lines.append(f"- flags on clean items: {share(sum(o != 'none' for _, o in clean), len(clean))}")
    kappa = cohen_kappa([(o != "none", c["label"] != "clean") for c, o in joined])
    lines.append(f"- Cohen's kappa, flagged vs (label != clean): {kappa:.3f}")
    english = [(c, o) for c, o in joined if c.get("lang") == "en" and c["label"] != "clean"]
    lines.append(
        f"- English harmful items flagged: {share(sum(o != 'none' for _, o in english), len(english))}"
    )
    lines.append("")
    return lines


def misses(triples):
    """Ids of the tuning half's harmful items not flagged and clean items acted on.

    The held-out half's errors are deliberately not listed: whoever tunes the
    rules reads only tune.jsonl, and the held-out figures stay a measure.
    """
    joined = [(c, o) for c, o, _ in triples if c["half"] == "tune"]
    missed = [c["id"] for c, o in joined if c["label"] != "clean" and o == "none"]
    wrong = [c["id"] for c, o in joined if c["label"] == "clean" and o == "automatic"]
    flagged_clean = [c["id"] for c, o in joined if c["label"] == "clean" and o == "review"]
    return [
        f"- harmful, not flagged ({len(missed)}): {' '.join(missed)}",
        f"- clean, acted on automatically ({len(wrong)}): {' '.join(wrong)}",
        f"- clean, sent to review ({len(flagged_clean)}): {' '.join(flagged_clean)}",
        "",
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--binary", help="the kommentarsvakt binary to run")
    source.add_argument("--output", help="a saved `classify --jsonl` output")
    parser.add_argument("--save", help="write the raw classifier output here")
    parser.add_argument("--ids", action="store_true", help="also list the ids of the tuning half's errors")
    parser.add_argument(
        "--half",
        choices=HALVES,
        help="read and report only this half (tuning uses --half tune: heldout.jsonl is not opened)",
    )
    parser.add_argument(
        "--set",
        type=pathlib.Path,
        default=HERE,
        metavar="DIR",
        help="the blind set's folder (default: this one); items.jsonl alone is one set without halves",
    )
    args = parser.parse_args()

    parts = set_parts(args.set)
    if parts == WHOLE and (args.half or args.ids):
        parser.error(f"{args.set} has no tuning half: it is measured whole, --half and --ids do not apply")
    halves = (args.half,) if args.half else parts
    cases = read_cases(halves, args.set)
    if args.binary:
        output_text = run_classifier(args.binary, cases)
        if args.save:
            pathlib.Path(args.save).write_text(output_text, encoding="utf-8")
    else:
        output_text = pathlib.Path(args.output).read_text(encoding="utf-8")

    if args.half and args.output:
        # A saved run may hold both halves: keep the lines of this half only.
        output_text = "\n".join(
            line for line in output_text.splitlines() if line.strip() and str(json.loads(line)["id"]) in cases
        )
    joined = join(cases, output_text)
    lines = [] if args.half else report("Full set", joined)
    for half in halves if parts == HALVES else ():
        lines += report(f"Half: {half}", [t for t in joined if t[0]["half"] == half])
    if args.ids:
        lines += ["## Errors in the tuning half (ids)", ""] + misses(joined)
    print("\n".join(lines))


if __name__ == "__main__":
    main()

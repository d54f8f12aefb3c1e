#!/usr/bin/python3
"""fidelity_sentiment.py -- NLTK's side of the sentiment fidelity oracle.

Usage: fidelity_sentiment.py LEXICON RECORDS [MAX_LISTED]

RECORDS holds what tests/fidelity_sentiment.lua wrote: one record per
sentence, "<origin>\\t<our compound>\\t<sentence>" followed by a NUL byte
(sentences may hold tabs but never NUL).  Every sentence is scored with
NLTK's SentimentIntensityAnalyzer on LEXICON (a copy without a final
newline: NLTK 3.8 fails on one) and the compounds are compared.  NLTK
rounds compound to 4 places, so "agree" means |ours - NLTK's| <= 0.001
(the oracle's tolerance) after rounding ours the same way.

Prints the agreement per origin and overall, then every disagreement (up
to MAX_LISTED, default all) as "origin | ours | nltk | sentence".
Exits 0 when at least 99% of the sentences agree, 1 otherwise, 77 when
NLTK is missing.
"""
import sys
import time

try:
    from nltk.sentiment.vader import SentimentIntensityAnalyzer
except ImportError:
    print("SKIP: python3-nltk is not installed", file=sys.stderr)
    sys.exit(77)

TOLERANCE = 0.001
REQUIRED = 0.99


def main():
    lexicon, records = sys.argv[1], sys.argv[2]
    max_listed = int(sys.argv[3]) if len(sys.argv) > 3 else None
    sia = SentimentIntensityAnalyzer(lexicon_file="file:" + lexicon)
    with open(records, "rb") as f:
        data = f.read()
    rows = []
    for rec in data.split(b"\0"):
        if not rec:
            continue
        origin, ours, text = rec.decode("utf-8", "surrogateescape").split("\t", 2)
        rows.append((origin, float(ours), text))
    t0 = time.time()
    per, bad = {}, []
    for origin, ours, text in rows:
        theirs = sia.polarity_scores(text)["compound"]
        ok = abs(round(ours, 4) - theirs) <= TOLERANCE
        n, good = per.get(origin, (0, 0))
        per[origin] = (n + 1, good + ok)
        if not ok:
            bad.append((origin, ours, theirs, text))
    dt = time.time() - t0
    total = len(rows)
    agree = total - len(bad)
    for origin in sorted(per):
        n, good = per[origin]
        print(f"{origin}: {good}/{n} agree ({100.0 * good / n:.3f}%)")
    share = agree / total if total else 1.0
    print(f"total: {agree}/{total} sentences agree within {TOLERANCE} "
          f"({100.0 * share:.3f}%); NLTK took {dt:.1f} s")
    for k, (origin, ours, theirs, text) in enumerate(bad):
        if max_listed is not None and k >= max_listed:
            print(f"... and {len(bad) - k} more")
            break
        print(f"DIFF {origin} | ours {ours:.4f} | nltk {theirs:.4f} | {text!r}")
    sys.exit(0 if share >= REQUIRED else 1)


if __name__ == "__main__":
    main()

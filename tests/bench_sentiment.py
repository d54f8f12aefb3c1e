#!/usr/bin/python3
"""bench_sentiment.py -- NLTK's side of tests/bench_sentiment.c.

Usage: bench_sentiment.py SENTENCES LEXICON [RUNS]

SENTENCES holds NUL-terminated sentences.  They are all read into a list
first; then only the loop calling SentimentIntensityAnalyzer's
polarity_scores() on each is timed (one core, text in memory), RUNS times
(default 2), and the best run is reported, as the C side does.  LEXICON
is copied without its final newline, which NLTK 3.8 cannot read.
Prints "nltk: N sentences in T s: R sentences/s".
"""
import os
import sys
import tempfile
import time

try:
    from nltk.sentiment.vader import SentimentIntensityAnalyzer
except ImportError:
    print("nltk: not installed")
    sys.exit(0)


def main():
    with open(sys.argv[1], "rb") as f:
        sents = [s.decode("utf-8", "surrogateescape")
                 for s in f.read().split(b"\0") if s]
    with open(sys.argv[2], "rb") as f:
        lex = f.read().rstrip(b"\n")
    fd, path = tempfile.mkstemp(suffix=".txt")
    with os.fdopen(fd, "wb") as f:
        f.write(lex)
    try:
        sia = SentimentIntensityAnalyzer(lexicon_file="file:" + path)
    finally:
        os.unlink(path)
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    dt = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        for s in sents:
            sia.polarity_scores(s)
        dt = min(dt, time.perf_counter() - t0)
    print(f"nltk: {len(sents)} sentences in {dt:.3f} s: "
          f"{len(sents) / dt:.0f} sentences/s (best of {runs})")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Work per corpus token of SGNS skip-gram and CBOW (docs/benchmarks.md, "kernels near the limit").

Replays word2vec's sub-sampling (keep probability (sqrt(c/(s*T)) + 1) * s*T/c, min-count filter) and
uniformly shrunk windows over the first LINES lines of a corpus and prints the kept fraction, the
(context, centre) pairs per corpus token and the CBOW windows per corpus token with their mean size.

  python3 Benchmarks/sgns_flops.py CORPUS [--lines 40000] [--window 5] [--sample 1e-3] [--min-count 5]
Standard library only.
"""
import argparse, collections, math, random

ap = argparse.ArgumentParser()
ap.add_argument("corpus")
ap.add_argument("--lines", type=int, default=40000)
ap.add_argument("--window", type=int, default=5)
ap.add_argument("--sample", type=float, default=1e-3)
ap.add_argument("--min-count", type=int, default=5)
a = ap.parse_args()
lines = open(a.corpus).read().split("\n")
counts = collections.Counter()
for line in lines:
    counts.update(line.split())
vocab = {w: c for w, c in counts.items() if c >= a.min_count}
threshold = a.sample * sum(vocab.values())
keep = {w: min(1.0, (math.sqrt(c / threshold) + 1) * threshold / c) for w, c in vocab.items()}
random.seed(1)
raw = kept = pairs = windows = 0
for line in lines[: a.lines]:
    tokens = line.split()
    raw += len(tokens)
    seq = [w for w in tokens if w in vocab and random.random() < keep[w]]
    kept += len(seq)
    for i in range(len(seq)):
        b = random.randint(1, a.window)
        n = min(i, b) + min(len(seq) - 1 - i, b)
        if n:
            windows += 1
            pairs += n
print(f"corpus tokens {raw}, kept {kept / raw:.3f}, pairs per token {pairs / raw:.3f}, "
      f"CBOW windows per token {windows / raw:.3f} of {pairs / max(1, windows):.2f} contexts")

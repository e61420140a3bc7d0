#!/usr/bin/env python3
"""Text input against a prepared corpus (issue 10, part 1): prepare time, file size, and for `train`
from each: read time, training tokens/s and peak RSS, side by side in one run.

    prepared_corpus.py --recvec .build/release/recvec CORPUS [CORPUS ...] [--threads 2] [--epochs 1]
                       [--repeats 1] [--tmp DIR] [-- extra train options]

For every corpus (any input recvec reads) it runs, in this order and `--repeats` times over:
`recvec prepare --input CORPUS --output TMP/x.rvcorpus`, `recvec train --input CORPUS`, `recvec train
--input TMP/x.rvcorpus` (same options: --epochs, --threads, the defaults otherwise), and prints one
Markdown row per corpus with the medians. Peak RSS is each child's own (os.wait4), which for the
prepared corpus counts the mapped pages it holds at the peak. Needs nothing but Python 3.
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def measured(cmd, stderr_path):
    """Runs cmd; returns (peak RSS in MB of that child, wall seconds); exits with its stderr on failure."""
    print("+ " + shlex.join(map(str, cmd)), file=sys.stderr, flush=True)
    with open(stderr_path, "wb") as err:
        t0 = time.monotonic()
        proc = subprocess.Popen([str(c) for c in cmd], stdout=subprocess.DEVNULL, stderr=err)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.monotonic() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {shlex.join(map(str, cmd))}\n" + Path(stderr_path).read_text(errors="replace")[-2000:])
    return ru.ru_maxrss / 1024, wall


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpora", nargs="+")
    ap.add_argument("--recvec", default=".build/release/recvec")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--tmp", default=None, help="where the prepared corpora and models go (default: a temporary folder)")
    a, extra = ap.parse_known_args()
    extra = [x for x in extra if x != "--"]
    tmp = Path(a.tmp or tempfile.mkdtemp(prefix="recvec-prepared-"))
    tmp.mkdir(parents=True, exist_ok=True)
    rows = []
    for corpus in a.corpora:
        cells = {k: [] for k in ("prep_s", "prep_rss", "text_read", "text_tps", "text_rss", "map_read", "map_tps", "map_rss")}
        prepared = tmp / "x.rvcorpus"
        size = 0
        for r in range(a.repeats):
            rss, wall = measured([a.recvec, "prepare", "--input", corpus, "--output", prepared], tmp / "prepare.err")
            cells["prep_s"].append(wall)
            cells["prep_rss"].append(rss)
            size = prepared.stat().st_size
            for kind, source in (("text", corpus), ("map", prepared)):
                metrics = tmp / f"{kind}.json"
                rss, _ = measured(
                    [a.recvec, "train", "--input", source, "--output", tmp / f"{kind}.rvmodel", "--epochs", a.epochs,
                     "--threads", a.threads, "--metrics-json", metrics, "--quiet"] + extra,
                    tmp / f"{kind}.err",
                )
                m = json.loads(metrics.read_text())
                cells[f"{kind}_read"].append(m["read_seconds"])
                cells[f"{kind}_tps"].append(m["tokens_per_second"])
                cells[f"{kind}_rss"].append(rss)
                tokens = m["corpus_tokens"]
        med = {k: statistics.median(v) for k, v in cells.items()}
        rows.append((corpus, tokens, size, med))
    load = os.getloadavg()[0]
    print(f"\nthreads {a.threads}, epochs {a.epochs}, medians of {a.repeats}; load average at the end {load:.1f}\n")
    print("| corpus | tokens | prepare s | prepare peak RSS | .rvcorpus | text: read s | text: tokens/s | text: peak RSS "
          "| prepared: read s | prepared: tokens/s | prepared: peak RSS |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for corpus, tokens, size, m in rows:
        print(f"| {Path(corpus).name} | {tokens:,} | {m['prep_s']:.1f} | {m['prep_rss']:.0f} MB | {size / 1e6:.0f} MB "
              f"| {m['text_read']:.2f} | {m['text_tps']:,.0f} | {m['text_rss']:.0f} MB "
              f"| {m['map_read']:.2f} | {m['map_tps']:,.0f} | {m['map_rss']:.0f} MB |")


if __name__ == "__main__":
    main()

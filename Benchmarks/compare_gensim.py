#!/usr/bin/env python3
"""Run RecVec's CLI and gensim side by side on the same corpus with the same hyperparameters.

  python3 Benchmarks/compare_gensim.py throughput [--repeats 3] [--threads 1,2] [--arch skipgram,cbow]
  python3 Benchmarks/compare_gensim.py quality    [--corpus ...] [--epochs 3] [--threads 2]
  python3 Benchmarks/compare_gensim.py hs         [--corpus ...] [--epochs 3] [--threads 2]

`hs` is `quality` with hierarchical softmax on both sides: gensim `hs=1, negative=0` against
`recvec train --loss hierarchical`; `throughput --hs` times the same pair. `throughput --baseline OTHER_RECVEC` also times a second
recvec binary (e.g. one built before a change), interleaved in the same run.

Python 3 standard library only; gensim runs in the peers' virtualenv (../shared/peers/setup.sh).
Every command run is printed to stderr, so any number can be reproduced by hand.
See Benchmarks/README.md.
"""
import argparse
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_ALPHA = {"skipgram": 0.025, "cbow": 0.05}


def die(msg):
    sys.exit(f"compare_gensim: error: {msg}")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run_measured(cmd, out_path, err_path):
    """Run cmd (cwd = repo root), stdout/stderr to files; return (peak RSS MB of that child alone,
    wall seconds); exit with the child's stderr tail if it fails.

    os.wait4 reports the rusage of exactly this child (not the cumulative RUSAGE_CHILDREN)."""
    log("+ " + shlex.join(str(c) for c in cmd))
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.monotonic()
        proc = subprocess.Popen([str(c) for c in cmd], stdout=out, stderr=err, cwd=REPO)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.monotonic() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from reaping again
    maxrss = ru.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)  # bytes vs KiB
    if proc.returncode != 0:
        tail = Path(err_path).read_text(errors="replace")[-3000:]
        die(f"command failed with exit code {proc.returncode}:\n  {shlex.join(map(str, cmd))}\n{tail}")
    return round(maxrss, 1), round(wall, 3)


def run_json(cmd, tmp, name):
    """Run cmd, parse its stdout as one JSON object (pretty-printed or not; else its last line)."""
    out, err = tmp / f"{name}.out", tmp / f"{name}.err"
    run_measured(cmd, out, err)
    text = out.read_text()
    for candidate in (text, (text.strip().splitlines() or [""])[-1]):
        try:
            return json.loads(candidate)
        except ValueError:
            pass
    die(f"no JSON on stdout of {shlex.join(map(str, cmd))}:\n{text[-2000:]}")


# ----------------------------------------------------------------------------- setup

def find_recvec(args):
    if not args.no_build:
        if shutil.which("swift") is None:
            die("swift not found on PATH (use --no-build with an already built binary)")
        cmd = ["swift", "build", "-c", "release", "--product", "recvec"]
        log("+ " + shlex.join(cmd))
        if subprocess.call(cmd, cwd=REPO, stdout=sys.stderr) != 0:
            die("swift build failed")
    binary = Path(args.recvec).resolve() if args.recvec else REPO / ".build" / "release" / "recvec"
    if not binary.is_file() or not os.access(binary, os.X_OK):
        die(f"recvec binary not found at {binary} (build with `swift build -c release --product recvec`)")
    return binary


def find_peers(args):
    peers = args.shared / "peers"
    for f in ("gensim_word2vec.py", "analogy.py", "gen_corpus.py"):
        if not (peers / f).is_file():
            die(f"missing {peers / f} (is --shared {args.shared} right?)")
    py = args.peers_python or os.environ.get("PEERS_PY")
    if not py:
        default = Path.home() / ".cache" / "recvec-peers" / "bin" / "python"
        if default.exists():
            py = str(default)
        else:  # first use: create the venv (needs PyPI)
            log("+ " + str(peers / "setup.sh"))
            r = subprocess.run([str(peers / "setup.sh")], stdout=subprocess.PIPE, text=True)
            if r.returncode != 0:
                die("peers/setup.sh failed; install gensim 4.4.0 or pass --peers-python")
            py = r.stdout.strip().splitlines()[-1]
    if subprocess.call([py, "-c", "import gensim"], stderr=subprocess.DEVNULL) != 0:
        die(f"{py} cannot import gensim (run {peers / 'setup.sh'} or pass --peers-python)")
    return py, peers


def ensure_synthetic_corpus(py, peers, tokens):
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "recvec-bench"
    path = cache / f"synthetic-{tokens}.txt"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        cmd = [py, peers / "gen_corpus.py", part, "--tokens", str(tokens)]
        log("+ " + shlex.join(map(str, cmd)))
        if subprocess.call([str(c) for c in cmd]) != 0:
            die("gen_corpus.py failed")
        part.rename(path)
    return path


def is_hs(a):
    return getattr(a, "command", None) == "hs" or getattr(a, "hs", False)


def ours_train(binary, a, corpus, arch, threads, model, metrics):
    loss = ["--loss", "hierarchical"] if is_hs(a) else []
    return [binary, "train", "--input", corpus, "--format", "sequences", "--output", model,
            "--architecture", arch, "--dim", a.dim, "--window", a.window, "--negative", a.negative,
            "--min-count", a.min_count, "--sample", a.sample, "--epochs", a.epochs,
            "--threads", threads, "--seed", 1, "--alpha", DEFAULT_ALPHA[arch], "--quiet",
            "--metrics-json", metrics] + loss


def gensim_train(py, peers, a, corpus, arch, threads, mode, save=None):
    output = ["--hs", 1, "--negative", 0] if is_hs(a) else ["--negative", a.negative]
    cmd = [py, peers / "gensim_word2vec.py", corpus, "--sg", 1 if arch == "skipgram" else 0,
           "--dim", a.dim, "--window", a.window, *output, "--sample", a.sample,
           "--epochs", a.epochs, "--min-count", a.min_count, "--threads", threads,
           "--alpha", DEFAULT_ALPHA[arch], "--seed", 1, "--mode", mode]
    return cmd + (["--save", save] if save else [])


# ----------------------------------------------------------------------------- throughput

def throughput(a, tmp):
    py, peers = find_peers(a)
    binary = find_recvec(a)
    baseline = Path(a.baseline).resolve() if a.baseline else None
    corpus = a.corpus or ensure_synthetic_corpus(py, peers, a.tokens)
    modes = [m for m in a.gensim_mode.split(",") if m]
    results = []
    for arch in a.arch.split(","):
        if arch not in DEFAULT_ALPHA:
            die(f"unknown architecture {arch!r}")
        for threads in [int(t) for t in a.threads.split(",")]:
            cell = {"arch": arch, "threads": threads, "ours": [], **{f"gensim-{m}": [] for m in modes}}
            ours_binaries = [("ours", binary)]
            if baseline:
                cell["baseline"] = []
                ours_binaries.append(("baseline", baseline))
            for rep in range(a.repeats):  # interleaved: ours, [baseline,] gensim, ours, ...
                for key, bin_ in ours_binaries:
                    metrics = tmp / "metrics.json"
                    metrics.unlink(missing_ok=True)
                    rss, wall = run_measured(ours_train(bin_, a, corpus, arch, threads, tmp / "model.rvmodel",
                                                        metrics), tmp / "ours.out", tmp / "ours.err")
                    m = json.loads(metrics.read_text())
                    cell[key].append({"tokens_per_s": m["tokens_per_second"], "peak_rss_mb": rss,
                                      "wall_s": wall, "train_s": m["train_seconds"],
                                      "vocab_size": m["vocab_size"], "corpus_tokens": m["corpus_tokens"]})
                for mode in modes:
                    out = tmp / "gensim.out"
                    rss, wall = run_measured(gensim_train(py, peers, a, corpus, arch, threads, mode),
                                             out, tmp / "gensim.err")
                    g = json.loads(out.read_text().strip().splitlines()[-1])
                    cell[f"gensim-{mode}"].append({
                        "tokens_per_s": g["tokens_per_s"], "peak_rss_mb": rss, "wall_s": wall,
                        "train_s": g["train_s"], "vocab_size": g["vocab_size"],
                        "corpus_tokens": g["corpus_tokens"], "self_reported_rss_mb": g["peak_rss_mb"]})
                log(f"  {arch} t={threads} repeat {rep + 1}/{a.repeats}: " + ", ".join(
                    f"{k} {v[-1]['tokens_per_s'] / 1e3:.0f} k/s" for k, v in cell.items() if isinstance(v, list)))
            results.append(cell)

    def med(runs, key):
        return statistics.median(r[key] for r in runs)

    output = "hierarchical softmax" if is_hs(a) else f"negative {a.negative}"
    print(f"\nthroughput on {corpus} (dim {a.dim}, window {a.window}, {output}, "
          f"min-count {a.min_count}, sample {a.sample}, epochs {a.epochs}; medians of {a.repeats} runs; "
          f"RSS = max over runs)\n")
    print("| cell | peer | ours tokens/s | peer tokens/s | ratio | ours peak RSS MB | peer peak RSS MB | RSS ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for c in results:
        o = c["ours"]
        for mode in modes:
            p = c[f"gensim-{mode}"]
            ot, pt = med(o, "tokens_per_s"), med(p, "tokens_per_s")
            orss, prss = max(r["peak_rss_mb"] for r in o), max(r["peak_rss_mb"] for r in p)
            print(f"| {c['arch']} {c['threads']}t | gensim-{mode} | {ot:,.0f} | {pt:,.0f} | {ot / pt:.2f} "
                  f"| {orss:.0f} | {prss:.0f} | {orss / prss:.2f} |")
        if "baseline" in c:
            b = c["baseline"]
            bt = med(b, "tokens_per_s")
            brss = max(r["peak_rss_mb"] for r in b)
            print(f"| {c['arch']} {c['threads']}t | baseline recvec | {ot:,.0f} | {bt:,.0f} | {ot / bt:.2f} "
                  f"| {orss:.0f} | {brss:.0f} | {orss / brss:.2f} |")
    print("\nindividual runs (tokens/s, peak RSS MB):")
    for c in results:
        for k, runs in c.items():
            if isinstance(runs, list):
                print(f"  {c['arch'] + ' ' + str(c['threads']) + 't':12} {k:12} " + "  ".join(
                    f"{r['tokens_per_s'] / 1e3:.0f}k/{r['peak_rss_mb']:.0f}MB" for r in runs)
                    + f"   (vocab {runs[0]['vocab_size']}, corpus tokens {runs[0]['corpus_tokens']})")
    return {"corpus": str(corpus), "hyperparameters": hyper(a), "cells": results}


# ----------------------------------------------------------------------------- quality

def quality(a, tmp):
    py, peers = find_peers(a)
    binary = find_recvec(a)
    corpus = a.corpus or a.shared / "datasets" / "gutenberg-corpus" / "corpus.text8style.txt"
    questions = a.questions.resolve() if a.questions else a.shared / "datasets" / "word-analogy" / "questions-words.txt"
    for f in (corpus, questions):
        if not Path(f).is_file():
            die(f"missing {f}")
    arch, threads = a.arch, int(a.threads)
    if arch not in DEFAULT_ALPHA:
        die(f"unknown architecture {arch!r}")
    model, metrics, ours_vec, gensim_vec = (tmp / "model.rvmodel", tmp / "metrics.json",
                                            tmp / "ours.vec.txt", tmp / "gensim.vec.txt")

    rss, wall = run_measured(ours_train(binary, a, corpus, arch, threads, model, metrics),
                             tmp / "ours.out", tmp / "ours.err")
    m = json.loads(metrics.read_text())
    run_measured([binary, "export", model, "--format", "word2vec-text", "--output", ours_vec],
                 tmp / "export.out", tmp / "export.err")
    grss, gwall = run_measured(gensim_train(py, peers, a, corpus, arch, threads, a.gensim_mode, gensim_vec),
                               tmp / "gensim.out", tmp / "gensim.err")
    g = json.loads((tmp / "gensim.out").read_text().strip().splitlines()[-1])

    score = lambda vec, name: run_json([py, peers / "analogy.py", vec, questions, "--restrict", a.restrict],
                                       tmp, name)
    ours_ref, gensim_ref = score(ours_vec, "analogy_ours"), score(gensim_vec, "analogy_gensim")
    ours_own = run_json([binary, "evaluate-analogies", model, questions, "--restrict", a.restrict, "--json"],
                        tmp, "evaluate_ours")

    ov, gv = m["vocab_size"], g["vocab_size"]
    output = "hierarchical softmax (ours --loss hierarchical, gensim hs=1 negative=0)" if is_hs(a) \
        else f"negative {a.negative}"
    print(f"\nquality on {corpus}\n  {arch}, dim {a.dim}, window {a.window}, {output}, "
          f"min-count {a.min_count}, sample {a.sample}, epochs {a.epochs}, threads {threads}, "
          f"gensim mode {a.gensim_mode}\n")
    print(f"vocab size:  ours {ov}  gensim {gv}  relative difference {(ov - gv) / gv:+.2%}")
    print(f"corpus tokens: ours {m['corpus_tokens']}  gensim {g['corpus_tokens']}")
    print(f"training:    ours {m['train_seconds']:.1f} s ({m['tokens_per_second']:,.0f} tokens/s, "
          f"peak RSS {rss:.0f} MB)  gensim {g['train_s']:.1f} s ({g['tokens_per_s']:,.0f} tokens/s, "
          f"peak RSS {grss:.0f} MB)")
    print(f"ours epoch losses: {m.get('epoch_losses')}")
    oa, ga = ours_ref["accuracy"], gensim_ref["accuracy"]
    print(f"\nanalogy accuracy (analogy.py, restrict {a.restrict}):  ours {oa:.4f} ({ours_ref['covered']} covered)"
          f"  gensim {ga:.4f} ({gensim_ref['covered']} covered)  difference {100 * (oa - ga):+.2f} points")
    print(f"our scorer on our vectors: {ours_own['accuracy']:.4f} ({ours_own['correct']}/{ours_own['total']}, "
          f"{ours_own['skipped']} skipped)  vs analogy.py {oa:.4f}: "
          f"difference {100 * (ours_own['accuracy'] - oa):+.2f} points, "
          f"{ours_own['total'] - ours_ref['covered']:+d} questions")
    print("\n| section | ours (analogy.py) | gensim (analogy.py) | ours (evaluate-analogies) |\n|---|---|---|---|")
    own = ours_own.get("sections", {})
    for s in gensim_ref["sections"]:
        o = ours_ref["sections"].get(s)
        print(f"| {s} | {fmt(o)} | {fmt(gensim_ref['sections'][s])} | {fmt(own.get(s))} |")
    return {"corpus": str(corpus), "hyperparameters": hyper(a), "ours_metrics": m, "ours_peak_rss_mb": rss,
            "gensim": g, "gensim_peak_rss_mb": grss, "analogy_ours": ours_ref, "analogy_gensim": gensim_ref,
            "evaluate_analogies_ours": ours_own}


def fmt(x):
    return "-" if x is None else f"{x:.4f}"


def hyper(a):
    h = {k: getattr(a, k) for k in ("arch", "threads", "dim", "window", "negative", "min_count",
                                     "sample", "epochs", "gensim_mode")}
    if is_hs(a):
        h["loss"] = "hierarchical"
    return h


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", type=Path, help="corpus file (one sequence per line)")
    common.add_argument("--shared", type=Path, default=REPO.parent / "shared", help="default: REPO/../shared")
    common.add_argument("--recvec", help="recvec binary (default: REPO/.build/release/recvec)")
    common.add_argument("--no-build", action="store_true", help="skip `swift build -c release`")
    common.add_argument("--peers-python", help="python with gensim (default: $PEERS_PY, then setup.sh's venv)")
    common.add_argument("--dim", type=int, default=100)
    common.add_argument("--window", type=int, default=5)
    common.add_argument("--negative", type=int, default=5)
    common.add_argument("--min-count", type=int, default=5)
    common.add_argument("--sample", default="1e-3")
    common.add_argument("--json", type=Path, help="also write all raw results here")
    common.add_argument("--keep", action="store_true", help="keep the temporary directory")
    t = sub.add_parser("throughput", parents=[common], help="tokens/s and peak RSS (default)")
    t.add_argument("--arch", default="skipgram,cbow")
    t.add_argument("--threads", default="1,2")
    t.add_argument("--epochs", type=int, default=1)
    t.add_argument("--repeats", type=int, default=3)
    t.add_argument("--gensim-mode", default="file", help="file, iter or file,iter (file is the reference)")
    t.add_argument("--tokens", type=int, default=10_000_000, help="size of the generated synthetic corpus")
    t.add_argument("--hs", action="store_true", help="hierarchical softmax on both sides (gensim hs=1 negative=0)")
    t.add_argument("--baseline", help="a second recvec binary to time in the same run (e.g. the previous build)")
    for name, help_ in (("quality", "vocabulary and analogy accuracy"),
                        ("hs", "quality with hierarchical softmax on both sides")):
        add_quality(sub.add_parser(name, parents=[common], help=help_))
    argv = sys.argv[1:]
    if not argv or argv[0] not in ("throughput", "quality", "hs", "-h", "--help"):
        argv = ["throughput"] + argv
    a = ap.parse_args(argv)
    a.shared = a.shared.resolve()
    if a.corpus:
        a.corpus = a.corpus.resolve()
        if not a.corpus.is_file():
            die(f"corpus {a.corpus} not found")

    tmp = Path(tempfile.mkdtemp(prefix="recvec-bench-"))
    try:
        result = (throughput if a.command == "throughput" else quality)(a, tmp)
        if a.json:
            a.json.write_text(json.dumps(result, indent=1) + "\n")
            log(f"raw results written to {a.json}")
    finally:
        if a.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def add_quality(q):
    q.add_argument("--arch", default="skipgram", choices=sorted(DEFAULT_ALPHA))
    q.add_argument("--threads", default="2")
    q.add_argument("--epochs", type=int, default=3)
    q.add_argument("--gensim-mode", default="iter", choices=["file", "iter"])
    q.add_argument("--questions", type=Path)
    q.add_argument("--restrict", type=int, default=30000)


if __name__ == "__main__":
    main()

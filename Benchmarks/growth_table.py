#!/usr/bin/env python3
"""Tables and a plot of Benchmarks/growth.sh's measurements.

    growth_table.py FOLDER [--plot docs/growth.png]

Prints two markdown tables (the tokens series, the items series) from FOLDER/tokens-N and FOLDER/items-N, and,
with --plot, draws how the per-token training cost, the peak memory and the per-case evaluation cost grow
(needs matplotlib: the peers' virtualenv has it after `pip install matplotlib`).
"""
import argparse
import json
import os
import re
import sys


def timing(folder, name):
    """(wall seconds, peak MB) of a step, or None."""
    path = os.path.join(folder, name + ".time")
    if not os.path.exists(path):
        return None
    fields = open(path).read().split()
    if len(fields) < 2:  # a step still running, or killed
        return None
    return float(fields[0]), int(fields[1]) / 1024


def load_json(folder, name):
    path = os.path.join(folder, name)
    return json.load(open(path)) if os.path.exists(path) else None


def check(folder):
    path = os.path.join(folder, "check.txt")
    if not os.path.exists(path):
        return None
    m = re.search(r": ([0-9.]+) of the 10 nearest share the item's group \(chance ([0-9.]+)", open(path).read())
    return (float(m.group(1)), float(m.group(2))) if m else None


def size_mb(folder, name):
    path = os.path.join(folder, name)
    return os.path.getsize(path) / 1e6 if os.path.exists(path) else None


def points(root, series):
    out = []
    for entry in os.listdir(root):
        if entry.startswith(series + "-"):
            out.append((int(entry.split("-", 1)[1]), os.path.join(root, entry)))
    return sorted(out)


def fmt(x, spec="{:,.0f}"):
    return "—" if x is None else spec.format(x)


def common_row(n, p):
    prep = timing(p, "prepare")
    train = timing(p, "train")
    metrics = load_json(p, "train.json") or {}
    c = check(p)
    return {
        "n": n,
        "text_mb": size_mb(p, "data.txt"),
        "corpus_mb": size_mb(p, "data.rvcorpus"),
        "prepare_s": prep and prep[0],
        "prepare_mb": prep and prep[1],
        "train_s": metrics.get("train_seconds"),
        "tokens_per_s": metrics.get("tokens_per_second"),
        "train_mb": train and train[1],
        "vocab": metrics.get("vocab_size"),
        "model_mb": size_mb(p, "model.rvmodel"),
        "check": c,
    }


def evaluate_row(p, mode):
    report = load_json(p, "evaluate-%s.json" % mode)
    if not report:
        return None
    r = report["results"][0]
    cases = report["test_cases"]
    return {
        "ms_per_case": 1000 * r["score_seconds"] / cases if r.get("score_seconds") is not None else None,
        "hr20": r["metrics"].get("hr@20"),
        "train_s": r["train_seconds"],
        "wall": (timing(p, "evaluate-" + mode) or (None, None))[0],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("folder")
    ap.add_argument("--plot")
    a = ap.parse_args()

    tokens = [common_row(n, p) for n, p in points(a.folder, "tokens")]
    items = []
    for n, p in points(a.folder, "items"):
        row = common_row(n, p)
        idx = timing(p, "index")
        row["index_s"] = idx and idx[0]
        search = load_json(p, "search.json")
        if search:
            row["exact_ms"] = search["exact"]["p50Milliseconds"]
            h = search["hnsw"][0]
            row["hnsw_ms"], row["hnsw_recall"] = h["p50Milliseconds"], h["recall"]
        row["eval"] = {m: evaluate_row(p, m) for m in ("exact", "hnsw")}
        items.append(row)

    print("| events | text | .rvcorpus | prepare s | prepare peak | items | train s | tokens/s | train peak | "
          "model | planted (chance) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in tokens:
        c = r["check"]
        print("| {:,} | {} MB | {} MB | {} | {} MB | {} | {} | {} | {} MB | {} MB | {} |".format(
            r["n"], fmt(r["text_mb"]), fmt(r["corpus_mb"]), fmt(r["prepare_s"], "{:,.1f}"), fmt(r["prepare_mb"]),
            fmt(r["vocab"]), fmt(r["train_s"], "{:,.1f}"), fmt(r["tokens_per_s"]), fmt(r["train_mb"]),
            fmt(r["model_mb"]), "—" if c is None else "%.3f (%.3f)" % c))
    print()
    print("| items asked | items trained | prepare s | train s | tokens/s | train peak | planted (chance) | index s | "
          "exact ms/query | HNSW ef 100 ms/query | recall@20 | evaluate exact ms/case | hr@20 | "
          "evaluate HNSW ms/case | hr@20 | HNSW fit s (train + index) |")
    print("|---:|" + "---:|" * 15)
    for r in items:
        c = r["check"]
        e, h = r["eval"]["exact"] or {}, r["eval"]["hnsw"] or {}
        print("| {:,} | {} | {} | {} | {} | {} MB | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
            r["n"], fmt(r["vocab"]), fmt(r["prepare_s"], "{:,.1f}"), fmt(r["train_s"], "{:,.1f}"),
            fmt(r["tokens_per_s"]), fmt(r["train_mb"]), "—" if c is None else "%.3f (%.4f)" % c,
            fmt(r.get("index_s"), "{:,.1f}"), fmt(r.get("exact_ms"), "{:.2f}"), fmt(r.get("hnsw_ms"), "{:.3f}"),
            fmt(r.get("hnsw_recall"), "{:.3f}"), fmt(e.get("ms_per_case"), "{:.2f}"), fmt(e.get("hr20"), "{:.4f}"),
            fmt(h.get("ms_per_case"), "{:.3f}"), fmt(h.get("hr20"), "{:.4f}"), fmt(h.get("train_s"), "{:,.1f}")))

    if a.plot and tokens and items and all(r["tokens_per_s"] for r in tokens + items):
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
        t = [r for r in tokens if r["tokens_per_s"]]
        ax = axes[0]
        ax.plot([r["n"] for r in t], [1e9 / r["tokens_per_s"] for r in t], "o-", label="train: ns per token")
        ax.plot([r["n"] for r in t if r["prepare_s"]], [1e9 * r["prepare_s"] / r["n"] for r in t if r["prepare_s"]],
                "s-", label="prepare: ns per event")
        ax.set_xscale("log")
        ax.set_xlabel("events (100 k items)")
        ax.set_ylabel("ns (wall, 2 threads)")
        ax.set_ylim(bottom=0)
        ax.set_title("cost per event against corpus size")
        ax.legend()
        ax = axes[1]
        ax.plot([r["n"] for r in t], [r["train_mb"] for r in t], "o-", label="train peak RSS (tokens series)")
        ax.plot([r["n"] for r in t if r["prepare_mb"]], [r["prepare_mb"] for r in t if r["prepare_mb"]], "s-",
                label="prepare peak RSS (tokens series)")
        i = [r for r in items if r["train_mb"]]
        ax.plot([r["vocab"] for r in i], [r["train_mb"] for r in i], "^-", label="train peak RSS (items series, x = items)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("events, or items")
        ax.set_ylabel("MB")
        ax.set_title("peak memory")
        ax.legend(fontsize=8)
        ax = axes[2]
        for mode, marker in (("exact", "o-"), ("hnsw", "s-")):
            pts = [(r["vocab"], r["eval"][mode]["ms_per_case"]) for r in items
                   if r["eval"][mode] and r["eval"][mode]["ms_per_case"] is not None]
            if pts:
                ax.plot(*zip(*pts), marker, label="evaluate, %s: ms per case" % mode)
        pts = [(r["vocab"], r["exact_ms"]) for r in items if r.get("exact_ms")]
        if pts:
            ax.plot(*zip(*pts), "v--", label="exact query, 1 thread (p50)")
        pts = [(r["vocab"], r["hnsw_ms"]) for r in items if r.get("hnsw_ms")]
        if pts:
            ax.plot(*zip(*pts), "^--", label="HNSW query ef 100, 1 thread (p50)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("items in the model (10 M events)")
        ax.set_ylabel("ms")
        ax.set_title("query and evaluation cost against catalog size")
        ax.legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(a.plot, dpi=110)
        print("\nplot: " + a.plot, file=sys.stderr)


if __name__ == "__main__":
    main()

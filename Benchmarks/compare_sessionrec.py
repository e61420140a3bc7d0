#!/usr/bin/env python3
# RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
"""Runs the session-rec framework's V-SKNN and STAN on a train/test pair of event files and
scores them with RecVec's `evaluate --protocol session` protocol, for comparison with RecVec's
`vsknn` and `stan` on the same split and parameters.

session-rec (https://github.com/rn5l/session-rec, Ludewig, Latifi, Jannach et al.) is not part of
RecVec: pass the path of your own checkout with --session-rec. Its two modules are loaded from
their files (algorithms/knn/vsknn.py, algorithms/knn/stan.py); they need numpy and pandas (the
unused `pympler` import is stubbed; numpy 2.4's missing `in1d` is mapped to `isin`).

The protocol (RecVec's Evaluator with a given test file): every test session of at least two
events predicts, at each position i >= 1, event i from events 0..i-1; cases whose target never
occurs in training are dropped. The ranked list: the items the model scored (score > 0 here; NaN
or 0 counts as unscored), best first, then the remaining training items by training frequency,
up to 20; the history's items are not excluded. hr@20: the target in the top 20; mrr@20: 1/rank,
0 beyond 20. As in session-rec's own evaluation, the model sees the session's events one by one
and STAN gets the target event's time as the current time.

Example (columns of RecVec's normalized yoochoose sample):
  python3 Benchmarks/compare_sessionrec.py --session-rec /path/to/session-rec \
    --train train.tsv --test test.tsv --model vsknn --k 100 --sample 1000 --weighting div
"""

import argparse
import importlib.util
import sys
import time
import types

import numpy as np
import pandas as pd


def load_module(root, relative, name):
    sys.modules.setdefault("pympler", types.ModuleType("pympler"))
    sys.modules["pympler"].asizeof = None
    if not hasattr(np, "in1d"):  # removed in numpy 2.4; session-rec predates it
        np.in1d = np.isin
    spec = importlib.util.spec_from_file_location(name, f"{root}/{relative}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read(path, args):
    frame = pd.read_csv(path, sep="\t")
    frame = frame.rename(columns={args.session_column: "SessionId", args.item_column: "ItemId", args.time_column: "Time"})
    return frame[["SessionId", "ItemId", "Time"]].sort_values(["SessionId", "Time"], kind="stable")


def build(args, root):
    if args.model == "vsknn":
        module = load_module(root, "algorithms/knn/vsknn.py", "sessionrec_vsknn")
        idf = args.idf if args.idf > 0 else False
        return module.VMContextKNN(
            args.k, sample_size=args.sample, weighting=args.weighting, weighting_score=args.score_weighting,
            idf_weighting=idf,
        )
    module = load_module(root, "algorithms/knn/stan.py", "sessionrec_stan")
    return module.STAN(
        args.k, sample_size=args.sample, lambda_spw=args.lambda_position, lambda_snh=args.lambda_recency,
        lambda_inh=args.lambda_neighbor,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--session-rec", required=True, help="path of a session-rec checkout")
    parser.add_argument("--train", required=True)
    parser.add_argument("--test", required=True)
    parser.add_argument("--session-column", default="session_id")
    parser.add_argument("--item-column", default="item_id")
    parser.add_argument("--time-column", default="timestamp")
    parser.add_argument("--model", choices=["vsknn", "stan"], required=True)
    parser.add_argument("--k", type=int, default=100)
    parser.add_argument("--sample", type=int, default=None, help="default: 1000 (vsknn), 5000 (stan)")
    parser.add_argument("--weighting", default="div")
    parser.add_argument("--score-weighting", default="div")
    parser.add_argument("--idf", type=float, default=0)
    parser.add_argument("--lambda-position", type=float, default=1.02)
    parser.add_argument("--lambda-recency", type=float, default=5)
    parser.add_argument("--lambda-neighbor", type=float, default=2.05)
    parser.add_argument("--cutoff", type=int, default=20)
    args = parser.parse_args()
    if args.sample is None:
        args.sample = 1000 if args.model == "vsknn" else 5000

    train, test = read(args.train, args), read(args.test, args)
    model = build(args, args.session_rec)
    started = time.time()
    model.fit(train)
    counts = train["ItemId"].value_counts()
    first = {item: i for i, item in enumerate(pd.unique(train["ItemId"]))}
    popular = sorted(counts.index, key=lambda i: (-counts[i], first[i]))
    catalog = np.array(pd.unique(train["ItemId"]))
    known = set(catalog)

    hits = reciprocal = cases = 0
    for session, events in test.groupby("SessionId", sort=False):
        items, times = events["ItemId"].to_numpy(), events["Time"].to_numpy()
        if len(items) < 2:
            continue
        for i in range(1, len(items)):
            preds = model.predict_next(session, items[i - 1], catalog, timestamp=times[i])
            if items[i] not in known:
                continue
            scored = preds[preds > 0]
            ranked = sorted(scored.index, key=lambda j: (-scored[j], first[j]))[: args.cutoff]
            if len(ranked) < args.cutoff:
                seen = set(ranked)
                ranked += [p for p in popular[: args.cutoff * 2 + len(seen)] if p not in seen][: args.cutoff - len(ranked)]
            cases += 1
            if items[i] in ranked:
                rank = ranked.index(items[i]) + 1
                hits += 1
                reciprocal += 1 / rank
    print(
        f"session-rec {args.model} k={args.k} sample={args.sample} cases={cases} "
        f"hr@{args.cutoff}={hits / cases:.4f} mrr@{args.cutoff}={reciprocal / cases:.4f} ({time.time() - started:.0f} s)"
    )


if __name__ == "__main__":
    main()

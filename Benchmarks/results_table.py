#!/usr/bin/env python3
"""Turns the JSON files of Benchmarks/run_results.sh into the markdown tables of docs/results.md.
NAME.tunebase.json (`recvec tune --models cooccurrence,sknn`), when present, adds tuned baselines,
which then count as baselines in the verdict.

  python3 Benchmarks/results_table.py /tmp/recvec-results movielens yoochoose groceries msweb
"""
import json, sys
from pathlib import Path

out = Path(sys.argv[1])
for name in sys.argv[2:]:
    ev = json.load(open(out / f"{name}.evaluate.json"))
    tune = json.load(open(out / f"{name}.tune.json"))
    cut = ev["cutoffs"]
    cols = [f"hr@{k}" for k in cut] + [f"mrr@{cut[-1]}", f"ndcg@{cut[-1]}", f"coverage@{cut[-1]}", f"popularity@{cut[-1]}"]
    rows = [(r["model"], r["metrics"], r["train_seconds"]) for r in ev["results"]]
    for m in tune["models"]:
        if m["best"]["model"].endswith("-tuned"):
            rows.append((m["best"]["model"], m["best"]["test"], None))
        if m["defaults"]["model"] == "mix":
            rows.append(("mix (defaults, α tuned)", m["defaults"]["test"], None))
    base_path = out / f"{name}.tunebase.json"  # baselines tuned too, when that run exists
    if base_path.exists():
        for m in json.load(open(base_path))["models"]:
            rows.insert(4, (m["best"]["model"], m["best"]["test"], None))
    base_names = ("popularity", "cooccurrence", "sknn", "markov", "cooccurrence-tuned", "sknn-tuned")
    baselines = [r for r in rows if r[0] in base_names]
    best_base = max(baselines, key=lambda r: r[1][f"hr@{cut[-1]}"])
    ours = [r for r in rows if r[0] not in base_names]
    best_ours = max(ours, key=lambda r: r[1][f"hr@{cut[-1]}"])
    skipped = ", ".join(f"{v} {k}" for k, v in sorted(ev["skipped"].items())) or "none"
    print(f"### {name}: `{ev['protocol']}`, {ev['test_cases']} test cases (skipped: {skipped})\n")
    print("| model | " + " | ".join(cols) + " |")
    print("|---|" + "|".join("---:" for _ in cols) + "|")
    for model, metrics, _ in rows:
        cells = [f"{metrics.get(c, float('nan')):.4f}" for c in cols]
        label = f"**{model}**" if model in (best_base[0], best_ours[0]) else model
        print(f"| {label} | " + " | ".join(cells) + " |")
    k = f"hr@{cut[-1]}"
    verdict = "beats" if best_ours[1][k] > best_base[1][k] else "does NOT beat"
    print(f"\nBest RecVec model `{best_ours[0]}` ({k} {best_ours[1][k]:.4f}) {verdict} the best baseline "
          f"`{best_base[0]}` ({best_base[1][k]:.4f}).")
    d = next((m for m in tune["models"] if m["defaults"]["model"] == "item2vec"), None)
    if d:
        print(f"Tuned item2vec {k} {d['best']['test'][k]:.4f} vs defaults {d['defaults']['test'][k]:.4f} "
              f"(validation {d['best']['validation'][k]:.4f} vs {d['defaults']['validation'][k]:.4f}).")
        print("Tuned item2vec configuration: " + " ".join(f"`{a}={b}`" for a, b in sorted(d["best"]["config"].items())))
    print(f"Trials: {len(tune['trials'])}.\n")

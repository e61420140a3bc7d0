#!/usr/bin/env python3
"""Tables of Benchmarks/run_content2vec_cnn.sh: per data set, each (run, model) with the mean over
seeds of hr@10/hr@20 on the hidden-item test cases and of hr@20 over all test cases, and the
per-seed cold-start hr@20. Usage: content2vec_cnn_table.py OUT_DIR"""
import glob
import json
import os
import re
import sys
from collections import defaultdict

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/recvec-c2v-cnn"
rows = defaultdict(lambda: defaultdict(dict))  # (set, label) -> seed -> figures
cases = defaultdict(dict)
for path in sorted(glob.glob(os.path.join(out, "*.seed*.json"))):
    m = re.match(r"(\w+)\.([\w-]+)\.seed(\d+)\.json", os.path.basename(path))
    if not m:
        continue
    data_set, run, seed = m.group(1), m.group(2), int(m.group(3))
    report = json.load(open(path))
    cold = {r["model"]: r["metrics"] for r in report.get("cold_start", {}).get("results", [])}
    cases[data_set][seed] = (report.get("cold_start", {}).get("test_cases"), report.get("test_cases"))
    for r in report["results"]:
        model = r["model"]
        label = model if run == "mean" and model != "content2vec" else f"{model} ({run})"
        c = cold.get(model, {})
        rows[(data_set, label)][seed] = {
            "cold10": c.get("hr@10"), "cold20": c.get("hr@20"),
            "all20": r["metrics"].get("hr@20"), "cov20": r["metrics"].get("coverage@20"),
        }


def mean(xs):
    xs = [x for x in xs if x is not None]
    return sum(xs) / len(xs) if xs else float("nan")


for data_set in sorted({k[0] for k in rows}):
    print(f"\n### {data_set}: cases per seed (cold / all): " +
          ", ".join(f"seed {s}: {c[0]} / {c[1]}" for s, c in sorted(cases[data_set].items())))
    print("\n| model (run) | cold hr@10 | cold hr@20 | cold hr@20 per seed | all hr@20 | all coverage@20 |")
    print("|---|---:|---:|---|---:|---:|")
    for (ds, label), per in sorted(rows.items()):
        if ds != data_set:
            continue
        seeds = sorted(per)
        f = lambda k: mean([per[s][k] for s in seeds])
        print(f"| {label} | {f('cold10'):.4f} | {f('cold20'):.4f} | "
              + " / ".join(f"{per[s]['cold20']:.4f}" if per[s]['cold20'] is not None else "–" for s in seeds)
              + f" | {f('all20'):.4f} | {f('cov20'):.4f} |")

#!/usr/bin/env python3
"""Means over seeds of the runs of Benchmarks/run_content2vec.sh: overall and cold-start tables."""
import glob
import json
import os
import sys
from collections import defaultdict

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/recvec-content2vec"
metrics = ["hr@5", "hr@10", "hr@20", "ndcg@20", "coverage@20", "popularity@20"]
runs = defaultdict(list)
for path in sorted(glob.glob(os.path.join(out, "*.seed*.json"))):
    name = os.path.basename(path).split(".seed")[0]
    runs[name].append(json.load(open(path)))

def table(title, rows):
    print(f"\n{title}\n")
    print("| run | model | cases | " + " | ".join(metrics) + " |")
    print("|---|---|---:|" + "|".join("---:" for _ in metrics) + "|")
    for run, model, cases, values in rows:
        print(f"| {run} | {model} | {cases} | " + " | ".join(f"{v:.4f}" for v in values) + " |")

for part in ["overall", "cold"]:
    rows = []
    for name, reports in runs.items():
        if part == "cold" and reports[0].get("cold_start") is None:
            continue
        sections = [r if part == "overall" else r["cold_start"] for r in reports]
        cases = "/".join(str(s["test_cases"]) for s in sections)
        for i, res in enumerate(sections[0]["results"]):
            vals = [sum(s["results"][i]["metrics"][m] for s in sections) / len(sections) for m in metrics]
            rows.append((name, res["model"], cases, vals))
    table(f"{part}: means over {len(next(iter(runs.values())))} seeds", rows)

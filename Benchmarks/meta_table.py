#!/usr/bin/env python3
# Tables of docs/results.md, section Meta-Prod2Vec, from the JSON files of Benchmarks/run_meta_results.sh.
import json, sys
# usage: meta_table.py OUT_DIR "LABEL=RUN:MODEL" ...  (RUN: a run name of the script, MODEL: a row of it)
out = sys.argv[1]
cols = ["hr@10", "hr@20", "mrr@20", "ndcg@20", "coverage@20", "popularity@20"]
rows = []
for spec in sys.argv[2:]:
    label, rest = spec.rsplit("=", 1)
    name, model = rest.split(":")
    d = json.load(open(f"{out}/{name}.json"))
    r = next(x for x in d["results"] if x["model"] == model)
    cs = d.get("cold_start")
    cr = next(x for x in cs["results"] if x["model"] == model) if cs else None
    m = r["metrics"]
    cells = [f"{m[c]:.4f}" for c in cols]
    cells += [f"{cr['metrics']['hr@20']:.4f}", f"{cr['metrics']['ndcg@20']:.4f}"] if cr else ["–", "–"]
    rows.append(f"| {label} | " + " | ".join(cells) + f" | {r['train_seconds']:.0f} |")
print("| model | " + " | ".join(cols) + " | cold hr@20 | cold ndcg@20 | train s |")
print("|---|" + "---:|" * (len(cols) + 3))
print("\n".join(rows))

#!/usr/bin/env python3
"""Turns the JSON files of Benchmarks/run_verdict.sh (`recvec tune --json`, one per data set) into the
markdown of docs/results.md's verdict: a summary line per data set (the best learned model against the
best tuned baseline, each chosen by validation, compared on the test cases by the paired tests that
`tune` computed), then each data set's test table with 95 % intervals and the tuned configurations.

  python3 Benchmarks/verdict_table.py /tmp/recvec-verdict movielens yoochoose groceries msweb
"""
import json, sys
from pathlib import Path

out = Path(sys.argv[1])
names = sys.argv[2:]
runs = {n: json.load(open(out / f"{n}.verdict.json")) for n in names}


def p(x):
    return "<0.001" if x < 0.001 else f"{x:.3f}"


def hr(report, row, k):
    r = next(r for r in report["results"] if r["model"] == row)
    m = r["metrics"][k]
    iv = (r.get("intervals") or {}).get(k)
    return f"{m:.4f} ± {(iv['upper'] - iv['lower']) / 2:.4f}" if iv else f"{m:.4f}"


print("| data set (test cases) | best tuned baseline (by validation) | best learned model (by validation) "
      "| Δ hr@20 [95 % interval] | ahead / behind | sign test p | verdict | best row on test |")
print("|---|---|---|---:|---:|---:|---|---|")
for n, run in runs.items():
    rep = run["report"]
    k = f"hr@{rep['cutoffs'][-1]}"
    v = run.get("verdict")
    top = max(rep["results"], key=lambda r: r["metrics"][k])
    if not v:
        print(f"| {n} ({rep['test_cases']}) | – | – | | | | no verdict | {top['model']} {top['metrics'][k]:.4f} |")
        continue
    iv = v.get("interval")
    ivs = f" [{iv['lower']:+.4f}, {iv['upper']:+.4f}]" if iv else ""
    call = ("not distinguishable" if not v["significant"]
            else (f"**{v['model']} better**" if v["difference"] > 0 else f"**{v['baseline']} better**"))
    print(f"| {n} ({rep['test_cases']}) | {v['baseline']} {hr(rep, v['baseline'], k)} | {v['model']} {hr(rep, v['model'], k)} "
          f"| {v['difference']:+.4f}{ivs} | {v['wins']} / {v['losses']} | {p(v['sign_test_p'])} | {call} "
          f"| {top['model']} {top['metrics'][k]:.4f} |")

for n, run in runs.items():
    rep = run["report"]
    cut = rep["cutoffs"]
    k = f"hr@{cut[-1]}"
    skipped = ", ".join(f"{c} {r}" for r, c in sorted(rep["skipped"].items())) or "none"
    print(f"\n#### {n}: `{rep['protocol']}`, {rep['test_cases']} test cases (skipped: {skipped})\n")
    cols = [f"hr@{c}" for c in cut] + [f"mrr@{cut[-1]}", f"ndcg@{cut[-1]}", f"coverage@{cut[-1]}"]
    vs = {c["model"]: c for c in rep.get("comparisons") or []}
    val = {}
    for m in run["models"]:
        for side in ("defaults", "best"):
            val[m[side]["model"]] = m[side]["validation"].get(k)
    print("| model | validation " + k + " | " + " | ".join(cols) + " | vs best " + k + " |")
    print("|---|---:|" + "|".join("---:" for _ in cols) + "|:---:|")
    for r in rep["results"]:
        cells = []
        for c in cols:
            iv = (r.get("intervals") or {}).get(c)
            cells.append(f"{r['metrics'][c]:.4f}" + (f" ± {(iv['upper'] - iv['lower']) / 2:.4f}" if iv and c == k else ""))
        c = vs.get(r["model"])
        verdict = "best" if c is None else ("worse" if c["significant"] else "≈")
        v = val.get(r["model"])
        print(f"| {r['model']} | {'' if v is None else f'{v:.4f}'} | " + " | ".join(cells) + f" | {verdict} |")
    trials = {}
    for t in run["trials"]:
        trials[t["model"]] = trials.get(t["model"], 0) + 1
    print()
    for m in run["models"]:
        b = m["best"]
        if b["model"].endswith("-tuned"):
            cfg = " ".join(f"`{key}={val}`" for key, val in sorted(b["config"].items()))
            print(f"- {b['model']} ({trials.get(b['model'][:-6], 0)} trials): {cfg}")

#!/usr/bin/env python3
"""item2vec (RecVec) against gensim skip-gram with the same hyperparameters, through the same
protocol, split, recommender and metrics.

  python3 Benchmarks/compare_gensim_item2vec.py --tune-json OUT.tune.json -- <recvec evaluate data/protocol options>

1. reads the tuned item2vec configuration from a `recvec tune --json` file (or --config k=v,...);
2. `recvec evaluate ... --models item2vec <that config> --export-split DIR` scores ours and writes the
   training split;
3. trains gensim 4.4.0 (peers virtualenv) on DIR/train.txt with the same hyperparameters and saves its
   input and output (syn1neg) vectors;
4. `recvec evaluate ... --models vectors:IN:OUT` scores gensim's vectors through the same evaluator;
5. prints both rows and the differences.
Standard library only; gensim runs in the peers' python (../shared/peers/setup.sh).
"""
import argparse, json, os, shlex, subprocess, sys, tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GENSIM = r'''
import sys, json
from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence
c = json.loads(sys.argv[2])
mode = c.get("window_mode", "shrink")
window = int(c["window"]) if mode != "full" else 10000
m = Word2Vec(LineSentence(sys.argv[1]), vector_size=int(c["dim"]), window=window, shrink_windows=(mode == "shrink"),
             negative=int(c["negative"]), ns_exponent=float(c["ns_exponent"]), sample=float(c["sample"]),
             epochs=int(c["epochs"]), min_count=int(c["min_count"]), alpha=float(c["alpha"]),
             min_alpha=min(0.0001, float(c["alpha"]) / 10), sg=1, hs=0, workers=int(sys.argv[5]), seed=int(sys.argv[6]))
m.wv.save_word2vec_format(sys.argv[3])
from gensim.models import KeyedVectors
out = KeyedVectors(vector_size=m.wv.vector_size)
out.add_vectors(m.wv.index_to_key, m.syn1neg)
out.save_word2vec_format(sys.argv[4])
'''


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run(cmd, **kw):
    log("+ " + shlex.join(map(str, cmd)))
    return subprocess.run(list(map(str, cmd)), check=True, cwd=REPO, **kw)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tune-json", help="a `recvec tune --json` output; its tuned item2vec configuration is used")
    ap.add_argument("--config", help="or the configuration as k=v,k=v (keys as in the tune JSON)")
    ap.add_argument("--recvec", default=str(REPO / ".build/release/recvec"))
    ap.add_argument("--peers-python", default=os.environ.get("PEERS_PY", str(Path.home() / ".cache/recvec-peers/bin/python")))
    ap.add_argument("--threads", default="2")
    ap.add_argument("--ours-flags", default="", help="extra flags for our training, e.g. --per-pair-negatives")
    ap.add_argument("--seeds", type=int, default=3, help="train both tools with seeds 1..N and average (split fixed)")
    ap.add_argument("rest", nargs=argparse.REMAINDER, help="-- then the data/protocol options of `recvec evaluate`")
    a = ap.parse_args()
    rest = a.rest[1:] if a.rest[:1] == ["--"] else a.rest
    if a.tune_json:
        tune = json.load(open(a.tune_json))
        rows = [m["best"] for m in tune["models"] if m["best"]["model"] == "item2vec-tuned"]
        if not rows:
            sys.exit("no tuned item2vec in " + a.tune_json)
        config = rows[0]["config"]
    elif a.config:
        config = dict(kv.split("=", 1) for kv in a.config.split(","))
    else:
        sys.exit("give --tune-json or --config")
    # --opt=value: values such as a negative ns-exponent must not look like options.
    keys = {"dim": "dim", "window": "window", "window-mode": "window_mode", "negative": "negative",
            "ns-exponent": "ns_exponent", "sample": "sample", "epochs": "epochs", "alpha": "alpha",
            "min-count": "min_count", "scoring": "scoring", "last-n": "last_n", "decay": "decay"}
    flags = [f"--{flag}={config[key]}" for flag, key in keys.items()] + [f"--threads={a.threads}"]
    if config.get("per_pair_negatives") == "true":
        flags.append("--per-pair-negatives")
    if "negative_share" in config:  # our sampling only (gensim draws per pair)
        flags.append(f"--negative-share={config['negative_share']}")
    runs = {"ours": [], "gensim": []}
    with tempfile.TemporaryDirectory(prefix="recvec-gensim-") as tmp:
        tmp = Path(tmp)
        for seed in range(1, a.seeds + 1):
            # The split is seeded by --seed too; keep it fixed (seed 1) and vary only training.
            run([a.recvec, "evaluate", *rest, "--models", "item2vec", *flags, *shlex.split(a.ours_flags), "--export-split", tmp,
                 f"--training-seed={seed}", "--json", tmp / "ours.json", "--quiet", "--seed=1"], stdout=subprocess.DEVNULL)
            run([a.peers_python, "-c", GENSIM, tmp / "train.txt", json.dumps(config), tmp / "in.txt", tmp / "out.txt",
                 a.threads, seed])
            run([a.recvec, "evaluate", *rest, "--models", f"vectors:{tmp / 'in.txt'}:{tmp / 'out.txt'}", *flags,
                 "--json", tmp / "gensim.json", "--quiet", "--seed=1"], stdout=subprocess.DEVNULL)
            ours = json.load(open(tmp / "ours.json"))
            theirs = json.load(open(tmp / "gensim.json"))
            runs["ours"].append(ours["results"][0]["metrics"])
            runs["gensim"].append(theirs["results"][0]["metrics"])
    cut = ours["cutoffs"]
    keys = [f"{m}@{k}" for m in ("hr", "mrr", "ndcg") for k in cut]
    o = {k: sum(r[k] for r in runs["ours"]) / len(runs["ours"]) for k in keys}
    g = {k: sum(r[k] for r in runs["gensim"]) / len(runs["gensim"]) for k in keys}
    print(f"{ours['protocol']} on {ours['dataset']}: {ours['test_cases']} test cases; means of {a.seeds} training seeds; "
          + (f"our extra flags: {a.ours_flags}; " if a.ours_flags else "") + "config: "
          + " ".join(f"{k}={v}" for k, v in sorted(config.items())))
    print()
    print("| model | " + " | ".join(keys) + " |")
    print("|---|" + "|".join("---:" for _ in keys) + "|")
    print("| RecVec item2vec | " + " | ".join(f"{o[k]:.4f}" for k in keys) + " |")
    print("| gensim skip-gram | " + " | ".join(f"{g[k]:.4f}" for k in keys) + " |")
    print("| difference | " + " | ".join(f"{o[k] - g[k]:+.4f}" for k in keys) + " |")
    # Noise: the seed-paired differences (seed s of ours against seed s of gensim, same split) at the
    # largest cut-off, their mean and its standard error.
    if len(runs["ours"]) > 1:
        print()
        for m in ("hr", "mrr"):
            k = f"{m}@{cut[-1]}"
            d = [a[k] - b[k] for a, b in zip(runs["ours"], runs["gensim"])]
            mean = sum(d) / len(d)
            se = (sum((x - mean) ** 2 for x in d) / (len(d) - 1) / len(d)) ** 0.5
            print(f"{k} by seed (ours − gensim): " + ", ".join(f"{x:+.4f}" for x in d) + f"; mean {mean:+.4f} ± {se:.4f} (standard error)")


if __name__ == "__main__":
    main()

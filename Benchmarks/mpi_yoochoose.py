#!/usr/bin/env python3
"""item2vec on yoochoose trained by 1 and by N (default 2) MPI processes, paired over splits and seeds.

One training of each is one draw: the next-event protocol tests 1,000 random sessions (a 95 %
bootstrap interval of about ±0.03 in hr@20) and Hogwild training differs seed to seed. This script
exports the training split of several `evaluate --protocol next-event --seed S` splits, trains
item2vec on each with several seeds by one process and by `mpirun -np N`, ranks both models on the
same split (`evaluate --models vectors:FILE`) and prints the mean paired difference (N processes
minus 1) of hr@20 and mrr@20 with its 95 % interval (normal approximation over the pairs).

    python3 Benchmarks/mpi_yoochoose.py OUT_DIR [--recvec BIN] [--shared DIR] [--splits 1,2,3,4,5]
        [--seeds 1,2,3,4] [--ranks N] [-- more train flags, e.g. --sync-every 1000000]

Needs an MPI build (`swift build -c release --traits MPI`) and ../shared/datasets.
"""
import json
import statistics
import subprocess
import sys
from pathlib import Path

import mpi_pairs


def main():
    def options(p):
        p.add_argument("--splits", default="1,2,3,4,5")

    a, flags = mpi_pairs.parse(__doc__.splitlines()[0], "1,2,3,4", options)
    data = Path(a.shared) / "datasets/yoochoose-100k-sample/sequences.tsv"
    if not data.exists():
        sys.exit(f"mpi_yoochoose.py: {data} not found (--shared)")
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    tag = mpi_pairs.tag(flags)
    rows = []
    for split in [int(s) for s in a.splits.split(",")]:
        evaluate = [a.recvec, "evaluate", "--input", str(data), "--format", "events", "--protocol", "next-event",
                    "--top", "1,5,10,20", "--threads", "2", "--quiet", "--seed", str(split)]
        folder = out / f"split{split}"
        if not (folder / "train.txt").exists():
            folder.mkdir(exist_ok=True)
            subprocess.run(evaluate + ["--models", "popularity", "--export-split", str(folder)], check=True,
                           stdout=subprocess.DEVNULL)
        for seed in [int(s) for s in a.seeds.split(",")]:
            scores = {}
            for ranks in (1, a.ranks):
                label = folder / f"{ranks}p-seed{seed}-{tag}"
                launcher = mpi_pairs.launcher(ranks) if ranks > 1 else []
                with open(f"{label}.log", "w") as log:
                    subprocess.run(launcher + [a.recvec, "train", "--input", str(folder / "train.txt"), "--output",
                                               f"{label}.rvmodel", "--model", "item2vec", "--threads", "1",
                                               "--seed", str(seed)] + flags, check=True, stderr=log)
                subprocess.run([a.recvec, "export", f"{label}.rvmodel", "--format", "word2vec-text", "--output",
                                f"{label}.vec"], check=True, stdout=subprocess.DEVNULL)
                subprocess.run(evaluate + ["--models", f"vectors:{label}.vec", "--json", f"{label}.json"], check=True,
                               stdout=subprocess.DEVNULL)
                metrics = json.load(open(f"{label}.json"))["results"][0]["metrics"]
                scores[ranks] = (metrics["hr@20"], metrics["mrr@20"])
            rows.append(scores)
            print(f"split {split} seed {seed}: 1 process hr@20 {scores[1][0]:.3f} mrr@20 {scores[1][1]:.4f}; "
                  f"{a.ranks} processes hr@20 {scores[a.ranks][0]:.3f} mrr@20 {scores[a.ranks][1]:.4f}", flush=True)

    def summary(i, name):
        one = [r[1][i] for r in rows]
        two = [r[a.ranks][i] for r in rows]
        mean, half = mpi_pairs.difference(one, two)
        return f"| {name} | {statistics.mean(one):.4f} | {statistics.mean(two):.4f} | {mean:+.4f} ± {half:.4f} |"

    print(f"\n{len(rows)} pairs (splits {a.splits} × seeds {a.seeds}), train flags: {' '.join(flags) or 'none'}\n")
    print(f"| metric | 1 process | {a.ranks} processes | difference (95 % interval) |")
    print("|---|---|---|---|")
    print(summary(0, "hr@20"))
    print(summary(1, "mrr@20"))


if __name__ == "__main__":
    main()

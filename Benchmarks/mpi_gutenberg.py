#!/usr/bin/env python3
"""Word vectors on Gutenberg trained by 1 and by N (default 2) MPI processes, paired over seeds.

One training is one draw: analogy accuracy moves by about ±0.01 from seed to seed, more with
several processes, so a gap of 0.01 is not measured by one seed. This script prepares the
Gutenberg corpus once, trains it with each seed by one process and by `mpirun -np N` (one thread a
process, so the models do not depend on the machine's load), scores both on questions-words.txt
(`evaluate-analogies --restrict 30000`) and prints each pair, then the mean paired difference (N
processes minus 1) with its 95 % interval (normal approximation over the seeds). Models already in
OUT_DIR are reused — named by seed, architecture, epochs and (N processes) flags, not by binary —
so give another build a fresh OUT_DIR (its one-process models may be linked in when they match).

    python3 Benchmarks/mpi_gutenberg.py OUT_DIR [--recvec BIN] [--shared DIR] [--architecture cbow]
        [--epochs 3] [--seeds 1,2,3,4,5] [--ranks N] [-- more flags for the N-process training]

`--ranks 1 -- FLAGS` pairs one process against one process with FLAGS (the last of a repeated flag wins), e.g.
`-- --threads 2` (two Hogwild threads) or `-- --alpha 0.1`: the references docs/benchmarks.md sets the 2-process gap
beside.

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
        p.add_argument("--architecture", default="cbow", choices=["cbow", "skipgram"])
        p.add_argument("--epochs", type=int, default=3)

    a, flags = mpi_pairs.parse(__doc__.splitlines()[0], "1,2,3,4,5", options)
    datasets = Path(a.shared) / "datasets"
    text = datasets / "gutenberg-corpus/corpus.text8style.txt"
    questions = datasets / "word-analogy/questions-words.txt"
    for f in (text, questions):
        if not f.exists():
            sys.exit(f"mpi_gutenberg.py: {f} not found (--shared)")
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    corpus = out / "gutenberg.rvcorpus"
    # A prepared corpus refuses to train once its input changed; prepare again then.
    if not corpus.exists() or corpus.stat().st_mtime < text.stat().st_mtime:
        subprocess.run([a.recvec, "prepare", "--input", str(text), "--min-count", "5", "--output", str(corpus),
                        "--quiet"], check=True)
    tag = mpi_pairs.tag(flags)
    train = [a.recvec, "train", "--input", str(corpus), "--architecture", a.architecture, "--threads", "1",
             "--epochs", str(a.epochs), "--min-count", "5"]

    def accuracy(label, launcher, extra, seed):
        model = out / f"{label}.rvmodel"
        if not model.exists():
            with open(out / f"{label}.log", "w") as log:
                subprocess.run(launcher + train + ["--seed", str(seed), "--output", str(model)] + extra, check=True,
                               stderr=log)
        result = subprocess.run([a.recvec, "evaluate-analogies", str(model), str(questions), "--restrict", "30000",
                                 "--json"], check=True, capture_output=True, text=True)
        return json.loads(result.stdout)["accuracy"]

    pairs = []
    for seed in [int(s) for s in a.seeds.split(",")]:
        base = f"{a.architecture}-e{a.epochs}-seed{seed}"
        one = accuracy(f"1p-{base}", [], [], seed)
        many = accuracy(f"{a.ranks}p-{base}-{tag}", mpi_pairs.launcher(a.ranks), flags, seed)
        pairs.append((one, many))
        print(f"seed {seed}: 1 process {one:.4f}, {a.ranks} processes {many:.4f} ({many - one:+.4f})", flush=True)

    one = [o for o, _ in pairs]
    many = [m for _, m in pairs]
    mean, half = mpi_pairs.difference(one, many)
    print(f"\n{len(pairs)} seeds ({a.seeds}), {a.architecture}, {a.epochs} epochs, flags of the {a.ranks}-process "
          f"runs: {' '.join(flags) or 'none'}\n")
    print(f"| 1 process | {a.ranks} processes | difference (95 % interval) |")
    print("|---|---|---|")
    print(f"| {statistics.mean(one):.4f} | {statistics.mean(many):.4f} | {mean:+.4f} ± {half:.4f} |")


if __name__ == "__main__":
    main()

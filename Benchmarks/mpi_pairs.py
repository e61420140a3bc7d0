"""What the paired 1-process-against-N-processes scripts (mpi_yoochoose.py, mpi_gutenberg.py) share: their
common options, the flags after `--` for the distributed runs, the mpirun launcher, and the mean paired
difference with its 95 % interval."""
import argparse
import os
import statistics
import sys
from pathlib import Path


def parse(description, seeds, add_options=lambda parser: None):
    """The script's options (OUT_DIR, --recvec, --shared, --seeds, --ranks and those `add_options` adds), and the
    `recvec train` flags given after `--`."""
    here = Path(__file__).resolve().parent.parent
    p = argparse.ArgumentParser(description=description)
    p.add_argument("out")
    p.add_argument("--recvec", default=str(here / ".build/release/recvec"))
    p.add_argument("--shared", default=str(here.parent / "shared"))
    p.add_argument("--seeds", default=seeds)
    p.add_argument("--ranks", type=int, default=2, help="processes of the distributed training (default 2)")
    add_options(p)
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    return p.parse_args(argv[:cut]), argv[cut + 1:]


def launcher(ranks):
    """mpirun for `ranks` processes on this machine (root in a container needs --allow-run-as-root)."""
    root = ["--allow-run-as-root"] if os.getuid() == 0 else []
    return ["mpirun", "--oversubscribe", "--bind-to", "none"] + root + ["-np", str(ranks)]


def tag(flags):
    """A file-name part naming the distributed runs' flags."""
    return "-".join(f.lstrip("-").replace("/", "_") for f in flags) or "defaults"


def difference(one, many):
    """The mean of `many` − `one` over the pairs and the half-width of its 95 % interval (normal approximation)."""
    diff = [m - o for o, m in zip(one, many)]
    half = 1.96 * statistics.stdev(diff) / len(diff) ** 0.5 if len(diff) > 1 else float("nan")
    return statistics.mean(diff), half

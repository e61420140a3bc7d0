#!/usr/bin/env python3
"""A model on paper of data-parallel training on N nodes (docs/benchmarks.md, "On several processes").

Each node trains `sync_every` tokens at `rate` tokens/s, then all nodes merge their changes: a ring
all-reduce of both matrices (each node sends and receives 2 (N-1)/N of B bytes, B = 2 x items x
(stride + 1) x 4) plus the local passes over the model (`local` seconds a gigabyte, measured on one
machine), plus the wait for the slowest node (`imbalance`, a fraction of the compute time). Between the full
rounds, every `hot_every` tokens, a hot round merges the `hot_rows` most frequent rows alone (a count a
row and their two matrix rows; by default the rows of a Zipf(1) catalog whose share of the tokens is at
least 1 / hot_every); `--hot-every 0` leaves them out (as the measurements before they existed).

    python3 Benchmarks/mpi_model.py --rate 700000 --local 0.35 --nodes 2,8,32,64
"""
import argparse
import math


def bytes_per_sync(items, dim):
    stride = (dim + 15) // 16 * 16
    return 2 * items * (stride + 1) * 4 + 8


def hot_rows(a):
    """The rows of a Zipf(1) catalog of `a.items` whose share of the tokens is at least 1 / hot_every."""
    if a.hot_rows is not None:
        return a.hot_rows
    harmonic = sum(1 / i for i in range(1, a.items + 1))
    return min(a.items, int(a.hot_every / harmonic)) if a.hot_every else 0


def run_time(n, a, gbps):
    tokens = a.tokens * a.epochs
    share = tokens / n
    rounds = max(1, math.ceil(share / a.sync_every)) if n > 1 else 0
    hot = max(0, math.ceil(share / a.hot_every) - rounds) if n > 1 and a.hot_every else 0
    compute = share / a.rate
    b = bytes_per_sync(a.items, a.dim)
    link = gbps * 1e9 / 8

    def wire(size):
        return 2 * (n - 1) / n * size / link + 2 * (n - 1) * a.latency if n > 1 else 0

    stride = (a.dim + 15) // 16 * 16
    hot_bytes = hot_rows(a) * (2 * stride + 1) * 4
    local = b / 1e9 * a.local
    per_round = wire(b) + local + a.imbalance * compute / max(1, rounds)
    hot_wire = wire(hot_bytes) if hot else 0
    return compute + rounds * per_round + hot * hot_wire, rounds, hot, wire(b), hot_wire, local


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tokens", type=float, default=1e9)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--items", type=int, default=1_000_000)
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--rate", type=float, default=700_000, help="tokens/s of one node")
    p.add_argument("--sync-every", type=float, default=1_000_000, help="tokens a node trains a round")
    p.add_argument("--local", type=float, default=0.35, help="seconds a GB of model for the local passes")
    p.add_argument("--latency", type=float, default=50e-6, help="seconds a message step")
    p.add_argument("--imbalance", type=float, default=0.05, help="wait for the slowest node, share of compute")
    p.add_argument("--hot-every", type=float, default=25_000, help="tokens between hot rounds (0: none)")
    p.add_argument("--hot-rows", type=int, default=None, help="rows a hot round merges (default: Zipf estimate)")
    p.add_argument("--gbps", default="1,10,100")
    p.add_argument("--nodes", default="2,8,32,64")
    a = p.parse_args()
    b = bytes_per_sync(a.items, a.dim)
    alone = a.tokens * a.epochs / a.rate
    print(f"{a.tokens:.3g} tokens x {a.epochs} epoch(s), {a.items:,} items x dim {a.dim}: {b / 1e6:,.0f} MB a "
          f"synchronisation; one node {alone:,.0f} s at {a.rate:,.0f} tokens/s; {a.sync_every:,.0f} tokens a round; "
          + (f"hot rounds of {hot_rows(a):,} rows every {a.hot_every:,.0f} tokens" if a.hot_every else "no hot rounds"))
    print("| link | nodes | rounds | hot rounds | wire s/round | wire ms/hot round | local s/round | time s | speed-up "
          "| efficiency |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for g in [float(x) for x in a.gbps.split(",")]:
        for n in [int(x) for x in a.nodes.split(",")]:
            t, rounds, hot, wire, hot_wire, local = run_time(n, a, g)
            print(f"| {g:g} Gb/s | {n} | {rounds} | {hot} | {wire:.2f} | {hot_wire * 1e3:.1f} | {local:.2f} | {t:,.0f} "
                  f"| {alone / t:.1f}x | {alone / t / n:.0%} |")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A model on paper of data-parallel training on N nodes (docs/benchmarks.md, "On several processes").

Each node trains `sync_every` tokens at `rate` tokens/s, then all nodes merge their changes: a ring
all-reduce of both matrices (each node sends and receives 2 (N-1)/N of B bytes, B = 2 x items x
(stride + 1) x 4) plus the local passes over the model (`local` seconds a gigabyte, measured on one
machine), plus the wait for the slowest node (`imbalance`, a fraction of the compute time).

    python3 Benchmarks/mpi_model.py --rate 700000 --local 0.35 --nodes 2,8,32,64
"""
import argparse
import math


def bytes_per_sync(items, dim):
    stride = (dim + 15) // 16 * 16
    return 2 * items * (stride + 1) * 4 + 8


def run_time(n, a, gbps):
    tokens = a.tokens * a.epochs
    share = tokens / n
    rounds = max(1, math.ceil(share / a.sync_every)) if n > 1 else 0
    compute = share / a.rate
    b = bytes_per_sync(a.items, a.dim)
    wire = 2 * (n - 1) / n * b / (gbps * 1e9 / 8) + 2 * (n - 1) * a.latency if n > 1 else 0
    local = b / 1e9 * a.local
    per_round = wire + local + a.imbalance * compute / max(1, rounds)
    return compute + rounds * per_round, rounds, wire, local


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
    p.add_argument("--gbps", default="1,10,100")
    p.add_argument("--nodes", default="2,8,32,64")
    a = p.parse_args()
    b = bytes_per_sync(a.items, a.dim)
    alone = a.tokens * a.epochs / a.rate
    print(f"{a.tokens:.3g} tokens x {a.epochs} epoch(s), {a.items:,} items x dim {a.dim}: {b / 1e6:,.0f} MB a "
          f"synchronisation; one node {alone:,.0f} s at {a.rate:,.0f} tokens/s; {a.sync_every:,.0f} tokens a round")
    print("| link | nodes | rounds | wire s/round | local s/round | time s | speed-up | efficiency |")
    print("|---|---|---|---|---|---|---|---|")
    for g in [float(x) for x in a.gbps.split(",")]:
        for n in [int(x) for x in a.nodes.split(",")]:
            t, rounds, wire, local = run_time(n, a, g)
            print(f"| {g:g} Gb/s | {n} | {rounds} | {wire:.2f} | {local:.2f} | {t:,.0f} | {alone / t:.1f}x "
                  f"| {alone / t / n:.0%} |")


if __name__ == "__main__":
    main()

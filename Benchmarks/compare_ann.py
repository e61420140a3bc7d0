#!/usr/bin/env python3
"""Approximate nearest neighbours: RecVec's exact search, RecVec's HNSW index and hnswlib, side by side.

  python3 Benchmarks/compare_ann.py [--n 1000000] [--dim 100] [--m 16] [--ef-construction 100]
                                    [--ef 10,20,40,80,160,320] [--queries 1000] [--threads 2]
                                    [--intrinsic-dim 16] [--synthetic yes|no] [--real gutenberg|none]
                                    [--no-build] [--keep] [--json OUT.json]

Two data sets, each run through the same steps:
  synthetic  N vectors of DIM floats from a Gaussian mixture (see `child_generate`: clusters of intrinsic dimension
             --intrinsic-dim, or isotropic with 0), written as word2vec binary and converted with `recvec import`;
             queries are fresh draws from the same mixture (not in the index).
  gutenberg  a word2vec skip-gram model trained by `recvec train` on ../shared/datasets/gutenberg-corpus
             (1 epoch, dim DIM); queries are the normalized means of two random words' unit vectors (what
             `recvec recommend` asks for a two-item history).
For each: `recvec index` (build time, peak RSS, file size), `recvec bench-search` (exact and HNSW per ef: recall@10,
queries/s one query at a time on one thread, p50/p99 latency, batch queries/s on all threads), then hnswlib with the
same M, efConstruction and threads (space 'ip' on the same unit vectors; per-query loop of knn_query with
num_threads=1, then one batch call). Recall is measured against exact top-10 by dot product (numpy for hnswlib, our
exact search for ours). Peak RSS is each child's own ru_maxrss (os.wait4).

The orchestrator needs only the standard library; numpy and hnswlib run in the peers' virtualenv
(`--peers-python`, default /root/.cache/recvec-peers/bin/python; `pip install hnswlib` there).
Every command is printed to stderr with a `+ ` prefix; results go to stdout as markdown.
"""
import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def die(msg):
    sys.exit(f"compare_ann: error: {msg}")


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def run_measured(cmd, out_path, err_path):
    """Run cmd (cwd = repo root); return (peak RSS MiB of this child alone, wall seconds)."""
    log("+ " + shlex.join(str(c) for c in cmd))
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        t0 = time.monotonic()
        proc = subprocess.Popen([str(c) for c in cmd], stdout=out, stderr=err, cwd=REPO)
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.monotonic() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = Path(err_path).read_text(errors="replace")[-3000:]
        die(f"command failed with exit code {proc.returncode}:\n  {shlex.join(map(str, cmd))}\n{tail}")
    return round(ru.ru_maxrss / 1024, 1), round(wall, 2)


def run_json(cmd, tmp, name):
    out, err = tmp / f"{name}.out", tmp / f"{name}.err"
    rss, wall = run_measured(cmd, out, err)
    text = out.read_text()
    for candidate in (text, (text.strip().splitlines() or [""])[-1]):
        try:
            return json.loads(candidate), rss, wall
        except ValueError:
            pass
    die(f"no JSON on stdout of {shlex.join(map(str, cmd))}:\n{text[-2000:]}")


# ----------------------------------------------------------------------------- children (peers python)

def child_generate(args):
    """Gaussian mixture: C centres ~ N(0, I_d), cluster weights ∝ 1/rank (c+1), and per cluster a spread
    s_c. With --intrinsic-dim r > 0 (default 16), s_c ~ U(0.5, 1.5) and a point is centre + s_c · B_c z + 0.1 · e,
    where B_c is a random orthonormal d×r basis of the cluster, z ~ N(0, I_r) and e ~ N(0, I_d): clusters that
    vary along a few directions, as learned embeddings do. With r = 0, s_c ~ U(0.3, 0.8) and a point is
    centre + s_c · e (isotropic clusters: every direction counts, the hard case for any ANN index). Writes word2vec binary (tokens v0…),
    the raw float32 queries (Q fresh draws from the same mixture) and the unit vectors as .npy for hnswlib."""
    import numpy as np
    rng = np.random.default_rng(args.seed)
    n, d, c, r = args.n, args.dim, args.clusters, args.intrinsic_dim
    centres = rng.standard_normal((c, d), dtype=np.float32)
    spread = rng.uniform(0.5, 1.5, c).astype(np.float32) if r > 0 else rng.uniform(0.3, 0.8, c).astype(np.float32)
    weights = 1.0 / np.arange(1, c + 1)
    weights /= weights.sum()
    bases = None
    if r > 0:
        bases = np.empty((c, d, r), dtype=np.float32)
        for k in range(c):
            q, _ = np.linalg.qr(rng.standard_normal((d, r)))
            bases[k] = q

    def draw(count):
        labels = rng.choice(c, size=count, p=weights)
        if r == 0:
            x = rng.standard_normal((count, d), dtype=np.float32)
            x *= spread[labels, None]
            x += centres[labels]
            return x
        x = np.empty((count, d), dtype=np.float32)
        order = np.argsort(labels, kind="stable")
        bounds = np.searchsorted(labels[order], np.arange(c + 1))
        for k in range(c):
            rows = order[bounds[k]:bounds[k + 1]]
            if len(rows) == 0:
                continue
            z = rng.standard_normal((len(rows), r), dtype=np.float32)
            e = rng.standard_normal((len(rows), d), dtype=np.float32)
            x[rows] = centres[k] + spread[k] * (z @ bases[k].T) + 0.1 * e
        return x

    x = np.empty((n, d), dtype=np.float32)
    for start in range(0, n, 100_000):
        stop = min(n, start + 100_000)
        x[start:stop] = draw(stop - start)
    queries = draw(args.queries)
    with open(args.out_vectors, "wb") as f:
        f.write(f"{n} {d}\n".encode())
        for start in range(0, n, 100_000):
            stop = min(n, start + 100_000)
            block = x[start:stop].astype("<f4")
            f.write(b"".join(b"v%d " % (start + i) + block[i].tobytes() + b"\n" for i in range(stop - start)))
    queries.astype("<f4").tofile(args.out_queries)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    np.save(args.out_npy, x)


def read_word2vec_binary(path):
    import numpy as np
    with open(path, "rb") as f:
        n, d = map(int, f.readline().split())
        x = np.empty((n, d), dtype=np.float32)
        data = f.read()
    pos = 0
    for i in range(n):
        while data[pos:pos + 1] in (b"\n", b" "):
            pos += 1
        space = data.index(b" ", pos)
        pos = space + 1
        x[i] = np.frombuffer(data, dtype="<f4", count=d, offset=pos)
        pos += 4 * d
    return x


def child_real_queries(args):
    """Unit vectors of an exported model as .npy, and Q queries: normalized means of two random rows."""
    import numpy as np
    x = read_word2vec_binary(args.vectors)
    x /= np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-30)
    rng = np.random.default_rng(args.seed)
    a = rng.integers(0, len(x), args.queries)
    b = rng.integers(0, len(x), args.queries)
    q = x[a] + x[b]
    q /= np.maximum(np.linalg.norm(q, axis=1, keepdims=True), 1e-30)
    q.astype("<f4").tofile(args.out_queries)
    np.save(args.out_npy, x)


def child_hnswlib(args):
    """Build hnswlib over the unit vectors, then time queries per ef; prints one JSON object."""
    import numpy as np
    import hnswlib
    x = np.load(args.npy)
    n, d = x.shape
    q = np.fromfile(args.queries, dtype="<f4").reshape(-1, d)
    q /= np.maximum(np.linalg.norm(q, axis=1, keepdims=True), 1e-30)
    k = args.k
    t0 = time.perf_counter()
    truth = np.empty((len(q), k), dtype=np.int64)
    for s in range(0, len(q), 64):
        sims = q[s:s + 64] @ x.T
        top = np.argpartition(-sims, k, axis=1)[:, :k]
        truth[s:s + 64] = top
    truth_seconds = time.perf_counter() - t0
    index = hnswlib.Index(space="ip", dim=d)
    t0 = time.perf_counter()
    index.init_index(max_elements=n, M=args.m, ef_construction=args.ef_construction, random_seed=args.seed)
    index.add_items(x, np.arange(n), num_threads=args.threads)
    build = time.perf_counter() - t0
    index.save_index(args.save)
    size = os.path.getsize(args.save)
    os.remove(args.save)
    results = []
    for ef in args.ef:
        index.set_ef(ef)
        for i in range(min(50, len(q))):
            index.knn_query(q[i:i + 1], k=k, num_threads=1)
        lat = []
        found = np.empty((len(q), k), dtype=np.int64)
        t0 = time.perf_counter()
        for i in range(len(q)):
            s = time.perf_counter()
            labels, _ = index.knn_query(q[i:i + 1], k=k, num_threads=1)
            lat.append(time.perf_counter() - s)
            found[i] = labels[0]
        total = time.perf_counter() - t0
        t0 = time.perf_counter()
        index.knn_query(q, k=k, num_threads=args.threads)
        batch = time.perf_counter() - t0
        hits = sum(len(set(truth[i]) & set(found[i])) for i in range(len(q)))
        lat.sort()
        results.append({
            "ef": ef, "recall": hits / (len(q) * k), "queriesPerSecond": len(q) / total,
            "p50Milliseconds": lat[int(0.5 * len(lat) + 0.5) - 1] * 1000,
            "p99Milliseconds": lat[min(len(lat) - 1, int(-(-0.99 * len(lat) // 1)) - 1)] * 1000,
            "batchQueriesPerSecond": len(q) / batch})
    print(json.dumps({"buildSeconds": build, "indexFileBytes": size, "truthSeconds": truth_seconds,
                      "hnswlib": hnswlib.__version__ if hasattr(hnswlib, "__version__") else "?",
                      "results": results}))


# ----------------------------------------------------------------------------- orchestration

def find_recvec(args):
    if not args.no_build:
        cmd = ["swift", "build", "-c", "release", "--product", "recvec"]
        log("+ " + shlex.join(cmd))
        if subprocess.call(cmd, cwd=REPO, stdout=sys.stderr) != 0:
            die("swift build failed")
    binary = Path(args.recvec).resolve() if args.recvec else REPO / ".build" / "release" / "recvec"
    if not binary.is_file():
        die(f"recvec binary not found at {binary}")
    return binary


def compare(name, model, npy, queries, recvec, args, tmp):
    efs = [str(e) for e in args.ef]
    built, build_rss, _ = run_json(
        [recvec, "index", model, "--m", args.m, "--ef-construction", args.ef_construction, "--threads", args.threads,
         "--recall-queries", "0", "--json"], tmp, f"{name}-index")
    bench, bench_rss, _ = run_json(
        [recvec, "bench-search", model, "--queries", queries, "--ef", *efs, "--exact-queries",
         args.exact_queries, "--threads", args.threads], tmp, f"{name}-bench")
    peer, peer_rss, _ = run_json(
        [args.peers_python, Path(__file__).resolve(), "_hnswlib", "--npy", npy, "--queries", queries,
         "--m", args.m, "--ef-construction", args.ef_construction, "--threads", args.threads,
         "--ef", *efs, "--save", tmp / f"{name}.hnswlib", "--seed", "100"], tmp, f"{name}-hnswlib")
    return {"name": name, "ours": {"index": built, "indexRSSMiB": build_rss, "bench": bench, "benchRSSMiB": bench_rss},
            "hnswlib": {**peer, "rssMiB": peer_rss}}


def report(r, args):
    ours, peer = r["ours"], r["hnswlib"]
    bench = ours["bench"]
    exact = bench["exact"]
    lines = [f"### {r['name']}: {bench['items']:,} items × {bench['dim']}, {bench['queries']} queries, k = {bench['k']}",
             "",
             f"Build (M {args.m}, efConstruction {args.ef_construction}, {args.threads} threads): "
             f"ours {ours['index']['buildSeconds']:.1f} s, hnswlib {peer['buildSeconds']:.1f} s "
             f"(ratio ours/hnswlib {ours['index']['buildSeconds'] / peer['buildSeconds']:.2f}). "
             f"Index file: ours {ours['index']['fileBytes'] / 2**20:.0f} MiB (graph only; the vectors stay in the model), "
             f"hnswlib {peer['indexFileBytes'] / 2**20:.0f} MiB (graph + vectors). Peak RSS: ours while building "
             f"{ours['indexRSSMiB']:.0f} MiB, while benchmarking {ours['benchRSSMiB']:.0f} MiB (model + unit vectors + "
             f"graph); hnswlib child {peer['rssMiB']:.0f} MiB (numpy data + index).",
             "",
             f"Exact search (ours, {exact['queries']} queries): {exact['queriesPerSecond']:.1f} queries/s on one thread, "
             f"p50 {exact['p50Milliseconds']:.2f} ms, p99 {exact['p99Milliseconds']:.2f} ms, "
             f"batch {exact['batchQueriesPerSecond']:.1f} queries/s on {exact['batchThreads']} threads.",
             "",
             "| ef | recall@10 ours | recall@10 hnswlib | q/s ours (1 thread) | q/s hnswlib (1 thread) | ours/hnswlib "
             "| p50 ms ours | p50 ms hnswlib | p99 ms ours | p99 ms hnswlib | batch q/s ours | batch q/s hnswlib "
             "| speed-up over exact (ours, 1 thread) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for o, p in zip(bench["hnsw"], peer["results"]):
        lines.append(
            f"| {o['ef']} | {o['recall']:.4f} | {p['recall']:.4f} | {o['queriesPerSecond']:,.0f} | "
            f"{p['queriesPerSecond']:,.0f} | {o['queriesPerSecond'] / p['queriesPerSecond']:.2f} | "
            f"{o['p50Milliseconds']:.3f} | {p['p50Milliseconds']:.3f} | {o['p99Milliseconds']:.3f} | "
            f"{p['p99Milliseconds']:.3f} | {o['batchQueriesPerSecond']:,.0f} | {p['batchQueriesPerSecond']:,.0f} | "
            f"{o['queriesPerSecond'] / exact['queriesPerSecond']:,.0f}× |")
    first_o = next((o for o in bench["hnsw"] if o["recall"] >= 0.95), None)
    first_p = next((p for p in peer["results"] if p["recall"] >= 0.95), None)
    lines.append("")
    if first_o and first_p:
        lines.append(
            f"At recall@10 ≥ 0.95: ours needs ef {first_o['ef']} ({first_o['queriesPerSecond']:,.0f} q/s, "
            f"{first_o['queriesPerSecond'] / exact['queriesPerSecond']:,.0f}× exact), hnswlib ef {first_p['ef']} "
            f"({first_p['queriesPerSecond']:,.0f} q/s); ratio ours/hnswlib "
            f"{first_o['queriesPerSecond'] / first_p['queriesPerSecond']:.2f}.")
    else:
        lines.append("Recall@10 ≥ 0.95 not reached by " + ("ours" if not first_o else "hnswlib") + " in this ef sweep.")
    return "\n".join(lines)


def main():
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        p = argparse.ArgumentParser()
        sub = sys.argv[1]
        if sub == "_generate":
            for a in ("--out-vectors", "--out-queries", "--out-npy"):
                p.add_argument(a)
            p.add_argument("--n", type=int); p.add_argument("--dim", type=int); p.add_argument("--clusters", type=int)
            p.add_argument("--queries", type=int); p.add_argument("--seed", type=int)
            p.add_argument("--intrinsic-dim", type=int, default=16)
            child_generate(p.parse_args(sys.argv[2:]))
        elif sub == "_real":
            for a in ("--vectors", "--out-queries", "--out-npy"):
                p.add_argument(a)
            p.add_argument("--queries", type=int); p.add_argument("--seed", type=int)
            child_real_queries(p.parse_args(sys.argv[2:]))
        elif sub == "_hnswlib":
            for a in ("--npy", "--queries", "--save"):
                p.add_argument(a)
            for a in ("--m", "--ef-construction", "--threads", "--seed"):
                p.add_argument(a, type=int)
            p.add_argument("--k", type=int, default=10)
            p.add_argument("--ef", type=int, nargs="+")
            child_hnswlib(p.parse_args(sys.argv[2:]))
        return

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=1_000_000)
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--clusters", type=int, default=1000)
    p.add_argument("--intrinsic-dim", type=int, default=16)
    p.add_argument("--synthetic", default="yes", choices=["yes", "no"])
    p.add_argument("--queries", type=int, default=1000)
    p.add_argument("--exact-queries", type=int, default=100)
    p.add_argument("--m", type=int, default=16)
    p.add_argument("--ef-construction", type=int, default=100)
    p.add_argument("--ef", default="10,20,40,80,160,320")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--real", default="gutenberg", choices=["gutenberg", "none"])
    p.add_argument("--real-epochs", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--shared", default=str(REPO.parent / "shared"))
    p.add_argument("--peers-python", default=os.environ.get("PEERS_PY", "/root/.cache/recvec-peers/bin/python"))
    p.add_argument("--recvec")
    p.add_argument("--no-build", action="store_true")
    p.add_argument("--keep", action="store_true")
    p.add_argument("--json")
    args = p.parse_args()
    args.ef = [int(e) for e in args.ef.split(",")]
    recvec = find_recvec(args)
    tmp = Path(tempfile.mkdtemp(prefix="recvec-ann-"))
    log(f"working in {tmp}")
    results = []
    started = time.monotonic()
    try:
        # (a) synthetic
        if args.synthetic == "yes":
            vectors, queries, npy = tmp / "synthetic.bin", tmp / "synthetic.queries.f32", tmp / "synthetic.npy"
            rss, wall = run_measured(
                [args.peers_python, Path(__file__).resolve(), "_generate", "--n", args.n, "--dim", args.dim,
                 "--clusters", args.clusters, "--intrinsic-dim", args.intrinsic_dim, "--queries", args.queries, "--seed", args.seed, "--out-vectors", vectors,
                 "--out-queries", queries, "--out-npy", npy], tmp / "gen.out", tmp / "gen.err")
            log(f"  generated in {wall} s")
            model = tmp / "synthetic.rvmodel"
            run_measured([recvec, "import", vectors, "--output", model], tmp / "import.out", tmp / "import.err")
            vectors.unlink()
            results.append(compare(f"synthetic (intrinsic dim {args.intrinsic_dim})" if args.intrinsic_dim else "synthetic (isotropic clusters)", model, npy, queries, recvec, args, tmp))
            npy.unlink()
            model.unlink()
        # (b) a real model
        if args.real == "gutenberg":
            corpus = Path(args.shared) / "datasets" / "gutenberg-corpus" / "corpus.text8style.txt"
            if not corpus.is_file():
                die(f"corpus not found: {corpus} (--shared DIR)")
            model = tmp / "gutenberg.rvmodel"
            run_measured(
                [recvec, "train", "--input", corpus, "--output", model, "--dim", args.dim, "--epochs",
                 args.real_epochs, "--threads", args.threads, "--min-count", "5"], tmp / "train.out", tmp / "train.err")
            exported = tmp / "gutenberg.bin"
            run_measured([recvec, "export", model, "--format", "word2vec-binary", "--output", exported],
                         tmp / "export.out", tmp / "export.err")
            queries, npy = tmp / "gutenberg.queries.f32", tmp / "gutenberg.npy"
            run_measured([args.peers_python, Path(__file__).resolve(), "_real", "--vectors", exported,
                          "--queries", args.queries, "--seed", args.seed, "--out-queries", queries, "--out-npy", npy],
                         tmp / "real.out", tmp / "real.err")
            results.append(compare("gutenberg", model, npy, queries, recvec, args, tmp))
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"Command: `python3 Benchmarks/compare_ann.py {shlex.join(sys.argv[1:])}` "
          f"(total {time.monotonic() - started:.0f} s)\n")
    for r in results:
        print(report(r, args) + "\n")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""gru4rec (RecVec) against the official PyTorch GRU4Rec (Hidasi), on CPU, with the same split, the
same hyperparameters and the same next-item protocol.

  python3 Benchmarks/compare_gru4rec.py --train TRAIN.tsv --test TEST.tsv \
      --official /tmp/gru4rec-official --python ~/.cache/recvec-gru4rec/venv/bin/python

1. `recvec evaluate --train --test --protocol session --models gru4rec <flags>` trains ours and scores
   every next event of the test sessions (hr@20, mrr@20, training seconds);
2. the official implementation (its code from its repository, outside this repo; torch and pandas from
   PyPI in a virtualenv) trains on the same training file with the same hyperparameters (device cpu) and
   is scored by its own `evaluation.batch_eval` in its 'standard' mode (rank = 1 + items scored higher),
   which tests the same cases: each event of a test session after the first, given the earlier ones, items
   unseen in training removed;
3. prints both rows and the ratios: quality, wall seconds of training per epoch, CPU seconds of training per
   epoch (ours: the process's CPU time around the model's fit, from the report's `train_cpu_seconds`; theirs:
   `time.process_time()` around `fit`), and our whole process's CPU seconds (reading, training, scoring) per
   epoch, the figure earlier reports gave.
Our matrix products run on the kernel `RECVEC_KERNEL` selects (unset: the best this CPU has; `recvec evaluate`
says which on stderr); the script passes the variable through and prints it.
Its virtualenv: `python3 -m venv V && V/bin/pip install torch "numpy<2" "pandas<2.3"` (the official code
predates NumPy 2's type promotion: its initialisation fails under NumPy 2).
The events files are RecVec's `events` format with a header (user_id item_id timestamp session_id).
"""
import argparse, json, os, re, resource, shlex, subprocess, sys, tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

OFFICIAL = r'''
import sys, json, time, io, contextlib
import pandas as pd, torch
official, train_path, test_path, params, threads = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4]), int(sys.argv[5])
sys.path.insert(0, official)
torch.set_num_threads(threads)
# Its logq code hands torch.tensor a pandas Series, which current torch refuses: pass the values.
_tensor = torch.tensor
torch.tensor = lambda x, *a, **k: _tensor(x.values if isinstance(x, pd.Series) else x, *a, **k)
torch.manual_seed(1)
import numpy as np
np.random.seed(1)
from gru4rec_pytorch import GRU4Rec
import evaluation
def load(path):
    d = pd.read_csv(path, sep='\t', dtype={'item_id': 'str'})
    return pd.DataFrame({'SessionId': d['session_id'].astype('int64'), 'ItemId': d['item_id'], 'Time': d['timestamp']})
train, test = load(train_path), load(test_path)
gru = GRU4Rec(device=torch.device('cpu'))
gru.set_params(**params)
out = io.StringIO()
t0, c0 = time.time(), time.process_time()
with contextlib.redirect_stdout(out):
    gru.fit(train)
total, cpu = time.time() - t0, time.process_time() - c0
epochs = [float(x) for x in __import__('re').findall(r'\((\d+\.\d+)s\)', out.getvalue())]
# Its iterator starts with one session per row of the batch: no larger than the test sessions (the
# batch size changes no rank in 'standard' mode, only how many sessions run side by side).
res = evaluation.batch_eval(gru, test, cutoff=[20], batch_size=min(512, test['SessionId'].nunique()), mode='standard')
print(json.dumps({'hr@20': float(res[0][20]), 'mrr@20': float(res[1][20]), 'train_seconds': total, 'train_cpu_seconds': cpu, 'epoch_seconds': epochs}))
'''


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--official", default="/tmp/gru4rec-official", help="a checkout of hidasib/GRU4Rec_PyTorch_Official")
    ap.add_argument("--python", default=str(Path.home() / ".cache/recvec-gru4rec/venv/bin/python"))
    ap.add_argument("--recvec", default=str(REPO / ".build/release/recvec"))
    ap.add_argument("--threads", type=int, default=2)
    # The official paramfile for yoochoose (paramfiles/yoochoose_xe_shared_best.py) unless changed.
    ap.add_argument("--loss", default="cross-entropy")
    ap.add_argument("--layers", default="480")
    ap.add_argument("--batch", type=int, default=48)
    ap.add_argument("--samples", type=int, default=2048)
    ap.add_argument("--sample-alpha", type=float, default=0.2)
    ap.add_argument("--dropout-embedding", type=float, default=0.0)
    ap.add_argument("--dropout-hidden", type=float, default=0.2)
    ap.add_argument("--learning-rate", type=float, default=0.07)
    ap.add_argument("--momentum", type=float, default=0.0)
    ap.add_argument("--bpreg", type=float, default=0.0)
    ap.add_argument("--elu", type=float, default=0.0)
    ap.add_argument("--logq", type=float, default=1.0)
    ap.add_argument("--epochs", type=int, default=10)
    ap.add_argument("--skip-official", action="store_true")
    ap.add_argument("--official-json", help="reuse the official run's result (a JSON line this script printed)")
    a = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ours.json"
        cmd = [a.recvec, "evaluate", "--train", a.train, "--test", a.test, "--format", "events",
               "--session-column", "session_id", "--protocol", "session", "--models", "gru4rec", "--min-count", "1",
               "--top", "20", "--threads", str(a.threads), "--epochs", str(a.epochs), "--alpha", str(a.learning_rate),
               "--gru-loss", a.loss, "--gru-layers", a.layers.replace("/", ","), "--gru-batch", str(a.batch),
               "--gru-samples", str(a.samples), "--gru-sample-alpha", str(a.sample_alpha),
               "--gru-dropout-embedding", str(a.dropout_embedding), "--gru-dropout-hidden", str(a.dropout_hidden),
               "--gru-momentum", str(a.momentum), "--gru-bpreg", str(a.bpreg), "--gru-elu", str(a.elu),
               "--gru-logq", str(a.logq), "--json", str(out)]
        log("+ RECVEC_KERNEL=" + os.environ.get("RECVEC_KERNEL", "(unset)") + " " + shlex.join(cmd))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(cmd, check=True, cwd=REPO, stdout=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        report = json.loads(out.read_text())
        r = report["results"][0]
        ours = {"hr@20": r["metrics"]["hr@20"], "mrr@20": r["metrics"]["mrr@20"], "train_seconds": r["train_seconds"],
                "train_cpu_seconds": r.get("train_cpu_seconds", float("nan")),
                "cpu_seconds": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
                "kernel": os.environ.get("RECVEC_KERNEL", "auto")}
        log(f"ours: {ours} over {report['testCases'] if 'testCases' in report else report.get('test_cases')} cases")

    theirs = None
    if a.official_json:
        theirs = json.loads(Path(a.official_json).read_text())
    elif not a.skip_official:
        params = {"loss": a.loss, "constrained_embedding": True, "embedding": 0, "elu_param": a.elu,
                  "layers": [int(x) for x in a.layers.replace(",", "/").split("/")], "n_epochs": a.epochs,
                  "batch_size": a.batch, "dropout_p_embed": a.dropout_embedding, "dropout_p_hidden": a.dropout_hidden,
                  "learning_rate": a.learning_rate, "momentum": a.momentum, "n_sample": a.samples,
                  "sample_alpha": a.sample_alpha, "bpreg": a.bpreg, "logq": a.logq}
        cmd = [a.python, "-c", OFFICIAL, a.official, a.train, a.test, json.dumps(params), str(a.threads)]
        log("+ official GRU4Rec (PyTorch, cpu) " + json.dumps(params))
        p = subprocess.run(cmd, check=True, capture_output=True, text=True)
        theirs = json.loads(p.stdout.strip().splitlines()[-1])
        log("official: " + json.dumps(theirs))

    print(f"| | RecVec gru4rec | official GRU4Rec (PyTorch, CPU) | ratio |")
    print("|---|---:|---:|---:|")
    for key in ["hr@20", "mrr@20"]:
        t = theirs[key] if theirs else float("nan")
        print(f"| {key} | {ours[key]:.4f} | {t:.4f} | {ours[key] / t if theirs else float('nan'):.3f} |")
    e = a.epochs
    ot, tt = ours["train_seconds"] / e, (theirs["train_seconds"] / e if theirs else float("nan"))
    print(f"| training s / epoch | {ot:.2f} | {tt:.2f} | {ot / tt if theirs else float('nan'):.3f} |")
    if theirs:
        tc = theirs["train_cpu_seconds"] / e
        ot = ours["train_cpu_seconds"] / e
        print(f"| CPU s / epoch (training) | {ot:.2f} | {tc:.2f} | {ot / tc:.3f} |")
        oc = ours["cpu_seconds"] / e
        print(f"| CPU s / epoch (ours: whole process, with reading and scoring) | {oc:.2f} | {tc:.2f} | {oc / tc:.3f} |")
        print(f"\nofficial per-epoch seconds: {theirs['epoch_seconds']}")
    print("ours: " + json.dumps(ours))
    if theirs:
        print("official: " + json.dumps(theirs))


if __name__ == "__main__":
    main()

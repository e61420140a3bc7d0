#!/usr/bin/env bash
# A big catalog end to end (issue 10, part 3): a synthetic event log (Benchmarks/gen_events.py: power-law
# catalogue, planted groups), `recvec prepare`, `train` from the prepared corpus, the planted groups checked,
# `index`, exact against HNSW search (time per query, recall@20 of HNSW against exact), `evaluate`
# (next-event, exact scoring) and `serve`'s /v1/recommend latency under wrk (exact, then HNSW).
#
# Usage: Benchmarks/big_catalog.sh FOLDER
#   EVENTS (100000000), ITEMS (1000000), USERS (2000000), NGROUPS (1000): the log's size
#   RECVEC (.build/release/recvec), PY (~/.cache/recvec-peers/bin/python, needs numpy), THREADS (2)
#   SERVE=0 skips the load test (it needs wrk: apt-get install -y wrk)
#   EVAL_INPUT: what `evaluate` reads (default: the event log itself; evaluation needs every event, so not the
#   prepared corpus, which dropped items below --min-count 5 — give a corpus prepared with --min-count 1)
# Every step prints "NAME: wall s, peak RSS"; FOLDER keeps the data, the model and every step's output, and a
# step whose output exists is not run again (delete it to rerun). Nothing here is a test.
set -euo pipefail
cd "$(dirname "$0")/.."
D=${1:?usage: Benchmarks/big_catalog.sh FOLDER}
mkdir -p "$D"
R=${RECVEC:-.build/release/recvec}
PY=${PY:-$HOME/.cache/recvec-peers/bin/python}
THREADS=${THREADS:-2}
EVENTS=${EVENTS:-100000000}
ITEMS=${ITEMS:-1000000}
USERS=${USERS:-2000000}
NGROUPS=${NGROUPS:-1000}

step() {  # step NAME OUTPUT command...: runs the command unless OUTPUT exists; times it
  local name=$1 output=$2
  shift 2
  if [ -e "$output" ]; then
    echo "$name: (kept from an earlier run) $(cat "$D/$name.time" 2>/dev/null || true)"
    return
  fi
  /usr/bin/time -f "%e s wall, %M KB peak RSS" -o "$D/$name.time" "$@" || { rm -f "$output"; exit 1; }
  echo "$name: $(cat "$D/$name.time")"
}

echo "== $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
step generate "$D/events.tsv" "$PY" Benchmarks/gen_events.py generate "$D/events.tsv" --events "$EVENTS" \
  --items "$ITEMS" --users "$USERS" --groups "$NGROUPS"
echo "events.tsv: $(du -h "$D/events.tsv" | cut -f1)"
step prepare "$D/events.rvcorpus" "$R" prepare --input "$D/events.tsv" --session-column session_id \
  --output "$D/events.rvcorpus"
echo "events.rvcorpus: $(du -h "$D/events.rvcorpus" | cut -f1)"
"$R" info "$D/events.rvcorpus" | head -3
step train "$D/model.rvmodel" "$R" train --input "$D/events.rvcorpus" --output "$D/model.rvmodel" --epochs 1 \
  --threads "$THREADS" --metrics-json "$D/train.json" --quiet
python3 -c "import json; m = json.load(open('$D/train.json')); print('train: %d items, %.0f tokens/s, %.0f s' % (m['vocab_size'], m['tokens_per_second'], m['train_seconds']))"
step export "$D/vectors.txt" "$R" export "$D/model.rvmodel" --output "$D/vectors.txt"
"$PY" Benchmarks/gen_events.py check "$D/vectors.txt" "$D/events.groups.tsv" --k 10 | tee "$D/check.txt"
step index "$D/model.rvmodel.hnsw" "$R" index "$D/model.rvmodel" --threads "$THREADS"
step search "$D/search.json" sh -c "'$R' bench-search '$D/model.rvmodel' --k 20 --sample 1000 --ef 40 --ef 80 --ef 160 --ef 320 \
  --exact-queries 200 --threads '$THREADS' > '$D/search.json'"
python3 - "$D/search.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(json.dumps(r, indent=1)[:3000])
PY
step evaluate "$D/evaluate.json" "$R" evaluate --input "${EVAL_INPUT:-$D/events.tsv}" --session-column session_id \
  --protocol next-event --test-sequences 1000 --models item2vec --epochs 1 --threads "$THREADS" \
  --json "$D/evaluate.json" --quiet
if [ "${SERVE:-1}" != 0 ]; then
  mv "$D/model.rvmodel.hnsw" "$D/model.rvmodel.hnsw.off"
  echo "== serve, exact"
  MODEL="$D/model.rvmodel" RECVEC="$R" Benchmarks/load_test.sh 20s 1 8 | tee "$D/serve-exact.md"
  mv "$D/model.rvmodel.hnsw.off" "$D/model.rvmodel.hnsw"
  echo "== serve, HNSW"
  MODEL="$D/model.rvmodel" RECVEC="$R" Benchmarks/load_test.sh 20s 1 8 | tee "$D/serve-hnsw.md"
fi

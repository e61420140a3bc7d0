#!/usr/bin/env bash
# Issue 13's verdict: on each shared data set, every strong model tuned by one `recvec tune` run with
# the same budget per model — RecVec's learned models (item2vec, mix, gru4rec) and the baselines
# (cooccurrence, sknn, vsknn, stan, ease) — so that all rows are scored on the same test cases and
# compared with paired tests. The verdict line of each run sets the best learned model against the best
# tuned baseline, both chosen by validation score (the test split chooses nothing).
# Usage: Benchmarks/run_verdict.sh [OUT_DIR] [MINUTES_PER_MODEL] [DATA SETS...]
#   defaults: /tmp/recvec-verdict, 2 minutes per model (3 on MovieLens, whose trials are slow), all four.
# Then: python3 Benchmarks/verdict_table.py OUT_DIR movielens yoochoose groceries msweb
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/recvec-verdict}
per=${2:-2}
shift $(( $# > 2 ? 2 : $# )) || true
sets=${*:-movielens yoochoose groceries msweb}
D=${SHARED:-../shared}/datasets
mkdir -p "$out"
# RECVEC=path runs that binary instead of building (e.g. a copy, so that rebuilding does not touch it).
if [ -z "${RECVEC:-}" ]; then swift build -c release --product recvec >&2; fi
R=${RECVEC:-.build/release/recvec}
models=item2vec,mix,gru4rec,cooccurrence,sknn,vsknn,stan,ease
count=$(( $(tr -cd , <<< "$models" | wc -c) + 1 ))

run() {  # name, minutes per model, then the data/protocol options
  local name=$1 minutes=$2; shift 2
  local budget=$(( minutes * count ))m
  echo "== $name: tune $models ($budget, uptime: $(uptime | sed 's/.*load/load/'))" >&2
  (set -x; $R tune "$@" --models $models --budget "$budget" --json "$out/$name.verdict.json" \
     --trials-csv "$out/$name.verdict.csv" --report "$out/$name.verdict.html") \
    > "$out/$name.verdict.md" 2> "$out/$name.verdict.log"
  tail -n 3 "$out/$name.verdict.md" >&2
}

for s in $sets; do
  case $s in
    movielens) run movielens $(( per + per / 2 )) --input $D/movielens-latest-small/sequences.tsv --format events \
      --protocol leave-last-out ;;
    yoochoose) run yoochoose $per --train $D/yoochoose-100k-sample/sequences.train_full.tsv \
      --test $D/yoochoose-100k-sample/sequences.test.tsv --format events --session-column session_id --protocol session ;;
    groceries) run groceries $per --input $D/groceries/baskets.tsv --format baskets --protocol basket ;;
    msweb) run msweb $per --train $D/msweb/baskets.train.tsv --test $D/msweb/baskets.test.tsv --format baskets \
      --protocol basket ;;
    *) echo "unknown data set: $s" >&2; exit 2 ;;
  esac
done
echo "results in $out" >&2

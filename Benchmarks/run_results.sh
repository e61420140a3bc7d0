#!/usr/bin/env bash
# Produces the tables of docs/results.md: for each real data set, every baseline and item2vec with
# defaults (`recvec evaluate`), then item2vec and mix tuned on a validation split (`recvec tune`).
# Then the baselines are tuned as well (cooccurrence and sknn, 2 minutes), so the comparison is fair.
# Usage: Benchmarks/run_results.sh [OUT_DIR] [BUDGET]   (defaults: /tmp/recvec-results, 6m per data set;
# MovieLens used 12m in docs/results.md: its trials are slow, and 6m left mix a single trial)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/recvec-results}
budget=${2:-6m}
D=${SHARED:-../shared}/datasets
mkdir -p "$out"
swift build -c release --product recvec >&2
R=.build/release/recvec
models=popularity,cooccurrence,sknn,markov,item2vec,cbow

run() {  # name, then the data/protocol options
  local name=$1; shift
  echo "== $name: evaluate" >&2
  (set -x; $R evaluate "$@" --models $models --json "$out/$name.evaluate.json" --report "$out/$name.evaluate.html") \
    > "$out/$name.evaluate.md" 2> "$out/$name.evaluate.log"
  echo "== $name: tune ($budget)" >&2
  (set -x; $R tune "$@" --models item2vec,mix --budget "$budget" --json "$out/$name.tune.json" \
     --trials-csv "$out/$name.trials.csv" --report "$out/$name.tune.html") \
    > "$out/$name.tune.md" 2> "$out/$name.tune.log"
  echo "== $name: tune baselines (2m)" >&2
  (set -x; $R tune "$@" --models cooccurrence,sknn --budget 2m --json "$out/$name.tunebase.json" --quiet) \
    > "$out/$name.tunebase.md" 2> "$out/$name.tunebase.log"
}

run movielens --input $D/movielens-latest-small/sequences.tsv --format events --protocol leave-last-out
run yoochoose --train $D/yoochoose-100k-sample/sequences.train_full.tsv --test $D/yoochoose-100k-sample/sequences.test.tsv \
  --format events --session-column session_id --protocol session
run groceries --input $D/groceries/baskets.tsv --format baskets --protocol basket
run msweb --train $D/msweb/baskets.train.tsv --test $D/msweb/baskets.test.tsv --format baskets --protocol basket
echo "results in $out" >&2

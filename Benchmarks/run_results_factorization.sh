#!/usr/bin/env bash
# The ALS and BPR rows of docs/results.md ("Matrix factorization baselines"): for MovieLens
# (leave-last-out), groceries (basket) and yoochoose (session), `recvec evaluate --models als,bpr`
# with the defaults, then `recvec tune --models als,bpr` (the budget is shared by the two models).
# Same data options, protocols and seed as Benchmarks/run_results.sh, so the rows compare with its tables.
# Usage: Benchmarks/run_results_factorization.sh [OUT_DIR]   (default /tmp/recvec-mf-results)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/recvec-mf-results}
D=${SHARED:-../shared}/datasets
mkdir -p "$out"
swift build -c release --product recvec >&2
R=.build/release/recvec

run() {  # name, tune budget, then the data/protocol options
  local name=$1 budget=$2; shift 2
  echo "== $name: evaluate als,bpr" >&2
  (set -x; $R evaluate "$@" --models als,bpr --json "$out/$name.evaluate.json") \
    > "$out/$name.evaluate.md" 2> "$out/$name.evaluate.log"
  echo "== $name: tune als,bpr ($budget)" >&2
  (set -x; $R tune "$@" --models als,bpr --budget "$budget" --json "$out/$name.tune.json" \
     --trials-csv "$out/$name.trials.csv") > "$out/$name.tune.md" 2> "$out/$name.tune.log"
}

run groceries 6m --input $D/groceries/baskets.tsv --format baskets --protocol basket
run movielens 8m --input $D/movielens-latest-small/sequences.tsv --format events --protocol leave-last-out
run yoochoose 8m --train $D/yoochoose-100k-sample/sequences.train_full.tsv --test $D/yoochoose-100k-sample/sequences.test.tsv \
  --format events --session-column session_id --protocol session
echo "results in $out" >&2

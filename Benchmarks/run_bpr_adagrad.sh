#!/usr/bin/env bash
# BPR with --optimizer sgd (the default) against adagrad, default hyperparameters otherwise, on the four
# shared data sets (docs/results.md, "Adagrad for BPR"). Usage: Benchmarks/run_bpr_adagrad.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
R=${R:-.build/release/recvec}; D=${SHARED:-../shared}/datasets; out=${1:-/tmp/bpr-adagrad}; mkdir -p $out
run() { local name=$1; shift
  for opt in sgd adagrad; do
    $R evaluate "$@" --models bpr --optimizer $opt --json $out/$name.$opt.json > $out/$name.$opt.md 2> $out/$name.$opt.log
  done; }
run movielens --input $D/movielens-latest-small/sequences.tsv --format events --protocol leave-last-out
run groceries --input $D/groceries/baskets.tsv --format baskets --protocol basket
run msweb --train $D/msweb/baskets.train.tsv --test $D/msweb/baskets.test.tsv --format baskets --protocol basket
run yoochoose --train $D/yoochoose-100k-sample/sequences.train_full.tsv --test $D/yoochoose-100k-sample/sequences.test.tsv --format events --session-column session_id --protocol session
echo done

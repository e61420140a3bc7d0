#!/usr/bin/env bash
# item2vec with --optimizer sgd (the default) against adagrad (row-wise, the shared kernel), defaults otherwise,
# on the four shared data sets, and skip-gram on the Gutenberg corpus scored on the word analogies
# (docs/results.md, "Adagrad for the shared kernel"). Usage: Benchmarks/run_kernel_adagrad.sh [OUT_DIR] [STEP...]
# Steps: small (yoochoose, groceries, msweb), movielens, gutenberg; all three when none is given.
set -euo pipefail
cd "$(dirname "$0")/.."
R=${R:-.build/release/recvec}; D=${SHARED:-../shared}/datasets; out=${1:-/tmp/kernel-adagrad}; mkdir -p $out
shift || true; steps=${*:-small movielens gutenberg}
run() { local name=$1; shift
  for opt in sgd adagrad; do
    $R evaluate "$@" --models item2vec --optimizer $opt --json $out/$name.$opt.json > $out/$name.$opt.md 2> $out/$name.$opt.log
  done; }
for step in $steps; do case $step in
small)
  run yoochoose --train $D/yoochoose-100k-sample/sequences.train_full.tsv --test $D/yoochoose-100k-sample/sequences.test.tsv --format events --session-column session_id --protocol session
  run groceries --input $D/groceries/baskets.tsv --format baskets --protocol basket
  run msweb --train $D/msweb/baskets.train.tsv --test $D/msweb/baskets.test.tsv --format baskets --protocol basket ;;
movielens)
  run movielens --input $D/movielens-latest-small/sequences.tsv --format events --protocol leave-last-out ;;
gutenberg)
  # As Benchmarks/compare_gensim.py quality trains (skip-gram, dim 100, window 5, negative 5, min-count 5,
  # sample 1e-3, 3 epochs, 2 threads, alpha 0.025), then recvec evaluate-analogies (30,000 most frequent words).
  for opt in sgd adagrad; do
    $R train --input $D/gutenberg-corpus/corpus.text8style.txt --format sequences --output $out/gutenberg.$opt.rvmodel \
      --architecture skipgram --dim 100 --window 5 --negative 5 --min-count 5 --sample 1e-3 --epochs 3 --threads 2 \
      --seed 1 --alpha 0.025 --optimizer $opt --quiet --metrics-json $out/gutenberg.$opt.metrics.json
    $R evaluate-analogies $out/gutenberg.$opt.rvmodel $D/word-analogy/questions-words.txt --restrict 30000 \
      > $out/gutenberg.$opt.analogies.txt
  done ;;
esac; done
echo done

#!/usr/bin/env bash
# Content2vec as published (`--content-encoder cnn`) against the additive model (`mean`) and the
# content-only kNN baseline on item cold start (docs/results.md, "Content2vec as published"):
# a random 20 % of the items lose every training event (--hide-items 0.2); the test cases whose
# target is one of them (--cold-start 0) are the cold-start figures, all test cases the overall ones.
# MovieLens latest-small (titles, genres, tags) and groceries (categories level1, level2), 3 seeds
# each (each seed its own hidden items and training seed). Every run of one seed hides the same
# items (the split depends on the seed only), so the rows of a seed are paired.
# Usage: Benchmarks/run_content2vec_cnn.sh [OUT_DIR] [SEEDS]   (default /tmp/recvec-c2v-cnn, "1 2 3")
# RECVEC=path uses another binary. Every model runs with its defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/recvec-c2v-cnn}
seeds=${2:-1 2 3}
S=${SHARED:-../shared}/datasets
mkdir -p "$out"
if [ -z "${RECVEC:-}" ]; then swift build -c release --product recvec >&2; fi
R=${RECVEC:-.build/release/recvec}
movielens=(--input $S/movielens-latest-small/sequences.tsv --format events --protocol leave-last-out
           --metadata $S/movielens-latest-small/metadata.tsv --metadata-fields title,genre,tag)
groceries=(--input $S/groceries/baskets.tsv --format baskets --protocol basket
           --metadata $S/groceries/metadata.tsv --metadata-fields level1,level2 --content-text-fields level1,level2)

run() {  # set, name, seed, then options
  local set=$1 name=$2 seed=$3; shift 3
  local -n data=$set
  (set -x; $R evaluate "${data[@]}" --top 5,10,20 --hide-items 0.2 --cold-start 0 --threads 2 --seed "$seed" "$@" \
     --json "$out/$set.$name.seed$seed.json") > "$out/$set.$name.seed$seed.md" 2> "$out/$set.$name.seed$seed.log"
}

# The best trial of `recvec tune … --models content2vec --content-encoder cnn --budget 5m --hide-items 0.2`
# on MovieLens (seed 1; 4 trials; its validation carved from the training part, no hidden items):
tuned=(--content-encoder cnn --alpha 0.025 --cnn-batch 64 --cnn-dropout 0.5 --cnn-epochs 10 --cnn-filters 64
       --cnn-negative-weight 0.25 --cnn-rate 0.02 --cnn-word-dim 64 --content-centre --content-dropout 0.25
       --content-min-count 2 --content-weighting idf --decay 0.3 --dim 32 --epochs 1 --last-n 3 --min-count 3
       --negative 10 --ns-exponent 0.17520511150360107 --sample 0.0001 --window 8 --window-mode full)

for seed in $seeds; do
  for set in movielens groceries; do
    echo "== $set seed $seed" >&2
    run $set mean "$seed" --models popularity,contentknn,content2vec
    run $set cnn "$seed" --models content2vec --content-encoder cnn
    run $set cnn-dual "$seed" --models content2vec --content-encoder cnn --scoring dual
  done
  run movielens cnn-tuned-dual "$seed" --models content2vec "${tuned[@]}" --scoring dual
  run movielens cnn-tuned-cosine "$seed" --models content2vec "${tuned[@]}" --scoring cosine
done
python3 Benchmarks/content2vec_cnn_table.py "$out"

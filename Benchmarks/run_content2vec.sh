#!/usr/bin/env bash
# The item cold-start tables of docs/results.md ("Content2vec"): on MovieLens latest-small, a random
# 20 % of the items have all their events removed from training (--hide-items 0.2); the test cases
# whose target is one of them (--cold-start 0) form the cold-start table, all test cases the overall
# one. popularity, item2vec (prod2vec: skip-gram over each user's history) and content2vec (titles,
# genres, tags) are scored on the same split, for 3 seeds (each its own hidden items and training
# seed); then the same with item2vec's tuned engine settings (docs/results.md, MovieLens), a
# dropout ablation, centred vectors (--content-centre), idf-weighted tokens, and no hidden items (does content help or
# hurt the warm items?).
# Usage: Benchmarks/run_content2vec.sh [OUT_DIR]   (default /tmp/recvec-content2vec)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/recvec-content2vec}
D=${SHARED:-../shared}/datasets/movielens-latest-small
mkdir -p "$out"
swift build -c release --product recvec >&2
R=.build/release/recvec
data=(--input $D/sequences.tsv --format events --protocol leave-last-out --metadata $D/metadata.tsv
      --metadata-fields title,genre,tag --top 1,5,10,20)
# `recvec tune --budget 6m --hide-items 0.2` (seed 1) under this very protocol, once per model:
i2v6m=(--alpha 0.1 --decay 0.1 --dim 128 --epochs 10 --last-n 20 --min-count 3 --negative 3
       --ns-exponent=-0.4720984697341919 --per-pair-negatives --sample 0.0001 --scoring dual --window 12
       --window-mode fixed)
c2v6m=(--alpha 0.1 --content-dropout 0.5 --content-min-count 5 --content-weighting idf --decay 0 --dim 100
       --epochs 20 --last-n 5 --min-count 1 --negative 5 --ns-exponent 0.6363793611526489 --sample 0.001
       --scoring dual --window 12 --window-mode shrink)
tuned=(--alpha 0.05 --decay 0.3 --dim 128 --epochs 5 --min-count 2 --negative 10 --ns-exponent=-0.6027
       --sample 0 --window 2 --window-mode fixed)

run() {  # name, seed, then options
  local name=$1 seed=$2; shift 2
  (set -x; $R evaluate "${data[@]}" --seed "$seed" "$@" --json "$out/$name.seed$seed.json") \
    > "$out/$name.seed$seed.md" 2> "$out/$name.seed$seed.log"
}

for seed in 1 2 3; do
  echo "== seed $seed" >&2
  run defaults "$seed" --models popularity,item2vec,content2vec --hide-items 0.2 --cold-start 0
  run tuned "$seed" --models popularity,item2vec,content2vec --hide-items 0.2 --cold-start 0 "${tuned[@]}"
  run tuned-dropout0 "$seed" --models content2vec --hide-items 0.2 --cold-start 0 "${tuned[@]}" --content-dropout 0
  run tuned-centre "$seed" --models content2vec --hide-items 0.2 --cold-start 0 "${tuned[@]}" --content-centre
  run tuned-idf "$seed" --models content2vec --hide-items 0.2 --cold-start 0 "${tuned[@]}" --content-weighting idf
  run tuned-idf-centre "$seed" --models content2vec --hide-items 0.2 --cold-start 0 "${tuned[@]}" --content-weighting idf --content-centre
  run tuned-nohide "$seed" --models popularity,item2vec,content2vec --cold-start 2 "${tuned[@]}"
  run tuned-nohide-centre "$seed" --models content2vec --cold-start 2 "${tuned[@]}" --content-centre
  run tuned6m-item2vec "$seed" --models popularity,item2vec --hide-items 0.2 --cold-start 0 "${i2v6m[@]}"
  run tuned6m-content2vec "$seed" --models content2vec --hide-items 0.2 --cold-start 0 "${c2v6m[@]}"
  run tuned6m-content2vec-engine-item2vec "$seed" --models item2vec --hide-items 0.2 --cold-start 0 "${c2v6m[@]}"
  run tuned6m-content2vec-cosine "$seed" --models content2vec --hide-items 0.2 --cold-start 0 "${c2v6m[@]}" --scoring cosine
done
python3 Benchmarks/content2vec_table.py "$out"

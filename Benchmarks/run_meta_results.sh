#!/usr/bin/env bash
# Meta-Prod2Vec vs prod2vec/item2vec (docs/results.md, section "Meta-Prod2Vec"): the same split, the
# same engine hyperparameters, with and without side information; the cold-start view (targets seen at
# most N times in training; Vasile et al. 2016) comes from `evaluate --cold-start N`.
# Usage: [ONLY=GLOB] Benchmarks/run_meta_results.sh [OUT_DIR]        (default /tmp/recvec-meta)
# yoochoose-100k-sample is left out: its normalized files carry no side information (the category
# column was dropped upstream).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/recvec-meta}
D=${SHARED:-../shared}/datasets
mkdir -p "$out"
swift build -c release --product recvec >&2
R=.build/release/recvec

ML=(--input $D/movielens-latest-small/sequences.tsv --format events --protocol leave-last-out
    --metadata $D/movielens-latest-small/metadata.tsv --cold-start 5)
GR=(--input $D/groceries/baskets.tsv --format baskets --protocol basket
    --metadata $D/groceries/metadata.tsv --metadata-fields level1,level2 --cold-start 30)
# The item2vec configurations tuned in the tables above (docs/results.md), used for both models.
ML_TUNED=(--alpha 0.05 --decay 0.3 --dim 128 --epochs 5 --min-count 2 --negative 10 --ns-exponent=-0.6026923656463623
          --sample 0 --scoring cosine --window 2 --window-mode fixed)
GR_TUNED=(--alpha 0.025 --decay 0.1 --dim 128 --epochs 20 --last-n 10 --min-count 5 --negative 10
          --ns-exponent=-0.9029794931411743 --sample 0.01 --scoring dual --window 12 --window-mode shrink)

run() {  # name, then options
  local name=$1; shift
  [[ -n "${ONLY:-}" && "$name" != $ONLY ]] && return 0  # ONLY='ml-tuned*' reruns some
  echo "== $name" >&2
  (set -x; $R evaluate "$@" --json "$out/$name.json" --quiet) > "$out/$name.md" 2> "$out/$name.log" \
    || echo "   failed: see $out/$name.log" >&2
}

# MovieLens: defaults, then the tuned item2vec configuration; genres+tags, genres only; λ 1 and 0.25.
run ml-defaults-genre-tag "${ML[@]}" --metadata-fields genre,tag --models item2vec,meta-prod2vec
run ml-defaults-genre "${ML[@]}" --metadata-fields genre --models meta-prod2vec
run ml-tuned-genre-tag "${ML[@]}" "${ML_TUNED[@]}" --metadata-fields genre,tag --models item2vec,meta-prod2vec
run ml-tuned-genre-tag-l025 "${ML[@]}" "${ML_TUNED[@]}" --metadata-fields genre,tag --meta-lambda 0.25 --models meta-prod2vec
run ml-tuned-genre "${ML[@]}" "${ML_TUNED[@]}" --metadata-fields genre --models meta-prod2vec
# The same with word2vec's ns-exponent 0.75 (the tuned −0.60 draws rare items and values as negatives).
run ml-tuned-ns075 "${ML[@]}" "${ML_TUNED[@]}" --ns-exponent 0.75 --metadata-fields genre,tag --models item2vec,meta-prod2vec
run ml-tuned-ns075-l025 "${ML[@]}" "${ML_TUNED[@]}" --ns-exponent 0.75 --metadata-fields genre,tag --meta-lambda 0.25 --models meta-prod2vec
run ml-tuned-ns075-genre "${ML[@]}" "${ML_TUNED[@]}" --ns-exponent 0.75 --metadata-fields genre --models meta-prod2vec
run ml-tuned-ns075-seed2 "${ML[@]}" "${ML_TUNED[@]}" --ns-exponent 0.75 --metadata-fields genre,tag --training-seed 2 --models item2vec,meta-prod2vec
# Groceries: defaults, then the tuned item2vec configuration; λ 1 and 0.25.
run gr-defaults "${GR[@]}" --models item2vec,meta-prod2vec
run gr-tuned "${GR[@]}" "${GR_TUNED[@]}" --models item2vec,meta-prod2vec
run gr-tuned-l025 "${GR[@]}" "${GR_TUNED[@]}" --meta-lambda 0.25 --models meta-prod2vec
# Group negatives (Grbovic & Cheng 2018) with the tuned configurations: 3 extra negatives from the
# target's aisle (level2) or first genre.
run gr-tuned-groups "${GR[@]}" "${GR_TUNED[@]}" --group-negatives level2:3 --models item2vec,meta-prod2vec
run ml-tuned-groups "${ML[@]}" "${ML_TUNED[@]}" --metadata-fields genre --group-negatives genre:3 --models item2vec
# Tuned (validation split), the same budget for item2vec and meta-prod2vec: groceries only (MovieLens
# trials of meta-prod2vec take minutes each on this machine).
if [[ -z "${ONLY:-}" || "gr-tune" == $ONLY ]]; then
  echo "== gr-tune" >&2
  (set -x; $R tune "${GR[@]}" --models item2vec,meta-prod2vec --budget 8m --json "$out/gr-tune.json" --quiet) \
    > "$out/gr-tune.md" 2> "$out/gr-tune.log" || echo "   failed: see $out/gr-tune.log" >&2
fi
echo "results in $out" >&2

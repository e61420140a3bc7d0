#!/usr/bin/env bash
# docs/results.md, "Content kNN in the registry (same split)": the content-only baseline `contentknn`
# (TF-IDF of content2vec's metadata tokens, cosine with the recency-weighted history) under the item
# cold-start protocol of the Content2vec section (--hide-items 0.2 --cold-start 0), 3 seeds, on
# MovieLens latest-small (titles, genres, tags; the seeds hide the same films as run_content2vec.sh's)
# and groceries (its two category levels; basket protocol). Extra settings for a run go after the
# output folder, e.g. the tuned ones: Benchmarks/run_content_knn.sh /tmp/cknn-tuned --last-n 10 ...
# Usage: Benchmarks/run_content_knn.sh [OUT_DIR [OPTIONS...]]   (default /tmp/recvec-content-knn)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/recvec-content-knn}
shift || true
S=${SHARED:-../shared}/datasets
mkdir -p "$out/movielens" "$out/groceries"
# RECVEC=path/to/recvec runs that binary instead of building the release one here.
if [[ -z "${RECVEC:-}" ]]; then swift build -c release --product recvec >&2; fi
R=${RECVEC:-.build/release/recvec}
ml=(--input $S/movielens-latest-small/sequences.tsv --format events --protocol leave-last-out
    --metadata $S/movielens-latest-small/metadata.tsv --metadata-fields title,genre,tag --top 1,5,10,20)
gr=(--input $S/groceries/baskets.tsv --format baskets --protocol basket
    --metadata $S/groceries/metadata.tsv --metadata-fields level1,level2 --top 1,5,10,20)

run() {  # folder, name, seed, then options
  local dir=$1 name=$2 seed=$3; shift 3
  (set -x; $R evaluate "$@" --seed "$seed" --json "$out/$dir/$name.seed$seed.json") \
    > "$out/$dir/$name.seed$seed.md" 2> "$out/$dir/$name.seed$seed.log"
}

for seed in 1 2 3; do
  echo "== seed $seed" >&2
  run movielens contentknn "$seed" "${ml[@]}" --models contentknn,popularity --hide-items 0.2 --cold-start 0 "$@"
  run groceries contentknn "$seed" "${gr[@]}" --models contentknn,popularity --hide-items 0.2 --cold-start 0 "$@"
done
for d in movielens groceries; do
  echo "## $d" && python3 Benchmarks/content2vec_table.py "$out/$d"
done

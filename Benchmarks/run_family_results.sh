#!/usr/bin/env bash
# The 2vec family on the real data sets of docs/results.md: every model with defaults (`recvec evaluate`,
# one table per data set, side information where the data set has it), then each family model tuned
# on the validation split (`recvec tune`, BUDGET per model), and the cold-start tables.
# Usage: Benchmarks/run_family_results.sh [OUT_DIR] [BUDGET] [MODELS_TO_TUNE]
#   defaults: /tmp/recvec-family, 3m, "bagged-prod2vec pv-dbow pv-dm user-prod2vec meta-prod2vec content2vec als bpr"
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-/tmp/recvec-family}
budget=${2:-3m}
tune_models=${3:-"bagged-prod2vec pv-dbow pv-dm user-prod2vec meta-prod2vec content2vec als bpr"}
D=${SHARED:-../shared}/datasets
mkdir -p "$out"
swift build -c release --product recvec >&2
R=.build/release/recvec

ML=(--input $D/movielens-latest-small/sequences.tsv --format events --protocol leave-last-out
    --metadata $D/movielens-latest-small/metadata.tsv --metadata-fields genre,tag)
YC=(--train $D/yoochoose-100k-sample/sequences.train_full.tsv --test $D/yoochoose-100k-sample/sequences.test.tsv
    --format events --session-column session_id --protocol session)
GR=(--input $D/groceries/baskets.tsv --format baskets --protocol basket
    --metadata $D/groceries/metadata.tsv --metadata-fields level1,level2)

# Which models each data set supports: bagged-prod2vec needs times (baskets by time); the side-information
# models need metadata (yoochoose has none).
ml_models=popularity,cooccurrence,item2vec,bagged-prod2vec,pv-dbow,pv-dm,user-prod2vec,meta-prod2vec,content2vec,als,bpr
yc_models=popularity,cooccurrence,item2vec,bagged-prod2vec,pv-dbow,pv-dm,user-prod2vec,als,bpr
gr_models=popularity,cooccurrence,item2vec,pv-dbow,pv-dm,user-prod2vec,meta-prod2vec,content2vec,als,bpr

evaluate() {  # name, models, then the data/protocol options
  local name=$1 models=$2; shift 2
  echo "== $name: evaluate $models" >&2
  (set -x; $R evaluate "$@" --models "$models" --json "$out/$name.family.json") > "$out/$name.family.md" 2> "$out/$name.family.log" \
    || echo "   failed: see $out/$name.family.log" >&2
}
tune() {  # name, model, then the data/protocol options
  local name=$1 model=$2; shift 2
  echo "== $name: tune $model ($budget)" >&2
  (set -x; $R tune "$@" --models "$model" --budget "$budget" --json "$out/$name.tune-$model.json" --quiet) \
    > "$out/$name.tune-$model.md" 2> "$out/$name.tune-$model.log" || echo "   failed: see $out/$name.tune-$model.log" >&2
}
supports() { [[ ",$1," == *",$2,"* ]]; }

evaluate movielens "$ml_models" "${ML[@]}"
evaluate yoochoose "$yc_models" "${YC[@]}"
evaluate groceries "$gr_models" "${GR[@]}"
# Cold start (Vasile et al. 2016; Nedelec et al. 2017): 10% of the films hidden from training, and the
# targets seen at most 3 times.
echo "== movielens: cold start" >&2
(set -x; $R evaluate "${ML[@]}" --models popularity,item2vec,meta-prod2vec,content2vec --hide-items 0.1 --cold-start 0 \
   --json "$out/movielens.hidden.json") > "$out/movielens.hidden.md" 2> "$out/movielens.hidden.log" || true
(set -x; $R evaluate "${ML[@]}" --models popularity,item2vec,meta-prod2vec,content2vec --cold-start 3 \
   --json "$out/movielens.coldstart.json") > "$out/movielens.coldstart.md" 2> "$out/movielens.coldstart.log" || true
for m in $tune_models; do
  supports "$ml_models" "$m" && tune movielens "$m" "${ML[@]}"
  supports "$yc_models" "$m" && tune yoochoose "$m" "${YC[@]}"
  supports "$gr_models" "$m" && tune groceries "$m" "${GR[@]}"
done
echo "results in $out" >&2

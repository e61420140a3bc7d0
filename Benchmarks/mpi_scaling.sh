#!/usr/bin/env bash
# Data-parallel training, evaluation and tuning on MPI, on one machine: tokens/s and quality of
# 1 rank × 1 thread, 2 ranks × 1 thread and 1 rank × 2 threads, and tune's trials a minute.
#
#   bash Benchmarks/mpi_scaling.sh OUT_DIR
#
# Needs an MPI build (`swift build -c release --traits MPI`; RECVEC=path to use another) and
# ../shared/datasets (SHARED=...). Environment: CORPUS (default: the 10 M-token synthetic corpus of
# compare_gensim.py), REPEATS (3), EPOCHS (1), SYNC_EVERY (train's default when unset), STEPS ("throughput analogy
# yoochoose tune"), TRIALS (10, per tune run). Every figure lands in OUT_DIR/summary.txt.
set -euo pipefail
out=${1:?usage: mpi_scaling.sh OUT_DIR}
mkdir -p "$out"
here=$(cd "$(dirname "$0")/.." && pwd)
recvec=${RECVEC:-$here/.build/release/recvec}
shared=${SHARED:-$here/../shared}
corpus=${CORPUS:-$HOME/.cache/recvec-bench/synthetic-10000000.txt}
repeats=${REPEATS:-3}
epochs=${EPOCHS:-1}
sync=()
if [ -n "${SYNC_EVERY:-}" ]; then sync=(--sync-every "$SYNC_EVERY"); fi
steps=${STEPS:-throughput analogy yoochoose tune}
mpi=(mpirun --oversubscribe --bind-to none)
if [ "$(id -u)" = 0 ]; then mpi+=(--allow-run-as-root); fi
summary=$out/summary.txt
log() { echo "$*" | tee -a "$summary"; }

# train LABEL RANKS THREADS INPUT OUTPUT [more train flags]: one training, its figures in LABEL.json.
train() {
  local label=$1 ranks=$2 threads=$3 input=$4 model=$5
  shift 5
  local launcher=()
  if [ "$ranks" -gt 1 ]; then launcher=("${mpi[@]}" -np "$ranks"); fi
  /usr/bin/time -f "%M" -o "$out/$label.rss" "${launcher[@]}" "$recvec" train --input "$input" --output "$model" \
    --threads "$threads" "${sync[@]}" --metrics-json "$out/$label.json" "$@" 2> "$out/$label.log"
  python3 - "$out/$label.json" "$out/$label.log" "$label" <<'PY' | tee -a "$summary"
import json, re, sys
m = json.load(open(sys.argv[1]))
log = open(sys.argv[2]).read()
sync = re.findall(r"(\d+) synchronisations so far, ([\d.]+[kMG]?)B sent, ([\d.]+) s", log)
extra = f", {sync[-1][0]} synchronisations, {sync[-1][1]}B sent by each rank, {sync[-1][2]} s in them" if sync else ""
print(f"{sys.argv[3]}: {m['tokens_per_second']:,.0f} tokens/s ({m['train_seconds']:.1f} s){extra}")
PY
}

if [[ " $steps " == *" throughput "* ]]; then
  log "== throughput: $corpus, skip-gram and CBOW, $epochs epoch(s), ${sync[*]:-default synchronisations}, $repeats repeats"
  "$recvec" prepare --input "$corpus" --format sequences --min-count 5 --output "$out/corpus.rvcorpus" --quiet
  for arch in skipgram cbow; do
    for r in $(seq "$repeats"); do
      for cell in "1 1" "2 1" "1 2"; do
        set -- $cell
        train "$arch-${1}r${2}t-$r" "$1" "$2" "$out/corpus.rvcorpus" "$out/m.rvmodel" --architecture "$arch" \
          --epochs "$epochs" --min-count 5
      done
    done
  done
fi

if [[ " $steps " == *" analogy "* ]]; then
  g=$shared/datasets/gutenberg-corpus/corpus.text8style.txt
  q=$shared/datasets/word-analogy/questions-words.txt
  log "== analogy: $g, skip-gram, 3 epochs, restrict 30000"
  "$recvec" prepare --input "$g" --format sequences --min-count 5 --output "$out/gutenberg.rvcorpus" --quiet
  for cell in "1 1" "2 1" "1 2"; do
    set -- $cell
    label=gutenberg-${1}r${2}t
    train "$label" "$1" "$2" "$out/gutenberg.rvcorpus" "$out/$label.rvmodel" --epochs 3 --min-count 5
    "$recvec" evaluate-analogies "$out/$label.rvmodel" "$q" --restrict 30000 --json > "$out/$label.analogy.json"
    log "$label analogy: $(python3 -c "import json,sys; a=json.load(open(sys.argv[1])); print(a['accuracy'])" "$out/$label.analogy.json")"
  done
fi

if [[ " $steps " == *" yoochoose "* ]]; then
  y=$shared/datasets/yoochoose-100k-sample/sequences.tsv
  log "== yoochoose item2vec: trained by 1 and 2 ranks on the training split, ranked by evaluate (hr@20)"
  ev=(evaluate --input "$y" --format events --protocol next-event --top 1,5,10,20 --threads 2 --quiet)
  mkdir -p "$out/yoo"
  "$recvec" "${ev[@]}" --models popularity --export-split "$out/yoo" > /dev/null
  for cell in "1 1" "2 1" "1 2"; do
    set -- $cell
    label=yoochoose-${1}r${2}t
    train "$label" "$1" "$2" "$out/yoo/train.txt" "$out/$label.rvmodel" --model item2vec
    "$recvec" export "$out/$label.rvmodel" --format word2vec-text --output "$out/$label.vec" > /dev/null
    "$recvec" "${ev[@]}" --models "vectors:$out/$label.vec" --json "$out/$label.eval.json" > /dev/null
    log "$label hr@20: $(python3 -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]['metrics']; print(round(r['hr@20'],4), 'mrr@20', round(r['mrr@20'],4))" "$out/$label.eval.json")"
  done
fi

if [[ " $steps " == *" tune "* ]]; then
  y=$shared/datasets/movielens-latest-small
  input=$y/sequences.tsv
  log "== tune: $input, item2vec, ${TRIALS:-10} trials, 1 thread a trial: 1 rank against 2"
  for ranks in 1 2; do
    launcher=()
    if [ "$ranks" -gt 1 ]; then launcher=("${mpi[@]}" -np "$ranks"); fi
    start=$(date +%s.%N)
    "${launcher[@]}" "$recvec" tune --input "$input" --format events --protocol leave-last-out --models item2vec \
      --trials "${TRIALS:-10}" --threads 1 --quiet --json "$out/tune-${ranks}r.json" > /dev/null
    end=$(date +%s.%N)
    log "tune ${ranks} rank(s): ${TRIALS:-10} trials in $(python3 -c "print(round($end - $start, 1))") s, $(python3 -c "print(round(${TRIALS:-10} / ($end - $start) * 60, 2))") trials a minute"
  done
fi

#!/usr/bin/env bash
# How each cost grows with the corpus and with the catalog (issue 10, part 3).
#
#   tokens series: the same generator (Benchmarks/gen_events.py, sequences format, 100 k items in 1,000 planted
#                  groups) at TOKENS (10 M, 100 M, 1 B events): prepare, train one epoch from the prepared corpus,
#                  planted groups checked.
#   items series:  EVENTS (10 M) events over ITEMS (10 k, 100 k, 1 M) items: the same, plus `index`, exact against
#                  HNSW search (ms per query, recall@20) and `evaluate` (next-event, 1,000 cases) with exact and
#                  with HNSW scoring (--search hnsw): ms per case, hr@20.
#
# Usage: Benchmarks/growth.sh FOLDER
#   TOKENS ("10000000 100000000 1000000000"), ITEMS ("10000 100000 1000000"), EVENTS (10000000), NGROUPS (1000),
#   MIN_COUNT (5; the items series is meant with 1, so that every item seen is in the model)
#   RECVEC (.build/release/recvec), PY (~/.cache/recvec-peers/bin/python, needs numpy), THREADS (2)
#   GEN_ONLY=1 generates the data and stops (to time the rest on a quiet machine later)
# Each point has its folder (FOLDER/tokens-N, FOLDER/items-N); each step writes NAME.time ("wall s, peak KB")
# and is skipped when its output exists. Benchmarks/growth_table.py FOLDER prints the tables and draws the plot.
# Nothing here is a test.
set -euo pipefail
cd "$(dirname "$0")/.."
D=${1:?usage: Benchmarks/growth.sh FOLDER}
mkdir -p "$D"
R=${RECVEC:-.build/release/recvec}
PY=${PY:-$HOME/.cache/recvec-peers/bin/python}
THREADS=${THREADS:-2}
TOKENS=${TOKENS:-10000000 100000000 1000000000}
ITEMS=${ITEMS:-10000 100000 1000000}
EVENTS=${EVENTS:-10000000}
NGROUPS=${NGROUPS:-1000}
MIN_COUNT=${MIN_COUNT:-5}

step() {  # step FOLDER NAME OUTPUT command...: runs the command unless OUTPUT exists; times it
  local dir=$1 name=$2 output=$3
  shift 3
  if [ -e "$output" ]; then
    echo "  $name: kept ($(cat "$dir/$name.time" 2>/dev/null || echo 'no timing'))"
    return
  fi
  /usr/bin/time -f "%e %M" -o "$dir/$name.time" "$@" || { rm -f "$output"; exit 1; }
  echo "  $name: $(cat "$dir/$name.time") (s, peak KB)"
}

generate() {  # generate FOLDER EVENTS ITEMS
  mkdir -p "$1"
  step "$1" generate "$1/data.txt" "$PY" Benchmarks/gen_events.py generate "$1/data.txt" --events "$2" \
    --items "$3" --users 2000000 --groups "$NGROUPS" --format sequences
}

common() {  # common FOLDER: prepare, train, planted check
  local p=$1
  step "$p" prepare "$p/data.rvcorpus" "$R" prepare --input "$p/data.txt" --output "$p/data.rvcorpus" \
    --min-count "$MIN_COUNT" --quiet
  step "$p" train "$p/model.rvmodel" "$R" train --input "$p/data.rvcorpus" --output "$p/model.rvmodel" \
    --epochs 1 --threads "$THREADS" --min-count "$MIN_COUNT" --metrics-json "$p/train.json" --quiet
  step "$p" export "$p/vectors.txt" "$R" export "$p/model.rvmodel" --output "$p/vectors.txt"
  [ -e "$p/check.txt" ] || "$PY" Benchmarks/gen_events.py check "$p/vectors.txt" "$p/data.groups.tsv" --k 10 \
    > "$p/check.txt"
  echo "  check: $(cat "$p/check.txt")"
  rm -f "$p/vectors.txt"
}

echo "== $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $("$R" --version 2>/dev/null || true)"
for n in $TOKENS; do generate "$D/tokens-$n" "$n" 100000; done
for i in $ITEMS; do generate "$D/items-$i" "$EVENTS" "$i"; done
[ "${GEN_ONLY:-0}" = 1 ] && exit 0

for n in $TOKENS; do
  p=$D/tokens-$n
  echo "== tokens $n"
  common "$p"
done
for i in $ITEMS; do
  p=$D/items-$i
  echo "== items $i"
  common "$p"
  step "$p" index "$p/model.rvmodel.hnsw" "$R" index "$p/model.rvmodel" --threads "$THREADS" --recall-queries 0
  step "$p" search "$p/search.json" sh -c "'$R' bench-search '$p/model.rvmodel' --k 20 --sample 1000 --ef 100 \
    --exact-queries 200 --threads 1 > '$p/search.json'"
  for mode in exact hnsw; do
    step "$p" "evaluate-$mode" "$p/evaluate-$mode.json" "$R" evaluate --input "$p/data.txt" --protocol next-event \
      --test-sequences 1000 --models item2vec --epochs 1 --threads "$THREADS" --bootstrap 0 --search "$mode" \
      --min-count "$MIN_COUNT" \
      --json "$p/evaluate-$mode.json" --quiet
  done
done
echo "== done $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"

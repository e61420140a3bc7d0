#!/usr/bin/env bash
# RecVec — item embeddings for recommendation. Licensed under the Apache License 2.0.
#
# Reproduces docs/explorer.png: trains item2vec on the bundled MovieLens sample (the demo's settings),
# serves it with the sample's metadata, and takes a headless-Chromium screenshot of the explorer page with
# "Star Wars: Episode IV" (id 260) selected, Toy Story (1) and The Matrix (2571) in the history, and the
# map coloured by genre. Then runs Benchmarks/explorer_check.py against the same server.
#
#   Benchmarks/explorer_screenshot.sh [OUTPUT.png]      # default docs/explorer.png; needs chromium, python3
#
# Environment: PORT (default 8093), CHROMIUM (default chromium), NO_BUILD=1 to skip the build. The model is trained
# with one thread (the demo's seed), so the screenshot is the same from run to run; it is kept in .build/explorer-demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/explorer.png}
port=${PORT:-8093}
chromium=${CHROMIUM:-chromium}
work=.build/explorer-demo
mkdir -p "$work"
server_pid=
cleanup() { if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

[ "${NO_BUILD:-0}" = 1 ] || swift build -c release --product recvec
bin=$(swift build -c release --show-bin-path)/recvec
data=Sources/recvec/SampleData/movielens
"$bin" demo --threads 1 --output "$work/movielens.rvmodel" >"$work/demo.log"
head -2 "$work/demo.log"
"$bin" serve "$work/movielens.rvmodel" --port "$port" --metadata "$data/metadata.tsv" 2>"$work/serve.log" &
server_pid=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.2
done
"$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,900 \
  --virtual-time-budget=10000 --screenshot="$out" \
  "http://127.0.0.1:$port/#item=260&history=1,2571&field=genre" 2>/dev/null
echo "screenshot: $out"
python3 Benchmarks/explorer_check.py --server "http://127.0.0.1:$port" --chromium "$chromium"

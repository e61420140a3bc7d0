#!/usr/bin/env bash
# Bounded load test of `recvec serve`: trains item2vec on MovieLens (the bundled latest-small sample,
# or DATA=folder with sequences.tsv and metadata.tsv), serves it in release mode on loopback, and runs
# wrk at several connection counts on GET /v1/similar and POST /v1/recommend (the 100 most popular
# films, rotated by a Lua script). Prints a Markdown table of requests/s and p50/p99 latency.
# Usage: Benchmarks/load_test.sh [DURATION] [CONNECTIONS...]   (defaults: 20s, 1 8 64)
# MODEL=file serves that model instead (no training, no metadata; with MODEL.hnsw beside it the server
# searches through the index); RECVEC=binary skips the build and runs that binary.
# Needs wrk (apt-get install -y wrk), curl and python3. Client and server share the machine's cores.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-20s}
shift || true
connections=${*:-1 8 64}
port=${PORT:-18080}
threads=${WRK_THREADS:-2}
work=$(mktemp -d /tmp/recvec-load.XXXXXX)
data=${DATA:-Sources/recvec/SampleData/movielens}
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
server=""

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
if [ -n "${RECVEC:-}" ]; then R=$RECVEC; else swift build -c release --product recvec >&2; R=.build/release/recvec; fi
if [ -n "${MODEL:-}" ]; then
  model=$MODEL
  labels=()
else
  echo "== training item2vec on $data" >&2
  $R demo --data "$data" --output "$work/model.rvmodel" > "$work/train.log"
  head -2 "$work/train.log" >&2
  model=$work/model.rvmodel
  labels=(--metadata "$data/metadata.tsv")
fi

$R serve "$model" "${labels[@]}" --host 127.0.0.1 --port "$port" 2> "$work/serve.log" &
server=$!
for _ in $(seq 1200); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$port/health" >/dev/null || { cat "$work/serve.log" >&2; exit 1; }

# The 100 most popular items (the first points of the map), as Lua tables.
curl -sf "http://127.0.0.1:$port/v1/map?limit=100" | python3 -c '
import json, sys
ids = [p["id"] for p in json.load(sys.stdin)["points"]]
print("ids = {" + ",".join(json.dumps(i) for i in ids) + "}")' > "$work/ids.lua"
cat "$work/ids.lua" - > "$work/similar.lua" <<'LUA'
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/v1/similar?item=" .. ids[(n % #ids) + 1] .. "&k=10")
end
LUA
cat "$work/ids.lua" - > "$work/recommend.lua" <<'LUA'
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local h = {}
  for i = 0, 4 do h[#h + 1] = '"' .. ids[((n + 7 * i) % #ids) + 1] .. '"' end
  return wrk.format(nil, "/v1/recommend", nil, '{"history": [' .. table.concat(h, ",") .. '], "k": 10}')
end
LUA

items=$(curl -sf "http://127.0.0.1:$port/v1/info" | python3 -c 'import json,sys; m=json.load(sys.stdin)["model"]; print(m["items"], "items, dim", m["dim"])')
echo "serving $items on 127.0.0.1:$port; $(nproc) cores; wrk -t$threads -d$duration" >&2
echo
echo "| endpoint | connections | requests/s | p50 | p99 | errors |"
echo "|---|---|---|---|---|---|"
for endpoint in similar recommend; do
  for c in $connections; do
    t=$(( c < threads ? c : threads ))
    wrk -t"$t" -c"$c" -d"$duration" --latency -s "$work/$endpoint.lua" "http://127.0.0.1:$port" > "$work/wrk.txt"
    python3 - "$endpoint" "$c" "$work/wrk.txt" <<'PY'
import re, sys
endpoint, c, path = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path).read()
rps = re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)
p50 = re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1)
p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1)
errors = []
m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
if m: errors.append(m.group(1) + " non-2xx")
m = re.search(r"Socket errors: (.*)", text)
if m: errors.append("socket " + m.group(1))
print(f"| {'GET /v1/similar' if endpoint == 'similar' else 'POST /v1/recommend'} | {c} | {float(rps):,.0f} | {p50} | {p99} | {'; '.join(errors) or 0} |")
PY
  done
done
echo
echo "requests counted by the server:" >&2
curl -sf "http://127.0.0.1:$port/metrics" | grep -E '^recvec_http_requests_total\{route="/v1/(similar|recommend)"' >&2

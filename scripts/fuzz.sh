#!/usr/bin/env bash
# Fuzzing RecVec's parsers and server with libFuzzer and AddressSanitizer (see docs/reliability.md).
#
#   scripts/fuzz.sh build                 build .build-fuzz/release/recvec-fuzz
#   scripts/fuzz.sh list                  the targets
#   scripts/fuzz.sh run TARGET SECONDS    fuzz one target (seeds: Fuzz/Seeds/TARGET)
#   scripts/fuzz.sh all SECONDS [JOBS]    every target, JOBS at a time (default 2)
#   scripts/fuzz.sh replay TARGET FILE…   run inputs once (a finding, or Fuzz/Seeds/TARGET/*)
#   scripts/fuzz.sh summary               a Markdown table of the last runs' logs
#
# FUZZ_CONFIG=debug builds without optimisation (.build-fuzz/debug/recvec-fuzz): it compiles in about
# half the time and runs fewer inputs a second — what CI's short smoke uses; long runs use release.
#
# The working corpus grows in .build-fuzz/corpus/TARGET (start from the committed seeds; keep new
# seeds that reach new code by copying them to Fuzz/Seeds/TARGET after `-merge=1`); a crashing
# input lands in .build-fuzz/findings/TARGET/ and must become a regression test. Logs, with
# executions and coverage (`cov:` edges, `ft:` features), in .build-fuzz/logs/TARGET.log.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.build-fuzz
config=${FUZZ_CONFIG:-release}
[[ $config == release || $config == debug ]] || { echo "FUZZ_CONFIG must be release or debug" >&2; exit 2; }
binary=$out/$config/recvec-fuzz

build() {
    RECVEC_FUZZ=1 swift build -c "$config" --build-path "$out" --product recvec-fuzz \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
}

# The targets, as the fuzz executable names them (Fuzz/RecVecFuzz/FuzzTarget.swift), built if needed.
targets() {
    [[ -x $binary ]] || build >&2
    RECVEC_FUZZ_TARGET=list "$binary"
}

run_one() {
    local target=$1 seconds=$2
    mkdir -p "$out/corpus/$target" "$out/findings/$target" "$out/logs"
    # ASan's leak checker is off: the session of the `requests` target lives until exit. Swift's
    # backtracer is off too: libFuzzer and ASan report crashes, and the two trip over each other.
    ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no RECVEC_FUZZ_TARGET=$target "$binary" \
        "$out/corpus/$target" "Fuzz/Seeds/$target" \
        -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$out/findings/$target/" \
        > "$out/logs/$target.log" 2>&1
    local status=$?
    tail -n 14 "$out/logs/$target.log" | grep -E "^(#|stat::|Done|==|SUMMARY|recvec-fuzz)" | tail -n 12 || true
    return $status
}

case ${1:-} in
build) build ;;
list) targets ;;
run)
    [[ $# -eq 3 ]] || { echo "usage: $0 run TARGET SECONDS" >&2; exit 2; }
    [[ -x $binary ]] || build
    run_one "$2" "$3"
    ;;
all)
    [[ $# -ge 2 ]] || { echo "usage: $0 all SECONDS [JOBS]" >&2; exit 2; }
    [[ -x $binary ]] || build
    export -f run_one
    export out binary
    targets | xargs -P "${3:-2}" -I{} bash -c 'echo "== {}"; run_one {} '"$2"' || { echo "!! {} failed (see $out/logs/{}.log)"; exit 1; }'
    ;;
replay)
    [[ $# -ge 3 ]] || { echo "usage: $0 replay TARGET FILE…" >&2; exit 2; }
    [[ -x $binary ]] || build
    target=$2
    shift 2
    ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no RECVEC_FUZZ_TARGET=$target "$binary" -runs=1 "$@"
    ;;
summary)
    echo "| target | seconds | executions | executions/s | edges (cov) | features (ft) | corpus | findings |"
    echo "|---|---|---|---|---|---|---|---|"
    for target in $(targets); do
        log=$out/logs/$target.log
        [[ -f $log ]] || continue
        python3 - "$log" "$target" "$(find "$out/findings/$target" -type f 2>/dev/null | wc -l)" <<'PY'
import re, sys
text = open(sys.argv[1], errors="replace").read()
status = [l for l in text.splitlines() if re.match(r"#\d+\s", l)]
last = status[-1] if status else ""
def field(name):
    m = re.search(name + r":\s*(\S+)", last)
    return m.group(1) if m else "?"
runs = re.search(r"Done (\d+) runs in (\d+) second", text)
executions, seconds = (f"{int(runs.group(1)):,}", runs.group(2)) if runs else ("running", "?")
rate = re.search(r"stat::average_exec_per_sec:\s+(\d+)", text)
corpus = re.search(r"corp: (\S+)", last)
print(f"| {sys.argv[2]} | {seconds} | {executions} | {rate.group(1) if rate else '?'} | {field('cov')} | "
      f"{field('ft')} | {corpus.group(1) if corpus else '?'} | {sys.argv[3]} |")
PY
    done
    ;;
*)
    sed -n '2,14p' "$0" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# The MPI build on 2 ranks over loopback (CI runs it after the default build's checks):
#   bash scripts/mpi_check.sh            builds with `--traits MPI` (Open MPI from Debian when missing)
#   bash scripts/mpi_check.sh BINARY     checks an MPI build of recvec already made
#   MPIEXEC=mpiexec.mpich bash scripts/mpi_check.sh BINARY   the same with MPICH's launcher
#   bash scripts/slurm_check.sh BINARY   the same under Slurm's srun, on a one-node Slurm it makes
# Checks: a 2-rank model is valid, has a 1-rank model's vocabulary and recovers the planted groups,
# from a prepared corpus and from a text file split by byte ranges;
# distributed evaluate and tune write what one process writes (clocks aside); a failure on the
# ranks ends the job with an error and no model file.
set -euo pipefail
# BINARY as given, relative to the caller's folder, before moving to the repository's.
if [ $# -ge 1 ]; then recvec=$(realpath "$1"); fi
cd "$(dirname "$0")/.."

if [ $# -lt 1 ]; then
  if ! command -v mpirun >/dev/null || ! pkg-config --exists mpi 2>/dev/null; then
    echo "== installing Open MPI (libopenmpi-dev, openmpi-bin)"
    (apt-get install -y -q libopenmpi-dev openmpi-bin || (apt-get update -q && apt-get install -y -q libopenmpi-dev openmpi-bin)) >/dev/null
  fi
  echo "== swift build -c release --traits MPI"
  swift build -c release --traits MPI
  recvec=.build/release/recvec
fi
# MPIEXEC picks the launcher (default mpirun): Open MPI's, or MPICH's mpiexec.hydra (for a binary
# built against MPICH, e.g. PKG_CONFIG_PATH holding an mpi.pc for mpich).
launcher=${MPIEXEC:-mpirun}
# Open MPI's processes (under mpirun or Slurm's srun) talk over shared memory and loopback; MPICH
# ignores these.
export OMPI_MCA_btl=self,vader,tcp OMPI_MCA_btl_tcp_if_include=lo
if "$launcher" --version 2>&1 | grep -q "Open MPI"; then
  # Root in containers needs the two allow-run-as-root flags; --oversubscribe lets 2 ranks share fewer cores.
  mpi=("$launcher" --oversubscribe -np 2)
  if [ "$(id -u)" = 0 ]; then mpi+=(--allow-run-as-root); fi
else
  mpi=("$launcher" -n 2)
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== MPI: planted groups (8 groups of 6 items; each line draws from one group)"
awk 'BEGIN { srand(42); for (s = 0; s < 4000; s++) { g = int(rand() * 8); line = "";
  for (i = 0; i < 10; i++) line = line (i ? " " : "") "g" g "_" int(rand() * 6); print line } }' > "$tmp/planted.txt"
"$recvec" prepare --input "$tmp/planted.txt" --min-count 1 --output "$tmp/planted.rvcorpus" --quiet
train=(train --input "$tmp/planted.rvcorpus" --dim 24 --window 3 --epochs 4 --sample 0 --threads 1 --min-count 1)
"$recvec" "${train[@]}" --output "$tmp/one.rvmodel" --quiet
"${mpi[@]}" "$recvec" "${train[@]}" --output "$tmp/two.rvmodel" --sync-every 5000 2>&1 | tee "$tmp/two.log"
grep -q "synchronisations so far" "$tmp/two.log"
# The plan rank 0 prints first: the default merge averages, each process at twice the learning rate.
grep -q "2 processes: a full synchronisation every 5.0k tokens a process.*merge mean, learning rate × 2 (0.05)" "$tmp/two.log"
"$recvec" info "$tmp/two.rvmodel" | tee "$tmp/two.info"
# The model file records the processes and the learning rate they trained at.
grep -q "across 2 processes, each at the learning rate × 2 (0.05→0.0002)" "$tmp/two.info"
"$recvec" export "$tmp/one.rvmodel" --format word2vec-text --output "$tmp/one.vec"
"$recvec" export "$tmp/two.rvmodel" --format word2vec-text --output "$tmp/two.vec"
cmp <(cut -d' ' -f1 "$tmp/one.vec") <(cut -d' ' -f1 "$tmp/two.vec")
# planted MODEL: its nearest neighbours must lie in the planted group (at least 95 % of 192).
planted() {
  local hits=0 total=0
  for g in 0 1 2 3 4 5 6 7; do
    for i in 0 1 2 3 4 5; do
      for n in $("$recvec" similar "$1" "g${g}_$i" --top 4 --json | grep '"token"' | grep -o '"g[0-9]*_[0-9]*"'); do
        total=$((total + 1))
        case $n in \"g${g}_*) hits=$((hits + 1)) ;; esac
      done
    done
  done
  echo "$1: $hits of $total nearest neighbours in the planted group"
  [ "$total" -eq 192 ] && [ $((hits * 100)) -ge $((total * 95)) ]
}
planted "$tmp/two.rvmodel"

echo "== MPI: item2vec trains each set whole: rounds shorter than a set are announced"
"${mpi[@]}" "$recvec" train --input "$tmp/planted.rvcorpus" --model item2vec --dim 8 --epochs 1 --threads 1 \
  --min-count 1 --output "$tmp/sets.rvmodel" --sync-every 4 --sync-hot-every 0 2>&1 | tee "$tmp/sets.log"
grep -q "note: this model trains each sequence whole.*longest (10 tokens) is longer than a round (4)" "$tmp/sets.log"

echo "== MPI: a text input, each rank reading its byte range, the vocabulary combined"
text=(train --input "$tmp/planted.txt" --dim 24 --window 3 --epochs 4 --sample 0 --threads 1 --min-count 1)
"${mpi[@]}" "$recvec" "${text[@]}" --output "$tmp/text.rvmodel" --sync-every 5000 --on-disk 2>&1 | tee "$tmp/text.log"
[ "$(grep -c "this process: .* from bytes" "$tmp/text.log")" -eq 2 ]
# --on-disk cannot apply to a byte range read by each rank: rank 0 says so, once.
[ "$(grep -c "note: --on-disk does not apply here" "$tmp/text.log")" -eq 1 ]
"$recvec" export "$tmp/text.rvmodel" --format word2vec-text --output "$tmp/text.vec"
cmp <(cut -d' ' -f1 "$tmp/one.vec") <(cut -d' ' -f1 "$tmp/text.vec")
planted "$tmp/text.rvmodel"

echo "== MPI: distributed evaluate = single-process evaluate"
ml=Sources/recvec/SampleData/movielens/sequences.tsv
evaluate=(evaluate --input "$ml" --format events --protocol leave-last-out --models popularity,item2vec,cooccurrence
  --epochs 1 --dim 16 --threads 1 --quiet)
"$recvec" "${evaluate[@]}" --json "$tmp/eval1.json" > /dev/null
"${mpi[@]}" "$recvec" "${evaluate[@]}" --json "$tmp/eval2.json" > /dev/null
diff <(grep -v '_seconds"' "$tmp/eval1.json") <(grep -v '_seconds"' "$tmp/eval2.json")

echo "== MPI: distributed tune = single-process tune"
tune=(tune --input "$ml" --format events --protocol leave-last-out --models item2vec,cooccurrence --trials 5
  --epochs 1 --dim 16 --threads 1 --quiet)
"$recvec" "${tune[@]}" --json "$tmp/tune1.json" > /dev/null
"${mpi[@]}" "$recvec" "${tune[@]}" --json "$tmp/tune2.json" > /dev/null
diff <(grep -v '_seconds"' "$tmp/tune1.json") <(grep -v '_seconds"' "$tmp/tune2.json")

echo "== MPI: a failure ends the job, and no model is written"
if "${mpi[@]}" "$recvec" train --input "$ml" --format events --model pv-dbow --output "$tmp/pv.rvmodel" 2>"$tmp/err"; then
  echo "expected pv-dbow to be refused across processes"; exit 1
fi
grep -q "cannot be trained across processes" "$tmp/err"
test ! -e "$tmp/pv.rvmodel"
echo "MPI checks passed"

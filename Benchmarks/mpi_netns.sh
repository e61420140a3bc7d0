#!/usr/bin/env bash
# Two "hosts" on this machine: network namespaces joined by veth pairs to a bridge, each link shaped
# with tc (token bucket) to RATE; Open MPI starts one rank in each namespace through a small rsh
# agent (`ip netns exec` instead of ssh) and the ranks talk TCP over the shaped links only (no shared
# memory). Times the synchronisations of `recvec train` against --sync-every. Needs root.
#
#   bash Benchmarks/mpi_netns.sh OUT_DIR
#
# Environment: RECVEC (an MPI build; default .build/release/recvec), CORPUS (a prepared corpus or a
# text corpus), RATES ("1gbit 10gbit"), SYNCS ("250000 1000000 4000000"), THREADS (1), EPOCHS (1),
# ARCH (skipgram), EXTRA (more train flags, e.g. "--sync-hot-every 0"; its words join the labels).
set -euo pipefail
out=${1:?usage: mpi_netns.sh OUT_DIR}
mkdir -p "$out"
here=$(cd "$(dirname "$0")/.." && pwd)
recvec=${RECVEC:-$here/.build/release/recvec}
corpus=${CORPUS:-$HOME/.cache/recvec-bench/synthetic-10000000.txt}
rates=${RATES:-1gbit 10gbit}
syncs=${SYNCS:-250000 1000000 4000000}
threads=${THREADS:-1}
epochs=${EPOCHS:-1}
arch=${ARCH:-skipgram}
hosts=(10.77.0.1 10.77.0.2)
agent=$out/netns-rsh

cleanup() {
  for i in 0 1; do ip netns del "rv$i" 2>/dev/null || true; done
  ip link del rvbr0 2>/dev/null || true
}
trap cleanup EXIT
cleanup

# The bridge (mpirun's own daemon listens here) and one namespace per host.
ip link add rvbr0 type bridge
ip addr add 10.77.0.254/24 dev rvbr0
ip link set rvbr0 up
for i in 0 1; do
  ip netns add "rv$i"
  ip link add "rvh$i" type veth peer name "rvn$i"
  ip link set "rvn$i" netns "rv$i"
  ip link set "rvh$i" master rvbr0 up
  ip netns exec "rv$i" ip addr add "${hosts[$i]}/24" dev "rvn$i"
  ip netns exec "rv$i" ip link set "rvn$i" up
  ip netns exec "rv$i" ip link set lo up
done

# What ssh would do: run the command line in the namespace that owns the address.
cat > "$agent" <<'AGENT'
#!/bin/sh
host=$1
shift
case $host in
  10.77.0.1) ns=rv0 ;;
  10.77.0.2) ns=rv1 ;;
  *) echo "netns-rsh: unknown host $host" >&2; exit 1 ;;
esac
exec ip netns exec "$ns" /bin/sh -c "$*"
AGENT
chmod +x "$agent"

if [[ $corpus != *.rvcorpus ]]; then
  "$recvec" prepare --input "$corpus" --format sequences --min-count 5 --output "$out/corpus.rvcorpus" --quiet
  corpus=$out/corpus.rvcorpus
fi

summary=$out/summary.txt
for rate in $rates; do
  for i in 0 1; do
    ip netns exec "rv$i" tc qdisc replace dev "rvn$i" root tbf rate "$rate" burst 1mbit latency 50ms
    tc qdisc replace dev "rvh$i" root tbf rate "$rate" burst 1mbit latency 50ms
  done
  for sync in $syncs; do
    label=$arch-$rate-sync$sync${EXTRA:+-$(echo "$EXTRA" | tr -c 'a-zA-Z0-9\n' '_')}
    mpirun --allow-run-as-root --oversubscribe --bind-to none -np 2 --host "${hosts[0]},${hosts[1]}" \
      --mca plm_rsh_agent "$agent" --mca btl self,tcp --mca btl_tcp_if_include 10.77.0.0/24 \
      --mca oob_tcp_if_include 10.77.0.0/24 \
      "$recvec" train --input "$corpus" --output /tmp/rv-netns.rvmodel --architecture "$arch" --epochs "$epochs" \
      --threads "$threads" --sync-every "$sync" --min-count 5 --metrics-json /tmp/rv-netns.json ${EXTRA:-} \
      2> "$out/$label.log"
    python3 - "$out/$label.log" "$label" <<'PY' | tee -a "$summary"
import re, sys
log = open(sys.argv[1]).read()
n, sent, secs = re.findall(r"(\d+) synchronisations so far, ([\d.]+[kMG]?)B sent, ([\d.]+) s", log)[-1]
total = re.findall(r"trained in ([\d.]+) s \(([\d.]+[kMG]?) tokens/s", log)[-1]
print(f"{sys.argv[2]}: {total[1]} tokens/s, {total[0]} s; {n} synchronisations, {sent}B sent by each rank, "
      f"{secs} s synchronising ({float(secs) / int(n):.3f} s each)")
PY
  done
done

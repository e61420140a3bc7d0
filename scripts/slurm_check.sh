#!/usr/bin/env bash
# scripts/mpi_check.sh with Slurm's srun as the launcher, on a one-node Slurm made on this machine:
#   bash scripts/slurm_check.sh BINARY      BINARY: recvec built with `--traits MPI` against Open MPI
# Installs Debian's slurmd, slurmctld, slurm-client and munge when missing (root), writes a one-node
# configuration to a temporary folder (nothing under /etc/slurm is touched), starts munged when it is
# not running (and leaves it running) and a slurmctld and slurmd of its own, runs the MPI checks as
# `srun --mpi=pmix -n 2 …`, and stops the daemons it started. Not part of CI: a by-hand check of the
# README's Slurm example.
set -euo pipefail
recvec=$(realpath "${1:?usage: slurm_check.sh BINARY (an MPI build of recvec)}")
cd "$(dirname "$0")/.."

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v srun >/dev/null ||
  ! command -v munged >/dev/null; then
  echo "== installing Slurm and munge (slurmd, slurmctld, slurm-client, munge)"
  (apt-get install -y -q slurmd slurmctld slurm-client munge ||
    (apt-get update -q && apt-get install -y -q slurmd slurmctld slurm-client munge)) >/dev/null
fi

if pgrep -x slurmctld >/dev/null || pgrep -x slurmd >/dev/null; then
  echo "slurm_check.sh: a Slurm already runs here; under it, run: MPIEXEC=srun bash scripts/mpi_check.sh BINARY" >&2
  exit 1
fi

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

if ! pgrep -x munged >/dev/null; then
  mkdir -p /run/munge && chown munge:munge /run/munge
  su -s /bin/sh munge -c /usr/sbin/munged
fi

node=$(hostname -s)
mkdir -p "$tmp/state" "$tmp/spool"
export SLURM_CONF=$tmp/slurm.conf
cat > "$SLURM_CONF" <<EOF
ClusterName=recvec-check
SlurmctldHost=$node
SlurmUser=$(id -un)
SlurmdUser=$(id -un)
AuthType=auth/munge
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=pmix
NodeName=$node CPUs=$(nproc) State=UNKNOWN
PartitionName=check Nodes=$node Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
EOF

echo "== starting slurmctld and slurmd (one node: $node, $(nproc) CPUs)"
slurmctld -D -f "$SLURM_CONF" >"$tmp/slurmctld.out" 2>&1 &
pids+=($!)
sleep 1
slurmd -D -f "$SLURM_CONF" >"$tmp/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 30); do
  if sinfo -h -o %t 2>/dev/null | grep -q idle; then break; fi
  sleep 1
done
if ! sinfo -h -o %t | grep -q idle; then
  echo "slurm_check.sh: the node did not come up idle" >&2
  cat "$tmp/slurmctld.log" "$tmp/slurmd.log" >&2 || true
  exit 1
fi
srun --version
srun --mpi=list 2>&1 | grep -q pmix || {
  echo "slurm_check.sh: this srun has no PMIx plugin (Open MPI's processes need one)" >&2
  exit 1
}

# mpi_check.sh runs `$MPIEXEC -n 2 …` for a launcher other than Open MPI's mpirun; PMIx through the
# configuration's MpiDefault.
MPIEXEC=srun bash scripts/mpi_check.sh "$recvec"
echo "Slurm checks passed"

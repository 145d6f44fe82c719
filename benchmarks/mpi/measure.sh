#!/usr/bin/env bash
# One process against two MPI ranks, the same MNIST run (seed configuration, 5 epochs), interleaved
# rounds so that load from other processes falls on every configuration alike. Prints each run's
# ms per step and the time its ranks spent in the per-step allreduce (waiting for the slower rank
# included). Usage: benchmarks/mpi/measure.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds="${1:-3}"
command -v mpiexec >/dev/null || { echo "mpiexec is missing: apt-get install -y mpich" >&2; exit 1; }
dotnet build samples/Mnist -c Release -v q -nologo >/dev/null
program=samples/Mnist/bin/Release/net10.0/Mnist.dll
out="$(mktemp -d)"
run() { # name, then the command's words
  local name="$1"; shift
  "$@" train --epochs 5 --seed 1 --summary "$out/$name.json" >/dev/null
  python3 - "$name" "$out/$name.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[2]))
print(f"{sys.argv[1]:<26} ranks {s['ranks']}  {s['ms_per_step']:7.3f} ms/step  allreduce {s['allreduce_ms_per_step']:7.3f} ms/step  "
      f"loss {s['final_train_loss']:.6f}  test {s['test_accuracy']:.4f}")
PY
}
for round in $(seq "$rounds"); do
  echo "round $round"
  run "1 process x 2 threads" env DOTNET_PROCESSOR_COUNT=2 dotnet "$program"
  run "1 process x 1 thread" env DOTNET_PROCESSOR_COUNT=1 dotnet "$program"
  run "2 ranks x 1 thread" mpiexec -n 2 -genv DOTNET_PROCESSOR_COUNT 1 dotnet "$program"
  run "2 ranks x 2 threads" mpiexec -n 2 -genv DOTNET_PROCESSOR_COUNT 2 dotnet "$program"
done
rm -r "$out"

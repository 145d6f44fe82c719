#!/usr/bin/env bash
# Side-by-side PyTorch baseline: installs Debian's python3-torch + OpenBLAS when missing,
# then runs bench.py with the system interpreter. Arguments go to bench.py, e.g.
#   benchmarks/pytorch/run.sh --json torch.json --fashion ../shared/data
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

missing=()
for pkg in python3-torch libopenblas0-pthread; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if ((${#missing[@]})); then
    echo "installing ${missing[*]}" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y python3-torch libopenblas0-pthread
fi

# /usr/bin/python3 is Debian's (the one with torch); the OpenBLAS overrides are dropped
# for this command only, so OpenBLAS picks its own kernels for this CPU.
exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$here/bench.py" "$@"

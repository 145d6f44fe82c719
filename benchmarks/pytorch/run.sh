#!/usr/bin/env bash
# Side-by-side PyTorch baseline: installs Debian's python3-torch + OpenBLAS when missing,
# then runs bench.py with the system interpreter. Arguments go to bench.py, e.g.
#   benchmarks/pytorch/run.sh --json torch.json --fashion ../shared/data
#
# OpenBLAS kernels: OpenBLAS 0.3.21 (Debian 12) does not know recent Xeons (Sapphire and
# Emerald Rapids, family 6 model 143/207) and falls back to its Prescott (SSE3) kernels,
# a third of its speed there. So the kernels are chosen here from the CPU's flags, as a
# newer OpenBLAS would: AUTOGRAD_OPENBLAS_CORETYPE overrides the choice (any core name
# OpenBLAS accepts, e.g. SkylakeX or Haswell, or "detect" for OpenBLAS's own detection).
# bench.py prints the core OpenBLAS then uses.
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

core="${AUTOGRAD_OPENBLAS_CORETYPE:-}"
if [ -z "$core" ]; then
    flags=" $(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null | cut -d: -f2-) "
    case "$flags" in
        *" avx512_bf16 "*) core=Cooperlake ;;   # SkylakeX kernels plus bfloat16
        *" avx512f "*)     core=SkylakeX ;;
        *" avx2 "*)        core=Haswell ;;
        *)                 core=detect ;;
    esac
fi

# /usr/bin/python3 is Debian's (the one with torch). OPENBLAS_CORETYPE must be unset (not
# empty) for OpenBLAS to detect the CPU itself; OPENBLAS_L2_SIZE is dropped either way.
if [ "$core" = detect ]; then
    exec env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$here/bench.py" "$@"
fi
exec env -u OPENBLAS_L2_SIZE OPENBLAS_CORETYPE="$core" /usr/bin/python3 "$here/bench.py" "$@"

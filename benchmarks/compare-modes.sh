#!/usr/bin/env bash
# Forward mode and Hessian-vector products: AutoGrad's generated NameTangent / NameHessianVectorProduct
# against PyTorch's torch.autograd.functional.jvp / hvp, each beside its own baseline (the primal for
# a tangent, the gradient for an HVP), on Rosenbrock (n = 1,000) and the logistic regression
# (1,000 x 10), in one run:
#   1. the AutoGrad benchmark runner's `modes` mode, JSON rows to $out/autograd-modes.json
#   2. benchmarks/pytorch/run.sh --only modes (1 thread, OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset
#      for that command only), JSON to $out/pytorch-modes.json
#   3. one table of both.
# Usage: benchmarks/compare-modes.sh [OUTPUT_DIR]   (default: a fresh temporary folder)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
out="${1:-$(mktemp -d)}"
mkdir -p "$out"

echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(date -u +%Y-%m-%dT%H:%MZ)" >&2
dotnet build -c Release "$root/benchmarks/AutoGrad.Benchmarks" -v quiet -nologo >&2
dotnet run -c Release --no-build --project "$root/benchmarks/AutoGrad.Benchmarks" -- modes --json "$out/autograd-modes.json" >&2
"$here/pytorch/run.sh" --only modes --threads 1 --json "$out/pytorch-modes.json" >&2

python3 - "$out/autograd-modes.json" "$out/pytorch-modes.json" <<'PY'
import json, sys

ours = json.load(open(sys.argv[1]))
torch = {r["workload"]: r["us_per_call"] for r in json.load(open(sys.argv[2]))}

def us(v):
    return f"{v:.3f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:.0f}"

headers = ["workload", "", "primal us", "tangent / jvp us", "tangent/primal", "gradient us", "HVP us", "HVP/gradient", "B/call (tangent, HVP)"]
rows = []
for r in ours:
    w = r["workload"]
    rows.append([w, "AutoGrad", us(r["primal_us"]), us(r["tangent_us"]), f'{r["tangent_us"] / r["primal_us"]:.2f}x',
                 us(r["gradient_us"]), us(r["hessian_vector_us"]), f'{r["hessian_vector_us"] / r["gradient_us"]:.2f}x',
                 f'{r["tangent_bytes_per_call"]:.0f}, {r["hessian_vector_bytes_per_call"]:.0f}'])
    t = {k: torch[f"modes_{w}_{k}"] for k in ("primal", "grad", "jvp", "hvp")}
    rows.append([w, "PyTorch", us(t["primal"]), us(t["jvp"]), f'{t["jvp"] / t["primal"]:.2f}x',
                 us(t["grad"]), us(t["hvp"]), f'{t["hvp"] / t["grad"]:.2f}x', ""])
    rows.append([w, "PyTorch / AutoGrad", "", f'{t["jvp"] / r["tangent_us"]:.1f}x', "", "", f'{t["hvp"] / r["hessian_vector_us"]:.1f}x', "", ""])
widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
print("| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths)) + " |")
print("|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
for row in rows:
    print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |")
PY

#!/usr/bin/env bash
# AutoGrad against PyTorch autograd on the same workloads, shapes and steps, in one run:
#   1. the AutoGrad compare runner (generated and tape gradients), JSON rows to $out/autograd.json
#   2. benchmarks/pytorch/run.sh (installs Debian's python3-torch + OpenBLAS when missing),
#      the same workloads, JSON to $out/pytorch.json
#   3. one table of both, with the ratios.
# Usage: benchmarks/compare-pytorch.sh [OUTPUT_DIR]   (default: a fresh temporary folder)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
out="${1:-$(mktemp -d)}"
mkdir -p "$out"

echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(date -u +%Y-%m-%dT%H:%MZ)" >&2

dotnet build -c Release "$root/benchmarks/AutoGrad.Benchmarks" -v quiet -nologo >&2
echo "# AutoGrad compare runner" >&2
dotnet run -c Release --no-build --project "$root/benchmarks/AutoGrad.Benchmarks" -- compare --json "$out/autograd.json" >&2

echo "# PyTorch (benchmarks/pytorch/run.sh)" >&2
"$here/pytorch/run.sh" --only seed,rosenbrock,rnn,logreg --rosen-sizes 10,1000,100000 --json "$out/pytorch.json" >&2

# Any python3 can parse JSON; torch is only needed by run.sh, which uses /usr/bin/python3.
python3 - "$out/autograd.json" "$out/pytorch.json" <<'PY'
import json, sys

autograd = json.load(open(sys.argv[1]))
torch = {(r["workload"], r["n"]): r["us_per_call"] for r in json.load(open(sys.argv[2]))}
torch_name = {"seed": "seed_grad", "rosenbrock": "rosenbrock_grad", "rnn_tanh": "rnn_tanh_grad", "logreg": "logreg_grad"}

def us(v):
    return "-" if v is None else f"{v:.3f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:.0f}"

def ratio(a, b):
    return "-" if a is None or b is None else f"{a / b:.1f}x"

headers = ["workload", "n", "AutoGrad generated us", "AutoGrad tape us", "PyTorch us",
           "PyTorch / generated", "PyTorch / tape", "AutoGrad primal us", "PyTorch primal us"]
rows = []
for r in autograd:
    t = torch.get((torch_name[r["workload"]], r["n"]))
    tp = torch.get(("rosenbrock_primal", r["n"])) if r["workload"] == "rosenbrock" else None
    rows.append([r["workload"], f'{r["n"]:,}', us(r["generated_us"]), us(r["tape_us"]), us(t),
                 ratio(t, r["generated_us"]), ratio(t, r["tape_us"]), us(r["primal_us"]), us(tp)])
widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
line = lambda cells: "| " + " | ".join(str(c).rjust(w) for c, w in zip(cells, widths)) + " |"
print(line(headers))
print("|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
for row in rows:
    print(line(row))
PY
echo "# raw results in $out" >&2

#!/usr/bin/env bash
# The seed MLP's training step (784-64-64-64-10, Adam 0.003) at batch 256 and 4096:
#   1. AutoGrad's SIMD runtime on the host (--device cpu) and ILGPU on the first CUDA GPU (--device cuda),
#      through benchmarks/AutoGrad.Benchmarks' `gpu` mode; a CUDA GPU that is absent is reported, not measured;
#   2. PyTorch on CUDA (benchmarks/pytorch/mlp_device.py), when a torch that sees a CUDA GPU is installed.
# Set DEVICES to measure others too, e.g. DEVICES=cpu,ilgpu-cpu,cuda (ILGPU's CPU accelerator is slow: a
# simulator for tests). Results: OUTPUT_DIR/autograd-gpu.json and torch-cuda.json.
# Usage: benchmarks/gpu.sh [OUTPUT_DIR]   (default: a fresh temporary folder)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
out="${1:-$(mktemp -d)}"
mkdir -p "$out"

echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(date -u +%Y-%m-%dT%H:%MZ)" >&2
if command -v nvidia-smi >/dev/null; then nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader >&2; else echo "# no nvidia-smi: no NVIDIA GPU here" >&2; fi

dotnet build -c Release "$root/benchmarks/AutoGrad.Benchmarks" -v quiet -nologo >&2
dotnet run -c Release --no-build --project "$root/benchmarks/AutoGrad.Benchmarks" -- gpu --devices "${DEVICES:-cpu,cuda}" --json "$out/autograd-gpu.json"

python=/usr/bin/python3
if [ -x "$python" ] && "$python" -c "import torch" 2>/dev/null; then
  "$python" "$here/pytorch/mlp_device.py" --device cuda --json "$out/torch-cuda.json" || echo "# PyTorch CUDA: not measured" >&2
else
  echo "# no torch for $python: PyTorch CUDA not measured" >&2
fi
echo "# results in $out" >&2

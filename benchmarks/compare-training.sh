#!/usr/bin/env bash
# What a user times: the MNIST sample's whole training run on Fashion-MNIST against PyTorch's
# (bench.py's fashion group) on the same data, epochs, batch size, optimizer and model
# (784-64-64-64-10 ReLU, Adam 0.003, batch 256 shuffled), run alternately, best of N.
# Each run is timed as a process, start to exit (start-up, data loading and the test
# evaluation included), and by its own training clock (ms per step). Prints every run, the
# best and the spread (slowest / fastest) of each side, and the ratios of the bests.
#
# Usage: benchmarks/compare-training.sh [--runs N] [--epochs E] [--data DIR] [--torch-threads T] [OUTPUT_DIR]
#   defaults: 3 runs, 10 epochs, data from ../shared/data or data/, 1 PyTorch thread (its
#   fastest setting for this model on two cores), a fresh temporary output folder.
# AutoGrad uses every core it sees (DOTNET_PROCESSOR_COUNT=1 for one).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
runs=3 epochs=10 data="" threads=1 out=""
while (($#)); do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        --epochs) epochs="$2"; shift 2 ;;
        --data) data="$2"; shift 2 ;;
        --torch-threads) threads="$2"; shift 2 ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        -*) echo "compare-training.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
        *) out="$1"; shift ;;
    esac
done
for n in "$runs" "$epochs" "$threads"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "compare-training.sh: '$n' is not a positive whole number" >&2; exit 2; }
done
if [ -z "$data" ]; then
    for d in "$root/../shared/data" "$root/data"; do
        [ -f "$d/fashion-train-images-idx3-ubyte.gz" ] && { data="$d"; break; }
    done
fi
[ -n "$data" ] && [ -f "$data/fashion-train-images-idx3-ubyte.gz" ] ||
    { echo "compare-training.sh: no fashion-*-idx*-ubyte.gz in '${data:-../shared/data or data/}'; give --data DIR" >&2; exit 2; }
data="$(cd "$data" && pwd)"
out="${out:-$(mktemp -d)}"
mkdir -p "$out"

echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)" >&2
echo "# $runs runs of $epochs epochs on $data, alternating AutoGrad and PyTorch ($threads thread(s))" >&2
dotnet build -c Release "$root/samples/Mnist" -v quiet -nologo >&2
sample="$(ls "$root"/samples/Mnist/bin/Release/net*/Mnist.dll | head -1)"

now() { date +%s.%N; }
for i in $(seq 1 "$runs"); do
    start=$(now)
    dotnet "$sample" train --data "$data" --prefix fashion --epochs "$epochs" --batch-size 256 \
        --optimizer adam --learning-rate 0.003 --hidden 64,64,64 --activation relu \
        --summary "$out/autograd-$i.json" > "$out/autograd-$i.log" 2>&1 ||
        { echo "AutoGrad run $i failed; see $out/autograd-$i.log" >&2; tail -5 "$out/autograd-$i.log" >&2; exit 1; }
    python3 -c "import sys; print(float(sys.argv[1]) - float(sys.argv[2]))" "$(now)" "$start" > "$out/autograd-$i.wall"
    start=$(now)
    "$here/pytorch/run.sh" --only fashion --fashion "$data" --epochs "$epochs" --threads "$threads" \
        --json "$out/pytorch-$i.json" > "$out/pytorch-$i.log" 2>&1 ||
        { echo "PyTorch run $i failed; see $out/pytorch-$i.log" >&2; tail -5 "$out/pytorch-$i.log" >&2; exit 1; }
    python3 -c "import sys; print(float(sys.argv[1]) - float(sys.argv[2]))" "$(now)" "$start" > "$out/pytorch-$i.wall"
    echo "# run $i: AutoGrad $(cat "$out/autograd-$i.wall") s, PyTorch $(cat "$out/pytorch-$i.wall") s" >&2
done

python3 - "$out" "$runs" <<'PY'
import json, os, sys

out, runs = sys.argv[1], int(sys.argv[2])
rows = []
for i in range(1, runs + 1):
    a = json.load(open(os.path.join(out, f"autograd-{i}.json")))
    t = [r for r in json.load(open(os.path.join(out, f"pytorch-{i}.json"))) if r["workload"] == "mlp_fashion_train"][0]
    wall = lambda name: float(open(os.path.join(out, f"{name}-{i}.wall")).read())
    rows.append(dict(ag_wall=wall("autograd"), ag_train=a["training_seconds"], ag_step=a["ms_per_step"], ag_acc=a["test_accuracy"],
                     pt_wall=wall("pytorch"), pt_train=t["train_seconds"], pt_step=t["ms_per_call"], pt_acc=t["test_accuracy"],
                     steps=(a["steps"], t["steps"])))

print("| run | AutoGrad process s | AutoGrad ms/step | AutoGrad test acc | PyTorch process s | PyTorch ms/step | PyTorch test acc | PyTorch / AutoGrad (process) | (per step) |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for i, r in enumerate(rows, 1):
    print(f"| {i} | {r['ag_wall']:.2f} | {r['ag_step']:.3f} | {r['ag_acc']:.4f} | {r['pt_wall']:.2f} | {r['pt_step']:.3f} | {r['pt_acc']:.4f} "
          f"| {r['pt_wall'] / r['ag_wall']:.2f}x | {r['pt_step'] / r['ag_step']:.2f}x |")
best = lambda key: min(r[key] for r in rows)
spread = lambda key: max(r[key] for r in rows) / best(key)
print()
print(f"best of {runs}: AutoGrad {best('ag_wall'):.2f} s ({best('ag_step'):.3f} ms/step), "
      f"PyTorch {best('pt_wall'):.2f} s ({best('pt_step'):.3f} ms/step)")
print(f"spread (slowest / fastest run): AutoGrad {spread('ag_wall'):.2f}x process, {spread('ag_step'):.2f}x per step; "
      f"PyTorch {spread('pt_wall'):.2f}x process, {spread('pt_step'):.2f}x per step")
print(f"PyTorch / AutoGrad, best against best: whole run {best('pt_wall') / best('ag_wall'):.2f}x, "
      f"per training step {best('pt_step') / best('ag_step'):.2f}x (steps per run: AutoGrad {rows[0]['steps'][0]}, PyTorch {rows[0]['steps'][1]})")
PY
echo "# raw results in $out" >&2

#!/usr/bin/env bash
# AutoGrad against PyTorch autograd on the same workloads, shapes and steps, in one run:
#   1. the AutoGrad compare runner (generated and tape gradients), JSON rows to $out/autograd.json
#   2. benchmarks/pytorch/run.sh (installs Debian's python3-torch + OpenBLAS when missing),
#      the same workloads, JSON to $out/pytorch.json
#   3. one table of both, with the ratios;
#   4. the seed MLP (784-64-64-64-10) training steps (Adam batch 256, SGD batch 1), PyTorch / AutoGrad
#      in sessions of both processes at once taking turns: the runner's `mlp --steps-only --turns` on
#      both cores, or on one (DOTNET_PROCESSOR_COUNT=1), and bench.py's mlp group (1 thread) pass the
#      turn through two FIFOs, so each side's timed repeats fall between the other's and a change in
#      the machine's speed hits both alike. Each round runs a 2-core and a 1-core session (reversed
#      every other round); the table gives the median of the sessions' ratios and their range
#      (min-max). Both sides train the same network (weights uniform in +-3/sqrt(fan-in), zero
#      biases) on the same batches of the embedded MNIST set (data/mnist10k) in the same order, for
#      the same fixed step counts (MlpRunner.AdamSteps / SgdSteps). MLP_ROUNDS=N sets the rounds (default 5);
#   5. sgemm: our MatMul (`matmul` mode) against torch.mm / OpenBLAS (bench.py's sgemm group) on
#      1024^3 and the MLP's shapes, with 1 and 2 threads; each two-thread figure is the median of
#      three processes, with their range (how much of the second core a process gets varies).
# OpenBLAS runs the kernels run.sh chooses for this CPU (AUTOGRAD_OPENBLAS_CORETYPE=detect for
# OpenBLAS's own choice, which is its SSE3 fallback on CPUs newer than it knows).
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

echo "# AutoGrad matmul, 1 core, and 2 cores in three processes (the second core's share varies between processes)" >&2
DOTNET_PROCESSOR_COUNT=1 dotnet run -c Release --no-build --project "$root/benchmarks/AutoGrad.Benchmarks" -- matmul --json "$out/autograd-matmul-1.json" >&2
for run in 1 2 3; do
  DOTNET_PROCESSOR_COUNT=2 dotnet run -c Release --no-build --project "$root/benchmarks/AutoGrad.Benchmarks" -- matmul --json "$out/autograd-matmul-2-$run.json" >&2
done

echo "# PyTorch (benchmarks/pytorch/run.sh)" >&2
"$here/pytorch/run.sh" --only seed,rosenbrock,rnn,logreg --rosen-sizes 10,1000,100000 --json "$out/pytorch.json" >&2
"$here/pytorch/run.sh" --only sgemm --threads 1 --json "$out/pytorch-sgemm-1.json" >&2
for run in 1 2 3; do
  "$here/pytorch/run.sh" --only sgemm --threads 2 --json "$out/pytorch-sgemm-2-$run.json" >&2
done

rounds="${MLP_ROUNDS:-5}"
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "compare-pytorch.sh: MLP_ROUNDS='$rounds' is not a positive whole number" >&2; exit 2; }
echo "# seed MLP training steps: $rounds rounds, each AutoGrad on 2 cores and on 1 core (every other round 1 core first), each taking turns with PyTorch (1 thread)" >&2
runner="$(ls "$root"/benchmarks/AutoGrad.Benchmarks/bin/Release/net*/AutoGrad.Benchmarks.dll | head -1)"
# One session: AutoGrad on $1 cores and PyTorch alive at once, passing the turn through two FIFOs, so
# each timed repeat of one side runs between two of the other's while that side waits.
session() {
    local cores=$1 round=$2 take="$out/turn-autograd" give="$out/turn-pytorch"
    rm -f "$take" "$give"
    mkfifo "$take" "$give"
    DOTNET_PROCESSOR_COUNT=$cores dotnet "$runner" mlp --steps-only --turns "$take,$give" --json "$out/autograd-mlp-$cores-$round.json" >&2 &
    local autograd=$!
    "$here/pytorch/run.sh" --only mlp --turns "$give,$take" --json "$out/pytorch-mlp-$cores-$round.json" >&2 &
    local pytorch=$!
    printf x > "$take"    # AutoGrad goes first
    # A side that fails leaves the other waiting for its turn: stop both.
    if ! { wait -n "$autograd" "$pytorch" && wait "$autograd" && wait "$pytorch"; }; then
        kill "$autograd" "$pytorch" 2>/dev/null || true
        echo "compare-pytorch.sh: the training-step session on $cores core(s), round $round, failed" >&2
        exit 1
    fi
    rm -f "$take" "$give"
}
for round in $(seq 1 "$rounds"); do
    cores=(2 1)
    ((round % 2)) || cores=(1 2)
    echo "# round $round: load $(cut -d' ' -f1 /proc/loadavg)" >&2
    session "${cores[0]}" "$round"
    session "${cores[1]}" "$round"
done

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
    if r["workload"] not in torch_name: continue
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

python3 - "$out" "$rounds" <<'PY'
import json, os, sys
from statistics import median

out = sys.argv[1]
load = lambda name: json.load(open(os.path.join(out, name)))

def table(headers, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = lambda cells: "| " + " | ".join(str(c).rjust(w) for c, w in zip(cells, widths)) + " |"
    print(line(headers))
    print("|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
    for row in rows:
        print(line(row))

rounds = int(sys.argv[2])
def step_rows(name):
    for r in range(1, rounds + 1):
        sessions = {c: (next(x for x in load(f"pytorch-mlp-{c}-{r}.json") if x["workload"] == name),
                        next(x for x in load(f"autograd-mlp-{c}-{r}.json") if x["workload"] == name)) for c in (2, 1)}
        yield sessions[2], sessions[1]

print()
rows, losses = [], []
# Bars (issue #11): Adam >= 3x PyTorch on two cores and >= 2x on one; SGD batch 1 >= 10x on either.
for name, batch, label, bar2, bar1 in [("mlp_adam_step", 256, "Adam 0.003, batch 256", 3, 2), ("mlp_sgd_step", 1, "SGD 0.01, batch 1", 10, 10)]:
    runs = list(step_rows(name))
    t2 = [torch["us_per_call"] for (torch, _), _ in runs]
    t1 = [torch["us_per_call"] for _, (torch, _) in runs]
    a2 = [ours["us"] for (_, ours), _ in runs]
    a1 = [ours["us"] for _, (_, ours) in runs]
    r2 = [x / y for x, y in zip(t2, a2)]
    r1 = [x / y for x, y in zip(t1, a1)]
    spread = lambda ratios: f"{median(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f})"
    met = lambda ratios, bar: f"{sum(r >= bar for r in ratios)} of {len(ratios)}"
    verdict = "pass" if median(r2) >= bar2 and median(r1) >= bar1 else \
        "FAIL on " + " and ".join(c for c, ratios, bar in (("2 cores", r2, bar2), ("1 core", r1, bar1)) if median(ratios) < bar)
    t = t2 + t1
    rows.append([label, f"{median(a2):.1f}", f"{median(a1):.1f}", f"{median(t):.1f}", spread(r2), spread(r1),
                 f"{batch / median(a2) * 1e6:,.0f}", f"{batch / median(t) * 1e6:,.0f}", f">= {bar2}x / {bar1}x",
                 f"{met(r2, bar2)} / {met(r1, bar1)}", verdict])
    losses.append([label, f"{median([ours['loss_after'] for (_, ours), _ in runs]):.4f}", f"{median([torch['loss_after'] for (torch, _), _ in runs]):.4f}",
                   f"{median([ours['zero_gradients'] for (_, ours), _ in runs]):,.0f}", f"{median([torch['zero_gradients'] for (torch, _), _ in runs]):,.0f}"])
print(f"PyTorch: OpenBLAS core {load('pytorch-mlp-2-1.json')[0].get('blas_core')}; {rounds} rounds of two sessions (AutoGrad on 2 cores, "
      "on 1 core), each taking turns with PyTorch; us = medians over the sessions, ratios = PyTorch / AutoGrad in the same session, median (min-max)")
table(["seed MLP training step", "AutoGrad us (2 cores)", "AutoGrad us (1 core)", "PyTorch us (1 thread)",
       "PyTorch / AutoGrad 2c", "PyTorch / AutoGrad 1c", "AutoGrad samples/s (2c)", "PyTorch samples/s", "bar 2c / 1c",
       "sessions at the bar 2c / 1c", "result (medians)"], rows)
print()
print("Same work on both sides: the loss on the batch after the timed steps, and how many of the 59,210 gradient elements were exactly zero (medians over the 2-core sessions)")
table(["seed MLP training step", "AutoGrad loss", "PyTorch loss", "AutoGrad zero gradients", "PyTorch zero gradients"], losses)
print()
rows = []
def by_shape(name):
    return {r["shape"]: r for r in load(name)}

def median_of_runs(prefix):
    # Two-core figures: three processes each; the median, and the range of the three.
    runs = [by_shape(f"{prefix}-{run}.json") for run in (1, 2, 3)]
    return {shape: (sorted(r[shape]["gflops"] for r in runs)[1], min(r[shape]["gflops"] for r in runs), max(r[shape]["gflops"] for r in runs))
            for shape in runs[0]}

ours1, blas1 = by_shape("autograd-matmul-1.json"), by_shape("pytorch-sgemm-1.json")
ours2, blas2 = median_of_runs("autograd-matmul-2"), median_of_runs("pytorch-sgemm-2")
# Bar (issue #11): ours on two cores >= 0.9x OpenBLAS with two threads (medians of three processes each).
for shape, r in ours1.items():
    o1, b1 = r["gflops"], blas1[shape]["gflops"]
    (o2, o2low, o2high), (b2, b2low, b2high) = ours2[shape], blas2[shape]
    rows.append([shape, f'{r["m"]}x{r["k"]}x{r["n"]} {r["variant"]}', f"{o1:.1f}", f"{b1:.1f}", f"{o1 / b1:.2f}",
                 f"{o2:.1f} ({o2low:.0f}-{o2high:.0f})", f"{b2:.1f} ({b2low:.0f}-{b2high:.0f})", f"{o2 / b2:.2f}",
                 "pass" if o2 >= 0.9 * b2 else "FAIL"])
print(f"OpenBLAS core: {next(iter(blas1.values())).get('blas_core')}")
table(["sgemm (float32)", "m x k x n", "ours 1 core GFLOP/s", "OpenBLAS 1 thread", "ours/OpenBLAS",
       "ours 2 cores, median (range of 3)", "OpenBLAS 2 threads, median (range)", "ours/OpenBLAS", "bar 2c >= 0.9"], rows)
PY
echo "# raw results in $out" >&2

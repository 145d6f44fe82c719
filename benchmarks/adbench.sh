#!/usr/bin/env bash
# ADBench (../shared/adbench) with AutoGrad and PyTorch on the same instances, in one run: each
# instance in a fresh process per framework (so the peak memory is the instance's own), then one
# table of ADBench's ratio gradient time / objective time next to the ratios its paper publishes.
#   AutoGrad: the `adbench` mode of benchmarks/AutoGrad.Benchmarks (benchmarks/AutoGrad.ADBench's objectives)
#   PyTorch:  benchmarks/pytorch/adbench.py with /usr/bin/python3, 1 thread, float64
# Usage: benchmarks/adbench.sh [OUTPUT_DIR] [INSTANCE...]   (about 3 minutes for all six instances)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
out="${1:-$(mktemp -d)}"
shift || true
instances=("$@")
((${#instances[@]})) || instances=(gmm_d2_K5 gmm_d10_K25 gmm_d64_K25 ba1 lstm_l2_c1024 lstm_l4_c1024)
data="${ADBENCH_DATA:-$root/../shared/adbench}"
mkdir -p "$out"

echo "# $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)" >&2
dotnet build -c Release "$root/benchmarks/AutoGrad.Benchmarks" -v quiet -nologo >&2
for instance in "${instances[@]}"; do
    dotnet run -c Release --no-build --project "$root/benchmarks/AutoGrad.Benchmarks" -- \
        adbench --instance "$instance" --data "$data" --json "$out/autograd-$instance.json" >&2
    # /usr/bin/python3 is Debian's, the one with torch; the OpenBLAS overrides are dropped for this command only.
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 "$here/pytorch/adbench.py" \
        --instance "$instance" --data "$data" --json "$out/pytorch-$instance.json" >&2
done

python3 - "$out" "${instances[@]}" <<'PY'
import json, os, sys

out, instances = sys.argv[1], sys.argv[2:]
# The paper's relative-runtime tables (Srajer, Kukelova, Fitzgibbon 2018) for the best tools; it has no LSTM figures.
published = {"gmm_d2_K5": "1.88 / 3.74", "gmm_d10_K25": "2.94-3.13 / 7.69-7.93 (K5-K50)", "gmm_d64_K25": "6.16 / 13.3",
             "ba1": "6.72 / 8.78", "lstm_l2_c1024": "-", "lstm_l4_c1024": "-"}
goal = {"ba1": 4}
headers = ["instance", "AutoGrad objective ms", "AutoGrad gradient ms", "AutoGrad ratio", "PyTorch objective ms",
           "PyTorch gradient ms", "PyTorch ratio", "published Manual / Tapenade", "goal", "AutoGrad peak MB (before gradient)",
           "PyTorch peak MB (before gradient)", "same objective, gradient norm"]
rows = []
for name in instances:
    a = json.load(open(os.path.join(out, f"autograd-{name}.json")))
    t = json.load(open(os.path.join(out, f"pytorch-{name}.json")))
    rel = lambda x, y: abs(x - y) / max(abs(x), abs(y), 1e-300)
    agree = "yes" if rel(a["objective"], t["objective"]) < 1e-9 and rel(a["gradient_norm"], t["gradient_norm"]) < 1e-9 else \
        f'NO ({rel(a["objective"], t["objective"]):.1e}, {rel(a["gradient_norm"], t["gradient_norm"]):.1e})'
    g = goal.get(name, 3)
    rows.append([name, f'{a["objective_ms"]:.2f}', f'{a["gradient_ms"]:.2f}', f'{a["ratio"]:.2f}', f'{t["objective_ms"]:.2f}',
                 f'{t["gradient_ms"]:.2f}', f'{t["ratio"]:.2f}', published[name], f'<= {g} ({"pass" if a["ratio"] <= g else "FAIL"})',
                 f'{a["peak_rss_mb"]:.0f} ({a["rss_before_gradient_mb"]:.0f})', f'{t["peak_rss_mb"]:.0f} ({t["rss_before_gradient_mb"]:.0f})', agree])
widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
line = lambda cells: "| " + " | ".join(str(c).rjust(w) for c, w in zip(cells, widths)) + " |"
print(line(headers))
print("|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|")
for row in rows:
    print(line(row))
PY
echo "# raw results in $out" >&2

#!/usr/bin/env bash
# Kernel yardstick: oneDNN f32 GEMM / 3x3 conv (zoo-kernel-bench) vs numpy's OpenBLAS.
# Builds the release benchmark, runs it for each thread count, runs
# Benchmarks/numpy_sgemm.py with the project venv, and prints Markdown tables on stdout
# (the benchmark's own per-run tables go to stderr).
#
#   Benchmarks/kernels.sh                  # threads 1 and 2, 10 timed runs each
#   RUNS=20 THREADS="1 2" Benchmarks/kernels.sh
#   SCRATCH_PATH=.build-bench Benchmarks/kernels.sh   # build elsewhere than .build
#
# OPENBLAS_CORETYPE / OMP_* are left exactly as the environment has them.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-10}
THREADS=${THREADS:-"1 2"}
PYTHON=${PYTHON:-.venv/bin/python}
scratch=()
[[ -n "${SCRATCH_PATH:-}" ]] && scratch=(--scratch-path "$SCRATCH_PATH")

swift build -c release "${scratch[@]}" --product zoo-kernel-bench >&2
bin="$(swift build -c release "${scratch[@]}" --show-bin-path)/zoo-kernel-bench"

results=$(mktemp)
trap 'rm -f "$results"' EXIT
status=0
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

for t in $THREADS; do
    echo "== zoo-kernel-bench --threads $t --runs $RUNS" >&2
    out=$("$bin" --threads "$t" --runs "$RUNS") || status=1
    grep -v '^RESULT' <<<"$out" >&2
    grep '^RESULT' <<<"$out" >>"$results" || true
done

echo "== numpy_sgemm.py --threads ${THREADS// /,} --runs $RUNS" >&2
"$PYTHON" Benchmarks/numpy_sgemm.py --threads "${THREADS// /,}" --runs "$RUNS" >"$results.np" || status=1
grep -v '^RESULT' "$results.np" >&2 || true
grep '^RESULT' "$results.np" >>"$results" || true
rm -f "$results.np"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "Measured $(date -u +%Y-%m-%d) on ${cpu}, $(nproc) cores, $(uname -r);"
echo "OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-(unset)}; load average before ${load_before}, after ${load_after}."
echo "Median of ${RUNS} timed runs after warm-up; % peak is against 262 GFLOP/s per thread."
echo
echo "| kernel | shape | threads | median ms | GFLOP/s | % peak | implementation | layouts (src·wei→dst) | check |"
echo "|---|---|--:|--:|--:|--:|---|---|---|"
awk -F'\t' '{ printf "| %s | %s | %s | %.2f | %.1f | %.1f | %s | %s | %s |\n", $2, $3, $4, $5, $7, $8, $9, $10, $11 }' "$results"

echo
echo "oneDNN / OpenBLAS (GFLOP/s ratio at equal size and threads):"
echo
echo "| size | threads | OpenBLAS GFLOP/s | dnnl_sgemm | matmul | matmul (B any) |"
echo "|---|--:|--:|--:|--:|--:|"
awk -F'\t' '
    { key = $3 SUBSEP $4; g[$2, key] = $7; if (!(key in seen)) { seen[key] = 1; order[n++] = key } }
    END {
        for (i = 0; i < n; i++) {
            key = order[i]; split(key, p, SUBSEP); np = g["numpy matmul", key]
            if (np == "" || g["sgemm", key] == "") continue
            printf "| %s | %s | %.1f | %.2f | %.2f | %.2f |\n", p[1], p[2], np,
                g["sgemm", key] / np, g["matmul", key] / np, g["matmul (B any)", key] / np
        }
    }' "$results"

if grep -q 'FAIL$' "$results"; then status=1; fi
[[ $status -eq 0 ]] || echo "error: a benchmark failed or produced a wrong result (see stderr)" >&2
exit $status

#!/usr/bin/env bash
# Weights loading benchmark: WeightsFile.load on VGG-16-sized random weights (138,357,544
# float32 parameters, 528 MiB) against a plain read() loop of the same file and against h5py,
# plus the gzip-compressed layout. Each measurement runs in its own process so that it
# reports its own peak resident memory. Prints a Markdown table on stdout.
#
#   Benchmarks/weights.sh                          # 5 timed runs each, compressed layout too
#   RUNS=10 COMPRESSED=0 Benchmarks/weights.sh
#   SCRATCH_PATH=.build-bench Benchmarks/weights.sh   # build elsewhere than .build
#   ZOO_WEIGHTS_BENCH=path/to/ZooWeightsBench Benchmarks/weights.sh   # skip the build
#
# The file is read from the page cache (it was just written): the figures are memory and
# page-fault bound, not disk bound.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
COMPRESSED=${COMPRESSED:-1}
PYTHON=${PYTHON:-.venv/bin/python}
bench=${ZOO_WEIGHTS_BENCH:-}
if [[ -z $bench ]]; then
    scratch=()
    [[ -n "${SCRATCH_PATH:-}" ]] && scratch=(--scratch-path "$SCRATCH_PATH")
    swift build -c release "${scratch[@]}" --product ZooWeightsBench >&2
    bench="$(swift build -c release "${scratch[@]}" --show-bin-path)/ZooWeightsBench"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ZooWeightsBench.XXXXXX")
trap 'rm -rf "$work"' EXIT
plain=$work/vgg16.h5
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
{
    "$bench" write "$plain"
    "$bench" read "$plain" --runs "$RUNS"
    "$bench" load "$plain" --runs "$RUNS" --no-verify
    "$bench" load "$plain" --runs "$RUNS"
    "$PYTHON" Benchmarks/h5py_load.py "$plain" --runs "$RUNS"
    if [[ $COMPRESSED == 1 ]]; then
        rm -f "$plain"
        "$bench" write "$work/vgg16-gzip.h5" --compress
        "$bench" load "$work/vgg16-gzip.h5" --runs "$RUNS"
    fi
} | grep '^RESULT' >"$work/results"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "Measured $(date -u +%Y-%m-%d) on ${cpu}, $(nproc) cores, $(uname -r);"
echo "load average before ${load_before}, after ${load_after}. Median of ${RUNS} runs (saves: one run)."
echo
echo "| what | file MiB | median s | best s | MB/s of file | peak RSS MiB |"
echo "|---|--:|--:|--:|--:|--:|"
awk -F'\t' '{ printf "| %s | %s | %.3f | %.3f | %s | %s |\n", $2, $7, $3, $4, $5, $6 }' "$work/results"

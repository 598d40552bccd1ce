#!/bin/sh
# Times the ModelZoo executor (Session) against onnxruntime on the same models, inputs and
# thread counts, in one run; prints Markdown rows (p50 latency and ratio). Not a test.
#   Benchmarks/executor.sh                          # resnet50 vgg16 bert-base, 1 and 2 threads
#   MODELS="resnet18" THREADS="2" RUNS=10 Benchmarks/executor.sh
set -eu
cd "$(dirname "$0")/.."
MODELS=${MODELS:-"resnet50 vgg16 bert-base"}
THREADS=${THREADS:-"1 2"}
RUNS=${RUNS:-20}
SCRATCH_PATH=${SCRATCH_PATH:-.build-bench}
swift build -c release --scratch-path "$SCRATCH_PATH" --product ZooRuntimeBench >&2
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for threads in $THREADS; do
    "$SCRATCH_PATH/release/ZooRuntimeBench" --threads "$threads" --runs "$RUNS" $MODELS
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

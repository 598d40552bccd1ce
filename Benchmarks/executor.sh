#!/bin/sh
# Times the ModelZoo executor (Session) against onnxruntime on the same models, inputs,
# batch sizes and thread counts, alternating blocks of runs of each in one process; prints
# one Markdown table (p50 latency, ratio, GFLOP/s, CPU time, memory). Not a test.
#   Benchmarks/executor.sh                         # every benchmark model, batch 1 and 8, 1 and 2 threads
#   MODELS="resnet50" BATCHES=1 THREADS=2 RUNS=10 Benchmarks/executor.sh
# One process per row, so that each row's peak resident memory is its own.
set -eu
cd "$(dirname "$0")/.."
MODELS=${MODELS:-"lenet5 alexnet vgg16 nin googlenet resnet50 lstm-lm elmo bert-base"}
BATCHES=${BATCHES:-"1 8"}
THREADS=${THREADS:-"1 2"}
RUNS=${RUNS:-12}
ROUNDS=${ROUNDS:-3}
SCRATCH_PATH=${SCRATCH_PATH:-.build-bench}
swift build -c release --scratch-path "$SCRATCH_PATH" --product ZooRuntimeBench >&2
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# A row that fails is listed after the table (its error is on standard error), and the
# script then exits with status 1.
header=yes
failed=""
for threads in $THREADS; do
    for batch in $BATCHES; do
        for model in $MODELS; do
            if rows=$("$SCRATCH_PATH/release/ZooRuntimeBench" --threads "$threads" --batch "$batch" --runs "$RUNS" --rounds "$ROUNDS" "$model"); then
                if [ $header = yes ]; then printf '%s\n' "$rows"; else printf '%s\n' "$rows" | tail -n +3; fi
                header=no
            else
                failed="$failed
  $model, batch $batch, $threads thread(s): exit status $?"
            fi
        done
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$failed" ]; then
    echo "failed rows (see standard error):$failed"
    exit 1
fi

#!/bin/sh
# Times `zoo bench FILE --compare onnxruntime` on full-size ONNX files from torchvision (random
# weights, exported once by Benchmarks/export_torchvision.py with PyTorch), at batch 1 and each
# thread count; prints each run's report (p50/p90, ratio, the outputs' agreement). Not a test.
#   Benchmarks/onnx_models.sh
#   MODELS="mobilenet_v2" THREADS=1 RUNS=50 Benchmarks/onnx_models.sh
# PyTorch is too large for .venv: TORCH_PYTHON names a Python with torch and torchvision;
# without it the script makes .venv-torch from PyPI (torch, torchvision, onnx, onnxscript).
set -eu
cd "$(dirname "$0")/.."
MODELS=${MODELS:-"mobilenet_v2 efficientnet_b0 convnext_tiny vit_b_16"}
THREADS=${THREADS:-"1 2"}
RUNS=${RUNS:-30}
MODELS_DIR=${MODELS_DIR:-.build-bench/onnx-models}
if [ -z "${TORCH_PYTHON:-}" ]; then
    [ -x .venv-torch/bin/python ] || { python3 -m venv .venv-torch && .venv-torch/bin/pip install torch torchvision onnx onnxscript; }
    TORCH_PYTHON=.venv-torch/bin/python
fi
"$TORCH_PYTHON" Benchmarks/export_torchvision.py "$MODELS_DIR" $MODELS >&2
scripts/setup.sh >&2
swift build -c release --product zoo >&2
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
for threads in $THREADS; do
    for model in $MODELS; do
        .build/release/zoo bench "$MODELS_DIR/$model.onnx" --threads "$threads" --runs "$RUNS" --compare onnxruntime || status=1
    done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status

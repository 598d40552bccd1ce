#!/usr/bin/env bash
# The main job on a bundled default: set up what is missing, build the `zoo` tool, then take
# one zoo model (default: resnet18; pass another id as the first argument) through counting,
# ONNX export, re-import, running on our executor, timing against onnxruntime, and a check by
# the independent ONNX tools (onnx.checker and onnxruntime).
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=${1:-resnet18}
OUT=out
mkdir -p "$OUT"

scripts/setup.sh
swift build -c release --product zoo >/dev/null
zoo() { "$(swift build -c release --show-bin-path)/zoo" "$@"; }

echo "== zoo list"
zoo list
echo
echo "== zoo count $MODEL --depth 1"
zoo count "$MODEL" --depth 1
echo
echo "== zoo export $MODEL -o $OUT/$MODEL.onnx"
zoo export "$MODEL" -o "$OUT/$MODEL.onnx"
echo
echo "== zoo inspect $OUT/$MODEL.onnx --summary   (re-import: parse, validate, infer shapes)"
zoo inspect "$OUT/$MODEL.onnx" --summary
echo
echo "== zoo run $OUT/$MODEL.onnx --batch 2   (our executor on the re-imported file)"
zoo run "$OUT/$MODEL.onnx" --batch 2 --top 3 --output "$OUT/$MODEL-outputs"
echo
echo "== zoo bench $MODEL --compare onnxruntime   (same graph, weights and input in both runtimes)"
zoo bench "$MODEL" --runs 10 --compare onnxruntime
echo
echo "== onnx.checker (full check) and onnxruntime on the exported file"
.venv/bin/python Tests/interop/onnx_check.py "$OUT/$MODEL.onnx" batch=2 \
  | .venv/bin/python -c 'import json, sys; r = json.load(sys.stdin); print("checker: ok, opset", r["opset"], "- onnxruntime output shapes for batch 2:", r["output_shapes"])'

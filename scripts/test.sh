#!/usr/bin/env bash
# Sets up whatever is missing (scripts/setup.sh), then runs every check and test:
# the generated protobuf-c code is what the script produces, our onnx.proto matches the
# onnx package's schema field for field, and the Swift test suite (unit, golden, interop
# with onnx/onnxruntime/h5py, bad-input) passes.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
echo "== generated ONNX C code is reproducible"
scripts/generate-onnx-c.sh --check
echo "== Schemas/onnx.proto matches the onnx package"
.venv/bin/python scripts/check_onnx_schema.py
echo "== swift test"
swift build --build-tests
swift test --skip-build

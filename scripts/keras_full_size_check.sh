#!/bin/sh
# The Keras conversion at full size, by hand (not CI): keras.applications' VGG-16, VGG-19 and
# ResNet-50 with random weights, in all three HDF5 layouts (about 3.5 GB, in a temporary
# directory removed afterwards), each converted and compared with Keras's logits.
# Needs a Python with keras 3 and torch: KERAS_PYTHON (default /tmp/fixtures/bin/python).
set -eu
cd "$(dirname "$0")/.."
directory=$(mktemp -d)
trap 'rm -rf "$directory"' EXIT
KERAS_BACKEND=torch "${KERAS_PYTHON:-/tmp/fixtures/bin/python}" Tests/interop/make_keras_fixtures.py --full-size "$directory"
swift build --build-tests
KERAS_FULL_SIZE_FIXTURES="$directory" swift test --skip-build --filter KerasConversionTests.fullSizeModelEqualsKeras

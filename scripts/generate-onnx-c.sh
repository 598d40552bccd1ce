#!/usr/bin/env bash
# Regenerates the protobuf-c bindings for Schemas/onnx.proto:
#   Sources/CONNXProto/onnx.pb-c.c
#   Sources/CONNXProto/include/onnx.pb-c.h   (include/ is the target's public header dir)
#
#   scripts/generate-onnx-c.sh           regenerate in place
#   scripts/generate-onnx-c.sh --check   regenerate into a temp dir and fail if the
#                                        committed files differ
#
# Needs protoc-c (Debian: protobuf-c-compiler). Output is deterministic for a given
# protoc-c version; the committed files were made with EXPECTED_PROTOC_C below.
set -euo pipefail
cd "$(dirname "$0")/.."

EXPECTED_PROTOC_C="protobuf-c 1.4.1"
SCHEMA_DIR=Schemas
SCHEMA=onnx.proto
OUT_DIR=Sources/CONNXProto
C_FILE=onnx.pb-c.c
H_FILE=onnx.pb-c.h

usage() { echo "usage: $0 [--check]" >&2; exit 2; }
check=0
case "${1-}" in
  "") ;;
  --check) check=1 ;;
  -h|--help) usage ;;
  *) usage ;;
esac
(($# <= 1)) || usage

if ! command -v protoc-c >/dev/null 2>&1; then
  echo "generate-onnx-c: protoc-c not found (apt-get install protobuf-c-compiler)" >&2
  exit 1
fi
version=$(protoc-c --version 2>&1 | sed -n 1p)  # sed reads all: no SIGPIPE under pipefail
if [[ $version != "$EXPECTED_PROTOC_C" ]]; then
  echo "generate-onnx-c: warning: found '$version', committed files were generated with" \
       "'$EXPECTED_PROTOC_C'; output may differ" >&2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Run from the schema directory's parent with a relative proto path so that nothing
# machine-specific (absolute paths) ends up in the generated text.
protoc-c --proto_path="$SCHEMA_DIR" --c_out="$tmp" "$SCHEMA_DIR/$SCHEMA"

# protoc-c emits `#include "onnx.pb-c.h"` in the .c file. That resolves unchanged,
# because SwiftPM puts the target's include/ directory on the header search path, so
# the only post-processing is moving the header there.
mkdir -p "$tmp/include"
mv "$tmp/$H_FILE" "$tmp/include/$H_FILE"

if ((check)); then
  status=0
  for f in "$C_FILE" "include/$H_FILE"; do
    if [[ ! -f $OUT_DIR/$f ]]; then
      echo "generate-onnx-c: $OUT_DIR/$f is missing" >&2
      status=1
    elif ! diff -u "$OUT_DIR/$f" "$tmp/$f" >"$tmp/diff" 2>&1; then
      echo "generate-onnx-c: $OUT_DIR/$f is out of date with $SCHEMA_DIR/$SCHEMA:" >&2
      head -n 40 "$tmp/diff" >&2
      status=1
    fi
  done
  if ((status)); then
    echo "generate-onnx-c: run scripts/generate-onnx-c.sh to regenerate" >&2
    exit 1
  fi
  echo "generate-onnx-c: $OUT_DIR is up to date with $SCHEMA_DIR/$SCHEMA"
  exit 0
fi

mkdir -p "$OUT_DIR/include"
cp "$tmp/$C_FILE" "$OUT_DIR/$C_FILE"
cp "$tmp/include/$H_FILE" "$OUT_DIR/include/$H_FILE"
echo "generate-onnx-c: wrote $OUT_DIR/$C_FILE and $OUT_DIR/include/$H_FILE"

#!/usr/bin/env bash
# The export sweep: every zoo model at every opset `zoo export --help` lists, each file
# checked by onnx.checker (full check), run by onnxruntime and compared with our executor on
# the same seeded inputs (batch 2, sequence length 8), and read back by our importer
# (zoo inspect). Too slow for CI (the largest models take minutes per opset); CI covers one
# small configuration per architecture (Tests/ZooConformanceTests/ZooOpsetExportTests.swift).
#
# usage: scripts/check_exports.sh [ID ...]            (default: every id of `zoo list`)
# env:   ZOO (default .build/debug/zoo), OPSETS (default: the range the help lists),
#        CLASSIFIER_OPTIONS (e.g. "--image-size 64 --classes 10" for image classifiers)
# Prints one line per file; exits 1 if any fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
zoo=${ZOO:-$root/.build/debug/zoo}
python=$root/.venv/bin/python
helper=$root/Tests/interop/export_sweep.py
[ -x "$zoo" ] || { echo "no zoo binary at $zoo: run swift build first" >&2; exit 2; }
[ -x "$python" ] || { echo "no Python environment at $python: run scripts/setup.sh first" >&2; exit 2; }

if [ -z "${OPSETS:-}" ]; then
    range=$("$zoo" export --help | tr -s ' \n' ' ' | sed -n 's/.*opset to write (\([0-9]*\) to \([0-9]*\)).*/\1 \2/p')
    [ -n "$range" ] || { echo "zoo export --help names no opset range" >&2; exit 2; }
    OPSETS=$(seq $range)
fi
if [ $# -gt 0 ]; then ids=("$@"); else mapfile -t ids < <("$zoo" list | awk 'NR > 2 { print $1 }'); fi

# Our executor on the zoo graph itself (seed 0, as export's weights), on seeded inputs it
# writes to $work/inputs: the reference every opset's file must match in onnxruntime.
reference_run() {
    "$zoo" export "$id" "${options[@]}" -o "$work/first.onnx" > /dev/null || return 1
    mapfile -t inputs < <("$python" "$helper" inputs "$work/first.onnx" "$work/inputs" 2 8)
    [ ${#inputs[@]} -gt 0 ] || return 1
    local input_options=() pair
    for pair in "${inputs[@]}"; do input_options+=(--input "$pair"); done
    "$zoo" run "$id" "${options[@]}" "${input_options[@]}" --output "$work/ours" > /dev/null || return 1
    rm "$work/first.onnx"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
for id in "${ids[@]}"; do
    options=()
    if "$zoo" list | awk -v id="$id" '$1 == id && /image /' | grep -q .; then
        read -r -a options <<< "${CLASSIFIER_OPTIONS:-}"
    fi
    rm -rf "${work:?}"/*
    mkdir -p "$work/inputs" "$work/ours"
    # A classifier too deep for the smaller image runs at its own size.
    if [ ${#options[@]} -gt 0 ] && ! "$zoo" export "$id" "${options[@]}" -o "$work/first.onnx" > /dev/null 2>&1; then
        echo "$id: at its default image size (refuses ${options[*]})"
        options=()
    fi
    if ! reference_run 2> "$work/error"; then
        echo "$id: no reference run: $(tail -1 "$work/error")"; failures=$((failures + 1)); continue
    fi
    for opset in $OPSETS; do
        file="$work/$id.$opset.onnx"
        if ! result=$("$zoo" export "$id" "${options[@]}" --opset "$opset" -o "$file" 2>&1 > /dev/null); then
            echo "$id opset $opset: export failed: $result"; failures=$((failures + 1)); continue
        fi
        if ! result=$("$python" "$helper" check "$work/ours" "${inputs[@]}" "$file" 2> /dev/null); then
            echo "$id opset $opset: ${result#*: }"; failures=$((failures + 1)); rm -f "$file"; continue
        fi
        if ! imported=$("$zoo" inspect "$file" 2>&1 > /dev/null); then
            echo "$id opset $opset: our importer refuses it: $imported"; failures=$((failures + 1)); rm -f "$file"; continue
        fi
        echo "$id opset $opset: ${result#*: }"
        rm -f "$file"
    done
done
echo "$failures failure(s)"
[ "$failures" -eq 0 ]

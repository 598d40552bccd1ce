#!/usr/bin/env bash
# Regenerates the node-suite conformance table, Tests/Conformance/node-suite.tsv (per case:
# operator, our outcome and its reason, onnxruntime's outcome) and node-suite.md (totals and
# a summary by operator): every case of the installed onnx package's node-test suite with
# tensor inputs and outputs, run by our runner (Tests/ZooConformanceRunner: passed, wrong,
# refused with its reason, error, crash, hang) and by onnxruntime on this machine.
# CI (Tests/ZooConformanceTests/NodeSuiteTests.swift) runs the suite again and fails when the
# table is out of date: whoever makes more cases pass runs this and commits the table.
#
# usage: scripts/conformance.sh        (after swift build --build-tests)
# env:   RUNNER (default .build/debug/ZooConformanceRunner)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
runner=${RUNNER:-$root/.build/debug/ZooConformanceRunner}
python=$root/.venv/bin/python
suite=$root/Tests/interop/node_suite.py
table=$root/Tests/Conformance
[ -x "$runner" ] || { echo "no runner at $runner: run swift build --build-tests first" >&2; exit 2; }
[ -x "$python" ] || { echo "no Python environment at $python: run scripts/setup.sh first" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "cases: $("$python" "$suite" generate "$work/cases")"
"$python" "$suite" onnxruntime "$work/cases" > "$work/onnxruntime.tsv"
"$runner" "$work/cases" > "$work/zoo.tsv"
"$python" "$suite" table "$work/cases" "$work/zoo.tsv" "$work/onnxruntime.tsv" "$table/node-suite.tsv" "$table/node-suite.md"
grep '^Cases:' "$table/node-suite.md"

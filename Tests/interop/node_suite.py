"""The ONNX backend node-test suite of the installed onnx package, every case with tensor
inputs and outputs (not only the operators we claim), for the conformance runner
(scripts/conformance.sh, Tests/ZooConformanceTests/NodeSuiteTests.swift).

usage:
  node_suite.py generate OUT_DIR [CASE ... | --ops OP_TYPE ...]
      Writes each case (or the named ones, or those whose nodes are all of the given types) as onnx's `backend-test-tools generate-data` lays it out
      (OUT_DIR/<case>/model.onnx, OUT_DIR/<case>/test_data_set_N/{input,output}_M.pb) and
      Beside model.onnx, a case with inputs gets model_no_inputs.onnx and, with several,
      model_first_input_only.onnx: the model with all (or all but the first) inputs as initializers holding
      the first data set's values, examples for ops whose operands must be constants here.
      Also OUT_DIR/cases.tsv: case, operator under test, rtol, atol; and OUT_DIR/operators.txt:
      every operator of the default domain the onnx package defines. Prints the case count.
  node_suite.py onnxruntime CASES_DIR
      Runs every case with onnxruntime (CPU) and prints `case<TAB>passed` or
      `case<TAB>failed<TAB>reason`, judged as the runner judges ours: same dtype and shape,
      values within the case's rtol and atol (NaN equal to NaN).
  node_suite.py table CASES_DIR OURS_TSV ONNXRUNTIME_TSV OUT_TSV OUT_MD
      Writes the per-case table (OUT_TSV) and the summary by operator (OUT_MD) from the
      runner's outcomes and onnxruntime's; ONNXRUNTIME_TSV may be a previous OUT_TSV, whose
      onnxruntime column is then reused.
"""
import collections
import os
import re
import sys
import warnings

import numpy as np
import onnx
from onnx import TensorProto, defs, numpy_helper

CASES_FILE = "cases.tsv"
# Absolute tolerances raised above a case's own where its reference carries rounding noise
# larger than that tolerance, for every runtime judged (ours and onnxruntime alike). DFT:
# the references are numpy's single-precision (complex64) FFTs, whose exactly-zero bins
# (the imaginary part of a real signal's DC and Nyquist bins) hold float32 rounding of the
# sums, up to 2e-6 in the inverse cases, against the default atol of 1e-7.
REFERENCE_NOISE_ATOL = {"DFT": 1e-5}
# The same for single cases. test_attention_4d_causal_fp16_expanded: its reference runs
# Softmax in float16 steps (exp, sum, divide each rounded to half); the correctly rounded
# softmax (onnxruntime's and ours, checked on the graph's intermediate values) differs by one
# half ulp, which the following MatMul carries to 2 ulps (4.9e-4) at 0.47, above rtol 1e-3.
REFERENCE_NOISE_CASE_ATOL = {"test_attention_4d_causal_fp16_expanded": 5e-4}
OUTCOMES = ["passed", "wrong", "refused", "error", "crash", "hang"]


def generate(out, *names):
    from onnx.backend.test.case import node as node_cases

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the case definitions' own numpy overflow warnings
        cases = [case for case in node_cases.collect_testcases(None) if has_tensor_values(case.model.graph)]
    if names[:1] == ("--ops",):
        chosen = [case for case in cases if {node.op_type for node in case.model.graph.node} <= set(names[1:])]
    else:
        chosen = [case for case in cases if case.name in names] if names else cases
    single_ops = {case.name: operator_of(case.model.graph.node[0])
                  for case in cases if len(case.model.graph.node) == 1}
    rows = []
    for case in chosen:
        # An `_expanded` case is the function body of the operator its base case tests.
        operator = single_ops.get(case.name) or single_ops[re.sub(r"_expanded.*", "", case.name)]
        write_case(os.path.join(out, case.name), case)
        atol = max(case.atol, REFERENCE_NOISE_ATOL.get(operator, 0), REFERENCE_NOISE_CASE_ATOL.get(case.name, 0))
        rows.append(f"{case.name}\t{operator}\t{case.rtol!r}\t{atol!r}\n")
    with open(os.path.join(out, CASES_FILE), "w") as f:
        f.writelines(sorted(rows))
    with open(os.path.join(out, "operators.txt"), "w") as f:
        f.writelines(f"{name}\n" for name in sorted({schema.name for schema in defs.get_all_schemas_with_history()
                                                     if schema.domain in ("", "ai.onnx")}))
    print(len(rows))


def has_tensor_values(graph):
    return all(v.type.HasField("tensor_type") for v in list(graph.input) + list(graph.output))


def operator_of(node):
    return f"{node.domain}.{node.op_type}" if node.domain not in ("", "ai.onnx") else node.op_type


def write_case(directory, case):
    graph = case.model.graph
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "model.onnx"), "wb") as f:
        f.write(case.model.SerializeToString())
    for kept, variant in ((1, "model_first_input_only.onnx"), (0, "model_no_inputs.onnx")):
        if len(graph.input) > kept and (kept == 0 or len(graph.input) > 1):
            with open(os.path.join(directory, variant), "wb") as f:
                f.write(with_constant_inputs(case.model, case.data_sets[0][0], kept).SerializeToString())
    for index, (inputs, outputs) in enumerate(case.data_sets):
        data = os.path.join(directory, f"test_data_set_{index}")
        os.makedirs(data, exist_ok=True)
        for position, value in enumerate(inputs):
            write_tensor(os.path.join(data, f"input_{position}.pb"), value, graph.input[position].name)
        for position, value in enumerate(outputs):
            write_tensor(os.path.join(data, f"output_{position}.pb"), value, graph.output[position].name)


def with_constant_inputs(model, values, kept):
    """The model with its inputs after the first `kept` as initializers of the given values."""
    variant = onnx.ModelProto()
    variant.CopyFrom(model)
    graph = variant.graph
    for value_info, value in list(zip(graph.input, values))[kept:]:
        graph.initializer.append(as_tensor(value, value_info.name))
    del graph.input[kept:]
    return variant


def as_tensor(value, name):
    if isinstance(value, TensorProto):
        tensor = TensorProto()
        tensor.CopyFrom(value)
        tensor.name = name
        return tensor
    return numpy_helper.from_array(value, name)


def write_tensor(path, value, name):
    tensor = as_tensor(value, name)
    with open(path, "wb") as f:
        f.write(tensor.SerializeToString())


def read_cases(cases_dir):
    with open(os.path.join(cases_dir, CASES_FILE)) as f:
        return [line.rstrip("\n").split("\t") for line in f]


def read_tensor(path):
    with open(path, "rb") as f:
        return numpy_helper.to_array(TensorProto.FromString(f.read()))


def onnxruntime_outcomes(cases_dir):
    import onnxruntime

    onnxruntime.set_default_logger_severity(4)
    for name, _, rtol, atol in read_cases(cases_dir):
        directory = os.path.join(cases_dir, name)
        try:
            problem = run_onnxruntime(onnxruntime, directory, float(rtol), float(atol))
        except Exception as error:  # onnxruntime refuses or fails: the case fails
            problem = one_line(f"{type(error).__name__}: {error}".replace(directory + "/", ""))
        print(f"{name}\tpassed" if problem is None else f"{name}\tfailed\t{problem}", flush=True)


def run_onnxruntime(onnxruntime, directory, rtol, atol):
    session = onnxruntime.InferenceSession(os.path.join(directory, "model.onnx"), providers=["CPUExecutionProvider"])
    for data in sorted(d for d in os.listdir(directory) if d.startswith("test_data_set_")):
        path = os.path.join(directory, data)
        feeds = {value.name: read_tensor(os.path.join(path, f"input_{index}.pb"))
                 for index, value in enumerate(session.get_inputs())}
        for index, actual in enumerate(session.run(None, feeds)):
            expected = read_tensor(os.path.join(path, f"output_{index}.pb"))
            problem = mismatch(np.asarray(actual), expected, rtol, atol)
            if problem:
                return f"{data} output {index}: {problem}"
    return None


def mismatch(actual, expected, rtol, atol):
    if actual.dtype != expected.dtype:
        return f"dtype {actual.dtype} vs expected {expected.dtype}"
    if actual.shape != expected.shape:
        return f"shape {list(actual.shape)} vs expected {list(expected.shape)}"
    if expected.dtype == object:
        return None if np.array_equal(actual, expected) else "values differ"
    try:
        np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)
    except AssertionError:
        return "values differ beyond the tolerance"
    return None


def one_line(text):
    return " ".join(text.split())[:300]


def read_outcomes(path):
    """case → (outcome, detail) from the runner's TSV, or a previous table's onnxruntime column."""
    outcomes = {}
    with open(path) as f:
        lines = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    if lines and lines[0][0] == "case":  # a table: its onnxruntime columns
        return {row[0]: (row[4], row[5] if len(row) > 5 else "") for row in lines[1:]}
    for row in lines:
        outcomes[row[0]] = (row[1], row[2] if len(row) > 2 else "")
    return outcomes


def table(cases_dir, ours_path, onnxruntime_path, out_tsv, out_md):
    cases = read_cases(cases_dir)
    ours, theirs = read_outcomes(ours_path), read_outcomes(onnxruntime_path)
    rows = []
    for name, operator, _, _ in cases:
        outcome, detail = ours.get(name, ("missing", "the runner reported nothing for this case"))
        rows.append((name, operator, outcome, detail) + theirs.get(name, ("unknown", "")))
    with open(out_tsv, "w") as f:
        f.write("case\toperator\tzoo\tdetail\tonnxruntime\tonnxruntime detail\n")
        f.writelines("\t".join(row) + "\n" for row in rows)
    with open(out_md, "w") as f:
        f.write(summary(rows))


def summary(rows):
    count = collections.Counter(row[2] for row in rows)
    ort_passed = sum(row[4] == "passed" for row in rows)
    lines = [
        "# ONNX node-test suite: ModelZoo and onnxruntime",
        "",
        "Every case of the installed onnx package's node-test suite with tensor inputs and outputs, run",
        "by our importer and executor and by onnxruntime (CPU) on the same machine, each judged against",
        "the case's reference outputs (same dtype and shape, values within the case's rtol and atol).",
        "Generated by `scripts/conformance.sh`; per case in `node-suite.tsv`. CI",
        "(Tests/ZooConformanceTests/NodeSuiteTests.swift) fails on a wrong output, an unexpected error,",
        "a crash or hang, a case that passes here and no longer does, and a table out of date with the run.",
        "",
        f"Cases: {len(rows)}. ModelZoo: " + ", ".join(f"{count[o]} {o}" for o in OUTCOMES)
        + f". onnxruntime: {ort_passed} passed.",
        "",
        "| operator | cases | zoo passed | onnxruntime passed | zoo refused: reasons | zoo wrong, error, crash, hang |",
        "|---|---|---|---|---|---|",
    ]
    by_operator = collections.defaultdict(list)
    for row in rows:
        by_operator[row[1]].append(row)
    for operator in sorted(by_operator):
        group = by_operator[operator]
        refusals = collections.Counter(refusal_reason(row[3]) for row in group if row[2] == "refused")
        reasons = "; ".join(f"{n}× {reason}" if n > 1 else reason for reason, n in
                            sorted(refusals.items(), key=lambda item: (-item[1], item[0])))
        failures = sum(row[2] not in ("passed", "refused") for row in group)
        lines.append(f"| {operator} | {len(group)} | {sum(row[2] == 'passed' for row in group)} "
                     f"| {sum(row[4] == 'passed' for row in group)} | {escape(reasons)} | {failures or ''} |")
    return "\n".join(lines) + "\n"


def refusal_reason(detail):
    """A refusal's reason without the opset, so that the cases of one operator group."""
    return re.sub(r" \(opset \d+\)", "", detail)


def escape(text):
    return text.replace("|", "\\|")


if __name__ == "__main__":
    command, arguments = sys.argv[1], sys.argv[2:]
    {"generate": generate, "onnxruntime": onnxruntime_outcomes, "table": table}[command](*arguments)

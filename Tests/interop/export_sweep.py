"""Helper of scripts/check_exports.sh.

usage: export_sweep.py inputs MODEL.onnx DIR BATCH SEQ
         writes seeded inputs for every graph input as DIR/<name>.npy (integer inputs in
         {0, 1}: valid token ids, type ids and masks) and prints NAME=PATH arguments;
       export_sweep.py check OURS_DIR NAME=INPUT.npy ... MODEL.onnx ...
         for each model: onnx.checker (full check), then onnxruntime on the inputs, every
         output compared with OURS_DIR/<output name>.npy (our executor's): same dtype and
         shape, integers exactly, floats element by element within
         |ours - theirs| <= ATOL + RTOL * |theirs| + SCALE * max|theirs| (NaN where theirs
         is NaN). Each output of a deep network is a sum of terms as large as the output's
         scale, so float32 summation order moves it in proportion to that scale, not to its
         own size: ResNet-50 at 64 px (logits up to 1337) gave -1.5833 here and -1.5837 in
         onnxruntime, whose own two optimisation levels differ by 1.1e-3 on that file.
         SCALE = 1e-5 is ten times that disagreement (8e-7 of the scale); ATOL = 1e-4
         covers near-zero outputs of BERT-large's 24 layers (up to ~3e-5 observed).
         Prints one line per model; exits 1, the failures on stderr, if any fails.
"""
import sys

import numpy as np
import onnx
import onnxruntime
from output_file import output_file

RTOL = 1e-4
ATOL = 1e-4
SCALE = 1e-5


def make_inputs(path, directory, batch, seq):
    model = onnx.load(path, load_external_data=False)
    initializers = {tensor.name for tensor in model.graph.initializer}
    rng = np.random.default_rng(9)
    for graph_input in model.graph.input:
        if graph_input.name in initializers:
            continue
        tensor_type = graph_input.type.tensor_type
        sizes = {"batch": int(batch), "seq": int(seq)}
        shape = [d.dim_value if d.HasField("dim_value") else sizes[d.dim_param] for d in tensor_type.shape.dim]
        dtype = onnx.helper.tensor_dtype_to_np_dtype(tensor_type.elem_type)
        if np.issubdtype(dtype, np.integer):
            value = rng.integers(0, 2, size=shape).astype(dtype)
        else:
            value = rng.standard_normal(shape).astype(dtype)
        target = f"{directory}/{graph_input.name}.npy"
        np.save(target, value)
        print(f"{graph_input.name}={target}")


def problems_of(path, ours_directory, feeds):
    try:
        onnx.checker.check_model(path, full_check=True)
        session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
        names = [output.name for output in session.get_outputs()]
        results = session.run(names, feeds)
    except Exception as error:  # the reference tools' refusal is the finding
        return [f"{type(error).__name__}: {error}".splitlines()[0]], 0
    problems = []
    for name, theirs in zip(names, results):
        ours = np.load(output_file(ours_directory, name))
        if ours.dtype != theirs.dtype or ours.shape != theirs.shape:
            problems.append(f"{name}: ours {ours.dtype}{list(ours.shape)}, onnxruntime {theirs.dtype}{list(theirs.shape)}")
            continue
        if not np.issubdtype(theirs.dtype, np.floating):
            differing = ours != theirs
        else:
            reference = theirs.astype(np.float64)
            difference = np.abs(ours.astype(np.float64) - reference)
            allowed = ATOL + RTOL * np.abs(reference) + SCALE * np.nanmax(np.abs(reference), initial=0)
            differing = ~((difference <= allowed) | (np.isnan(ours) & np.isnan(theirs)))
        if differing.any():
            worst = np.unravel_index(np.argmax(differing), differing.shape)
            problems.append(f"{name}: {int(differing.sum())} elements differ; first at {[int(i) for i in worst]} "
                            f"ours {ours[worst]}, onnxruntime {theirs[worst]} (atol {ATOL}, rtol {RTOL}, {SCALE} of max|theirs|)")
    return problems, len(names)


def check(ours_directory, arguments):
    feeds = {name: np.load(value) for name, value in (arg.split("=", 1) for arg in arguments if "=" in arg)}
    failed = False
    for path in (arg for arg in arguments if "=" not in arg):
        problems, count = problems_of(path, ours_directory, feeds)
        line = f"{path}: " + ("DIFFERS " + "; ".join(problems) if problems else f"ok ({count} outputs)")
        print(line)
        if problems:
            print(line, file=sys.stderr)
            failed = True
    sys.exit(1 if failed else 0)


if sys.argv[1] == "inputs":
    make_inputs(*sys.argv[2:6])
else:
    check(sys.argv[2], sys.argv[3:])

"""onnxruntime side of the executor benchmark: a worker that keeps one session open so the
Swift benchmark can alternate blocks of its own runs with blocks of onnxruntime runs under
the same machine load.

usage: ort_bench.py MODEL.onnx OUTPUT_DIR THREADS NAME=INPUT.npy ...

Creates the session (CPU, ORT_ENABLE_ALL, intra_op_num_threads = THREADS, one inter-op
thread), runs 3 warm-ups, writes the outputs as OUTPUT_DIR/output_<i>.npy and prints
{"outputs": [names]}. Then, for every line "run N" on standard input, times N runs and
prints {"samples_ms": [...], "cpu_ms": [...]} (wall and process CPU time per run; CPU time
is the fairer measure while other work competes for the cores); ends at end of input.
"""
import json
import sys
import time

import numpy as np
import onnxruntime

model, output_dir, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
feeds = {name: np.load(path) for name, path in (arg.split("=", 1) for arg in sys.argv[4:])}
options = onnxruntime.SessionOptions()
options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
options.intra_op_num_threads = threads
options.inter_op_num_threads = 1
session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
names = [output.name for output in session.get_outputs()]
for _ in range(3):
    outputs = session.run(names, feeds)
for index, value in enumerate(outputs):
    np.save(f"{output_dir}/output_{index}.npy", np.ascontiguousarray(value))
print(json.dumps({"outputs": names}), flush=True)

for line in sys.stdin:
    command, count = line.split()
    assert command == "run", f"unknown command {command!r}"
    samples, cpu = [], []
    for _ in range(int(count)):
        start, start_cpu = time.perf_counter(), time.process_time()
        session.run(names, feeds)
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    print(json.dumps({"samples_ms": samples, "cpu_ms": cpu}), flush=True)

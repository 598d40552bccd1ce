"""Times onnxruntime (CPU, ORT_ENABLE_ALL) on one model: 3 warm-up runs, then RUNS timed
runs at THREADS intra-op threads; writes the outputs as OUTPUT_DIR/output_<i>.npy and prints
{"p50_ms": ..., "p90_ms": ..., "outputs": [names]}.

usage: ort_bench.py MODEL.onnx OUTPUT_DIR THREADS RUNS NAME=INPUT.npy ...
"""
import json
import sys
import time

import numpy as np
import onnxruntime

model, output_dir, threads, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
feeds = {name: np.load(path) for name, path in (arg.split("=", 1) for arg in sys.argv[5:])}
options = onnxruntime.SessionOptions()
options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
options.intra_op_num_threads = threads
options.inter_op_num_threads = 1
session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
names = [output.name for output in session.get_outputs()]
for _ in range(3):
    outputs = session.run(names, feeds)
samples = []
for _ in range(runs):
    start = time.perf_counter()
    session.run(names, feeds)
    samples.append((time.perf_counter() - start) * 1000)
for index, value in enumerate(outputs):
    np.save(f"{output_dir}/output_{index}.npy", np.ascontiguousarray(value))
print(json.dumps({"p50_ms": float(np.median(samples)), "p90_ms": float(np.percentile(samples, 90)), "outputs": names}))

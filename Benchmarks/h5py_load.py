"""Loads every dataset of a weights file into numpy arrays with h5py, the reference peer
for ZooWeightsBench's load figures, and prints the same RESULT line:

  RESULT <what> <median seconds> <best seconds> <MB/s at the median> <peak RSS MiB> <file MiB>

usage: h5py_load.py FILE [--runs N]
"""
import argparse
import os
import resource
import time

import h5py


def load(path):
    arrays = {}
    with h5py.File(path, "r") as file:
        file.visititems(lambda name, item: arrays.__setitem__(name, item[()]) if isinstance(item, h5py.Dataset) else None)
    return arrays


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args()
    times = []
    for _ in range(arguments.runs):
        start = time.perf_counter()
        arrays = load(arguments.file)
        times.append(time.perf_counter() - start)
        del arrays
    times.sort()
    median = times[len(times) // 2]
    size = os.path.getsize(arguments.file)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"RESULT\th5py {h5py.version.version} (HDF5 {h5py.version.hdf5_version})\t{median:.4f}\t{times[0]:.4f}\t"
          f"{size / median / 1e6:.0f}\t{peak:.0f}\t{size / 1048576:.1f}")


main()

"""Rebuilds a full-size torch.save checkpoint byte for byte without torch, for CI.

    regenerate_checkpoint.py NAME OUT_DIR

make_pytorch_checkpoints.py let torch.save write NAME.pth from seeded parameters and kept
everything of the file except the storages' bytes: the zip headers, data.pkl, byteorder,
version and the other small entries, in Tests/Fixtures/checkpoints/NAME.skeleton, with
NAME.json saying where each storage's bytes go and which parameter they are. This script
draws the same parameters from the same seed (seeded_state_dict.py), puts each one's bytes
back in its place, and checks the SHA-256 of the result against the one torch's file had.
It also writes the seeded input image as NAME_image.npy. Prints the path of the checkpoint.
"""
import hashlib
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from seeded_state_dict import seeded_image, seeded_parameters  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(HERE), "Fixtures", "checkpoints")


def main(name, out_dir):
    with open(os.path.join(FIXTURES, name + ".json")) as file:
        recipe = json.load(file)
    with open(os.path.join(FIXTURES, name + ".skeleton"), "rb") as file:
        skeleton = file.read()
    parameters = seeded_parameters(recipe["parameters"], recipe["seed"])
    pieces, taken = [], 0
    for hole in recipe["storages"]:
        pieces.append(skeleton[taken:taken + hole["skeleton_offset"] - taken])
        taken = hole["skeleton_offset"]
        data = np.ascontiguousarray(parameters[hole["parameter"]]).tobytes()
        assert len(data) == hole["byte_count"], (hole, len(data))
        pieces.append(data)
    pieces.append(skeleton[taken:])
    contents = b"".join(pieces)
    digest = hashlib.sha256(contents).hexdigest()
    if digest != recipe["sha256"]:
        sys.exit(f"{name}: rebuilt file has SHA-256 {digest}, torch's had {recipe['sha256']}")
    path = os.path.join(out_dir, name + ".pth")
    with open(path, "wb") as file:
        file.write(contents)
    np.save(os.path.join(out_dir, name + "_image.npy"), seeded_image(recipe["image_shape"], recipe["image_seed"]))
    print(path)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

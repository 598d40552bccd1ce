"""The parameters of a full-size torchvision classifier drawn from a seeded numpy generator,
shared by make_pytorch_checkpoints.py (which loads them into torchvision and lets torch.save
write the checkpoint) and regenerate_checkpoint.py (which rebuilds that file byte for byte
without torch, so CI can test full-size checkpoints that are too large to commit).

Convolution and linear weights are He-scaled normals, BatchNorm statistics and affine
parameters are near their identity values, so activations stay of order 1 through the network.
"""
import numpy as np


def seeded_parameters(names_and_shapes, seed):
    """{name: array} for [(name, shape, dtype string)] in order, drawn from one generator."""
    generator = np.random.Generator(np.random.PCG64(seed))
    parameters = {}
    for name, shape, dtype in names_and_shapes:
        shape = tuple(shape)
        leaf = name.rsplit(".", 1)[-1]
        if dtype == "int64":   # num_batches_tracked
            parameters[name] = np.zeros(shape, dtype=np.int64)
        elif leaf == "running_var" or (leaf == "weight" and len(shape) == 1):
            parameters[name] = generator.uniform(0.5, 1.5, size=shape).astype(np.float32)
        elif leaf in ("bias", "running_mean"):
            parameters[name] = (0.1 * generator.standard_normal(size=shape)).astype(np.float32)
        else:
            fan_in = int(np.prod(shape[1:]))
            parameters[name] = (generator.standard_normal(size=shape) * np.sqrt(2.0 / fan_in)).astype(np.float32)
    return parameters


def seeded_image(shape, seed):
    """A float32 input image batch from its own seed."""
    return np.random.Generator(np.random.PCG64(seed)).standard_normal(size=shape).astype(np.float32)

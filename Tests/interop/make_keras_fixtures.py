"""Writes the Keras fixtures in Tests/Fixtures/keras: Keras Applications' VGG-16, VGG-19 and
ResNet-50 with random weights (BatchNormalization statistics made non-trivial), each saved
the three ways Keras files come, plus Keras's own output on a seeded channels-last input.

    /tmp/fixtures/bin/pip install keras==3.15.1          # with torch already in that venv
    KERAS_BACKEND=torch /tmp/fixtures/bin/python Tests/interop/make_keras_fixtures.py [--full-size] [OUT_DIR]

Per model NAME:
    NAME.weights.h5   Keras 3 `model.save_weights` (`layers/<class>/vars/<i>`)
    NAME_legacy.h5    the Keras 2 / Keras Applications weights-only layout (root `layer_names`,
                      per-layer `weight_names`), written by Keras's own legacy HDF5 code
    NAME_model.h5     the legacy full-model file (the same under `model_weights`, plus the config;
                      not for the small VGG-19)
    vgg16_keras2.h5   vgg16_legacy.h5 as Keras 2 itself wrote the layout (Keras Applications'
                      downloads): fixed-length byte-string arrays and TensorFlow variable names
                      (`block1_conv1/kernel:0`); Keras 3 no longer writes these, so it is rewritten
                      here with h5py, datasets unchanged
    resnet50-keras_unnamed.weights.h5
                      the Keras 3 file as Keras 3.0 wrote it: no layer names, addressed by class
                      and position
    NAME_input.npy    float16 [1, H, W, 3], channels last, as Keras takes it (widened to float32)
    NAME_output.npy   Keras's logits (classifier_activation=None), float32 [1, classes]

The committed fixtures are small: the same layer names and structure at reduced width
(VGG keeps its 7x7 grid before Flatten, so the classifier's row permutation is exercised;
ResNet-50 keeps Keras's own `stack_residual_blocks_v1` and 64-channel stem). `--full-size`
writes the real keras.applications models (VGG-16/19, ResNet-50/101/152; VGG-16 is 528 MB) for
a manual check; never commit those.
"""
import os
import shutil
import sys

os.environ.setdefault("KERAS_BACKEND", "torch")
import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers  # noqa: E402
from keras.src.applications import resnet  # noqa: E402
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
arguments = [a for a in sys.argv[1:] if a != "--full-size"]
FULL_SIZE = "--full-size" in sys.argv
OUT = arguments[0] if arguments else os.path.join(ROOT, "Tests", "Fixtures", "keras")


def vgg(name, convolutions_per_block, widths, hidden, classes):
    """keras.applications.vgg16/vgg19's functional model, layer for layer and name for name,
    at the given widths."""
    inputs = keras.Input((224, 224, 3))
    x = inputs
    for block, (count, width) in enumerate(zip(convolutions_per_block, widths), start=1):
        for index in range(1, count + 1):
            x = layers.Conv2D(width, (3, 3), activation="relu", padding="same", name=f"block{block}_conv{index}")(x)
        x = layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(hidden, activation="relu", name="fc1")(x)
    x = layers.Dense(hidden, activation="relu", name="fc2")(x)
    x = layers.Dense(classes, activation=None, name="predictions")(x)
    return keras.Model(inputs, x, name=name)


def resnet50(width, classes, size):
    """keras.applications.ResNet50 through Keras's own `ResNet` and `stack_residual_blocks_v1`,
    with stage widths width, 2·width, 4·width, 8·width (64 in Keras Applications)."""
    def stack_fn(x):
        x = resnet.stack_residual_blocks_v1(x, width, 3, stride1=1, name="conv2")
        x = resnet.stack_residual_blocks_v1(x, width * 2, 4, name="conv3")
        x = resnet.stack_residual_blocks_v1(x, width * 4, 6, name="conv4")
        return resnet.stack_residual_blocks_v1(x, width * 8, 3, name="conv5")
    return resnet.ResNet(stack_fn, False, True, weights=None, input_shape=(size, size, 3), classes=classes,
                         classifier_activation=None, name="resnet50")


def randomise(model, rng):
    """Random weights everywhere; BatchNormalization's moving statistics away from 0 and 1 so
    that a swapped mean/variance shows, and a quarter of its channels with a variance near 0
    (and a gamma small enough to keep activations in range) so that epsilon matters: 1e-5
    instead of Keras's 1.001e-5 then moves those channels by about 5e-4."""
    for layer in model.layers:
        values = []
        near_zero = None
        for variable in layer.weights:
            shape = tuple(variable.shape)
            if isinstance(layer, layers.BatchNormalization) and near_zero is None:
                near_zero = rng.uniform(size=shape) < 0.25
            if variable.path.endswith("moving_variance"):
                values.append(np.where(near_zero, rng.uniform(0.0, 1e-7, shape), rng.uniform(0.5, 2.0, shape)))
            elif variable.path.endswith("moving_mean"):
                values.append(rng.normal(0.0, 0.2, shape))
            elif variable.path.endswith("gamma"):
                values.append(np.where(near_zero, rng.uniform(0.002, 0.005, shape), rng.uniform(0.5, 1.5, shape)))
            elif len(shape) >= 2:
                fan_in = int(np.prod(shape[:-1]))
                values.append(rng.normal(0.0, np.sqrt(2.0 / fan_in), shape))
            else:
                values.append(rng.normal(0.0, 0.1, shape))
        layer.set_weights([v.astype(np.float32) for v in values])


def save(model, name, size, rng, full_model=True):
    model.save_weights(os.path.join(OUT, f"{name}.weights.h5"))
    with h5py.File(os.path.join(OUT, f"{name}_legacy.h5"), "w") as file:
        legacy_h5_format.save_weights_to_hdf5_group(file, model)
    if full_model:
        legacy_h5_format.save_model_to_hdf5(model, os.path.join(OUT, f"{name}_model.h5"), include_optimizer=False)
    # float16 values (stored as such, half the bytes) that Keras and the tests both widen to float32.
    image = rng.uniform(-1.0, 1.0, (1, size, size, 3)).astype(np.float16)
    output = keras.ops.convert_to_numpy(model(image.astype(np.float32), training=False)).astype(np.float32)
    np.save(os.path.join(OUT, f"{name}_input.npy"), image)
    np.save(os.path.join(OUT, f"{name}_output.npy"), output)
    print(f"{name}: output {output.shape}, max |output| {np.abs(output).max():.4g}")


def keras2_layout(source, destination):
    """Keras 2's `save_weights_to_hdf5_group`: `np.asarray` of encoded names gives `S` arrays;
    weights are named `<layer>/<variable>:0`; a layer without weights gets an empty float64 array."""
    with h5py.File(source, "r") as legacy, h5py.File(destination, "w") as file:
        names = [n.decode() if isinstance(n, bytes) else n for n in legacy.attrs["layer_names"]]
        file.attrs["layer_names"] = np.asarray([n.encode("utf8") for n in names])
        file.attrs["backend"] = b"tensorflow"
        file.attrs["keras_version"] = b"2.15.0"
        for name in names:
            group = file.create_group(name)
            weight_names = []
            for old in legacy[name].attrs["weight_names"]:
                old = old.decode() if isinstance(old, bytes) else old
                new = f"{name}/{old.rsplit('/', 1)[-1]}:0"
                group.create_dataset(new, data=legacy[name][old][()])
                weight_names.append(new.encode("utf8"))
            group.attrs["weight_names"] = np.asarray(weight_names)


def unnamed_keras3(source, destination):
    """Keras 3.0's `.weights.h5`: the same groups (`layers/conv2d_3/vars`), in the same model
    layer order, without the `name` attributes later releases add (checked with keras 3.0.5:
    its ResNet50 file has the same group names and `model.layers` order as 3.15's). Keras then
    loads by class and position, and so must we."""
    shutil.copyfile(source, destination)
    with h5py.File(destination, "r+") as file:
        def strip(_, group):
            if isinstance(group, h5py.Group) and "name" in group.attrs:
                del group.attrs["name"]
        file.visititems(strip)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(13)
    if FULL_SIZE:
        models = [
            ("vgg16", keras.applications.VGG16(weights=None, classifier_activation=None), 224),
            ("vgg19", keras.applications.VGG19(weights=None, classifier_activation=None), 224),
            ("resnet50-keras", keras.applications.ResNet50(weights=None, classifier_activation=None), 224),
            ("resnet101-keras", keras.applications.ResNet101(weights=None, classifier_activation=None), 224),
            ("resnet152-keras", keras.applications.ResNet152(weights=None, classifier_activation=None), 224),
        ]
    else:
        models = [
            ("vgg16", vgg("vgg16", [2, 2, 3, 3, 3], [4, 8, 8, 16, 16], hidden=32, classes=10), 224),
            ("vgg19", vgg("vgg19", [2, 2, 4, 4, 4], [4, 8, 8, 16, 16], hidden=32, classes=10), 224),
            ("resnet50-keras", resnet50(width=4, classes=10, size=64), 64),
        ]
    for name, model, size in models:
        randomise(model, rng)
        # The small VGG-19 adds only its block structure; the full-model layout is covered by the others.
        save(model, name, size, rng, full_model=FULL_SIZE or name != "vgg19")
    keras2_layout(os.path.join(OUT, "vgg16_legacy.h5"), os.path.join(OUT, "vgg16_keras2.h5"))
    unnamed_keras3(os.path.join(OUT, "resnet50-keras.weights.h5"), os.path.join(OUT, "resnet50-keras_unnamed.weights.h5"))


if __name__ == "__main__":
    main()

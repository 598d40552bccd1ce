"""Adds Keras Applications' ImageNet weights to the zoo's manifests, from keras's own source
(URL and MD5 of each include_top file in keras/src/applications/*.py): a `keras-imagenet`
variant of vgg16 and vgg19 (after make_torchvision_manifests.py has written them), and the
manifests of resnet50-keras, resnet101-keras and resnet152-keras.

    /tmp/fixtures/bin/python make_keras_manifests.py ZOO_BINARY ZOO_DIR

Keras's source publishes no accuracy for these weights, so the variants list no metrics.
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "torch")  # the fixtures venv has torch, not tensorflow
import keras  # noqa: E402
from keras.src.applications import resnet, vgg16, vgg19  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_torchvision_manifests import zoo_facts  # noqa: E402

VERSION = keras.__version__
KERAS_CAFFE = {"color": "bgr", "resize": {"height": 224, "width": 224, "filter": "nearest"}, "divide_by": 1,
               "mean": [103.939, 116.779, 123.68]}
STEPS = ["keras.utils.load_img(target_size=(224, 224)): Pillow's nearest-neighbour resize of the whole picture to 224x224",
         "keras.applications.imagenet_utils.preprocess_input in caffe mode: RGB to BGR, ImageNet's per-channel mean "
         "(103.939, 116.779, 123.68) subtracted, no scaling; channels first for the zoo's graph",
         "the logits' argmax is the ImageNet-1K class (../labels/imagenet-1k.txt)"]
LICENSE_NOTE = ("keras's source (Apache-2.0) states no licence for the weights files it downloads, hence NOASSERTION")


def vgg_md5(module):
    """The file_hash VGG16/VGG19 pass to get_file with WEIGHTS_PATH: a literal in the
    function's source, next to the URL."""
    text = open(module.__file__).read()
    return text[text.index("WEIGHTS_PATH,\n"):].split('file_hash="', 1)[1].split('"', 1)[0]


def keras_variant(model_id, url, md5, application):
    file = url.rsplit("/", 1)[1]
    return {
        "name": "keras-imagenet",
        "file": "keras_imagenet.h5",
        "download": {"url": url, "file": file, "md5": md5},
        "image": KERAS_CAFFE,
        "dtype": "float32",
        "license": "NOASSERTION",
        "source": {
            "origin": f"Keras Applications (keras {VERSION}), keras.applications.{application}(weights='imagenet', "
                      f"include_top=True); {LICENSE_NOTE}",
            "conversion": f"zoo fetch {model_id} --variant keras-imagenet: downloads {file}, checks its MD5 against {md5} "
                          "(the only hash keras publishes), and converts the Keras HDF5 weights with ModelZoo's Keras "
                          "conversion (kernels transposed to our layout; the first dense layer's rows reordered from "
                          "Keras's (H, W, C) flatten order to ours), values unchanged",
        },
        "metrics": [],
    }


def main(zoo, zoo_dir):
    for model_id, module, application in [("vgg16", vgg16, "VGG16"), ("vgg19", vgg19, "VGG19")]:
        path = os.path.join(zoo_dir, model_id, "manifest.json")
        manifest = json.load(open(path))
        manifest["weights"] = [item for item in manifest["weights"] if item["name"] != "keras-imagenet"]
        manifest["summary"] += "; Keras Applications' weights as variant keras-imagenet"
        manifest["weights"].append(keras_variant(model_id, module.WEIGHTS_PATH, vgg_md5(module), application))
        with open(path, "w") as file:
            file.write(json.dumps(manifest, indent=2) + "\n")
        with open(os.path.join(zoo_dir, model_id, "README.md"), "a") as file:
            file.write(f"\n**Keras variant** `keras-imagenet`: Keras Applications' {application} weights "
                       f"({module.WEIGHTS_PATH}), checked by the MD5 keras publishes, preprocessed as Keras does "
                       "(`keras-caffe`: nearest resize to 224x224, BGR, mean subtracted); keras publishes no accuracy in "
                       f"its source. {LICENSE_NOTE}.\n")
        print(model_id)
    for depth in (50, 101, 152):
        model_id, name = f"resnet{depth}-keras", f"resnet{depth}"
        url = f"{resnet.BASE_WEIGHTS_PATH}{name}_weights_tf_dim_ordering_tf_kernels.h5"
        config, inputs, outputs, count = zoo_facts(zoo, model_id)
        manifest = {
            "$schema": "../../Schemas/zoo-manifest.schema.json",
            "id": model_id,
            "summary": f"ResNet-{depth} as Keras Applications builds it, with Keras's ImageNet-1K weights; downloaded and "
                       "converted by zoo fetch",
            "architecture": {"id": model_id, "config": config},
            "inputs": inputs,
            "outputs": outputs,
            "preprocessing": {"steps": STEPS, "labels": "../labels/imagenet-1k.txt", "image": KERAS_CAFFE},
            "complexity": {"symbols": {"batch": 1}, "parameters": count["parameters"], "macs": count["macs"]},
            "weights": [keras_variant(model_id, url, resnet.WEIGHTS_HASHES[name][0], f"ResNet{depth}")],
        }
        manifest["weights"][0]["name"] = "imagenet"
        del manifest["weights"][0]["image"]
        os.makedirs(os.path.join(zoo_dir, model_id), exist_ok=True)
        with open(os.path.join(zoo_dir, model_id, "manifest.json"), "w") as file:
            file.write(json.dumps(manifest, indent=2) + "\n")
        with open(os.path.join(zoo_dir, model_id, "README.md"), "w") as file:
            file.write(f"# {model_id}: Keras Applications' ImageNet-1K weights\n\n"
                       f"The zoo's `{model_id}` architecture (Keras's ResNet v1 layout) with the weights of "
                       f"`keras.applications.ResNet{depth}(weights='imagenet')`. `zoo fetch {model_id}` downloads "
                       f"[{url.rsplit('/', 1)[1]}]({url}), checks its MD5 `{resnet.WEIGHTS_HASHES[name][0]}` (the only hash "
                       "keras publishes: weaker than a SHA-256, and nothing pins the converted file) and converts it into "
                       "the cache. No golden outputs; keras's source publishes no accuracy, so none is stated.\n\n"
                       "**Preprocessing**: `keras-caffe` (Pillow nearest resize to 224x224, BGR, ImageNet mean subtracted). "
                       "Labels: `../labels/imagenet-1k.txt`.\n\n"
                       f"**Licence**: {LICENSE_NOTE}.\n\nMade by `Tests/interop/make_keras_manifests.py`.\n")
        print(model_id)


if __name__ == "__main__":
    main(*sys.argv[1:])

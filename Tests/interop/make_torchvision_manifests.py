"""Writes Zoo/<id>/manifest.json and README.md for the zoo models torchvision publishes
ImageNet weights for, from torchvision's own weight enums (URL, SHA-256 prefix in the file
name, parameter count, accuracy, file size, evaluation transform) and ModelZoo's own
description of each architecture (configuration, inputs and outputs, counts), which the
given `zoo` binary prints.

    /tmp/fixtures/bin/python make_torchvision_manifests.py ZOO_BINARY ZOO_DIR [ID ...]

Needs torchvision (imported without its C++ operators, as make_world_fixtures.py does).
With IDs, only those manifests are written. torchvision builds GoogLeNet for its pretrained
weights with transform_input=True (it rescales its normalised input inside forward), so
googlenet's manifest sets the zoo's `transformInput` (PUBLISHER_OPTIONS); its checkpoint's
auxiliary classifiers are set aside by the conversion.
"""
import os
import re
import sys
import types

sys.modules["torchvision._meta_registrations"] = types.ModuleType("torchvision._meta_registrations")
import torchvision  # noqa: E402
import torchvision.models as models  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from zoo_facts import write_manifest, zoo_facts  # noqa: E402

# zoo id -> torchvision weights enum
MODELS = {
    "resnet18": models.ResNet18_Weights, "resnet34": models.ResNet34_Weights, "resnet50": models.ResNet50_Weights,
    "resnet101": models.ResNet101_Weights, "resnet152": models.ResNet152_Weights, "alexnet": models.AlexNet_Weights,
    "vgg11": models.VGG11_Weights, "vgg13": models.VGG13_Weights, "vgg16": models.VGG16_Weights, "vgg19": models.VGG19_Weights,
    "vgg11-bn": models.VGG11_BN_Weights, "vgg13-bn": models.VGG13_BN_Weights, "vgg16-bn": models.VGG16_BN_Weights,
    "vgg19-bn": models.VGG19_BN_Weights, "googlenet": models.GoogLeNet_Weights,
}
# Configuration torchvision sets when it builds a model for these weights, beyond the
# registry's (torchvision's own defaults without weights).
PUBLISHER_OPTIONS = {"googlenet": {"transformInput": True}}
# What the conversion sets aside, for the manifest's description of it.
MODEL_NOTES = {"googlenet": [
    "**Input transform.** torchvision builds GoogLeNet for these weights with `transform_input=True`: inside its "
    "forward it turns each ImageNet-normalised channel back into the [-1, 1] range the weights were trained on, "
    "x·(σ/0.5) + (μ − 0.5)/0.5. The manifest's configuration sets the zoo's `transformInput`, which does the same, so "
    "the input is prepared as for every torchvision model. The checkpoint's auxiliary classifiers (aux1, aux2; "
    "training only) are set aside by the conversion, counted in one line.", ""]}
SET_ASIDE = {"googlenet": "; the auxiliary classifiers aux1 and aux2 (training only, absent from the zoo's model) are set aside"}
# Only ImageNet classifiers: VGG-16's IMAGENET1K_FEATURES (SSD's backbone, other
# normalisation, no classifier accuracy) is not one.
RECIPES = ("IMAGENET1K_V1", "IMAGENET1K_V2")
VERSION = torchvision.__version__.split("+")[0]
LICENSE_NOTE = ("torchvision's code is BSD-3-Clause; torchvision publishes these weights as trained by it on ImageNet-1K "
                "and states no separate licence for them (https://github.com/pytorch/vision/blob/main/LICENSE; "
                "ImageNet's terms: https://image-net.org/download), hence NOASSERTION")


def image_recipe(weights):
    transform = weights.transforms()
    return {
        "color": "rgb",
        "resize": {"shorter_side": transform.resize_size[0], "filter": "bilinear"},
        "center_crop": {"height": transform.crop_size[0], "width": transform.crop_size[0]},
        "divide_by": 255,
        "mean": list(transform.mean),
        "std": list(transform.std),
    }


def variant(model_id, enum_name, weights):
    url = weights.url
    file = url.rsplit("/", 1)[1]
    prefix = re.search(r"-([0-9a-f]{8,})\.pth$", file).group(1)
    metrics = weights.meta["_metrics"]["ImageNet-1K"]
    recipe = weights.meta["recipe"]
    measured = f"torchvision {VERSION} (published in {type(weights).__name__}.{enum_name}.meta; not measured by ModelZoo)"
    dataset = "ImageNet-1K validation set (50,000 images), torchvision's evaluation transform of this recipe"
    return {
        "name": enum_name.lower().replace("_", "-"),
        "file": f"{enum_name.lower()}.h5",
        "download": {"url": url, "file": file, "sha256_prefix": prefix,
                     "approximate_megabytes": weights.meta["_file_size"]},
        "image": image_recipe(weights),
        "dtype": "float32",
        "license": "NOASSERTION",
        "source": {
            "origin": f"torchvision {VERSION}, {type(weights).__name__}.{enum_name}: trained by torchvision on ImageNet-1K "
                      f"(recipe: {recipe}); {LICENSE_NOTE}",
            "conversion": f"zoo fetch {model_id}: downloads {file}, checks that its SHA-256 begins with {prefix} (the only "
                          "hash torchvision publishes, in the file name; its size is published only approximately, so none "
                          "is pinned), reads the PyTorch checkpoint (a state_dict) with ModelZoo's checkpoint reader and "
                          "writes its tensors, values unchanged, by torchvision's parameter names into a zoo HDF5 file"
                          + SET_ASIDE.get(model_id, ""),
        },
        "metrics": [
            {"name": "top-1 accuracy", "value": round(metrics["acc@1"] / 100, 5), "dataset": dataset, "measured_with": measured},
            {"name": "top-5 accuracy", "value": round(metrics["acc@5"] / 100, 5), "dataset": dataset, "measured_with": measured},
        ],
        "_num_params": weights.meta["num_params"],
    }


def manifest(zoo, model_id, enum):
    # torchvision's DEFAULT first: it is the zoo's default variant too.
    names = [name for name in RECIPES if name in enum.__members__]
    names.sort(key=lambda name: enum[name] is not enum.DEFAULT)
    variants = [variant(model_id, name, enum[name]) for name in names]
    config, inputs, outputs, count = zoo_facts(zoo, model_id)
    config.update(PUBLISHER_OPTIONS.get(model_id, {}))
    for item in variants:
        assert item.pop("_num_params") == count["parameters"], (model_id, count)
    default_image = variants[0].pop("image")
    for item in variants[1:]:
        if item["image"] == default_image:
            del item["image"]
    crop = default_image["center_crop"]["height"]
    other = "".join(f" ({item['name']}: {item['image']['resize']['shorter_side']})" for item in variants[1:] if "image" in item)
    return {
        "$schema": "../../Schemas/zoo-manifest.schema.json",
        "id": model_id,
        "summary": f"{model_id} with torchvision's ImageNet-1K weights ({', '.join(item['name'] for item in variants)}); "
                   "downloaded from download.pytorch.org and converted by zoo fetch",
        "architecture": {"id": model_id, "config": config},
        "inputs": inputs,
        "outputs": outputs,
        "preprocessing": {
            "steps": [
                f"torchvision's ImageClassification transform on a PIL image: bilinear Resize of the shorter side to "
                f"{default_image['resize']['shorter_side']}{other}, CenterCrop "
                f"{crop}, scaled to 0..1, normalised with ImageNet's mean and std",
                "shape [batch, 3, 224, 224], float32, RGB; the logits' argmax is the ImageNet-1K class (../labels/imagenet-1k.txt)",
            ],
            "labels": "../labels/imagenet-1k.txt",
            "image": default_image,
        },
        "complexity": {"symbols": {"batch": 1}, "parameters": count["parameters"], "macs": count["macs"]},
        "weights": variants,
    }


def model_card(manifest):
    lines = [f"# {manifest['id']}: torchvision's ImageNet-1K weights", "",
             f"The zoo's `{manifest['id']}` architecture with the ImageNet-1K classifier weights that torchvision {VERSION} "
             "publishes. Nothing ships with the zoo: `zoo fetch` downloads torchvision's PyTorch checkpoint, checks it and "
             "converts it into the cache.", "",
             "| variant | file | SHA-256 begins | about | top-1 | top-5 | resize → crop |", "|---|---|---|---|---|---|---|"]
    for item in manifest["weights"]:
        image = item.get("image", manifest["preprocessing"]["image"])
        top1, top5 = (metric["value"] for metric in item["metrics"])
        lines.append(f"| {item['name']} | [{item['download']['file']}]({item['download']['url']}) | "
                     f"`{item['download']['sha256_prefix']}` | {item['download']['approximate_megabytes']} MB | "
                     f"{top1:.2%} | {top5:.2%} | {image['resize']['shorter_side']} → {image['center_crop']['height']} |")
    lines += ["",
              "The first variant is the default (torchvision's `DEFAULT`); choose another with `--variant`.", ""]
    lines += MODEL_NOTES.get(manifest["id"], [])
    lines += [
              "**Checking.** torchvision publishes no full SHA-256, only its first 8 hex digits in the file name, and the "
              "file size only approximately in MB. `zoo fetch` therefore checks that the downloaded file's SHA-256 *begins* "
              "with those digits (a prefix check, weaker than a full hash) and pins no byte size; the converted zoo file is "
              "not pinned either, since nobody could convert it before writing this manifest. There are no golden outputs.", "",
              "**Accuracy** as torchvision publishes it (ImageNet-1K validation, torchvision's own evaluation); ModelZoo has "
              "not measured it.", "",
              "**Preprocessing**: `torchvision-imagenet` (Pillow bilinear resize of the shorter side, centre crop 224, "
              "ImageNet mean/std); torchvision's V2 recipes resize to 232 instead of 256, and the manifest says so per variant. "
              "Labels: `../labels/imagenet-1k.txt`.", "",
              f"**Licence**: {LICENSE_NOTE}.", "",
              "Made by `Tests/interop/make_torchvision_manifests.py` from torchvision's weight enums.", ""]
    return "\n".join(lines)


def main(zoo, zoo_dir, *only):
    for model_id, enum in MODELS.items():
        if only and model_id not in only:
            continue
        item = manifest(zoo, model_id, enum)
        write_manifest(zoo_dir, item, model_card(item))


if __name__ == "__main__":
    main(*sys.argv[1:])

"""Writes Zoo/labels/imagenet-1k.txt: the 1000 ImageNet-1k class names in class index order,
one per line, as torchvision publishes them with its pretrained weights
(torchvision/models/_meta.py, `_IMAGENET_CATEGORIES`, read as data without importing
torchvision). Run once by hand in a venv with torchvision (see make_world_fixtures.py):

    /tmp/fixtures/bin/python Tests/interop/make_imagenet_labels.py
"""
import ast
import importlib.util
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    meta = os.path.join(os.path.dirname(importlib.util.find_spec("torchvision").origin), "models", "_meta.py")
    with open(meta) as file:
        module = ast.parse(file.read())
    names = next(ast.literal_eval(node.value) for node in module.body
                 if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "_IMAGENET_CATEGORIES")
    assert len(names) == 1000 and len(set(names)) == 1000 and all(name and "\n" not in name for name in names)
    with open(os.path.join(ROOT, "Zoo", "labels", "imagenet-1k.txt"), "w") as file:
        file.write("\n".join(names) + "\n")


if __name__ == "__main__":
    main()

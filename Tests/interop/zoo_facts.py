"""What the zoo binary says of a model, for the manifest scripts: its configuration, inputs
and outputs (`zoo info`) and its counts at the default input sizes (`zoo count`); and how
those scripts write a model's manifest and card."""
import json
import os
import re
import subprocess


def zoo_facts(zoo, model_id):
    """Configuration, inputs/outputs and counts at batch 1, as the zoo binary prints them."""
    info = subprocess.run([zoo, "info", model_id], check=True, capture_output=True, text=True).stdout
    config = json.loads(re.search(r"^configuration: (\{.*?^\})", info, re.S | re.M).group(1))
    def specs(kind):
        found = re.findall(rf"^{kind}\s+(\S+): (\w+)\[([^\]]*)\]", info, re.M)
        return [{"name": name, "dtype": dtype,
                 "shape": [int(dim) if dim.strip().isdigit() else dim.strip() for dim in dims.split(",")]}
                for name, dtype, dims in found]
    total = json.loads(subprocess.run([zoo, "count", model_id, "--format", "json"], check=True,
                                      capture_output=True, text=True).stdout)["total"]
    return config, specs("input"), specs("output"), {"parameters": total["trainable_parameters"], "macs": total["macs"]}


def write_manifest(zoo_dir, item, card):
    """Writes Zoo/<id>/manifest.json and its README.md model card."""
    os.makedirs(os.path.join(zoo_dir, item["id"]), exist_ok=True)
    with open(os.path.join(zoo_dir, item["id"], "manifest.json"), "w") as file:
        file.write(json.dumps(item, indent=2) + "\n")
    with open(os.path.join(zoo_dir, item["id"], "README.md"), "w") as file:
        file.write(card)
    print(item["id"])

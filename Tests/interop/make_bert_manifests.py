"""Writes Zoo/<id>/manifest.json and README.md for the zoo's BERTs whose Google weights Hugging
Face publishes as safetensors, from the facts below (read from the publishers' own pages, cited
per model) and ModelZoo's own description of each architecture (`zoo info`, `zoo count`).

    .venv/bin/python Tests/interop/make_bert_manifests.py ZOO_BINARY ZOO_DIR

Only files whose whole SHA-256 the publisher's page shows are listed, pinned by it in full.
Not listed, and why (see the helper's report for what was searched):
- bert-tiny, bert-mini, bert-small (google/bert_uncased_L-{2,4}_H-*): the SHA-256s found are
  of their pytorch_model.bin files uploaded in March 2020, before torch.save's zip format
  (PyTorch 1.6), which ModelZoo's checkpoint reader refuses; no model.safetensors hash was found.
- bert-medium (google/bert_uncased_L-8_H-512_A-8): no SHA-256 of any of its weights files was found.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from zoo_facts import write_manifest, zoo_facts  # noqa: E402

MODELS = {
    "bert-base": {
        "repository": "google-bert/bert-base-uncased",
        "url": "https://huggingface.co/google-bert/bert-base-uncased/resolve/1dbc166cf8765166998eff31ade2eb64c8a40076/model.safetensors",
        "sha256": "68d45e234eb4a928074dfd868cead0219ab85354cc53d20e772753c6bb9169d3",
        "megabytes": 440,
        "page": "https://huggingface.co/google-bert/bert-base-uncased/blob/1dbc166cf8765166998eff31ade2eb64c8a40076/model.safetensors",
        "paper": "Devlin et al. 2018, BERT-Base uncased",
    },
    "bert-large": {
        "repository": "google-bert/bert-large-uncased",
        "url": "https://huggingface.co/google-bert/bert-large-uncased/resolve/main/model.safetensors",
        "sha256": "28349a5c57338d0dca591bb95de533897c2399095c69d61e09604b46f444a4c4",
        "megabytes": 1340,
        "page": "https://huggingface.co/google-bert/bert-large-uncased/blob/refs%2Fpr%2F3/model.safetensors "
                "(added by 'Adding safetensors variant of this model (#1)')",
        "paper": "Devlin et al. 2018, BERT-Large uncased",
    },
}
LICENSE = "Apache-2.0"


def manifest(zoo, model_id, facts):
    config, inputs, outputs, count = zoo_facts(zoo, model_id)
    repository = facts["repository"]
    return {
        "$schema": "../../Schemas/zoo-manifest.schema.json",
        "id": model_id,
        "summary": f"{model_id} with Google's pretrained weights ({facts['paper']}), as Hugging Face's {repository} "
                   "publishes them in safetensors; downloaded and converted by zoo fetch",
        "architecture": {"id": model_id, "config": config},
        "inputs": inputs,
        "outputs": outputs,
        "preprocessing": {
            "steps": [
                f"BERT uncased WordPiece tokenisation with {repository}'s vocab.txt (not shipped with the zoo): "
                "[CLS] text [SEP], at most 512 tokens",
                "a batch is padded with [PAD] (id 0); attention_mask is 1 for tokens and 0 for padding; "
                "token_type_ids are 0 for the first segment and 1 for the second",
            ],
        },
        "complexity": {"symbols": {"batch": 1, "seq": 128}, "parameters": count["parameters"], "macs": count["macs"]},
        "weights": [{
            "name": "google-uncased",
            "file": "google_uncased.h5",
            "download": {"url": facts["url"], "file": "model.safetensors", "sha256_prefix": facts["sha256"],
                         "approximate_megabytes": facts["megabytes"]},
            "dtype": "float32",
            "license": LICENSE,
            "source": {
                "origin": f"Google's pretrained BERT ({facts['paper']}; github.com/google-research/bert, Apache 2.0), "
                          f"converted to PyTorch and published by Hugging Face as {repository} (licence tag apache-2.0); "
                          f"the whole SHA-256 as its page shows it: {facts['page']}",
                "conversion": f"zoo fetch {model_id}: downloads model.safetensors, checks its whole SHA-256, removes the "
                              "'bert.' prefix of the BertForPreTraining names (and reads LayerNorm's gamma/beta as weight/bias), "
                              "sets aside the pre-training heads cls.* and the position_ids buffer, and writes the encoder's "
                              "tensors, values unchanged, into a zoo HDF5 file",
            },
            "metrics": [],
        }],
    }


def model_card(item):
    variant = item["weights"][0]
    download = variant["download"]
    return "\n".join([
        f"# {item['id']}: Google's pretrained BERT", "",
        item["summary"] + ".", "",
        f"`zoo fetch {item['id']}` downloads [{download['file']}]({download['url']}) (about {download['approximate_megabytes']} MB), "
        f"checks that its SHA-256 is `{download['sha256_prefix']}` (the whole hash, as the publisher's page shows it), "
        "and converts it into the cache; the converted file's own SHA-256 is recorded beside it then and checked on every load.", "",
        "No accuracy is stated: these are pre-trained encoders, evaluated by the publisher only after fine-tuning. "
        "The tokenizer's vocabulary is not shipped; the outputs are the encoder's `last_hidden_state` and `pooler_output`.", "",
        f"**Licence**: {variant['license']}.", "",
        "Made by `Tests/interop/make_bert_manifests.py`.", ""])


def main(zoo, zoo_dir):
    for model_id, facts in MODELS.items():
        item = manifest(zoo, model_id, facts)
        write_manifest(zoo_dir, item, model_card(item))


if __name__ == "__main__":
    main(*sys.argv[1:])

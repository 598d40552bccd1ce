"""Adds to Tests/Fixtures/world the fixtures of issue 12's runtime shapes: models whose ONNX
graphs compute shapes from tensor sizes and inputs while they run. Same conventions and
helpers as make_world_fixtures.py (random seeded weights, shrunk, PyTorch's own outputs at two
input sizes); run once by hand with the same environment:

    /tmp/fixtures/bin/python Tests/interop/make_runtime_shape_fixtures.py [OUT_DIR]

- shufflenet_v2: torchvision ShuffleNet v2, whose channel shuffle reshapes to a target built
  from the tensor's runtime batch size (Shape → Gather → Concat → Reshape), batch dynamic.
- deberta_v2: Hugging Face DeBERTa-v2, whose relative-position buckets and attention masks
  are built from the runtime sequence length and mask, batch and sequence dynamic.
"""
import torch
import transformers

from make_world_fixtures import CLASS_COUNT, export_classifier, export_encoder, models


def small_shufflenet_v2():
    """ShuffleNet v2 with one block per stage and widths 8-16-32-64, 128 at the head."""
    return models.ShuffleNetV2(stages_repeats=[1, 1, 1], stages_out_channels=[8, 16, 32, 64, 128],
                               num_classes=CLASS_COUNT)


def main():
    export_classifier("shufflenet_v2", small_shufflenet_v2, 64, ("torchscript", 17))
    export_encoder("deberta_v2", transformers.DebertaV2Model,
                   transformers.DebertaV2Config(vocab_size=500, hidden_size=32, num_hidden_layers=2,
                                                num_attention_heads=2, intermediate_size=64,
                                                max_position_embeddings=64, relative_attention=True,
                                                position_buckets=16, max_relative_positions=32,
                                                pos_att_type=["p2c", "c2p"]),
                   input_names=("input_ids", "attention_mask", "token_type_ids"))
    print(f"torch {torch.__version__}, transformers {transformers.__version__}")


if __name__ == "__main__":
    main()

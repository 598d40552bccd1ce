"""Writes the ONNX fixtures in Tests/Fixtures/world: files made by real exporters from models
outside the zoo's nine (torchvision classifiers, Hugging Face encoders and decoders), random
weights, shrunk in width and depth where the model's configuration allows, each with PyTorch's
own outputs at two input sizes.

Run once by hand (the tests only read what it wrote; torch is far too large for .venv):

    python3 -m venv /tmp/fixtures
    /tmp/fixtures/bin/pip install --find-links /opt/wheels torch==2.13.0+cpu transformers numpy onnx onnxscript
    /tmp/fixtures/bin/pip download --no-deps torchvision==0.28.0 -d /tmp/wheels
    /tmp/fixtures/bin/pip install --no-deps /tmp/wheels/torchvision-0.28.0-*.whl
    /tmp/fixtures/bin/python Tests/interop/make_world_fixtures.py [OUT_DIR]

torchvision's PyPI wheel carries C++ operators (nms, roi_align) built for PyPI's CUDA torch,
which do not load into the CPU build; only their fake-tensor registrations fail at import, and
no classifier uses them, so the script skips that module (see `import_torchvision`).
"""
import os
import sys
import types
from functools import partial

import torch
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "Tests", "Fixtures", "world")
CLASS_COUNT = 10


def import_torchvision():
    """torchvision.models, without the module registering fake kernels for torchvision's C++
    operators, which are absent from the CPU build of torch."""
    sys.modules["torchvision._meta_registrations"] = types.ModuleType("torchvision._meta_registrations")
    import torchvision.models
    return torchvision.models


# Before transformers, which imports torchvision when it is installed.
models = import_torchvision()
import transformers  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_pytorch_fixtures import BATCH, calibrate_batch_norm, export  # noqa: E402


def seeded(shape, seed):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed))


def export_classifier(name, make_model, image_size, exporter=("torchscript", 17)):
    """A classifier at batch 2 (test_data_set_0) and batch 1 (test_data_set_1)."""
    torch.manual_seed(0)
    model = make_model()
    calibrate_batch_norm(model, seeded((8, 3, image_size, image_size), 2))
    model.eval()
    kind, opset = exporter
    export(name, model, {"images": (seeded((2, 3, image_size, image_size), 1), {0: BATCH})},
           {"logits": {0: "batch"}}, dynamo=kind == "dynamo", opset=opset,
           more_inputs=[(seeded((1, 3, image_size, image_size), 3),)], out=OUT)


def small_inception_v3():
    """torchvision's Inception v3 with every convolution's width divided by 16 (all of its
    widths are multiples of 16), no auxiliary classifier."""
    from torchvision.models import inception
    full_width_conv = inception.BasicConv2d

    class NarrowConv(full_width_conv):
        def __init__(self, in_channels, out_channels, **kwargs):
            super().__init__(in_channels if in_channels == 3 else in_channels // 16, out_channels // 16, **kwargs)

    inception.BasicConv2d = NarrowConv
    try:
        model = inception.Inception3(num_classes=CLASS_COUNT, aux_logits=False, init_weights=True)
    finally:
        inception.BasicConv2d = full_width_conv
    model.fc = nn.Linear(2048 // 16, CLASS_COUNT)
    return model


def small_squeezenet():
    """torchvision's SqueezeNet 1.1 with every Fire module's widths divided by 4."""
    from torchvision.models import squeezenet
    full_width_fire = squeezenet.Fire

    class NarrowFire(full_width_fire):
        def __init__(self, inplanes, squeeze, expand1x1, expand3x3):
            super().__init__(inplanes if inplanes == 64 else inplanes // 4, squeeze // 4, expand1x1 // 4, expand3x3 // 4)

    squeezenet.Fire = NarrowFire
    try:
        model = squeezenet.SqueezeNet(version="1_1", num_classes=CLASS_COUNT)
    finally:
        squeezenet.Fire = full_width_fire
    # The first Fire module reads the stem's 64 channels; the classifier reads 512 / 4.
    model.features[0] = nn.Conv2d(3, 64, kernel_size=3, stride=2)
    model.classifier[1] = nn.Conv2d(512 // 4, CLASS_COUNT, kernel_size=1)
    return model


def small_resnext():
    """torchvision's ResNeXt (grouped bottlenecks, 4 groups of width 4 at the first stage),
    one block per stage, stage widths divided by 8."""
    from torchvision.models import resnet

    class NarrowResNet(resnet.ResNet):
        def _make_layer(self, block, planes, blocks, stride=1, dilate=False):
            return super()._make_layer(block, planes // 8, blocks, stride, dilate)

    model = NarrowResNet(resnet.Bottleneck, [1, 1, 1, 1], num_classes=CLASS_COUNT, groups=4, width_per_group=32)
    model.fc = nn.Linear(512 // 8 * resnet.Bottleneck.expansion, CLASS_COUNT)
    return model


def small_efficientnet():
    from torchvision.models import efficientnet
    setting, last_channel = efficientnet._efficientnet_conf("efficientnet_b0", width_mult=0.25, depth_mult=0.34)
    return efficientnet.EfficientNet(setting, dropout=0.2, num_classes=CLASS_COUNT, last_channel=last_channel)


def small_regnet():
    from torchvision.models import regnet
    params = regnet.BlockParams.from_init_params(depth=4, w_0=8, w_a=8.0, w_m=2.0, group_width=8, se_ratio=0.25)
    return regnet.RegNet(params, num_classes=CLASS_COUNT, stem_width=8)


def small_convnext():
    from torchvision.models import convnext
    stages = [convnext.CNBlockConfig(8, 16, 1), convnext.CNBlockConfig(16, 32, 1),
              convnext.CNBlockConfig(32, 64, 2), convnext.CNBlockConfig(64, None, 1)]
    return convnext.ConvNeXt(stages, stochastic_depth_prob=0.0, layer_scale=0.5, num_classes=CLASS_COUNT)


def small_vit():
    from torchvision.models import vision_transformer
    return vision_transformer.VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=2,
                                                hidden_dim=32, mlp_dim=64, num_classes=CLASS_COUNT)


def small_swin():
    from torchvision.models import swin_transformer
    return swin_transformer.SwinTransformer(patch_size=[4, 4], embed_dim=16, depths=[2, 2], num_heads=[1, 2],
                                            window_size=[4, 4], stochastic_depth_prob=0.0, num_classes=CLASS_COUNT)


def perturbed(model):
    """Hugging Face initialises biases to 0 and LayerNorm scales to 1, and exporters merge
    equal initializers into one; perturbed, every parameter is distinct and matters."""
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(0.02 * torch.randn_like(parameter))
    return model.eval()


class TupleOutputs(nn.Module):
    """A Hugging Face model called with exactly the exported inputs by keyword, returning the
    named fields as a tuple (the TorchScript exporter passes arguments positionally)."""

    def __init__(self, model, input_names, output_names, **fixed):
        super().__init__()
        self.model, self.input_names, self.output_names, self.fixed = model, input_names, output_names, fixed

    def forward(self, *inputs):
        output = self.model(**dict(zip(self.input_names, inputs)), **self.fixed)
        return tuple(output[name] for name in self.output_names)


SEQ = torch.export.Dim("seq", max=64)


def text_inputs(vocabulary, names, batch, length, seed):
    """Token ids, and for the second sequence of a batch an attention mask padded after 5."""
    generator = torch.Generator().manual_seed(seed)
    tensors = {"input_ids": torch.randint(0, vocabulary, (batch, length), generator=generator)}
    mask = torch.ones(batch, length, dtype=torch.int64)
    if batch > 1:
        mask[1, 5:] = 0
    tensors["attention_mask"] = mask
    tensors["token_type_ids"] = torch.zeros(batch, length, dtype=torch.int64)
    return tuple(tensors[name] for name in names)


def export_encoder(name, model_class, config, input_names=("input_ids", "attention_mask"),
                   outputs=("last_hidden_state",), exporter=("torchscript", 17)):
    """An encoder at batch 2 × 7 tokens and batch 1 × 11 tokens."""
    torch.manual_seed(0)
    model = TupleOutputs(perturbed(model_class(config)), list(input_names), list(outputs))
    vocabulary = config.vocab_size
    first = text_inputs(vocabulary, input_names, 2, 7, 1)
    second = text_inputs(vocabulary, input_names, 1, 11, 2)
    axes = {0: BATCH, 1: SEQ}
    output_axes = {n: ({0: "batch", 1: "seq"} if n != "pooler_output" else {0: "batch"}) for n in outputs}
    kind, opset = exporter
    export(name, model, {n: (t, axes) for n, t in zip(input_names, first)}, output_axes,
           dynamo=kind == "dynamo", opset=opset, more_inputs=[second], out=OUT)


def export_gpt2_with_past(name):
    """GPT-2 given the keys and values of 5 earlier tokens, returning logits for 3 new tokens
    and the cache extended by them (present), as a generation step runs it."""
    torch.manual_seed(0)
    config = transformers.GPT2Config(vocab_size=500, n_positions=64, n_embd=32, n_layer=2, n_head=2)
    model = perturbed(transformers.GPT2LMHeadModel(config))
    layers, heads, head_size = config.n_layer, config.n_head, config.n_embd // config.n_head

    class Step(nn.Module):
        def __init__(self):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, *past):
            cache = transformers.DynamicCache(config=config)
            for layer in range(layers):
                cache.update(past[2 * layer], past[2 * layer + 1], layer)
            output = self.model(input_ids=input_ids, attention_mask=attention_mask, past_key_values=cache,
                                use_cache=True)
            present = [tensor for layer in output.past_key_values.layers for tensor in (layer.keys, layer.values)]
            return (output.logits, *present)

    def inputs(batch, past_length, new_length, seed):
        generator = torch.Generator().manual_seed(seed)
        ids = torch.randint(0, config.vocab_size, (batch, new_length), generator=generator)
        mask = torch.ones(batch, past_length + new_length, dtype=torch.int64)
        past = [torch.randn(batch, heads, past_length, head_size, generator=generator) for _ in range(2 * layers)]
        return (ids, mask, *past)

    past_axes = {0: BATCH, 2: torch.export.Dim("past", max=32)}
    names = ["input_ids", "attention_mask"] + [f"past.{layer}.{kind}" for layer in range(layers) for kind in ("key", "value")]
    first = inputs(2, 5, 3, 1)
    all_axes = [{0: BATCH, 1: SEQ}, {0: BATCH, 1: torch.export.Dim("total", max=96)}] + [past_axes] * (2 * layers)
    output_axes = {"logits": {0: "batch", 1: "seq"}} | {
        f"present.{layer}.{kind}": {0: "batch", 2: "total"} for layer in range(layers) for kind in ("key", "value")}
    export(name, Step().eval(), {n: (t, a) for n, t, a in zip(names, first, all_axes)}, output_axes,
           opset=17, more_inputs=[inputs(1, 8, 2, 2)], out=OUT)


def export_t5(name_prefix):
    """T5's encoder, and its decoder reading the encoder's states (no cache)."""
    torch.manual_seed(0)
    config = transformers.T5Config(vocab_size=500, d_model=32, d_kv=16, d_ff=64, num_layers=2, num_decoder_layers=2,
                                   num_heads=2, relative_attention_num_buckets=8, relative_attention_max_distance=16)
    model = perturbed(transformers.T5Model(config))
    export(f"{name_prefix}_encoder", TupleOutputs(model.encoder, ["input_ids", "attention_mask"], ["last_hidden_state"]),
           {n: (t, {0: BATCH, 1: SEQ}) for n, t in zip(["input_ids", "attention_mask"], text_inputs(500, ["input_ids", "attention_mask"], 2, 7, 1))},
           {"last_hidden_state": {0: "batch", 1: "seq"}}, opset=17,
           more_inputs=[text_inputs(500, ["input_ids", "attention_mask"], 1, 11, 2)], out=OUT)

    def decoder_inputs(batch, length, source_length, seed):
        generator = torch.Generator().manual_seed(seed)
        return (torch.randint(0, 500, (batch, length), generator=generator),
                torch.randn(batch, source_length, config.d_model, generator=generator),
                torch.ones(batch, source_length, dtype=torch.int64))

    decoder = TupleOutputs(model.decoder, ["input_ids", "encoder_hidden_states", "encoder_attention_mask"],
                           ["last_hidden_state"], use_cache=False)
    names = ["input_ids", "encoder_hidden_states", "encoder_attention_mask"]
    source = torch.export.Dim("source", max=64)
    axes = [{0: BATCH, 1: SEQ}, {0: BATCH, 1: source}, {0: BATCH, 1: source}]
    export(f"{name_prefix}_decoder", decoder, {n: (t, a) for n, t, a in zip(names, decoder_inputs(2, 4, 7, 1), axes)},
           {"last_hidden_state": {0: "batch", 1: "seq"}}, opset=17, more_inputs=[decoder_inputs(1, 6, 9, 2)], out=OUT)


def export_whisper_encoder(name):
    """Whisper's audio encoder over 80 mel bins × 2·max_source_positions frames (its length is
    fixed by the position table), at batch 2 and 1."""
    torch.manual_seed(0)
    config = transformers.WhisperConfig(vocab_size=500, num_mel_bins=80, d_model=32, encoder_layers=2,
                                        encoder_attention_heads=2, decoder_layers=1, decoder_attention_heads=2,
                                        encoder_ffn_dim=64, decoder_ffn_dim=64, max_source_positions=32,
                                        max_target_positions=32, pad_token_id=1, bos_token_id=2, eos_token_id=2,
                                        decoder_start_token_id=3)
    encoder = perturbed(transformers.WhisperModel(config)).get_encoder()
    model = TupleOutputs(encoder, ["input_features"], ["last_hidden_state"])
    frames = 2 * config.max_source_positions
    export(name, model, {"input_features": (seeded((2, 80, frames), 1), {0: BATCH})},
           {"last_hidden_state": {0: "batch"}}, opset=17, more_inputs=[(seeded((1, 80, frames), 2),)], out=OUT)


def main():
    vision = [
        ("mobilenet_v2", partial(models.mobilenet_v2, width_mult=0.25, num_classes=CLASS_COUNT), 64, ("torchscript", 13)),
        ("mobilenet_v3_small", partial(models.mobilenet_v3_small, width_mult=0.25, num_classes=CLASS_COUNT), 64, ("torchscript", 17)),
        ("squeezenet1_1", small_squeezenet, 64, ("torchscript", 17)),
        ("densenet", partial(models.DenseNet, growth_rate=8, block_config=(2, 2, 2, 2), num_init_features=16, bn_size=2,
                             num_classes=CLASS_COUNT), 64, ("torchscript", 17)),
        ("efficientnet_b0", small_efficientnet, 64, ("torchscript", 17)),
        ("inception_v3", small_inception_v3, 75, ("torchscript", 17)),
        ("regnet_y", small_regnet, 64, ("torchscript", 17)),
        ("convnext", small_convnext, 64, ("torchscript", 17)),
        ("mnasnet", partial(models.MNASNet, 0.25, num_classes=CLASS_COUNT), 64, ("torchscript", 17)),
        ("resnext", small_resnext, 64, ("torchscript", 17)),
        ("vit", small_vit, 32, ("torchscript", 17)),
        ("swin", small_swin, 64, ("dynamo", 20)),
    ]
    for name, make_model, size, exporter in vision:
        export_classifier(name, make_model, size, exporter)

    text = dict(vocab_size=500, max_position_embeddings=64)
    export_encoder("distilbert", transformers.DistilBertModel,
                   transformers.DistilBertConfig(dim=32, n_layers=2, n_heads=2, hidden_dim=64, **text))
    export_encoder("roberta", transformers.RobertaModel,
                   transformers.RobertaConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                                              intermediate_size=64, pad_token_id=1, **text),
                   outputs=("last_hidden_state", "pooler_output"), exporter=("torchscript", 14))
    export_encoder("albert", transformers.AlbertModel,
                   transformers.AlbertConfig(embedding_size=16, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                                             intermediate_size=64, **text),
                   input_names=("input_ids", "attention_mask", "token_type_ids"))
    export_encoder("electra", transformers.ElectraModel,
                   transformers.ElectraConfig(embedding_size=16, hidden_size=32, num_hidden_layers=2,
                                              num_attention_heads=2, intermediate_size=64, **text),
)
    export_encoder("gpt2", transformers.GPT2Model,
                   transformers.GPT2Config(vocab_size=500, n_positions=64, n_embd=32, n_layer=2, n_head=2))
    export_gpt2_with_past("gpt2_with_past")
    export_t5("t5")
    export_whisper_encoder("whisper_encoder")
    print(f"torch {torch.__version__}, transformers {transformers.__version__}")


if __name__ == "__main__":
    main()

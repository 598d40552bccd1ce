"""Writes the PyTorch-exported ONNX fixtures in Tests/Fixtures/pytorch: small torchvision-style
CNNs and a Hugging Face BertModel, random weights, exported by torch.onnx.export, each with a
seeded input and PyTorch's own output as ONNX TensorProto files.

Run once by hand (the tests only read what it wrote; torch is far too large for .venv):

    python3 -m venv /tmp/fixtures
    /tmp/fixtures/bin/pip install --find-links /opt/wheels torch==2.13.0+cpu transformers numpy onnx onnxscript
    /tmp/fixtures/bin/python Tests/interop/make_pytorch_fixtures.py [OUT_DIR]

torchvision's PyPI wheels do not import with the CPU build of torch, so its architectures are
written out below with exactly torchvision's module names and nesting (so the state_dict
names are torchvision's), at small widths and depths to keep the files small.
"""
import json
import os
import re
import sys
from functools import partial

import numpy as np
import onnx
import torch
import transformers
from onnx import numpy_helper
from torch import nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "Tests", "Fixtures", "pytorch")
CLASSIC_OPSET = 17
CLASS_COUNT = 10


# --- torchvision architectures (torchvision/models/{resnet,alexnet,vgg,googlenet}.py) ---

def conv3x3(in_planes, out_planes, stride=1):
    return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=1, bias=False)


def conv1x1(in_planes, out_planes, stride=1):
    return nn.Conv2d(in_planes, out_planes, kernel_size=1, stride=stride, bias=False)


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class Bottleneck(nn.Module):
    """ResNet v1.5: the stride sits on the 3x3 convolution."""
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = conv1x1(inplanes, planes)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = conv3x3(planes, planes, stride)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = conv1x1(planes, planes * self.expansion)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)


class ResNet(nn.Module):
    """torchvision's ResNet with `widths` in place of 64-128-256-512."""

    def __init__(self, block, layers, widths, num_classes=CLASS_COUNT):
        super().__init__()
        self.inplanes = widths[0]
        self.conv1 = nn.Conv2d(3, self.inplanes, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(self.inplanes)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, widths[0], layers[0])
        self.layer2 = self._make_layer(block, widths[1], layers[1], stride=2)
        self.layer3 = self._make_layer(block, widths[2], layers[2], stride=2)
        self.layer4 = self._make_layer(block, widths[3], layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(widths[3] * block.expansion, num_classes)

    def _make_layer(self, block, planes, blocks, stride=1):
        downsample = None
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(conv1x1(self.inplanes, planes * block.expansion, stride),
                                       nn.BatchNorm2d(planes * block.expansion))
        layers = [block(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes * block.expansion
        layers += [block(self.inplanes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class AlexNet(nn.Module):
    """torchvision's AlexNet with convolution widths divided by `divisor` and `hidden`
    units in place of 4096 in the classifier."""

    def __init__(self, divisor, hidden, num_classes=CLASS_COUNT):
        super().__init__()
        c = [64 // divisor, 192 // divisor, 384 // divisor, 256 // divisor, 256 // divisor]
        self.features = nn.Sequential(
            nn.Conv2d(3, c[0], kernel_size=11, stride=4, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(c[0], c[1], kernel_size=5, padding=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2),
            nn.Conv2d(c[1], c[2], kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(c[2], c[3], kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(c[3], c[4], kernel_size=3, padding=1), nn.ReLU(inplace=True),
            nn.MaxPool2d(kernel_size=3, stride=2))
        self.avgpool = nn.AdaptiveAvgPool2d((6, 6))
        self.classifier = nn.Sequential(
            nn.Dropout(p=0.5), nn.Linear(c[4] * 6 * 6, hidden), nn.ReLU(inplace=True),
            nn.Dropout(p=0.5), nn.Linear(hidden, hidden), nn.ReLU(inplace=True),
            nn.Linear(hidden, num_classes))

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


VGG11 = [64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512, "M"]


class VGG(nn.Module):
    """torchvision's VGG (configuration "A", VGG-11) with convolution widths divided by
    `divisor` and `hidden` units in place of 4096 in the classifier."""

    def __init__(self, divisor, hidden, num_classes=CLASS_COUNT):
        super().__init__()
        layers, channels = [], 3
        for v in VGG11:
            if v == "M":
                layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            else:
                layers += [nn.Conv2d(channels, v // divisor, kernel_size=3, padding=1), nn.ReLU(inplace=True)]
                channels = v // divisor
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(channels * 7 * 7, hidden), nn.ReLU(True), nn.Dropout(p=0.5),
            nn.Linear(hidden, hidden), nn.ReLU(True), nn.Dropout(p=0.5),
            nn.Linear(hidden, num_classes))

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


class BasicConv2d(nn.Module):
    def __init__(self, in_channels, out_channels, **kwargs):
        super().__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, bias=False, **kwargs)
        self.bn = nn.BatchNorm2d(out_channels, eps=0.001)

    def forward(self, x):
        return torch.relu(self.bn(self.conv(x)))


class Inception(nn.Module):
    def __init__(self, in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj):
        super().__init__()
        self.branch1 = BasicConv2d(in_channels, ch1x1, kernel_size=1)
        self.branch2 = nn.Sequential(BasicConv2d(in_channels, ch3x3red, kernel_size=1),
                                     BasicConv2d(ch3x3red, ch3x3, kernel_size=3, padding=1))
        # torchvision's known departure from the paper: 3x3, not 5x5, in the "5x5" branch.
        self.branch3 = nn.Sequential(BasicConv2d(in_channels, ch5x5red, kernel_size=1),
                                     BasicConv2d(ch5x5red, ch5x5, kernel_size=3, padding=1))
        self.branch4 = nn.Sequential(nn.MaxPool2d(kernel_size=3, stride=1, padding=1, ceil_mode=True),
                                     BasicConv2d(in_channels, pool_proj, kernel_size=1))

    def forward(self, x):
        return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], 1)


class GoogLeNet(nn.Module):
    """torchvision's GoogLeNet without auxiliary classifiers (`aux_logits=False`,
    `transform_input=False`), every width divided by `divisor`."""

    def __init__(self, divisor, num_classes=CLASS_COUNT):
        super().__init__()

        def inception(*widths):
            return Inception(*(w // divisor for w in widths))

        self.conv1 = BasicConv2d(3, 64 // divisor, kernel_size=7, stride=2, padding=3)
        self.maxpool1 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.conv2 = BasicConv2d(64 // divisor, 64 // divisor, kernel_size=1)
        self.conv3 = BasicConv2d(64 // divisor, 192 // divisor, kernel_size=3, padding=1)
        self.maxpool2 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception3a = inception(192, 64, 96, 128, 16, 32, 32)
        self.inception3b = inception(256, 128, 128, 192, 32, 96, 64)
        self.maxpool3 = nn.MaxPool2d(3, stride=2, ceil_mode=True)
        self.inception4a = inception(480, 192, 96, 208, 16, 48, 64)
        self.inception4b = inception(512, 160, 112, 224, 24, 64, 64)
        self.inception4c = inception(512, 128, 128, 256, 24, 64, 64)
        self.inception4d = inception(512, 112, 144, 288, 32, 64, 64)
        self.inception4e = inception(528, 256, 160, 320, 32, 128, 128)
        self.maxpool4 = nn.MaxPool2d(2, stride=2, ceil_mode=True)
        self.inception5a = inception(832, 256, 160, 320, 32, 128, 128)
        self.inception5b = inception(832, 384, 192, 384, 48, 128, 128)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.dropout = nn.Dropout(p=0.2)
        self.fc = nn.Linear(1024 // divisor, num_classes)

    def forward(self, x):
        x = self.maxpool2(self.conv3(self.conv2(self.maxpool1(self.conv1(x)))))
        x = self.maxpool3(self.inception3b(self.inception3a(x)))
        x = self.inception4c(self.inception4b(self.inception4a(x)))
        x = self.maxpool4(self.inception4e(self.inception4d(x)))
        x = self.inception5b(self.inception5a(x))
        return self.fc(self.dropout(torch.flatten(self.avgpool(x), 1)))


# --- preparation and export ---

def calibrate_batch_norm(model, images):
    """Sets every BatchNorm's running statistics to those of `images` (and its scale and shift
    to seeded random values), so that eval-mode outputs depend on the input and BN folding is
    tested with non-trivial statistics."""
    norms = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    for norm in norms:
        norm.reset_running_stats()
        norm.momentum = 1.0  # running statistics := this batch's statistics
        with torch.no_grad():
            norm.weight.uniform_(0.5, 1.5)
            norm.bias.normal_(0, 0.1)
    model.train()
    with torch.no_grad():
        model(images)
    for norm in norms:
        norm.momentum = 0.1
    model.eval()


def parameter_facts(model):
    """What the imported graph's parameters should be: the shape of every parameter and
    running statistic by state_dict name, and the counts of each kind."""
    statistics = {name: b for name, b in model.named_buffers() if name.endswith(("running_mean", "running_var"))}
    return {"trainable": sum(p.numel() for p in model.parameters()),
            "running_statistics": sum(b.numel() for b in statistics.values()),
            "shapes": {name: list(t.shape) for name, t in [*model.named_parameters(), *statistics.items()]}}


def write_tensors(directory, prefix, arrays):
    os.makedirs(directory, exist_ok=True)
    for index, array in enumerate(arrays):
        with open(os.path.join(directory, f"{prefix}_{index}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(np.ascontiguousarray(array)).SerializeToString())


def export(name, model, inputs, output_axes, dynamo=False, opset=CLASSIC_OPSET, more_inputs=(), out=OUT):
    """Exports `model` and writes it with its inputs and PyTorch's own outputs.

    `inputs` maps each input name (in `forward`'s order) to its tensor and its dynamic axes
    ({axis: torch.export.Dim}); `output_axes` maps each output name to {axis: dim name}.
    Each tuple of `more_inputs` (other sizes of the dynamic axes) is written with PyTorch's
    outputs for it as test_data_set_1, 2, …"""
    directory = os.path.join(out, name)
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "model.onnx")
    tensors = tuple(tensor for tensor, _ in inputs.values())
    if dynamo:
        program = torch.onnx.export(model, tensors, dynamo=True, input_names=list(inputs),
                                    output_names=list(output_axes),
                                    dynamic_shapes=tuple(axes for _, axes in inputs.values()))
        program.save(path, external_data=False)
    else:
        dynamic_axes = {n: {axis: dim.__name__ for axis, dim in axes.items()} for n, (_, axes) in inputs.items()}
        # Eval mode without the exporter's Conv+BatchNormalization fusion
        # (TrainingMode.PRESERVE on an eval-mode model), so that every initializer keeps its
        # state_dict name and BatchNormalization reaches the importer as it is.
        torch.onnx.export(model, tensors, path, dynamo=False, opset_version=opset,
                          input_names=list(inputs), output_names=list(output_axes),
                          dynamic_axes=dynamic_axes | output_axes, training=torch.onnx.TrainingMode.PRESERVE)
    onnx.checker.check_model(path, full_check=True)
    for index, data_set in enumerate((tensors, *more_inputs)):
        with torch.no_grad():
            outputs = model(*data_set)
        outputs = [outputs] if isinstance(outputs, torch.Tensor) else list(outputs)
        data = os.path.join(directory, f"test_data_set_{index}")
        write_tensors(data, "input", [t.numpy() for t in data_set])
        write_tensors(data, "output", [t.numpy() for t in outputs])
    opset = next(o.version for o in onnx.load(path).opset_import if o.domain in ("", "ai.onnx"))
    facts = {"exporter": "dynamo" if dynamo else "torchscript", "opset": opset, "parameters": parameter_facts(model)}
    with open(os.path.join(directory, "expected.json"), "w") as f:
        # One line per shape: lists of numbers written compactly.
        f.write(re.sub(r"\[\s+([^\[\]]*?)\s+\]", lambda m: "[" + " ".join(m.group(1).split()) + "]",
                       json.dumps(facts, indent=2)) + "\n")
    print(f"{name}: {facts['exporter']} opset {opset}, {os.path.getsize(path)} bytes")


BATCH = torch.export.Dim("batch")


def export_cnn(name, make_model, image_size, dynamo=False):
    torch.manual_seed(0)
    model = make_model()
    images = torch.randn(2, 3, image_size, image_size, generator=torch.Generator().manual_seed(1))
    calibrate_batch_norm(model, torch.randn(8, 3, image_size, image_size, generator=torch.Generator().manual_seed(2)))
    export(name, model, {"images": (images, {0: BATCH})}, {"logits": {0: "batch"}}, dynamo=dynamo)


class BertModelForExport(transformers.BertModel):
    """BertModel taking exactly the three exported inputs by keyword and returning a tuple.
    The TorchScript exporter passes every defaulted argument of `forward` positionally, which
    collides with transformers filling in `use_cache` from the config as a keyword."""

    def forward(self, input_ids, attention_mask, token_type_ids):
        output = super().forward(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
        return output.last_hidden_state, output.pooler_output


def export_bert(name, dynamo=False):
    torch.manual_seed(0)
    config = transformers.BertConfig(vocab_size=500, hidden_size=64, num_hidden_layers=2, num_attention_heads=2,
                                     intermediate_size=128, max_position_embeddings=64)
    model = BertModelForExport(config).eval()
    # BERT initialises biases to 0 and LayerNorm scales to 1; the exporter then merges the
    # equal initializers into one, hiding their names. Perturbed, every parameter is distinct.
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(0.02 * torch.randn_like(parameter))
    generator = torch.Generator().manual_seed(1)
    input_ids = torch.randint(0, config.vocab_size, (2, 7), generator=generator)
    attention_mask = torch.tensor([[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0, 0]])  # the second one padded
    token_type_ids = torch.tensor([[0, 0, 0, 1, 1, 1, 1], [0, 0, 0, 0, 1, 1, 1]])
    axes = {0: BATCH, 1: torch.export.Dim("seq", max=config.max_position_embeddings)}
    export(name, model,
           {"input_ids": (input_ids, axes), "attention_mask": (attention_mask, axes),
            "token_type_ids": (token_type_ids, axes)},
           {"last_hidden_state": {0: "batch", 1: "seq"}, "pooler_output": {0: "batch"}}, dynamo=dynamo)


def main():
    resnet_widths = (8, 16, 32, 64)
    export_cnn("resnet_basic", partial(ResNet, BasicBlock, [1, 1, 1, 1], resnet_widths), 64)
    export_cnn("resnet_bottleneck", partial(ResNet, Bottleneck, [1, 1, 1, 1], resnet_widths), 64)
    export_cnn("alexnet", partial(AlexNet, 16, hidden=128), 224)
    export_cnn("vgg11", partial(VGG, 16, hidden=128), 224)
    export_cnn("googlenet", partial(GoogLeNet, 8), 96)
    export_bert("bert")
    # What recent PyTorch writes by default, at the dynamo exporter's own opset.
    export_cnn("resnet_basic_dynamo", partial(ResNet, BasicBlock, [1, 1, 1, 1], resnet_widths), 64, dynamo=True)
    export_bert("bert_dynamo", dynamo=True)
    print(f"torch {torch.__version__}, transformers {transformers.__version__}, onnx {onnx.__version__}")


if __name__ == "__main__":
    main()

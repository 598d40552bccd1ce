/// The model registry. Adding an architecture: write its file (configuration + `trace`),
/// add its lines here.
public enum Zoo {
    public static let models: [ModelEntry] = [
        ModelEntry("lenet5", LeNet.classic, "LeNet-5 (LeCun et al. 1998), sigmoid and average pooling, 1x32x32, 10 classes"),
        ModelEntry("lenet5-relu", LeNet.relu, "LeNet-5 with ReLU and max pooling"),
        ModelEntry("alexnet", AlexNet.torchvision, "AlexNet (Krizhevsky et al. 2012), torchvision layout"),
        ModelEntry("alexnet-original", AlexNet.original, "AlexNet as in the paper: two towers (grouped convolutions), LRN, 227x227"),
        ModelEntry("alexnet-course", AlexNet.course, "AlexNet of the course tables and d2l.ai: one tower, conv1 padding 1, 6400 features"),
        ModelEntry("vgg11", VGG.a, "VGG-11 (Simonyan & Zisserman 2014, configuration A)"),
        ModelEntry("vgg11-lrn", VGG.aLRN, "VGG-11 with LRN after the first convolution (configuration A-LRN)"),
        ModelEntry("vgg13", VGG.b, "VGG-13 (configuration B)"),
        ModelEntry("vgg16-c", VGG.c, "VGG-16 with 1x1 convolutions in the last three stages (configuration C)"),
        ModelEntry("vgg16", VGG.d, "VGG-16 (configuration D)"),
        ModelEntry("vgg19", VGG.e, "VGG-19 (configuration E)"),
        ModelEntry("vgg11-bn", VGG.a.withBatchNorm, "VGG-11 with batch normalisation"),
        ModelEntry("vgg13-bn", VGG.b.withBatchNorm, "VGG-13 with batch normalisation"),
        ModelEntry("vgg16-bn", VGG.d.withBatchNorm, "VGG-16 with batch normalisation"),
        ModelEntry("vgg19-bn", VGG.e.withBatchNorm, "VGG-19 with batch normalisation"),
        ModelEntry("nin", NiN.d2l, "Network in Network (Lin et al. 2013), d2l.ai layout: 1x224x224, 10 classes"),
        ModelEntry("googlenet", GoogLeNet.torchvision, "GoogLeNet / Inception v1 (Szegedy et al. 2014), torchvision layout"),
        ModelEntry("resnet18", ResNet.resnet18, "ResNet-18 (He et al. 2015), torchvision layout"),
        ModelEntry("resnet34", ResNet.resnet34, "ResNet-34, torchvision layout"),
        ModelEntry("resnet50", ResNet.resnet50, "ResNet-50, torchvision v1.5 layout (stride in the 3x3)"),
        ModelEntry("resnet101", ResNet.resnet101, "ResNet-101, torchvision v1.5 layout"),
        ModelEntry("resnet152", ResNet.resnet152, "ResNet-152, torchvision v1.5 layout"),
        // Keras Applications' ResNets
        ModelEntry("resnet50-keras", ResNet.resnet50Keras, "ResNet-50 as Keras Applications builds it: v1 (stride in the first 1x1), biased convolutions, BatchNorm epsilon 1.001e-5"),
        ModelEntry("resnet101-keras", ResNet.resnet101Keras, "ResNet-101 as Keras Applications builds it (see resnet50-keras)"),
        ModelEntry("resnet152-keras", ResNet.resnet152Keras, "ResNet-152 as Keras Applications builds it (see resnet50-keras)"),
        ModelEntry("lstm-lm", LSTMLanguageModel.zarembaMedium, "2-layer LSTM language model, Zaremba et al. 2014 medium (10k vocabulary, 650 units)"),
        ModelEntry("elmo", ELMo.small, "ELMo (Peters et al. 2018), AllenNLP's small: character CNN, 2-layer biLM of 1024 cells projected to 128"),
        ModelEntry("elmo-original", ELMo.original, "ELMo (Peters et al. 2018), original: character CNN, 2-layer biLM of 4096 cells projected to 512"),
        ModelEntry("bert-tiny", BERT.tiny, "BERT encoder L=2 H=128 A=2 (Turc et al. 2019)"),
        ModelEntry("bert-mini", BERT.mini, "BERT encoder L=4 H=256 A=4"),
        ModelEntry("bert-small", BERT.small, "BERT encoder L=4 H=512 A=8"),
        ModelEntry("bert-medium", BERT.medium, "BERT encoder L=8 H=512 A=8"),
        ModelEntry("bert-base", BERT.base, "BERT-base encoder L=12 H=768 A=12 (Devlin et al. 2018), Hugging Face layout"),
        ModelEntry("bert-large", BERT.large, "BERT-large encoder L=24 H=1024 A=16"),
        ModelEntry("bert-minilm-l6", BERT(layerCount: 6, hiddenSize: 384, headCount: 12, intermediateSize: 1536), "all-MiniLM-L6-v2 sentence encoder: BERT L=6 H=384 A=12, intermediate 1536"),
    ]

    /// The model registered as `id`.
    public static func model(_ id: String) throws(ZooError) -> ModelEntry {
        guard let entry = models.first(where: { $0.id == id }) else {
            throw .unknownModel(id: id, known: models.map(\.id))
        }
        return entry
    }
}

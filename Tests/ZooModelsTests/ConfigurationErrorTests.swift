import Testing
import ZooBlocks
import ZooGraph
import ZooModels

/// Impossible configurations fail with messages that name the block (by path) and the numbers.
@Suite struct ConfigurationErrorTests {
    @Test func headsMustDivideTheHiddenSize() {
        let bert = BERT(layerCount: 2, hiddenSize: 100, headCount: 12)
        #expect(errorMessage { try bert.graph(name: "bert") }
            == "block 'encoder.layer.0.attention' (MultiHeadAttention): hidden size 100 is not a multiple of the head count 12")
    }

    @Test func inputsTooSmallForThePoolingNameTheNode() {
        #expect(errorMessage { try Zoo.model("vgg16").with(imageSize: 16).graph() }
            == "node 'features.30' (MaxPool): spatial axis 2 has size 1 (with padding), smaller than the 2-wide window")
        #expect(errorMessage { try Zoo.model("alexnet").with(imageSize: 32).graph() }
            == "node 'features.12' (MaxPool): spatial axis 2 has size 1 (with padding), smaller than the 3-wide window")
        #expect(errorMessage { try Zoo.model("lenet5").with(imageSize: 8).graph() }
            == "node 'features.3' (Conv): spatial axis 2 has size 2 (with padding), smaller than the 5-wide window")
    }

    @Test func featureMapsAdaptivePoolingCannotExpress() {
        // 320x320 leaves 10x10, and 10 → 7 needs overlapping uneven windows.
        #expect(errorMessage { try Zoo.model("vgg16").with(imageSize: 320).graph() }
            == "block 'avgpool' (AdaptiveAvgPool2d): cannot pool a 10x10 feature map to 7x7 with ONNX pooling; choose an input size that makes the feature map a multiple of 7x7 (or 1x1)")
    }

    @Test func negativeAndZeroSizes() {
        #expect(errorMessage { try Zoo.model("resnet18").with(classCount: -5).graph() }
            == "block 'fc' (Dense): output size is -5, must be positive")
        #expect(errorMessage { try Zoo.model("resnet18").with(imageSize: Size2D(height: -3, width: 224)).graph() }
            == "resnet18 configuration: input 'image' float32[batch,3,-3,224] has a size that is not positive")
        #expect(errorMessage { try ResNet(blockCounts: [2, -1, 2, 2], block: .basic).graph(name: "resnet") }
            == "ResNet configuration: block counts [2, -1, 2, 2] must be positive, one per stage")
        #expect(errorMessage { try BERT(layerCount: 2, hiddenSize: 128, headCount: 2, vocabularySize: -1).graph(name: "bert") }
            == "block 'embeddings.word_embeddings' (Embedding): a -1 x 128 table is impossible, both sizes must be positive")
        #expect(errorMessage { try BERT(layerCount: 0, hiddenSize: 128, headCount: 2).graph(name: "bert") }
            == "BERT configuration: layer count is 0, must be positive")
        #expect(errorMessage { try LSTMLanguageModel(layerCount: -2).graph(name: "lm") }
            == "block 'rnn' (LSTM): layer count is -2, must be positive")
        #expect(errorMessage { try BERT(layerCount: 2, hiddenSize: 128, headCount: 0).graph(name: "bert") }
            == "block 'encoder.layer.0.attention' (MultiHeadAttention): head count is 0, must be positive")
        #expect(errorMessage { try VGG(stages: [[64], []]).graph(name: "vgg") }
            == "VGG configuration: needs at least one stage and a convolution in every stage, got [1, 0] convolutions per stage")
        #expect(errorMessage { try ELMo(filters: [], highwayCount: 1, projectionSize: 8, cellSize: 16).graph(name: "elmo") }
            == "block 'token_encoder.char_cnn' (CharacterCNN): needs at least one filter")
        #expect(errorMessage { try ELMo(highwayCount: 1, projectionSize: 8, cellSize: 16, cellClip: -3).graph(name: "elmo") }
            == "block 'lstm.forward' (LSTM): cell clip is -3.0, must be positive")
    }

    @Test func blockLevelChecks() {
        let image = TensorType(.float32, [batch, 3, 32, 32])
        #expect(errorMessage { try traceBlock(image) { x, t in try Conv2d(-3, kernelSize: 3)(x, &t, at: "conv") } }
            == "block 'conv' (Conv2d): output channel count is -3, must be positive")
        #expect(errorMessage { try traceBlock(image) { x, t in try Conv2d(8, kernelSize: 3, groups: 2)(x, &t, at: "conv") } }
            == "block 'conv' (Conv2d): 2 groups must divide both the 3 input and the 8 output channels")
        #expect(errorMessage { try traceBlock(image) { x, t in try Conv2d(8, kernelSize: 3, stride: 0)(x, &t, at: "conv") } }
            == "block 'conv' (Conv2d): kernel 3x3, stride 0x0 and dilation 1x1 must be positive")
        #expect(errorMessage { try traceBlock(image) { x, t in try MaxPool2d(2, padding: 2)(x, &t, at: "pool") } }
            == "block 'pool' (MaxPool2d): padding [2, 2, 2, 2] must be at most half the 2x2 kernel")
        #expect(errorMessage { try traceBlock(image) { x, t in try Dropout(1.5)(x, &t, at: "drop") } }
            == "block 'drop' (Dropout): rate is 1.5, must be in [0, 1)")
        let features = TensorType(.float32, [batch, seq])
        #expect(errorMessage { try traceBlock(features) { x, t in try Dense(4)(x, &t, at: "fc") } }
            == "block 'fc' (Dense): needs a fixed feature size (axis -1) to shape its parameters, got input float32[batch,seq]")
    }

    @Test func modelLevelChecks() {
        #expect(errorMessage { try LSTMLanguageModel(embeddingSize: 400, tiedWeights: true).graph(name: "lm") }
            == "LSTMLanguageModel configuration: tied weights need embeddingSize (400) == hiddenSize (650)")
        #expect(errorMessage { try Zoo.model("bert-base").with(classCount: 2) }
            == "'bert-base' is not an image classifier: it has no image size or class count to change")
        #expect(errorMessage { try Zoo.model("resnet51") }?.hasPrefix("no model 'resnet51' in the zoo; known models: lenet5, lenet5-relu,") == true)
    }
}

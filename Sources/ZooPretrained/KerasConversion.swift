import ZooBlocks
import ZooGraph
import ZooModels
import ZooTensor
import ZooWeights

/// Keras Applications' weights (any Keras HDF5 layout, see `KerasWeights`) as the zoo's
/// parameters, for the architectures Keras shares with the zoo: VGG-16 and VGG-19 (`vgg16`,
/// `vgg19`, `block{b}_conv{i}`, `fc1`, `fc2`, `predictions`) and ResNet-50/101/152
/// (`resnet50-keras`, ..., `conv1_conv`, `conv{s}_block{b}_{0..3}_conv|bn`, `predictions`), at
/// any width or class count.
///
/// Keras computes channels-last, we channels-first, so arrays change layout: convolution
/// kernels from HWIO to OIHW, dense kernels from [in, out] to [out, in], and the rows of the
/// first dense layer after Flatten from Keras's (H, W, C) flatten order to our (C, H, W).
/// BatchNormalization's gamma, beta, moving_mean, moving_variance are our weight, bias,
/// running_mean, running_var. Layers are matched by name, or in Keras 3.0's unnamed files by
/// class and position as Keras does. A Keras layer with no place in the architecture is
/// reported as an unexpected tensor ("keras block6_conv1: block6_conv1/kernel:0"), a layer
/// the file lacks as our missing parameters, all at once by `ParameterMatching`.
public enum KerasConversion {
    /// Whether the file is in one of Keras's layouts, decided by content without reading data.
    public static func isKerasFile(_ path: String) throws(PretrainedError) -> Bool {
        do { return KerasWeights.layout(of: try ForeignHDF5File.read(path, includingData: false)) != nil } catch {
            throw .weights(error)
        }
    }

    /// The file's weights by our parameter names, for `architecture`.
    public static func tensors(from path: String, for architecture: any Architecture) throws(PretrainedError) -> [String: Tensor] {
        let keras: KerasWeights
        do { keras = try KerasWeights.read(path) } catch { throw .weights(error) }
        return try tensors(keras, for: architecture)
    }

    /// `architecture`'s graph with the file's weights in it.
    public static func load(_ path: String, into architecture: any Architecture, name: String) throws(PretrainedError) -> Graph {
        let graph: Graph
        do { graph = try architecture.graph(name: name) } catch {
            throw .architectureMismatch(model: name, reason: "cannot build the graph: \(error)")
        }
        let tensors = try tensors(from: path, for: architecture)
        do { return try ParameterMatching.assign(tensors, to: graph, file: path) } catch { throw .weights(error) }
    }

    static func tensors(_ keras: KerasWeights, for architecture: any Architecture) throws(PretrainedError) -> [String: Tensor] {
        let plan = try layerPlan(for: architecture, file: keras.file)
        let byName = Dictionary(plan.map { ($0.kerasName, $0) }, uniquingKeysWith: { first, _ in first })
        var tensors: [String: Tensor] = [:]
        var converted: [String: String] = [:]  // Keras name → the group it came from
        for layer in keras.layers {
            let label = layer.name ?? layer.group
            guard let planned = layer.name.map({ byName[$0] }) ?? positionalMatch(layer.group, in: plan) else {
                for weight in layer.weights { tensors["keras \(label): \(weight.name)"] = weight.tensor }
                continue
            }
            if let earlier = converted.updateValue(layer.group, forKey: planned.kerasName) {
                throw .weights(.invalidForeignFile(file: keras.file, format: keras.layout.rawValue,
                                                   reason: "\(earlier) and \(layer.group) are both layer '\(planned.kerasName)'"))
            }
            let role = planned.role
            for (index, weight) in layer.weights.enumerated() {
                guard index < role.parameterNames.count else {
                    tensors["keras \(label): \(weight.name)"] = weight.tensor
                    continue
                }
                do { tensors[role.parameterNames[index]] = try role.convert(weight.tensor, index: index) } catch {
                    throw .weights(.invalidTensor(file: keras.file, name: "\(label): \(weight.name)", reason: error.description))
                }
            }
        }
        return tensors
    }

    /// The file's kernel (its first array, in Keras's layout) of the layer that becomes our
    /// parameter `name` in `architecture`, with the layer's name: how configuration inference
    /// reads a class count before the layers are converted. Nil when the file lacks the layer.
    static func kernel(holding name: String, in keras: KerasWeights, for architecture: any Architecture) throws(PretrainedError)
        -> (layer: String, shape: [Int])? {
        let plan = try layerPlan(for: architecture, file: keras.file)
        guard let planned = plan.first(where: { $0.role.parameterNames.contains(name) }) else { return nil }
        let layer = keras.layers.first { $0.name == planned.kerasName }
            ?? keras.layers.first { $0.name == nil && positionalMatch($0.group, in: plan)?.kerasName == planned.kerasName }
        return layer?.weights.first.map { (planned.kerasName, $0.tensor.shape) }
    }

    /// A Keras layer of the architecture, in Keras's `model.layers` order.
    struct PlannedLayer {
        /// Keras's snake-cased class name, as Keras 3 names groups: conv2d, batch_normalization, dense.
        var kerasClass: String
        var kerasName: String
        var role: LayerRole
    }

    /// Keras 3 files without layer names address a top-level layer as `/layers/<class>[_<n>]`:
    /// the n-th layer of that class (from 0) in the model's layer order, which is how Keras
    /// itself loads them.
    private static func positionalMatch(_ group: String, in plan: [PlannedLayer]) -> PlannedLayer? {
        guard group.hasPrefix("/layers/") else { return nil }
        let component = group.dropFirst("/layers/".count)
        guard !component.contains("/") else { return nil }
        for kerasClass in Set(plan.map(\.kerasClass)) {
            let ordinal: Int?
            if component == kerasClass {
                ordinal = 0
            } else if component.hasPrefix(kerasClass + "_"), let number = Int(component.dropFirst(kerasClass.count + 1)),
                      number >= 1, String(number) == component.dropFirst(kerasClass.count + 1) {
                ordinal = number
            } else {
                ordinal = nil
            }
            guard let ordinal else { continue }
            let ofClass = plan.filter { $0.kerasClass == kerasClass }
            return ordinal < ofClass.count ? ofClass[ordinal] : nil
        }
        return nil
    }

    /// What one Keras layer is in our graph.
    struct LayerRole {
        enum Kind {
            case convolution
            case batchNorm
            /// `flattenedChannels`: the channel count before Flatten, for the first dense layer after it.
            case dense(flattenedChannels: Int?)
        }

        var kind: Kind
        /// Our layer's path ("features.0", "layer1.0.downsample.1").
        var path: String

        /// Our names for the layer's arrays, in Keras's order.
        var parameterNames: [String] {
            let suffixes = switch kind {
            case .convolution, .dense: ["weight", "bias"]
            case .batchNorm: ["weight", "bias", "running_mean", "running_var"]
            }
            return suffixes.map { "\(path).\($0)" }
        }

        /// Keras's array `index` in our layout; arrays of an unexpected rank are passed on
        /// unchanged for `ParameterMatching` to report.
        func convert(_ tensor: Tensor, index: Int) throws(TensorError) -> Tensor {
            guard index == 0 else { return tensor }
            switch kind {
            case .convolution where tensor.rank == 4:
                return try tensor.permutingAxes([3, 2, 0, 1])
            case .dense(let channels?) where tensor.rank == 2 && channels > 0 && tensor.shape[0] % channels == 0:
                // Rows s·C + c (Keras: position s, channel c) become columns c·S + s.
                let (positions, outputs) = (tensor.shape[0] / channels, tensor.shape[1])
                return try tensor.reshaped(to: [positions, channels, outputs]).permutingAxes([2, 1, 0])
                    .reshaped(to: [outputs, channels * positions])
            case .dense where tensor.rank == 2:
                return try tensor.permutingAxes([1, 0])
            default:
                return tensor
            }
        }
    }

    /// The Keras layers with weights, in Keras's layer order, for the architectures Keras
    /// Applications shares with the zoo.
    static func layerPlan(for architecture: any Architecture, file: String) throws(PretrainedError) -> [PlannedLayer] {
        switch architecture {
        case let vgg as VGG: return try vggPlan(vgg, file: file)
        case let resnet as ResNet: return try resnetPlan(resnet, file: file)
        default:
            throw .unsupportedConversion(
                file: file, reason: "Keras weights convert to VGG (vgg16, vgg19) and resnet50/101/152-keras only, not \(type(of: architecture))")
        }
    }

    /// keras.applications.vgg16/vgg19: `block{b}_conv{i}` are our `features.N` convolutions
    /// in order, `fc1`, `fc2`, ..., `predictions` our `classifier` dense layers.
    private static func vggPlan(_ vgg: VGG, file: String) throws(PretrainedError) -> [PlannedLayer] {
        guard !vgg.batchNorm, !vgg.localResponseNorm, vgg.stages.joined().allSatisfy({ $0.kernelSize == 3 }) else {
            throw .unsupportedConversion(file: file, reason: "Keras Applications' VGGs have only 3x3 convolutions, no BatchNorm and no LRN")
        }
        let graph: Graph
        do { graph = try vgg.graph(name: "vgg") } catch { throw .architectureMismatch(model: "vgg", reason: "\(error)") }
        let convolutions = layerPaths(in: graph, under: "features", rank: 4)
        let denseLayers = layerPaths(in: graph, under: "classifier", rank: 2)
        let kerasConvolutions = vgg.stages.enumerated().flatMap { stage, convolutions in
            (1...convolutions.count).map { "block\(stage + 1)_conv\($0)" }
        }
        let kerasDense = (1..<denseLayers.count).map { "fc\($0)" } + ["predictions"]
        let lastChannels = vgg.stages.last?.last?.channels
        return zip(kerasConvolutions, convolutions).map { name, path in
            PlannedLayer(kerasClass: "conv2d", kerasName: name, role: LayerRole(kind: .convolution, path: path))
        } + zip(kerasDense, denseLayers).enumerated().map { index, layer in
            PlannedLayer(kerasClass: "dense", kerasName: layer.0,
                         role: LayerRole(kind: .dense(flattenedChannels: index == 0 ? lastChannels : nil), path: layer.1))
        }
    }

    /// keras.applications.ResNet50: `conv1_conv/bn` the stem, `conv{s+2}_block{b+1}_{1,2,3}_conv/bn`
    /// block b of stage s, `_0_conv/bn` its projection shortcut, `predictions` the classifier.
    private static func resnetPlan(_ resnet: ResNet, file: String) throws(PretrainedError) -> [PlannedLayer] {
        guard resnet.block == .bottleneck, resnet.strideInFirstConvolution, resnet.style == .keras else {
            throw .unsupportedConversion(
                file: file, reason: "Keras's ResNets are v1 bottleneck networks with biased convolutions and BatchNorm epsilon "
                    + "1.001e-5: convert to resnet50-keras, not to torchvision's layout")
        }
        func pair(_ keras: String, _ convolution: String, _ batchNorm: String) -> [PlannedLayer] {
            [PlannedLayer(kerasClass: "conv2d", kerasName: "\(keras)_conv", role: LayerRole(kind: .convolution, path: convolution)),
             PlannedLayer(kerasClass: "batch_normalization", kerasName: "\(keras)_bn", role: LayerRole(kind: .batchNorm, path: batchNorm))]
        }
        var plan = pair("conv1", "conv1", "bn1")
        for (stage, count) in resnet.blockCounts.enumerated() {
            for block in 0..<count {
                let keras = "conv\(stage + 2)_block\(block + 1)", ours = "layer\(stage + 1).\(block)"
                // Keras's layer order within a block: the body's first two pairs, the projection, the third.
                plan += pair("\(keras)_1", "\(ours).conv1", "\(ours).bn1") + pair("\(keras)_2", "\(ours).conv2", "\(ours).bn2")
                if block == 0 { plan += pair("\(keras)_0", "\(ours).downsample.0", "\(ours).downsample.1") }
                plan += pair("\(keras)_3", "\(ours).conv3", "\(ours).bn3")
            }
        }
        return plan + [PlannedLayer(kerasClass: "dense", kerasName: "predictions", role: LayerRole(kind: .dense(flattenedChannels: nil), path: "fc"))]
    }

    /// The paths of the layers directly under `prefix` whose weight has `rank`, in index order
    /// (`features.0`, `features.2`, ...).
    private static func layerPaths(in graph: Graph, under prefix: String, rank: Int) -> [String] {
        graph.initializers.compactMap { initializer -> (Int, String)? in
            let parts = initializer.name.split(separator: ".")
            guard parts.count == 3, parts[0] == prefix, parts[2] == "weight", initializer.tensor.rank == rank,
                  let index = Int(parts[1]) else { return nil }
            return (index, "\(prefix).\(index)")
        }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}

import ZooTensor

/// The weights of a Keras model, layer by layer, from any of the HDF5 layouts Keras writes:
///
/// - Keras 2 weights-only files (`save_weights` to `.h5`, Keras Applications' downloads): the
///   root attribute `layer_names` lists the layers; each layer's group has a `weight_names`
///   attribute whose entries (`block1_conv1/kernel:0`) are dataset paths inside the group.
///   Long lists are split into `layer_names0`, `layer_names1`, ... as Keras 2 does past
///   HDF5's 64 KB attribute limit.
/// - Keras 2 full-model files (`model.save("x.h5")`): the same under the group `model_weights`.
/// - Keras 3 `.weights.h5`: `layers/<class name>[_<n>]/vars/0..n` (the n-th layer of that
///   class, counting from 0, in the model's layer order), nested for nested models
///   (`layers/functional/layers/conv2d/vars`); recent releases also name the layer in a
///   `name` attribute of `vars`, Keras 3.0 did not.
///
/// A layer's arrays keep Keras's order (Conv2D and Dense: kernel, bias; BatchNormalization:
/// gamma, beta, moving_mean, moving_variance), which is what Keras itself loads by; the names
/// are kept for messages. Layers without weights are left out.
public struct KerasWeights: Sendable {
    public enum Layout: String, Sendable, Equatable {
        case keras2 = "Keras 2 weights"
        case keras2Model = "Keras 2 model"
        case keras3 = "Keras 3 weights"
    }

    public struct Weight: Sendable, Equatable {
        public var name: String
        public var tensor: Tensor
    }

    public struct Layer: Sendable, Equatable {
        /// The Keras layer name; nil in Keras 3 files that do not record it (Keras 3.0 wrote
        /// none: it addresses layers by class and position, as `group` does).
        public var name: String?
        /// The layer's HDF5 group: "/block1_conv1" (Keras 2), "/layers/conv2d_3" (Keras 3).
        public var group: String
        public var weights: [Weight]
    }

    public var file: String
    public var layout: Layout
    /// The layers that hold weights, in the file's order.
    public var layers: [Layer]

    /// The Keras layout of a file, or nil when it is not one: decided by content, since Keras
    /// files end in `.h5` like ours. Our own files carry a root `format` attribute, Keras's never.
    public static func layout(of view: ForeignHDF5File) -> Layout? {
        let root = view.attributes["/"] ?? [:]
        if root["layer_names"] != nil || root["layer_names0"] != nil { return .keras2 }
        if view.groups.contains("/model_weights") { return .keras2Model }
        if view.groups.contains("/layers") && root["format"] == nil { return .keras3 }
        return nil
    }

    public static func read(_ path: String) throws(WeightsError) -> KerasWeights {
        try KerasWeights(try ForeignHDF5File.read(path))
    }

    public init(_ view: ForeignHDF5File) throws(WeightsError) {
        guard let layout = Self.layout(of: view) else {
            throw .invalidForeignFile(file: view.file, format: "Keras HDF5",
                                      reason: "no root 'layer_names' attribute, 'model_weights' group or 'layers' group")
        }
        file = view.file
        self.layout = layout
        var reader = LayoutReader(view: view, format: layout.rawValue)
        switch layout {
        case .keras2: layers = try reader.keras2Layers(under: "/")
        case .keras2Model: layers = try reader.keras2Layers(under: "/model_weights")
        case .keras3: layers = try reader.keras3Layers()
        }
    }
}

/// Walks one file's layout; every inconsistency is an error naming the group or attribute.
private struct LayoutReader {
    let view: ForeignHDF5File
    let format: String
    var seen: Set<String> = []

    init(view: ForeignHDF5File, format: String) {
        self.view = view
        self.format = format
    }

    private func invalid(_ reason: String) -> WeightsError {
        .invalidForeignFile(file: view.file, format: format, reason: reason)
    }

    private static func join(_ group: String, _ name: String) -> String {
        group.hasSuffix("/") ? group + name : group + "/" + name
    }

    mutating func keras2Layers(under root: String) throws(WeightsError) -> [KerasWeights.Layer] {
        var layers: [KerasWeights.Layer] = []
        for name in try stringList("layer_names", of: root) {
            try claim(name)
            let group = Self.join(root, name)
            guard view.groups.contains(group) else {
                throw invalid("layer '\(name)' of 'layer_names' has no group \(group)")
            }
            var weights: [KerasWeights.Weight] = []
            for weightName in try stringList("weight_names", of: group) {
                let path = Self.join(group, weightName)
                guard let tensor = view.datasets[path] else {
                    throw invalid("weight '\(weightName)' of layer '\(name)' names no dataset (\(path))")
                }
                weights.append(KerasWeights.Weight(name: weightName, tensor: tensor))
            }
            if !weights.isEmpty { layers.append(KerasWeights.Layer(name: name, group: group, weights: weights)) }
        }
        return layers
    }

    mutating func keras3Layers() throws(WeightsError) -> [KerasWeights.Layer] {
        var layers: [KerasWeights.Layer] = []
        for group in view.groups.sorted() where group.hasSuffix("/vars") {
            let weights = try indexedDatasets(in: group)
            guard !weights.isEmpty else { continue }
            var name: String?
            if case .string(let recorded) = view.attribute("name", of: group) {
                try claim(recorded)
                name = recorded
            }
            layers.append(KerasWeights.Layer(name: name, group: String(group.dropLast("/vars".count)), weights: weights))
        }
        return layers
    }

    /// The datasets `0`, `1`, ... directly in `group`, in index order; any other name, or a
    /// gap, is an error.
    private func indexedDatasets(in group: String) throws(WeightsError) -> [KerasWeights.Weight] {
        let prefix = group + "/"
        var byIndex: [Int: Tensor] = [:]
        for (path, tensor) in view.datasets where path.hasPrefix(prefix) && !path.dropFirst(prefix.count).contains("/") {
            let name = String(path.dropFirst(prefix.count))
            guard let index = Int(name), index >= 0, String(index) == name else {
                throw invalid("dataset \(path) is not named by a variable index (0, 1, ...)")
            }
            byIndex[index] = tensor
        }
        guard byIndex.keys.sorted() == Array(0..<byIndex.count) else {
            throw invalid("\(group) holds variables \(byIndex.keys.sorted()), not 0 to \(byIndex.count - 1)")
        }
        return (0..<byIndex.count).map { KerasWeights.Weight(name: "\(group)/\($0)", tensor: byIndex[$0]!) }
    }

    private mutating func claim(_ name: String) throws(WeightsError) {
        guard seen.insert(name).inserted else { throw invalid("layer name '\(name)' occurs twice") }
    }

    /// A string-array attribute, or its chunks `name0`, `name1`, ... joined.
    private func stringList(_ name: String, of path: String) throws(WeightsError) -> [String] {
        if let value = view.attribute(name, of: path) { return try strings(value, name, of: path) }
        var joined: [String] = []
        var chunk = 0
        while let value = view.attribute("\(name)\(chunk)", of: path) {
            joined += try strings(value, "\(name)\(chunk)", of: path)
            chunk += 1
        }
        guard chunk > 0 else { throw invalid("\(path) has no '\(name)' attribute") }
        return joined
    }

    private func strings(_ value: HDF5AttributeValue, _ name: String, of path: String) throws(WeightsError) -> [String] {
        guard case .strings(let strings) = value else {
            throw invalid("attribute '\(name)' of \(path) is \(value), expected an array of strings")
        }
        return strings
    }
}

import ZooBlocks
import ZooModels
import ZooTensor
import ZooWeights

/// ELMo's published weights (AllenNLP's `elmo_*_weights.hdf5`, written by bilm-tf's
/// `dump_weights`) as the zoo's `ELMo` parameters. bilm-tf's datasets and ours:
///
///     char_embed [C-1, E]                           → char_cnn.char_embedding.weight [C, E], row 0 (padding) zero
///     CNN/W_cnn_i [1, w, E, n], b_cnn_i [n]          → char_cnn.convolutions.i.weight [n, E, 1, w], .bias
///     CNN_high_k/W_carry [F, F], b_carry             → highways.k.gate.weight (transposed), .bias
///     CNN_high_k/W_transform [F, F], b_transform     → highways.k.transform.weight (transposed), .bias
///     CNN_proj/W_proj [F, P], b_proj                 → projection.weight (transposed), .bias
///     RNN_d/RNN/MultiRNNCell/Cell{l}/LSTMCell/W_0 [P+P, 4H] → lstm.<forward|backward>.l.W [4H, P] and .R [4H, P]
///                                             B [4H]         → .B [4H], forget gate + 1
///                                             W_P_0 [H, P]   → .P [P, H]
///
/// bilm-tf's "carry" gate multiplies the transformed path (y = t·relu(x W_T) + (1 − t)·x, t =
/// σ(x W_carry)), which is our highway's `gate`. TensorFlow's LSTMCell orders the gate blocks
/// i, j (the candidate), f, o and adds `forget_bias` = 1.0 to f at run time rather than
/// storing it, so the conversion reorders to ONNX's i, o, f, c and folds the 1.0 into B.
/// d = 0 is the forward language model, d = 1 the backward one. The scalar mix is trained
/// with each downstream task, so the file has none: it starts as AllenNLP's does.
enum BilmConversion {
    /// TensorFlow's LSTMCell default, which bilm-tf keeps.
    static let forgetBias: Float = 1
    /// The largest size an options file may give.
    static let maximumSize = 1 << 24
    /// TensorFlow's gate blocks (i, j, f, o) in ONNX's order (i, o, f, c = j).
    static let onnxOrder = [0, 3, 2, 1]

    /// Whether an HDF5 file (read without its data) is in bilm-tf's layout: a root
    /// `char_embed` dataset beside a `CNN` group.
    static func isBilmFile(_ view: ForeignHDF5File) -> Bool {
        view.groups.contains("/CNN") && view.attributes["/char_embed"] != nil && !view.groups.contains("/char_embed")
    }

    /// Every dataset by its path without the leading "/", with the options file given (`--options`) if any.
    static func read(_ path: String, options: String?) throws(PretrainedError) -> ReadWeights {
        var source = BilmSource(file: path)
        if let options {
            source.optionsFile = options
            source.options = try BilmOptions.read(options)
        }
        let view: ForeignHDF5File
        do { view = try ForeignHDF5File.read(path) } catch { throw .weights(error) }
        let tensors = Dictionary(uniqueKeysWithValues: view.datasets.map { (String($0.key.dropFirst()), $0.value) })
        return ReadWeights(format: .bilm, tensors: tensors, bilm: source)
    }

    /// `elmo` configured for weights read from a file: bilm-tf's (below), or a zoo file that
    /// records an ELMo configuration (such as `zoo convert` writes, with the clips and
    /// characters per token no shape tells); other files leave it as it is.
    static func configure(_ elmo: ELMo, from read: ReadWeights?, tensors: [String: Tensor]) throws(PretrainedError) -> (ELMo, [String]) {
        if let source = read?.bilm { return try configure(elmo, tensors: tensors, source: source) }
        guard let recorded = read?.recorded,
              let configured = try? JSONValue(decoding: recorded.configuration).decode(as: ELMo.self) else { return (elmo, []) }
        return (configured, ["ELMo configuration as the file records it (\(recorded.architecture))"])
    }

    /// `elmo` with the configuration of the weights: from the options file when there is one,
    /// else from the shapes (cell and projection clips, characters per token and the
    /// activation, which shapes cannot tell, stay as `elmo` has them). Says which, and what.
    static func configure(_ elmo: ELMo, tensors: [String: Tensor], source: BilmSource) throws(PretrainedError) -> (ELMo, [String]) {
        var configured = elmo
        let origin: String
        if let options = source.options, let file = source.optionsFile {
            try apply(options, to: &configured, file: file)
            origin = "from \(file)"
        } else {
            inferFromShapes(tensors, into: &configured)
            let besides = BilmOptions.companion(of: source.file).map { "; \($0) lies beside them: pass it with --options" } ?? ""
            origin = "from the tensor shapes (no --options file; clips and characters per token as the zoo's\(besides))"
        }
        // Before any graph is traced: the file must hold exactly what this configuration needs.
        do { try check(tensors, against: expectedShapes(configured), file: source.file) } catch {
            guard let file = source.optionsFile, case .weights(let mismatch) = error else { throw error }
            throw .optionsContradictWeights(options: file, error: mismatch)
        }
        let clip = { (bound: Float?) in bound.map { "\($0)" } ?? "none" }
        let filters = configured.filters.map { "\($0.width)x\($0.count)" }.joined(separator: " ")
        return (configured, ["ELMo configuration \(origin): characters \(configured.characterCount) x \(configured.characterEmbeddingSize), "
            + "\(configured.maxCharacters) per token, filters \(filters), highways \(configured.highwayCount), "
            + "projection \(configured.projectionSize), cells \(configured.cellSize), layers \(configured.layerCount), "
            + "cell clip \(clip(configured.cellClip)), projection clip \(clip(configured.projectionClip))"])
    }

    static func apply(_ options: BilmOptions, to elmo: inout ELMo, file: String) throws(PretrainedError) {
        let (cnn, lstm) = (options.char_cnn, options.lstm)
        guard cnn.activation == "relu" else {
            throw .unsupportedConversion(file: file, reason: "the zoo's ELMo has a relu character CNN, the options say '\(cnn.activation)'")
        }
        guard lstm.use_skip_connections ?? false else {
            throw .unsupportedConversion(file: file, reason: "the zoo's ELMo has residual LSTM layers; the options turn use_skip_connections off")
        }
        guard cnn.filters.allSatisfy({ $0.count == 2 }) else {
            throw .weights(.invalidForeignFile(file: file, format: "bilm-tf options", reason: "filters must be [width, count] pairs, got \(cnn.filters)"))
        }
        let sizes = [("char_cnn.n_characters", cnn.n_characters), ("char_cnn.embedding.dim", cnn.embedding.dim),
                     ("char_cnn.max_characters_per_token", cnn.max_characters_per_token), ("char_cnn.n_highway", cnn.n_highway),
                     ("lstm.dim", lstm.dim), ("lstm.projection_dim", lstm.projection_dim), ("lstm.n_layers", lstm.n_layers)]
            + cnn.filters.flatMap { [("char_cnn.filters width", $0[0]), ("char_cnn.filters count", $0[1])] }
        // Bounded so that no size arithmetic can overflow; real ELMos are far inside.
        if let (name, value) = sizes.first(where: { !(($0.0 == "char_cnn.n_highway" ? 0 : 1)...maximumSize).contains($0.1) }) {
            throw .weights(.invalidForeignFile(file: file, format: "bilm-tf options", reason: "\(name) is out of range (\(value))"))
        }
        elmo.characterCount = cnn.n_characters
        elmo.characterEmbeddingSize = cnn.embedding.dim
        elmo.maxCharacters = cnn.max_characters_per_token
        elmo.filters = cnn.filters.map { CharacterCNN.Filter(width: $0[0], count: $0[1]) }
        elmo.highwayCount = cnn.n_highway
        elmo.projectionSize = lstm.projection_dim
        elmo.cellSize = lstm.dim
        elmo.layerCount = lstm.n_layers
        // bilm-tf applies a clip only when it is set and non-zero.
        elmo.cellClip = lstm.cell_clip.flatMap { $0 > 0 ? $0 : nil }
        elmo.projectionClip = lstm.proj_clip.flatMap { $0 > 0 ? $0 : nil }
    }

    private static func inferFromShapes(_ tensors: [String: Tensor], into elmo: inout ELMo) {
        if let table = tensors["char_embed"]?.shape, table.count == 2 {
            elmo.characterCount = table[0] + 1
            elmo.characterEmbeddingSize = table[1]
        }
        var kernels: [[Int]] = []
        while let kernel = tensors["CNN/W_cnn_\(kernels.count)"]?.shape { kernels.append(kernel) }
        if !kernels.isEmpty, kernels.allSatisfy({ $0.count == 4 }) {
            elmo.filters = kernels.map { CharacterCNN.Filter(width: $0[1], count: $0[3]) }
        }
        elmo.highwayCount = consecutive { tensors["CNN_high_\($0)/W_carry"] != nil }
        if let projection = tensors["CNN_proj/W_proj"]?.shape, projection.count == 2 { elmo.projectionSize = projection[1] }
        if let cell = tensors[lstmPrefix(direction: 0, layer: 0) + "/W_P_0"]?.shape, cell.count == 2 { elmo.cellSize = cell[0] }
        let layers = consecutive { tensors[lstmPrefix(direction: 0, layer: $0) + "/W_0"] != nil }
        if layers > 0 { elmo.layerCount = layers }
    }

    /// How many indices from 0 on are present.
    private static func consecutive(_ present: (Int) -> Bool) -> Int {
        var count = 0
        while present(count) { count += 1 }
        return count
    }

    static func lstmPrefix(direction: Int, layer: Int) -> String { "RNN_\(direction)/RNN/MultiRNNCell/Cell\(layer)/LSTMCell" }

    /// Every dataset bilm-tf writes for `elmo`, with its shape.
    static func expectedShapes(_ elmo: ELMo) -> [(name: String, shape: [Int])] {
        let features = elmo.filters.reduce(0) { $0 + $1.count }
        let (p, h) = (elmo.projectionSize, elmo.cellSize)
        var shapes = [("char_embed", [elmo.characterCount - 1, elmo.characterEmbeddingSize])]
        for (index, filter) in elmo.filters.enumerated() {
            shapes += [("CNN/W_cnn_\(index)", [1, filter.width, elmo.characterEmbeddingSize, filter.count]), ("CNN/b_cnn_\(index)", [filter.count])]
        }
        for k in 0..<max(elmo.highwayCount, 0) {
            shapes += ["carry", "transform"].flatMap { [("CNN_high_\(k)/W_\($0)", [features, features]), ("CNN_high_\(k)/b_\($0)", [features])] }
        }
        shapes += [("CNN_proj/W_proj", [features, p]), ("CNN_proj/b_proj", [p])]
        for direction in 0..<2 {
            for layer in 0..<max(elmo.layerCount, 0) {
                let prefix = lstmPrefix(direction: direction, layer: layer)
                shapes += [("\(prefix)/W_0", [p + p, 4 * h]), ("\(prefix)/B", [4 * h]), ("\(prefix)/W_P_0", [h, p])]
            }
        }
        return shapes
    }

    /// The file's datasets as `elmo`'s parameters, after checking that they are exactly the
    /// ones bilm-tf writes for it (every missing, unexpected or mis-shaped dataset at once).
    static func tensors(_ tensors: [String: Tensor], for elmo: ELMo, file: String, notes: inout [String]) throws(PretrainedError) -> [String: Tensor] {
        try check(tensors, against: expectedShapes(elmo), file: file)
        let source = BilmTensors(tensors: tensors, file: file)
        var ours: [String: Tensor] = [:]
        let encoder = "token_encoder"
        let table = try source.values("char_embed")
        ours["\(encoder).char_cnn.char_embedding.weight"] = try source.make([elmo.characterCount, elmo.characterEmbeddingSize],
                                                                               [Float](repeating: 0, count: elmo.characterEmbeddingSize) + table, "char_embed")
        for index in elmo.filters.indices {
            ours["\(encoder).char_cnn.convolutions.\(index).weight"] = try source.permuted("CNN/W_cnn_\(index)", [3, 2, 0, 1])
            ours["\(encoder).char_cnn.convolutions.\(index).bias"] = tensors["CNN/b_cnn_\(index)"]
        }
        for k in 0..<elmo.highwayCount {
            for (theirs, ourName) in [("carry", "gate"), ("transform", "transform")] {
                ours["\(encoder).highways.\(k).\(ourName).weight"] = try source.permuted("CNN_high_\(k)/W_\(theirs)", [1, 0])
                ours["\(encoder).highways.\(k).\(ourName).bias"] = tensors["CNN_high_\(k)/b_\(theirs)"]
            }
        }
        ours["\(encoder).projection.weight"] = try source.permuted("CNN_proj/W_proj", [1, 0])
        ours["\(encoder).projection.bias"] = tensors["CNN_proj/b_proj"]
        for (direction, name) in ["forward", "backward"].enumerated() {
            for layer in 0..<elmo.layerCount {
                let prefix = lstmPrefix(direction: direction, layer: layer), target = "lstm.\(name).\(layer)"
                let (input, recurrent) = try source.splitKernel("\(prefix)/W_0", inputSize: elmo.projectionSize, cellSize: elmo.cellSize)
                ours["\(target).W"] = input
                ours["\(target).R"] = recurrent
                ours["\(target).B"] = try source.bias("\(prefix)/B", cellSize: elmo.cellSize)
                ours["\(target).P"] = try source.permuted("\(prefix)/W_P_0", [1, 0])
            }
        }
        // The scalar mix belongs to each downstream task: AllenNLP's initial equal weights.
        for index in 0...elmo.layerCount { ours["scalar_mix.scalar_parameters.\(index)"] = try source.make([1], [0], "scalar mix") }
        ours["scalar_mix.gamma"] = try source.make([1], [1], "scalar mix")
        notes.append("bilm-tf → zoo: char_embed gains a zero row for padding id 0; CNN kernels [1, w, E, n] → [n, E, 1, w]; "
            + "dense kernels transposed (CNN_high W_carry is the highway's gate); LSTMCell gates reordered from TensorFlow's "
            + "(i, j, f, o) to ONNX's (i, o, f, c) with the forget bias 1.0 folded into B; RNN_0 forward, RNN_1 backward")
        notes.append("scalar mix: not in bilm-tf's file (trained per task); equal weights, gamma 1, as AllenNLP starts")
        return ours
    }

    private static func check(_ tensors: [String: Tensor], against expected: [(name: String, shape: [Int])], file: String) throws(PretrainedError) {
        var mismatches: [ParameterMismatch] = []
        for (name, shape) in expected {
            guard let tensor = tensors[name] else {
                mismatches.append(.missing(name: name, dtype: .float32, shape: shape))
                continue
            }
            if !tensor.dtype.isFloatingPoint { mismatches.append(.wrongDType(name: name, expected: .float32, actual: tensor.dtype)) }
            if tensor.shape != shape { mismatches.append(.wrongShape(name: name, expected: shape, actual: tensor.shape)) }
        }
        let known = Set(expected.map(\.name))
        for (name, tensor) in tensors.sorted(by: { $0.key < $1.key }) where !known.contains(name) {
            mismatches.append(.unexpected(name: name, dtype: tensor.dtype, shape: tensor.shape))
        }
        if !mismatches.isEmpty { throw .weights(.parametersDoNotMatch(file: file, mismatches: mismatches)) }
    }
}

/// Where bilm-tf weights came from: the HDF5 file and the options file given with it.
struct BilmSource: Sendable {
    var file: String
    var optionsFile: String? = nil
    var options: BilmOptions? = nil
}

/// A checked bilm-tf file's datasets, rearranged into the zoo's layouts as float32.
private struct BilmTensors {
    let tensors: [String: Tensor]
    let file: String

    func values(_ name: String) throws(PretrainedError) -> [Float] {
        (tensors[name]?.doubleValues ?? []).map { Float($0) }
    }

    func make(_ shape: [Int], _ values: [Float], _ name: String) throws(PretrainedError) -> Tensor {
        do { return try Tensor(shape: shape, scalars: values) } catch {
            throw .weights(.invalidTensor(file: file, name: name, reason: error.description))
        }
    }

    func permuted(_ name: String, _ permutation: [Int]) throws(PretrainedError) -> Tensor? {
        do { return try tensors[name]?.permutingAxes(permutation) } catch {
            throw .weights(.invalidTensor(file: file, name: name, reason: error.description))
        }
    }

    /// W_0 `[P + P, 4H]` (rows: the input, then the recurrent projection) as our W `[4H, P]`
    /// and R `[4H, P]`, gate blocks in ONNX's order.
    func splitKernel(_ name: String, inputSize: Int, cellSize: Int) throws(PretrainedError) -> (Tensor, Tensor) {
        let kernel = try values(name)
        let rows = kernel.count / (4 * cellSize)
        func part(_ firstRow: Int, _ count: Int) throws(PretrainedError) -> Tensor {
            var out = [Float](repeating: 0, count: 4 * cellSize * count)
            for (gate, source) in BilmConversion.onnxOrder.enumerated() {
                for unit in 0..<cellSize {
                    for column in 0..<count {
                        out[(gate * cellSize + unit) * count + column] = kernel[(firstRow + column) * 4 * cellSize + source * cellSize + unit]
                    }
                }
            }
            return try make([4 * cellSize, count], out, name)
        }
        return (try part(0, inputSize), try part(inputSize, rows - inputSize))
    }

    /// B `[4H]` in ONNX's gate order with TensorFlow's run-time forget bias added.
    func bias(_ name: String, cellSize: Int) throws(PretrainedError) -> Tensor {
        let bias = try values(name)
        var out = [Float](repeating: 0, count: 4 * cellSize)
        for (gate, source) in BilmConversion.onnxOrder.enumerated() {
            for unit in 0..<cellSize {
                out[gate * cellSize + unit] = bias[source * cellSize + unit] + (gate == 2 ? BilmConversion.forgetBias : 0)
            }
        }
        return try make([4 * cellSize], out, name)
    }
}

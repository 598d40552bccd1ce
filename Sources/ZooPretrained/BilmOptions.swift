import Foundation

/// bilm-tf's options.json, which AllenNLP publishes beside each ELMo weights file
/// (`elmo_2x4096_512_2048cnn_2xhighway_options.json` beside `..._weights.hdf5`): the sizes the
/// HDF5 file's shapes also tell, and what they cannot (clips, activation, characters per token).
struct BilmOptions: Decodable, Equatable, Sendable {
    struct LSTMOptions: Decodable, Equatable, Sendable {
        var dim: Int
        var projection_dim: Int
        var n_layers: Int
        var cell_clip: Float?
        var proj_clip: Float?
        var use_skip_connections: Bool?
    }

    struct CharacterCNNOptions: Decodable, Equatable, Sendable {
        struct Embedding: Decodable, Equatable, Sendable { var dim: Int }
        var activation: String
        var filters: [[Int]]
        var n_highway: Int
        var embedding: Embedding
        var n_characters: Int
        var max_characters_per_token: Int
    }

    var lstm: LSTMOptions
    var char_cnn: CharacterCNNOptions

    /// The options file AllenNLP names after the weights (`X_weights.hdf5` → `X_options.json`),
    /// or `options.json`, in the weights' directory; nil when there is neither. Only named in a
    /// hint: the options are used when given (`--options`), never picked up unasked.
    static func companion(of weights: String) -> String? {
        let url = URL(fileURLWithPath: weights)
        let stem = url.deletingPathExtension().lastPathComponent
        let directory = url.deletingLastPathComponent()
        var candidates = ["options.json"]
        if stem.hasSuffix("weights") { candidates.insert(stem.dropLast("weights".count) + "options.json", at: 0) }
        return candidates.map { directory.appendingPathComponent($0).path }.first { FileManager.default.fileExists(atPath: $0) }
    }

    static func read(_ path: String) throws(PretrainedError) -> BilmOptions {
        guard FileManager.default.fileExists(atPath: path) else { throw .optionsNotFound(file: path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .weights(.invalidForeignFile(file: path, format: "bilm-tf options", reason: "cannot read the file"))
        }
        do { return try JSONDecoder().decode(BilmOptions.self, from: data) } catch {
            throw .weights(.invalidForeignFile(file: path, format: "bilm-tf options", reason: "\(error)"))
        }
    }
}

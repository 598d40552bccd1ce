import Foundation
import ZooGraph
import ZooImage
import ZooTensor

/// A zoo model's manifest, `Zoo/<id>/manifest.json`: what the model is (architecture and
/// configuration, inputs and outputs, preprocessing, reference counts), where its weights
/// come from and how to check them. `Schemas/zoo-manifest.schema.json` is the contract; this
/// is the part of it the code reads.
public struct ZooManifest: Codable, Sendable, Equatable {
    public var id: String
    public var summary: String
    public var architecture: ArchitectureReference
    public var inputs: [TensorSpec]
    public var outputs: [TensorSpec]
    public var preprocessing: Preprocessing
    /// How text models' outputs become one vector per text.
    public var sentenceEmbedding: SentenceEmbeddingSpec?
    public var complexity: ComplexityFigures
    /// The first is the default.
    public var weights: [WeightsVariant]
    /// Absent for weights the zoo cannot ship or run before they are downloaded.
    public var golden: GoldenCheck?

    private enum CodingKeys: String, CodingKey {
        case id, summary, architecture, inputs, outputs, preprocessing, complexity, weights, golden
        case sentenceEmbedding = "sentence_embedding"
    }

    /// The zoo registry id of the architecture, and its configuration in the architecture's
    /// Codable form (as `zoo info` prints it).
    public struct ArchitectureReference: Codable, Sendable, Equatable {
        public var id: String
        public var config: JSONValue
    }

    /// A graph input or output: name, element type and dims (numbers, or symbols such as `batch`).
    public struct TensorSpec: Codable, Sendable, Equatable, CustomStringConvertible {
        public var name: String
        public var dtype: DType
        public var shape: [Dim]

        public init(name: String, dtype: DType, shape: [Dim]) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
        }

        public init(_ value: ValueInfo) {
            self.init(name: value.name, dtype: value.type.dtype, shape: value.type.dims)
        }

        public var description: String { "\(name): \(TensorType(dtype, shape))" }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            dtype = try container.decode(DType.self, forKey: .dtype)
            shape = try container.decode([JSONValue].self, forKey: .shape).map { dim in
                switch dim {
                case .number(let size) where size == size.rounded() && size >= 0: return .fixed(Int(size))
                case .string(let symbol): return .symbolic(symbol)
                default:
                    throw DecodingError.dataCorruptedError(
                        forKey: .shape, in: container, debugDescription: "a dim is a whole number or a symbol name, not \(dim)")
                }
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(dtype, forKey: .dtype)
            try container.encode(shape.map { $0.value.map { JSONValue.number(Double($0)) } ?? .string($0.description) }, forKey: .shape)
        }

        private enum CodingKeys: String, CodingKey { case name, dtype, shape }
    }

    public struct Preprocessing: Codable, Sendable, Equatable {
        /// What to do to raw data before it is an input, in order, for people.
        public var steps: [String]
        /// The file of a classifier's class names, one per line in output order: next to the
        /// manifest, or `../labels/NAME` in the zoo's shared labels folder.
        public var labels: String?
        /// The tokenizer of text models.
        public var tokenizer: TokenizerSpec?
        /// How a picture becomes an image classifier's input.
        public var image: ImagePreprocessing?
    }

    /// A WordPiece tokenizer whose vocabulary file ships next to the manifest.
    public struct TokenizerSpec: Codable, Sendable, Equatable {
        public var vocabulary: String
        public var sha256: String
        public var lowercase: Bool
        /// Longer texts are truncated to this many tokens, `[CLS]` and `[SEP]` included.
        public var maxLength: Int

        private enum CodingKeys: String, CodingKey {
            case vocabulary, sha256, lowercase
            case maxLength = "max_length"
        }
    }

    /// The sentence-transformers recipe: average the last hidden state over the tokens the
    /// attention mask keeps, then scale to unit length.
    public struct SentenceEmbeddingSpec: Codable, Sendable, Equatable {
        public enum Pooling: String, Codable, Sendable { case mean }
        public enum Normalization: String, Codable, Sendable { case l2 }
        public var output: String
        public var pooling: Pooling
        public var normalization: Normalization
    }

    /// Parameter and MAC counts at the given symbol values, as ZooAnalysis counts them.
    public struct ComplexityFigures: Codable, Sendable, Equatable {
        public var symbols: [String: Int]
        public var parameters: Int
        public var macs: Int
    }

    /// The `test_data_set_0` convention of the ONNX Model Zoo: `input_N.pb` and
    /// `output_N.pb` are serialized TensorProtos, for the graph's inputs and outputs in order.
    public struct GoldenCheck: Codable, Sendable, Equatable {
        public var directory: String
        public var inputs: [String]
        public var outputs: [String]
        /// Outputs agree when |ours − golden| ≤ atol + rtol·|golden| for every element.
        public var tolerance: Tolerance
        /// Who computed the golden outputs, and how.
        public var source: String

        public struct Tolerance: Codable, Sendable, Equatable {
            public var rtol: Double
            public var atol: Double
        }
    }

    /// Reads and decodes a manifest file; `DecodingError`s become messages naming the field.
    public static func read(from path: String) throws(PretrainedError) -> ZooManifest {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .invalidManifest(file: path, reason: "cannot read it: \(error.localizedDescription)")
        }
        do { return try JSONDecoder().decode(ZooManifest.self, from: data) } catch {
            throw .invalidManifest(file: path, reason: describe(error))
        }
    }


    public func variant(named name: String?) throws(PretrainedError) -> WeightsVariant {
        guard let name else {
            guard let first = weights.first else { throw .noWeights(model: id) }
            return first
        }
        guard let variant = weights.first(where: { $0.name == name }) else {
            throw .unknownVariant(model: id, variant: name, known: weights.map(\.name))
        }
        return variant
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)).\(key.stringValue) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON: \(context.debugDescription)" : "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}

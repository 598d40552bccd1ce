import Foundation
import ZooIO
import ZooGraph
import ZooTensor
import ZooTestSupport
import ZooWeights

/// Parameters shaped like a small network's state_dict: nested names, a scalar counter, a
/// bool mask and an empty tensor, so every path through the writer and reader is taken.
enum SampleWeights {
    static func parameters() throws -> [Graph.Initializer] {
        [
            .init(name: "features.0.weight", tensor: try .random(shape: [8, 3, 3, 3], seed: 1)),
            .init(name: "features.0.bias", tensor: try .random(shape: [8], seed: 2)),
            .init(name: "layer1.0.conv1.weight", tensor: try .random(shape: [4, 8, 3, 3], seed: 3)),
            .init(name: "layer1.0.bn1.num_batches_tracked", tensor: Tensor(scalar: Int64(12))),
            .init(name: "classifier.weight", tensor: try .random(shape: [10, 32], seed: 4)),
            .init(name: "attention.mask", tensor: try Tensor(shape: [3], scalars: [true, false, true])),
            .init(name: "pruned.bias", tensor: try Tensor(zeros: [0])),
        ]
    }

    static let metadata = WeightsMetadata(architecture: "tiny-net", configuration: #"{"classes":10,"width":8}"#)

    /// The sample saved into a fresh directory; returns the file's path.
    static func saved(dtype: DType = .float32, options: WeightsSaveOptions = WeightsSaveOptions()) throws -> String {
        var metadata = metadata
        metadata.dtype = dtype
        let path = try temporaryDirectory() + "/tiny-net.h5"
        try WeightsFile.save(try parameters(), metadata: metadata, to: path, options: options)
        return path
    }
}

/// The `.tmp` files a save left behind in `directory`.
func temporaryLeftovers(in directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".tmp") }
}

/// Runs a command-line tool (h5dump) and returns its standard output.
func runTool(_ executable: String, _ arguments: [String]) throws -> String {
    try Subprocess.run(executable, arguments).output
}

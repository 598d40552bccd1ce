import ZooGraph

/// One checksum for a whole set of parameters, recorded in exported ONNX files
/// (`zoo.weights_sha256`): the SHA-256 of the lines `<name> <SHA-256 of its raw bytes>\n`,
/// in parameter order. Names are part of it, so a renamed or reordered parameter changes it.
public enum WeightsDigest {
    public static func of(_ parameters: [Graph.Initializer]) throws(WeightsError) -> String {
        let lines = try parameters.map { parameter throws(WeightsError) in
            "\(parameter.name) \(try SHA256.hexDigest(of: parameter.tensor, context: "parameter '\(parameter.name)'"))\n"
        }.joined()
        guard let digest = Array(lines.utf8).withUnsafeBytes({ SHA256.hexDigest(of: $0) }) else {
            throw .digestUnavailable(context: "the parameters' checksum", algorithm: "SHA-256")
        }
        return digest
    }
}

import ZooGraph

/// GoogLeNet's Inception module (Szegedy et al. 2014, Figure 2b), torchvision's `Inception`:
/// four branches concatenated along channels,
/// `branch1` 1x1 · `branch2` 1x1 → 3x3 · `branch3` 1x1 → k×k · `branch4` 3x3 max pool → 1x1.
/// Output channels `branch1x1 + out3x3 + outWide + poolProjection`; spatial size unchanged.
/// The paper's third branch is 5x5; torchvision's is 3x3 (a bug it keeps for its weights),
/// hence `wideKernelSize`.
public struct Inception: Layer, Sendable, Hashable, Codable {
    public var branch1x1: Int
    public var reduce3x3: Int
    public var out3x3: Int
    public var reduceWide: Int
    public var outWide: Int
    public var poolProjection: Int
    public var wideKernelSize: Int
    /// See `BasicConv2d`; nil for the paper's convolutions with bias and no batch normalisation.
    public var batchNormEpsilon: Float?

    public init(_ branch1x1: Int, _ reduce3x3: Int, _ out3x3: Int, _ reduceWide: Int, _ outWide: Int,
                _ poolProjection: Int, wideKernelSize: Int = 3, batchNormEpsilon: Float? = 0.001) {
        self.branch1x1 = branch1x1
        self.reduce3x3 = reduce3x3
        self.out3x3 = out3x3
        self.reduceWide = reduceWide
        self.outWide = outWide
        self.poolProjection = poolProjection
        self.wideKernelSize = wideKernelSize
        self.batchNormEpsilon = batchNormEpsilon
    }

    public func callAsFunction(_ input: Value, _ tracer: inout Tracer) throws -> Value {
        try tracer.require(wideKernelSize >= 1 && wideKernelSize % 2 == 1, "Inception",
                           "the wide branch's kernel size \(wideKernelSize) must be odd, to keep the spatial size")
        func conv(_ channels: Int, _ kernel: Int) -> BasicConv2d {
            BasicConv2d(channels, kernelSize: Size2D(kernel), padding: Padding(integerLiteral: kernel / 2),
                        batchNormEpsilon: batchNormEpsilon)
        }
        let branches: KeyValuePairs<String, any Layer> = [
            "branch1": conv(branch1x1, 1),
            "branch2": Sequential([conv(reduce3x3, 1), conv(out3x3, 3)]),
            "branch3": Sequential([conv(reduceWide, 1), conv(outWide, wideKernelSize)]),
            "branch4": Sequential([MaxPool2d(3, stride: 1, padding: 1, ceilMode: true), conv(poolProjection, 1)]),
        ]
        var outputs: [Value] = []
        for (name, branch) in branches {
            outputs.append(try branch(input, &tracer, at: name))
        }
        return try tracer.apply(.concat(axis: 1), outputs, role: "concat")
    }
}

import Foundation
import ZooGraph
import ZooTensor

/// MelWeightMatrix (opset 17): `[dft_length/2 + 1, num_mel_bins]` triangular filters that map
/// a one-sided spectrum's bins onto the mel scale, computed once here and written by a fill.
/// The num_mel_bins + 2 band edges are spaced evenly in mels (mel = 2595·log₁₀(1 + hz/700))
/// from lower_edge_hertz with a step of (high − low mels) / (num_mel_bins + 2), as the ONNX
/// definition and onnxruntime have it, and put on the bin floor((dft_length + 1)·hz /
/// sample_rate), computed in Double. Filter i rises from edge i to edge i + 1 ((j − left) /
/// (centre − left); a single 1 at the centre when they coincide) and falls to edge i + 2.
/// An edge beyond the last bin (upper_edge_hertz above the Nyquist frequency) is refused:
/// onnxruntime would write outside its output. Floating output dtypes only.
enum MelWeightMatrix {
    static func prepare(_ context: KernelContext, dtype: DType) throws(RuntimeError) -> PreparedKernel {
        guard let element = ElementTypes.floating(dtype) else {
            throw context.unsupported("output_datatype \(dtype): only floating-point weights are supported")
        }
        let melBins = try integer(context, 0, role: "num_mel_bins")
        let dftLength = try integer(context, 1, role: "dft_length")
        let sampleRate = try integer(context, 2, role: "sample_rate")
        let lower = try hertz(context, 3, role: "lower_edge_hertz"), upper = try hertz(context, 4, role: "upper_edge_hertz")
        guard lower <= upper else { throw context.fail("lower_edge_hertz \(lower) is above upper_edge_hertz \(upper)") }
        let spectrumBins = dftLength / 2 + 1
        let output = ValueType(dtype, [spectrumBins, melBins])
        try context.requireAllocatable(output, value: context.node.outputs[0])
        let edges = try bandEdges(context, count: melBins + 2, dftLength: dftLength, sampleRate: sampleRate,
                                  lower: lower, upper: upper, spectrumBins: spectrumBins)
        let tensor: Tensor
        do { tensor = try filled(element, output.shape, edges: edges) } catch { throw .tensor(error) }
        return PreparedKernel(kernel: FillKernel(value: tensor, repeats: 1), outputTypes: [output])
    }

    /// A positive integer scalar (num_mel_bins, dft_length, sample_rate).
    private static func integer(_ context: KernelContext, _ index: Int, role: String) throws(RuntimeError) -> Int {
        guard let values = try context.constantIntegers(index, role: role) else { throw context.fail("\(role) is required") }
        guard values.count == 1, values[0] >= 1 else {
            throw context.fail("\(role) '\(context.node.inputs[index])' must be one value of at least 1, got \(values.prefix(4))")
        }
        return values[0]
    }

    private static func hertz(_ context: KernelContext, _ index: Int, role: String) throws(RuntimeError) -> Double {
        guard let tensor = try context.requiredConstant(index, role: role) else { throw context.fail("\(role) is required") }
        let values = tensor.doubleValues
        guard tensor.dtype.isFloatingPoint, values.count == 1, values[0].isFinite, values[0] >= 0 else {
            throw context.fail("\(role) '\(context.node.inputs[index])' must be one finite frequency of at least 0, got \(tensor)")
        }
        return values[0]
    }

    /// The bins of the band edges; every filter writes rows up to its right edge − 1 and its
    /// centre, which must lie in the spectrum.
    private static func bandEdges(_ context: KernelContext, count: Int, dftLength: Int, sampleRate: Int,
                                  lower: Double, upper: Double, spectrumBins: Int) throws(RuntimeError) -> [Int] {
        func mel(_ hz: Double) -> Double { 2595 * log10(1 + hz / 700) }
        let low = mel(lower), step = (mel(upper) - low) / Double(count)
        var edges: [Int] = []
        for index in 0..<count {
            let hz = 700 * (pow(10, (low + step * Double(index)) / 2595) - 1)
            let bin = (Double(dftLength + 1) * hz / Double(sampleRate)).rounded(.down)
            let limit = index == count - 1 ? spectrumBins : spectrumBins - 1
            guard bin >= 0, bin <= Double(limit) else {
                throw context.fail("upper_edge_hertz \(upper) puts a band edge on bin \(bin), beyond the spectrum's \(spectrumBins) bins (the Nyquist frequency is \(Double(sampleRate) / 2) Hz)")
            }
            edges.append(Int(bin))
        }
        return edges
    }

    private static func filled<Element: TensorElement>(_: Element.Type, _ shape: [Int], edges: [Int]) throws(TensorError) -> Tensor {
        var tensor = try Tensor(zeros: shape, dtype: Element.dtype)
        let columns = shape[1]
        tensor.withUnsafeMutableBytes { bytes in
            let weights = bytes.bindMemory(to: Element.self)
            for filter in 0..<columns {
                let (left, centre, right) = (edges[filter], edges[filter + 1], edges[filter + 2])
                if centre == left {
                    weights[centre * columns + filter] = Element(fromDouble: 1)
                } else {
                    for row in left...centre { weights[row * columns + filter] = Element(fromDouble: Double(row - left) / Double(centre - left)) }
                }
                for row in centre..<right { weights[row * columns + filter] = Element(fromDouble: Double(right - row) / Double(right - centre)) }
            }
        }
        return tensor
    }
}

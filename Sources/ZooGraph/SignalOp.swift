import ZooTensor

/// Spectral ops and window functions (opset 17 on; DFT in its opset-20 form). Signals are
/// real (`[…, 1]`) or complex (`[…, 2]`, real and imaginary parts) along the last axis.
public enum SignalOp: Sendable, Hashable {
    /// DFT(input, dft_length?, axis?): the discrete Fourier transform along `axis` (the third
    /// input when nil, read at run time), over `dft_length` points (the axis' size when absent).
    case dft(inverse: Bool, onesided: Bool, axis: Int?)
    /// STFT(signal, frame_step, window?, frame_length?): the DFT of each windowed frame of a
    /// `[batch, length, 1 or 2]` signal, `[batch, frames, bins, 2]`.
    case stft(onesided: Bool)
    /// HannWindow, HammingWindow, BlackmanWindow(size): a window of `size` points of `dtype`.
    case window(WindowFunction, periodic: Bool, dtype: DType)
    /// MelWeightMatrix(num_mel_bins, dft_length, sample_rate, lower_edge_hertz,
    /// upper_edge_hertz): `[dft_length/2 + 1, num_mel_bins]` triangular filters of `dtype`.
    case melWeightMatrix(dtype: DType)

    public var onnxName: String {
        switch self {
        case .dft: "DFT"
        case .stft: "STFT"
        case .window(let function, _, _): function.rawValue
        case .melWeightMatrix: "MelWeightMatrix"
        }
    }

    public var inputArity: ClosedRange<Int> {
        switch self {
        case .dft: 1...3
        case .stft: 2...4
        case .window: 1...1
        case .melWeightMatrix: 5...5
        }
    }

    /// The DFT axis resolved against the input's rank, in [0, rank − 2] (the last axis holds
    /// the complex parts); nil outside [−rank, −2] ∪ [0, rank − 2].
    public static func resolvedDFTAxis(_ axis: Int, rank: Int) -> Int? {
        guard rank >= 2, axis >= -rank, axis <= rank - 2, axis != -1 else { return nil }
        return axis < 0 ? axis + rank : axis
    }

    var attributeSummary: [(String, Any?)] {
        switch self {
        case .dft(let inverse, let onesided, let axis):
            [("inverse", inverse ? 1 : nil), ("onesided", onesided ? 1 : nil), ("axis", axis)]
        case .stft(let onesided): [("onesided", onesided ? nil : 0)]
        case .window(_, let periodic, let dtype): [("periodic", periodic ? nil : 0), ("output_datatype", dtype.rawValue)]
        case .melWeightMatrix(let dtype): [("output_datatype", dtype.rawValue)]
        }
    }
}

/// The generalised cosine windows: `w[n] = a0 − a1·cos(2πn/N) + a2·cos(4πn/N)`, N the size
/// (periodic) or the size − 1 (symmetric).
public enum WindowFunction: String, Sendable, Hashable, CaseIterable {
    case hann = "HannWindow"
    case hamming = "HammingWindow"
    case blackman = "BlackmanWindow"

    public var coefficients: (Double, Double, Double) {
        switch self {
        case .hann: (0.5, 0.5, 0)
        case .hamming: (25.0 / 46, 21.0 / 46, 0)
        case .blackman: (0.42, 0.5, 0.08)
        }
    }
}

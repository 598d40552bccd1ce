import Foundation
import ZooWeights

/// The weights formats `--weights`, `zoo convert` and `zoo fetch --from` read, told apart by
/// the file's first bytes (the extension is only a last resort, for ONNX's protobuf, which
/// has no signature).
enum WeightsFormat: CustomStringConvertible {
    /// torch.save's zip archive (.pth, .pt, Hugging Face's pytorch_model.bin).
    case pyTorch
    case safeTensors
    case onnx
    /// An HDF5 file: ModelZoo's own layout (the reader checks its `format` attribute).
    case zooHDF5
    /// An HDF5 file in one of Keras's layouts (`KerasWeights`).
    case keras
    /// An HDF5 file in bilm-tf's layout: ELMo's published weights (`BilmConversion`).
    case bilm

    var description: String {
        switch self {
        case .pyTorch: "PyTorch checkpoint"
        case .safeTensors: "safetensors"
        case .onnx: "ONNX"
        case .zooHDF5: "ModelZoo HDF5"
        case .keras: "Keras HDF5"
        case .bilm: "bilm-tf (ELMo) HDF5"
        }
    }

    static let hdf5Signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    static func detect(_ path: String) throws(PretrainedError) -> WeightsFormat {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            // Unreadable: the extension chooses the reader, which then reports why.
            switch URL(fileURLWithPath: path).pathExtension.lowercased() {
            case "pth", "pt", "bin": return .pyTorch
            case "safetensors": return .safeTensors
            case "onnx": return .onnx
            case "h5", "hdf5": return .zooHDF5
            default: throw .unsupportedSource(file: path)
            }
        }
        defer { try? handle.close() }
        let leading = [UInt8]((try? handle.read(upToCount: 16)) ?? Data())
        if PyTorchCheckpoint.isZipArchive(leading) { return .pyTorch }
        if leading.starts(with: hdf5Signature) { return try hdf5Flavour(path) }
        if PyTorchCheckpoint.isLegacyPickle(leading) {
            throw .weights(.unreadableCheckpoint(file: path, reason: "the format torch.save wrote before PyTorch 1.6 (a bare pickle) "
                + "is not supported; load it in PyTorch and save it again with torch.save"))
        }
        if leading.count > 8, leading[8] == UInt8(ascii: "{") { return .safeTensors }
        if URL(fileURLWithPath: path).pathExtension.lowercased() == "onnx" || leading.first == 0x08 { return .onnx }
        throw .unsupportedSource(file: path)
    }

    /// Which HDF5 layout the file has, decided by its tree without reading data.
    private static func hdf5Flavour(_ path: String) throws(PretrainedError) -> WeightsFormat {
        let view: ForeignHDF5File
        do { view = try ForeignHDF5File.read(path, includingData: false) } catch { throw .weights(error) }
        if KerasWeights.layout(of: view) != nil { return .keras }
        return BilmConversion.isBilmFile(view) ? .bilm : .zooHDF5
    }
}

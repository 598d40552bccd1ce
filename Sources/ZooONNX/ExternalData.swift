import CONNXProto
import Foundation
import ZooTensor

/// Reads tensors that an ONNX file keeps in side files (`data_location = EXTERNAL`, with
/// `location`, `offset`, `length` entries, as the ONNX spec describes). A location must be a
/// relative path that stays inside the model's directory; the byte range must lie inside the
/// file and match the tensor's size, all checked before anything is allocated.
final class ExternalDataReader {
    /// The directory of the model file; nil when parsing bytes that came from no file.
    let directory: String?
    private var files: [String: (descriptor: Int32, size: Int)] = [:]

    init(modelPath: String?) {
        directory = modelPath.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path }
    }

    deinit {
        for file in files.values { close(file.descriptor) }
    }

    /// Fills a tensor of `dtype` and `shape` from the side file the entries name.
    func read(entries: [String: String], dtype: DType, shape: [Int], byteCount: Int)
        throws(TensorProtoConversion.Reason) -> Tensor
    {
        guard let directory else {
            throw .init("stored in an external file, which needs the model to be read from its file")
        }
        guard let location = entries["location"], !location.isEmpty else {
            throw .init("external data has no 'location'")
        }
        guard !location.hasPrefix("/"), !location.split(separator: "/").contains("..") else {
            throw .init("external data location '\(location)' leaves the model's directory")
        }
        let offset = try integer(entries["offset"], name: "offset") ?? 0
        let length = try integer(entries["length"], name: "length") ?? byteCount
        guard length == byteCount else {
            throw .init("external data length \(length) does not match the \(byteCount) bytes of shape \(shape) \(dtype)")
        }
        let file = try open(directory + "/" + location, location: location)
        guard offset <= file.size, length <= file.size - offset else {
            // An offset read from the file may be near 2^63: the end is then written as a sum.
            let end = (try? CheckedArithmetic.add(offset, length)).map(String.init) ?? "\(offset) + \(length)"
            throw .init("external data '\(location)' has \(file.size) bytes, the tensor needs bytes \(offset)..<\(end)")
        }
        var tensor: Tensor
        do { tensor = try Tensor(zeros: shape, dtype: dtype) } catch { throw .init(error.description) }
        let complete = tensor.withUnsafeMutableBytes { buffer in
            var done = 0
            while done < length {
                let count = pread(file.descriptor, buffer.baseAddress! + done, length - done, off_t(offset + done))
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return false }
                done += count
            }
            return true
        }
        guard complete else { throw .init("reading external data '\(location)' failed: \(String(cString: strerror(errno)))") }
        return tensor
    }

    private func integer(_ text: String?, name: String) throws(TensorProtoConversion.Reason) -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), value >= 0 else { throw .init("external data \(name) '\(text)' is not a byte count") }
        return value
    }

    private func open(_ path: String, location: String) throws(TensorProtoConversion.Reason) -> (descriptor: Int32, size: Int) {
        if let file = files[path] { return file }
        // Resolve symbolic links too: the real file must still lie inside the directory.
        guard let directory, let realDirectory = realpath(directory, nil).map({ String(cString: $0) }) else {
            throw .init("external data '\(location)' cannot be resolved")
        }
        guard let resolved = realpath(path, nil) else {
            throw .init("external data file '\(location)' is missing: \(String(cString: strerror(errno)))")
        }
        let realPath = String(cString: resolved)
        free(resolved)
        guard realPath.hasPrefix(realDirectory + "/") else {
            throw .init("external data location '\(location)' leaves the model's directory")
        }
        let descriptor = Foundation.open(realPath, O_RDONLY)
        guard descriptor >= 0 else { throw .init("cannot open external data '\(location)': \(String(cString: strerror(errno)))") }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw .init("external data '\(location)' is not a regular file")
        }
        let file = (descriptor, Int(status.st_size))
        files[path] = file
        return file
    }
}

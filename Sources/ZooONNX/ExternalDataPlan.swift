import Foundation
import ZooGraph
import ZooIO
import ZooTensor

/// Where large initializers go when a model keeps its weights in a side file: one file next
/// to the model, each tensor at a 4 KiB-aligned offset (so it can be mapped directly).
struct ExternalDataPlan {
    struct Location {
        var file: String
        var offset: Int
        var length: Int
    }

    static let alignment = 4096
    /// Tensors smaller than this stay inline, as onnx's own converter does.
    static let minimumExternalBytes = 1024

    let fileName: String
    private(set) var locations: [String: Location] = [:]
    private(set) var fileSize = 0

    init(graph: Graph, fileName: String) {
        self.fileName = fileName
        for initializer in graph.initializers where initializer.tensor.byteCount >= Self.minimumExternalBytes {
            let offset = (fileSize + Self.alignment - 1) / Self.alignment * Self.alignment
            locations[initializer.name] = Location(file: fileName, offset: offset, length: initializer.tensor.byteCount)
            fileSize = offset + initializer.tensor.byteCount
        }
    }

    /// Writes the side file atomically, every planned tensor at its offset.
    func writeData(of graph: Graph, to path: String) throws(FileError) {
        try AtomicFile.write(to: path) { (descriptor: Int32) throws(FileError) in
            for initializer in graph.initializers {
                guard let location = locations[initializer.name] else { continue }
                let failure: Int32? = initializer.tensor.withUnsafeBytes { bytes in
                    var done = 0
                    while done < bytes.count {
                        let count = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(location.offset + done))
                        if count < 0 && errno == EINTR { continue }
                        guard count > 0 else { return count < 0 ? errno : ENOSPC }
                        done += count
                    }
                    return nil
                }
                if let failure { throw FileError(path: path, reason: String(cString: strerror(failure))) }
            }
        }
    }
}

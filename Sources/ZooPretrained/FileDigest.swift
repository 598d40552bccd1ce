import Foundation
import ZooIO
import ZooWeights

/// SHA-256 and size of whole files, for pinning weights files in manifests.
enum FileDigest {
    /// The file is mapped rather than read, so a 90 MB file costs no 90 MB buffer.
    static func sha256(ofFile path: String) throws(PretrainedError) -> String {
        try mapped(path, algorithm: "SHA-256") { SHA256.hexDigest(of: $0) }
    }

    private static func mapped(
        _ path: String, algorithm: String, _ digest: (UnsafeRawBufferPointer) -> String?
    ) throws(PretrainedError) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw .file(FileError(path: path, reason: "cannot read it: \(error.localizedDescription)"))
        }
        guard let hex = data.withUnsafeBytes(digest) else { throw .weights(.digestUnavailable(context: path, algorithm: algorithm)) }
        return hex
    }

    static func size(ofFile path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
    }

    /// Checks size first (free) and then SHA-256 against the variant of `model`; a variant
    /// converted from an unpinned conversion of a `download` pins neither.
    static func check(_ path: String, against variant: WeightsVariant, model: String) throws(PretrainedError) {
        let size = Self.size(ofFile: path) ?? -1
        if let expected = variant.size, size != expected { throw .sizeMismatch(file: path, model: model, expected: expected, actual: size) }
        guard let expected = variant.sha256 else { return }
        let digest = try sha256(ofFile: path)
        guard digest == expected else { throw .checksumMismatch(file: path, model: model, expected: expected, actual: digest) }
    }

    /// Checks a downloaded upstream file: its SHA-256 must begin with the pinned prefix, or
    /// its MD5 be the pinned one; a download that pins neither is refused.
    static func check(_ path: String, against download: WeightsVariant.Download, model: String) throws(PretrainedError) {
        if let md5 = download.md5 {
            let digest = try mapped(path, algorithm: "MD5") { MD5.hexDigest(of: $0) }
            guard digest == md5.lowercased() else { throw .downloadPinMismatch(file: path, model: model, pin: "MD5 \(md5)", actual: "MD5 \(digest)") }
            return
        }
        let prefix = download.sha256Prefix?.lowercased() ?? ""
        let digest = try sha256(ofFile: path)
        guard !prefix.isEmpty, digest.hasPrefix(prefix) else {
            throw .downloadPinMismatch(file: path, model: model, pin: "a SHA-256 beginning with \(prefix)", actual: "SHA-256 \(digest)")
        }
    }
}

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

    /// Checks size first (free) and then SHA-256 against the variant of `model`. A variant
    /// converted from a `download` pins neither (nobody could convert it before the manifest
    /// was written): its file is checked against the SHA-256 recorded beside it when it was
    /// converted (`recordedDigestFile`), if there is one.
    static func check(_ path: String, against variant: WeightsVariant, model: String) throws(PretrainedError) {
        let size = Self.size(ofFile: path) ?? -1
        if let expected = variant.size, size != expected { throw .sizeMismatch(file: path, model: model, expected: expected, actual: size) }
        if let expected = variant.sha256 {
            let digest = try sha256(ofFile: path)
            guard digest == expected else { throw .checksumMismatch(file: path, model: model, expected: expected, actual: digest) }
        } else if let recorded = recordedDigest(of: path) {
            let digest = try sha256(ofFile: path)
            guard digest == recorded else { throw .cachedFileDamaged(file: path, model: model, recorded: recorded, actual: digest) }
        }
    }

    /// Where the SHA-256 of a converted file in the cache is recorded: beside it, as sha256sum
    /// prints it ("<hex>  <file name>").
    static func recordedDigestFile(of path: String) -> String { path + ".sha256" }

    /// Records `digest` as the converted file `path`'s (written atomically).
    static func record(_ digest: String, of path: String) throws(PretrainedError) {
        let line = "\(digest)  \(URL(fileURLWithPath: path).lastPathComponent)\n"
        do { try Data(line.utf8).write(to: URL(fileURLWithPath: recordedDigestFile(of: path)), options: .atomic) } catch {
            throw .file(FileError(path: recordedDigestFile(of: path), reason: "cannot record the converted file's SHA-256: \(error.localizedDescription)"))
        }
    }

    /// The recorded SHA-256, or nil when none was recorded (a cache written before digests were) or the record is unreadable as one.
    private static func recordedDigest(of path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: recordedDigestFile(of: path)), data.count <= 4096,
              let line = String(data: data, encoding: .utf8) else { return nil }
        let digest = String(line.prefix { !$0.isWhitespace })
        return digest.count == 64 && digest.allSatisfy(\.isHexDigit) ? digest.lowercased() : nil
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

import Foundation
import ZooIO

/// How `fetch` found or made the weights.
public enum FetchOutcome: Sendable, Equatable {
    /// The file ships with the zoo, next to the manifest.
    case shipped
    /// The cache already held the file.
    case cached
    case downloaded(url: String)
    /// Downloaded in another format, checked as `pin` says (a SHA-256 prefix or an MD5), and
    /// converted; `ignored` as for `converted`.
    case downloadedAndConverted(url: String, pin: String, ignored: [String])
    /// Converted from the file the caller named; `ignored` lists the source's tensors that
    /// the manifest says are not parameters.
    case converted(source: String, ignored: [String])
}

extension PretrainedZoo {
    /// Makes the weights of `id` available, checked against the manifest's size and
    /// SHA-256, and returns where they are: the zoo's own copy, the cache's, a download from
    /// the manifest's URL, or, with `source`, a conversion of that file (ONNX, safetensors or
    /// zoo HDF5). Downloads and conversions are checked before they are moved into the
    /// cache, so a bad file never replaces anything. A damaged file in the cache is downloaded
    /// again, or, without `replacingDamaged` (loading rather than fetching), named in the error.
    @discardableResult
    public func fetch(
        _ id: String, variant name: String? = nil, from source: String? = nil, progress: DownloadProgress? = nil,
        replacingDamaged: Bool = true
    ) throws(PretrainedError) -> (file: String, outcome: FetchOutcome) {
        let manifest = try manifest(id)
        let variant = try manifest.variant(named: name)
        let destination = cacheFile(of: variant, model: id)
        if let source {
            let ignored = try install(to: destination, variant: variant, model: id) { (staging) throws(PretrainedError) in
                try WeightsConversion.convert(source, for: manifest, variant: variant, to: staging)
            }
            return (destination, .converted(source: source, ignored: ignored))
        }
        let shipped = shippedFile(variant.file, of: id)
        if FileManager.default.fileExists(atPath: shipped) {
            try FileDigest.check(shipped, against: variant, model: id)
            return (shipped, .shipped)
        }
        if FileManager.default.fileExists(atPath: destination) {
            do {
                try FileDigest.check(destination, against: variant, model: id)
                return (destination, .cached)
            } catch {
                // A damaged cache entry is replaced by a good download, never by a conversion nobody asked for.
                guard replacingDamaged, variant.url != nil || variant.download != nil else { throw error }
            }
        }
        if let download = variant.download {
            return try downloadAndConvert(download, manifest: manifest, variant: variant, to: destination, progress: progress)
        }
        guard let url = variant.url.flatMap(URL.init(string:)) else { throw notFetched(variant, model: id) }
        try createDirectory(for: destination)
        let partial = destination + ".partial"
        try WeightsDownload(url: url, partialFile: partial, expectedSize: variant.size, progress: progress).run()
        do { try FileDigest.check(partial, against: variant, model: id) } catch {
            unlink(partial)  // resuming a file with wrong bytes can never succeed
            throw error
        }
        try moveIntoPlace(partial, destination)
        return (destination, .downloaded(url: url.absoluteString))
    }

    /// Downloads the upstream file next to `destination`, checks its SHA-256 prefix or MD5, converts
    /// it through the weights dispatch and installs the result; the upstream file is removed
    /// once converted (a wrong one at once, since resuming it can never succeed).
    private func downloadAndConvert(
        _ download: WeightsVariant.Download, manifest: ZooManifest, variant: WeightsVariant, to destination: String,
        progress: DownloadProgress?
    ) throws(PretrainedError) -> (file: String, outcome: FetchOutcome) {
        guard let url = URL(string: download.url) else { throw notFetched(variant, model: manifest.id) }
        try createDirectory(for: destination)
        let upstream = URL(fileURLWithPath: destination).deletingLastPathComponent().appendingPathComponent(download.file).path
        let partial = upstream + ".partial"
        // An approximate size in MB (or MiB) bounds the download, with a tenth to spare.
        let limit = download.approximateMegabytes.map { Int(($0 * 1.1 * 1_048_576).rounded(.up)) }
        try WeightsDownload(url: url, partialFile: partial, expectedSize: nil, sizeLimit: limit, progress: progress).run()
        defer { unlink(partial) }
        try FileDigest.check(partial, against: download, model: manifest.id)
        let ignored = try install(to: destination, variant: variant, model: manifest.id) { (staging) throws(PretrainedError) in
            try WeightsConversion.convert(partial, for: manifest, variant: variant, to: staging)
        }
        return (destination, .downloadedAndConverted(url: url.absoluteString, pin: variant.downloadPin ?? "", ignored: ignored))
    }

    /// Produces a file at a fresh staging path next to `destination`, checks it against the
    /// variant, and only then renames it over `destination`; the staging file is removed on
    /// any failure. A variant that pins no SHA-256 (converted from a download) gets the new
    /// file's recorded beside it first, which later loads check.
    private func install<Value>(
        to destination: String, variant: WeightsVariant, model id: String,
        _ produce: (_ staging: String) throws(PretrainedError) -> Value
    ) throws(PretrainedError) -> Value {
        try createDirectory(for: destination)
        let url = URL(fileURLWithPath: destination)
        let staging = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).incoming").path
        defer { unlink(staging) }  // after a successful move there is nothing left to remove
        let value = try produce(staging)
        try FileDigest.check(staging, against: variant, model: id)
        if variant.sha256 == nil { try FileDigest.record(try FileDigest.sha256(ofFile: staging), of: destination) }
        try moveIntoPlace(staging, destination)
        return value
    }

    private func createDirectory(for file: String) throws(PretrainedError) {
        let directory = URL(fileURLWithPath: file).deletingLastPathComponent().path
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw .file(FileError(path: directory, reason: "cannot create the cache directory: \(error.localizedDescription)"))
        }
    }

    /// rename(2) within one directory: readers see the old file or the new one, never a mix.
    private func moveIntoPlace(_ file: String, _ destination: String) throws(PretrainedError) {
        guard rename(file, destination) == 0 else {
            throw .file(FileError(path: destination, reason: "cannot move \(file) into place: \(String(cString: strerror(errno)))"))
        }
    }
}

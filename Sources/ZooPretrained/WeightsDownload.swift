import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Progress of a download: bytes of the file present so far (resumed ones included), and
/// its size.
public typealias DownloadProgress = @Sendable (_ received: Int, _ total: Int) -> Void

/// Brings a partial file up to the size the manifest pins by HTTP(S), resuming from the bytes
/// it already holds with a `Range` request. It checks sizes, never contents: the caller
/// hashes the finished file before it goes anywhere.
///
/// - A server that ignores the range (200) restarts the file from the first byte.
/// - A transfer that stops early keeps what arrived and throws `.downloadInterrupted`.
/// - A refusal (any other status), or a size other than the manifest's, throws
///   `.downloadFailed` and leaves the partial file as it was.
/// - Bytes beyond the pinned size mean the server sends another file: the partial file is
///   emptied, since resuming it could never succeed.
/// - With no pinned size (an upstream file whose publisher gives none) the server's
///   Content-Length or Content-Range total is taken as the size, and `sizeLimit`, if any,
///   bounds it, so a wrong server cannot fill the disk.
struct WeightsDownload {
    let url: URL
    let partialFile: String
    let expectedSize: Int?
    var sizeLimit: Int? = nil
    let progress: DownloadProgress?

    /// Seconds without a byte before the transfer counts as interrupted.
    static let idleTimeout: TimeInterval = 60

    func run() throws(PretrainedError) {
        let descriptor = open(partialFile, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else {
            throw .downloadFailed(url: url.absoluteString, reason: "cannot open \(partialFile): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        // Two processes appending to one partial file would interleave their bytes.
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            throw .downloadFailed(url: url.absoluteString, reason: "another process is downloading into \(partialFile)")
        }
        var status = stat()
        fstat(descriptor, &status)
        var start = Int(status.st_size)
        if let expectedSize, start > expectedSize {
            ftruncate(descriptor, 0)
            start = 0
        }
        if let expectedSize, start == expectedSize { return }

        var request = URLRequest(url: url, timeoutInterval: Self.idleTimeout)
        if start > 0 { request.setValue("bytes=\(start)-", forHTTPHeaderField: "Range") }
        let transfer = Transfer(descriptor: descriptor, start: start, expectedSize: expectedSize, sizeLimit: sizeLimit, url: url.absoluteString,
                                partialFile: partialFile, progress: progress)
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: .ephemeral, delegate: transfer, delegateQueue: queue)
        session.dataTask(with: request).resume()
        transfer.finished.wait()
        session.finishTasksAndInvalidate()
        if let failure = transfer.failure { throw failure }
        fsync(descriptor)
    }
}

/// The delegate of one transfer, writing bytes at the file's end as they arrive. Its state
/// is touched only on the session's serial delegate queue until `finished` is signalled.
private final class Transfer: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let descriptor: Int32
    /// The pinned size, or once the server answers, the size it announces.
    private(set) var expectedSize: Int?
    let sizeLimit: Int?
    let url: String
    let partialFile: String
    let progress: DownloadProgress?
    let finished = DispatchSemaphore(value: 0)
    private(set) var failure: PretrainedError?
    private var offset: Int
    private var responded = false

    init(descriptor: Int32, start: Int, expectedSize: Int?, sizeLimit: Int?, url: String, partialFile: String, progress: DownloadProgress?) {
        self.descriptor = descriptor
        self.sizeLimit = sizeLimit
        self.offset = start
        self.expectedSize = expectedSize
        self.url = url
        self.partialFile = partialFile
        self.progress = progress
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        responded = true
        failure = accept(response)
        completionHandler(failure == nil ? .allow : .cancel)
        if failure == nil { progress?(offset, expectedSize ?? 0) }
    }

    private func accept(_ response: URLResponse) -> PretrainedError? {
        guard let http = response as? HTTPURLResponse else { return nil }
        let refuse = { (reason: String) in PretrainedError.downloadFailed(url: self.url, reason: reason) }
        switch http.statusCode {
        case 206:
            // Content-Range: bytes START-END/TOTAL
            let range = (http.value(forHTTPHeaderField: "Content-Range") ?? "").split(whereSeparator: { " -/".contains($0) })
            guard range.count == 4, Int(range[1]) == offset else {
                return refuse("the server resumed at another byte than \(offset) (Content-Range: \(range.joined(separator: " ")))")
            }
            guard let total = Int(range[3]), total == expectedSize ?? total else {
                return refuse("the server's file is \(range[3]) bytes, the manifest pins \(expectedSize ?? 0)")
            }
            expectedSize = total
        case 200:
            let announced = response.expectedContentLength >= 0 ? Int(response.expectedContentLength) : nil
            if let announced, let expectedSize, announced != expectedSize {
                return refuse("the server's file is \(announced) bytes, the manifest pins \(expectedSize)")
            }
            if let announced, let sizeLimit, announced > sizeLimit {
                return refuse("the server's file is \(announced) bytes, more than the \(sizeLimit) the manifest's approximate size allows")
            }
            expectedSize = expectedSize ?? announced
            ftruncate(descriptor, 0)
            offset = 0
        default:
            return refuse("the server answered \(http.statusCode) \(HTTPURLResponse.localizedString(forStatusCode: http.statusCode))")
        }
        return nil
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard failure == nil else { return }
        if let limit = expectedSize ?? sizeLimit, offset + data.count > limit {
            ftruncate(descriptor, 0)
            failure = .downloadFailed(url: url, reason: "the server sent more than the \(expectedSize) bytes it or the manifest allowed; \(partialFile) was emptied")
            dataTask.cancel()
            return
        }
        let written = data.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(offset)) }
        guard written == data.count else {
            failure = .downloadFailed(url: url, reason: "cannot write \(partialFile): \(String(cString: strerror(errno)))")
            dataTask.cancel()
            return
        }
        offset += data.count
        progress?(offset, expectedSize ?? 0)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        if failure == nil, !responded {
            failure = .downloadFailed(url: url, reason: error?.localizedDescription ?? "no response")
        } else if failure == nil, let expectedSize, offset < expectedSize {
            failure = .downloadInterrupted(url: url, received: offset, expected: expectedSize, partialFile: partialFile,
                                           reason: error?.localizedDescription ?? "the server closed the connection early")
        }
        finished.signal()
    }
}

import CHDF5
import Synchronization

/// The one door into libhdf5. Its default build is not thread-safe, so every libhdf5 call in
/// this module runs inside `serialized`, which holds one process-wide lock. (Debian builds
/// the library with its thread-safe option, which serializes calls internally; the lock
/// costs nothing there and keeps other builds safe.) Each entry also stops libhdf5 printing
/// its error stack to stderr: the thread-safe build keeps that setting per thread, and
/// failures become `WeightsError` values through `HDF5Calls` instead.
enum HDF5Library {
    private static let lock = Mutex(())

    /// Runs `body` holding the libhdf5 lock. Not reentrant: `body` must not call it again.
    static func serialized<Result: Sendable>(_ body: () throws(WeightsError) -> Result) throws(WeightsError) -> Result {
        try lock.withLock { _ throws(WeightsError) -> Result in
            H5Eset_auto2(zoo_H5E_DEFAULT(), nil, nil)
            return try body()
        }
    }
}

/// Checks the results of libhdf5 calls made while working on one file: a negative
/// identifier or status becomes `WeightsError.hdf5` with what we were doing and libhdf5's
/// own explanation, taken from its error stack.
struct HDF5Calls {
    /// The file as the user named it, for messages.
    let file: String

    /// `result` when it is not negative (a valid identifier, success, or true/false);
    /// otherwise throws.
    @discardableResult
    func check<Value: BinaryInteger>(_ result: Value, _ context: @autoclosure () -> String) throws(WeightsError) -> Value {
        guard result >= 0 else { throw .hdf5(file: file, context: context(), message: Self.takeErrorMessage()) }
        return result
    }

    /// The innermost (most specific) description on libhdf5's error stack, which is then
    /// cleared. Outer entries only repeat "unable to open file" and the like.
    static func takeErrorMessage() -> String {
        var descriptions: [String] = []
        withUnsafeMutablePointer(to: &descriptions) { collected in
            _ = H5Ewalk2(zoo_H5E_DEFAULT(), H5E_WALK_DOWNWARD, { _, entry, clientData in
                if let description = entry?.pointee.desc, let clientData {
                    clientData.assumingMemoryBound(to: [String].self).pointee.append(String(cString: description))
                }
                return 0
            }, collected)
        }
        H5Eclear2(zoo_H5E_DEFAULT())
        return descriptions.last ?? "libhdf5 gave no reason"
    }
}

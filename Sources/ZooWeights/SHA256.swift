import COpenSSL
import ZooTensor

/// SHA-256 from OpenSSL's libcrypto, which uses the CPU's SHA instructions where it has
/// them (about 1.8 GB/s on the project machines).
public enum SHA256 {
    /// The digest of `bytes` as 64 lowercase hexadecimal digits, as `sha256sum` prints it;
    /// nil only when OpenSSL cannot allocate its small context.
    public static func hexDigest(of bytes: UnsafeRawBufferPointer) -> String? {
        OpenSSLDigest.hex(of: bytes, EVP_sha256())
    }

    /// The digest of a tensor's raw bytes; `context` names it in the error.
    static func hexDigest(of tensor: Tensor, context: String) throws(WeightsError) -> String {
        guard let digest = tensor.withUnsafeBytes({ hexDigest(of: $0) }) else {
            throw .digestUnavailable(context: context, algorithm: "SHA-256")
        }
        return digest
    }
}

/// MD5, for checking files whose publishers pin them by nothing else (Keras Applications'
/// weights); never for anything ModelZoo pins itself.
public enum MD5 {
    /// The digest of `bytes` as 32 lowercase hexadecimal digits, as `md5sum` prints it; nil
    /// only when OpenSSL cannot allocate its small context.
    public static func hexDigest(of bytes: UnsafeRawBufferPointer) -> String? {
        OpenSSLDigest.hex(of: bytes, EVP_md5())
    }
}

enum OpenSSLDigest {
    /// Nil when EVP_Digest fails, which it does only when it cannot allocate its context:
    /// no input, however large or hostile, makes it fail.
    static func hex(of bytes: UnsafeRawBufferPointer, _ algorithm: OpaquePointer?) -> String? {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_Digest(bytes.baseAddress, bytes.count, &digest, &length, algorithm, nil) == 1 else { return nil }
        return digest.prefix(Int(length)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

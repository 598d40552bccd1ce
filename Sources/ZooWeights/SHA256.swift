import COpenSSL

/// SHA-256 from OpenSSL's libcrypto, which uses the CPU's SHA instructions where it has
/// them (about 1.8 GB/s on the project machines).
public enum SHA256 {
    /// The digest of `bytes` as 64 lowercase hexadecimal digits, as `sha256sum` prints it.
    public static func hexDigest(of bytes: UnsafeRawBufferPointer) -> String {
        OpenSSLDigest.hex(of: bytes, EVP_sha256(), name: "SHA-256")
    }
}

/// MD5, for checking files whose publishers pin them by nothing else (Keras Applications'
/// weights); never for anything ModelZoo pins itself.
public enum MD5 {
    /// The digest of `bytes` as 32 lowercase hexadecimal digits, as `md5sum` prints it.
    public static func hexDigest(of bytes: UnsafeRawBufferPointer) -> String {
        OpenSSLDigest.hex(of: bytes, EVP_md5(), name: "MD5")
    }
}

enum OpenSSLDigest {
    static func hex(of bytes: UnsafeRawBufferPointer, _ algorithm: OpaquePointer?, name: String) -> String {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let status = EVP_Digest(bytes.baseAddress, bytes.count, &digest, &length, algorithm, nil)
        // EVP_Digest fails only when OpenSSL cannot allocate its small context: no input,
        // however large or hostile, reaches this (sizes are checked before any hashing).
        precondition(status == 1, "OpenSSL could not compute a \(name) digest")
        return digest.prefix(Int(length)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// The file an output is written to by `zoo run --output DIR`: `DIR/<escaped name>.npy`.
///
/// Output names are arbitrary strings (a Caffe2-converted ResNet names one
/// `gpu_0/softmax_1`), but file names are not. Every UTF-8 byte outside `A-Z a-z 0-9 . _ -`
/// is written as `%XX` (two upper-case hex digits), and so is a leading `.`, so that no name
/// reaches outside DIR (`../x` → `%2E.%2Fx`), hides itself or names DIR (`.` → `%2E`). The
/// empty name, which no other name escapes to, becomes `%`. The escape is reversible, so
/// distinct names never share a file (on a file system that tells upper from lower case).
enum OutputFileName {
    static func escaped(_ name: String) -> String {
        guard !name.isEmpty else { return "%" }
        var result = ""
        for (index, byte) in name.utf8.enumerated() {
            if isKept(byte) && !(index == 0 && byte == UInt8(ascii: ".")) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return result
    }

    private static func isKept(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}

import ModelZoo

/// An input given as `NAME=FILE.npy`, read.
struct InputFile {
    let name: String
    let path: String
    let tensor: Tensor

    /// `NAME=FILE.npy` as the user wrote it, for messages.
    var origin: String { "\(name)=\(path)" }

    init(argument: String) throws {
        let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else { throw CommandError("--input takes NAME=FILE.npy, got '\(argument)'") }
        name = parts[0]
        path = parts[1]
        tensor = try NPYFile.read(from: path)
    }
}

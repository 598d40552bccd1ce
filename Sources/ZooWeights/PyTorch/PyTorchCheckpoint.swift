import ZooTensor

/// Reads the tensors of a checkpoint that `torch.save` wrote (PyTorch 1.6 and later): a zip
/// archive whose `<archive>/data.pkl` pickles the saved object, with each storage's bytes in
/// the stored entry `<archive>/data/<key>` and the byte order in `<archive>/byteorder`.
///
/// Only what `torch.load(weights_only=True)` accepts is read (see `RestrictedUnpickler`); the
/// state dict is found at the top level or under `state_dict`, `model` and similar keys,
/// and DataParallel's `module.` prefix is removed. Tensors are copied once, from the mapped
/// file into contiguous storage, after every size, stride and offset is checked against the
/// bytes its entry really holds.
public struct PyTorchCheckpoint: Sendable {
    /// The state dict's tensors by name.
    public let tensors: [String: Tensor]
    /// What was done to find them, for the user: where the state dict was, prefixes removed.
    public let notes: [String]

    /// Pickles larger than this are refused before they are parsed.
    static let maximumPickleByteCount = 1 << 26

    /// Whether the file starts like a zip archive (the container torch.save writes).
    public static func isZipArchive(_ leadingBytes: [UInt8]) -> Bool {
        leadingBytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || leadingBytes.starts(with: [0x50, 0x4B, 0x05, 0x06])
    }

    /// Whether the file starts like torch.save's format before PyTorch 1.6 (a bare pickle).
    public static func isLegacyPickle(_ leadingBytes: [UInt8]) -> Bool {
        leadingBytes.first == 0x80 && leadingBytes.count > 1 && (2...5).contains(leadingBytes[1])
    }

    public init(contentsOf path: String) throws(WeightsError) {
        let file = try MappedFile(path)
        let archive = try ZipDirectory(file)
        let prefix = try Self.archivePrefix(archive, file: path)
        func fail(_ reason: String) -> WeightsError { .unreadableCheckpoint(file: path, reason: reason) }
        if let order = archive.entries[prefix + "byteorder"] {
            let text = file.bytes(at: order.dataOffset, count: order.byteCount).map { String(decoding: $0, as: UTF8.self) }
            guard text == "little" else { throw fail("byte order '\(text ?? "")' is not supported; only little-endian checkpoints are read") }
        }
        guard let pickleEntry = archive.entries[prefix + "data.pkl"], pickleEntry.byteCount <= Self.maximumPickleByteCount,
              let pickle = file.bytes(at: pickleEntry.dataOffset, count: pickleEntry.byteCount) else {
            throw fail("\(prefix)data.pkl is missing or larger than \(Self.maximumPickleByteCount) bytes")
        }
        var unpickler = RestrictedUnpickler(pickle, source: prefix + "data.pkl")
        let root: PickleValue
        do { root = try unpickler.load() } catch { throw fail(error.description) }
        var notes: [String] = []
        let views = try Self.stateDict(in: root, notes: &notes, file: path)
        var tensors: [String: Tensor] = [:]
        let storages = CheckpointStorages(file: file, archive: archive, prefix: prefix)
        for (name, view) in views {
            tensors[name] = try storages.tensor(view, name: name)
        }
        withExtendedLifetime(file) {}   // the pickle's bytes lie in its mapping
        self.tensors = tensors
        self.notes = notes
    }

    /// The directory every entry lives in (torch.save names it after the file); data.pkl
    /// must be directly inside it.
    private static func archivePrefix(_ archive: ZipDirectory, file: String) throws(WeightsError) -> String {
        let pickles = archive.entries.keys.filter { name in
            name.hasSuffix("/data.pkl") && name.dropLast("/data.pkl".count).firstIndex(of: "/") == nil
        }
        guard pickles.count == 1, let pickle = pickles.first else {
            if archive.entries.keys.contains(where: { $0.hasSuffix("constants.pkl") }) {
                throw .unreadableCheckpoint(file: file, reason: "a TorchScript archive (torch.jit.save), not a torch.save checkpoint; save the model's state_dict() instead")
            }
            throw .unreadableCheckpoint(file: file, reason: "a zip archive with \(pickles.count) '<archive>/data.pkl' entries; a torch.save checkpoint has exactly one")
        }
        return String(pickle.dropLast("data.pkl".count))
    }

    /// Keys under which training scripts commonly nest the state dict.
    static let nestingKeys = ["state_dict", "model_state_dict", "model", "module", "net", "network"]

    /// The (name, tensor) pairs of the state dict inside `root`.
    private static func stateDict(in root: PickleValue, notes: inout [String], file: String) throws(WeightsError) -> [(String, TensorView)] {
        guard case .dict(let top) = root else {
            throw .unreadableCheckpoint(file: file, reason: "the checkpoint holds a \(root.kind), not a dict of tensors")
        }
        var dict = top
        if !containsTensors(top) {
            let nested = nestingKeys.lazy.compactMap { key -> (String, PickleDict)? in
                guard case .dict(let inner)? = top.values[.string(key)], containsTensors(inner) else { return nil }
                return (key, inner)
            }.first
            guard let (key, inner) = nested else {
                throw .unreadableCheckpoint(file: file, reason: "no state dict of tensors: the top-level keys are "
                    + "\(top.keys.map(\.description).joined(separator: ", ")), none holding tensors under \(nestingKeys.joined(separator: ", "))")
            }
            notes.append("the state dict is under the key '\(key)'")
            dict = inner
        }
        var views: [(String, TensorView)] = []
        var others: [String] = []
        for (key, value) in dict.entries {
            guard case .string(let name) = key, case .tensor(let view) = value else {
                others.append("\(key) (\(value.kind))")
                continue
            }
            views.append((name, view))
        }
        guard others.isEmpty else {
            throw .unreadableCheckpoint(file: file, reason: "the state dict holds entries that are not named tensors: \(others.joined(separator: ", "))")
        }
        if !views.isEmpty, views.allSatisfy({ $0.0.hasPrefix("module.") }) {
            views = views.map { (String($0.0.dropFirst("module.".count)), $0.1) }
            notes.append("the prefix 'module.' (torch.nn.DataParallel) is removed from every name")
        }
        return views
    }

    private static func containsTensors(_ dict: PickleDict) -> Bool {
        dict.entries.contains { if case .tensor = $0.value { true } else { false } }
    }
}

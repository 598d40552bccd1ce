import Foundation
import Testing
import ZooTensor
import ZooTestSupport
@testable import ZooWeights

/// The torch.save reader on files torch wrote (Tests/interop/make_pytorch_checkpoints.py) and
/// on hostile ones (make_hostile_checkpoints.py), each refused with the reason planted.
@Suite struct PyTorchCheckpointTests {
    static let fixtures = Python.repositoryRoot.appendingPathComponent("Tests/Fixtures/checkpoints").path

    /// features.pth holds `base = arange(12).reshape(3, 4)` and views of it, and every dtype.
    @Test func everyDTypeAndViewTorchWrote() throws {
        let tensors = try PyTorchCheckpoint(contentsOf: "\(Self.fixtures)/features.pth").tensors
        let base = (0..<12).map(Float.init)
        #expect(try tensors["float32"]?.scalars(as: Float.self) == base)
        #expect(tensors["float32"]?.shape == [3, 4])
        #expect(try tensors["tied"]?.scalars(as: Float.self) == base)
        // base.t(): strides (1, 4), materialised row-major.
        #expect(tensors["transposed"]?.shape == [4, 3])
        #expect(try tensors["transposed"]?.scalars(as: Float.self) == (0..<4).flatMap { column in (0..<3).map { Float($0 * 4 + column) } })
        #expect(try tensors["rows_from_1"]?.scalars(as: Float.self) == Array(base[4...]))
        #expect(try tensors["column_2"]?.scalars(as: Float.self) == [2, 6, 10])
        let signed = (0..<6).map { Double($0 - 2) }
        for name in ["float16", "bfloat16", "float64", "int64", "int32", "int8"] {
            #expect(tensors[name]?.dtype.rawValue == name)
            #expect(tensors[name]?.shape == [2, 3])
            #expect(tensors[name]?.doubleValues == signed, "\(name)")
        }
        #expect(tensors["uint8"]?.doubleValues == (0..<6).map(Double.init))
        #expect(tensors["bool"]?.dtype == .bool)
        #expect(tensors["bool"]?.doubleValues == [1, 0, 1])
        #expect(tensors["scalar"]?.shape == [])
        #expect(tensors["scalar"]?.doubleValues == [3.5])
        #expect(tensors["empty"]?.shape == [0, 3])
        #expect(tensors.count == 15)
    }

    @Test func nestedStateDictWithDataParallelPrefix() throws {
        let nested = try PyTorchCheckpoint(contentsOf: "\(Self.fixtures)/nested.pth")
        let plain = try PyTorchCheckpoint(contentsOf: "\(Self.fixtures)/features.pth")
        #expect(nested.tensors == plain.tensors)
        #expect(nested.notes == ["the state dict is under the key 'state_dict'",
                                 "the prefix 'module.' (torch.nn.DataParallel) is removed from every name"])
    }

    @Test func controlFileOfTheHostileWriterIsRead() throws {
        let directory = try Self.hostileFiles()
        let tensors = try PyTorchCheckpoint(contentsOf: "\(directory)/control.pth").tensors
        #expect(try tensors["weight"]?.scalars(as: Float.self) == [0, 1, 2, 3, 4, 5])
        // An untyped storage counted in bytes, its dtype given to _rebuild_tensor_v3.
        let half = try PyTorchCheckpoint(contentsOf: "\(directory)/control_v3.pth").tensors["weight"]
        #expect(half?.dtype == .float16)
        #expect(half?.shape == [2, 2])
        #expect(half?.doubleValues == [0, 1, 2, 3])
    }

    /// Each hostile file, and the words its refusal must contain.
    static let refusals: [(file: String, reason: String)] = [
        ("os_system", "refused global 'os.system'"),
        ("builtin_eval", "refused global '__builtin__.eval'"),
        ("builtins_eval", "refused global 'builtins.eval'"),
        ("unexpected_module", "refused global 'torch.nn.modules.linear.Linear'"),
        ("storage_too_large", "storage '0' claims 4000000 bytes, but its entry holds 24"),
        ("view_past_storage", "reach element 6 of storage '0', which holds 6 float32 elements"),
        ("negative_stride", "stride [-3, 1] or offset 5 is negative"),
        ("overflowing_stride", "overflows 64 bits"),
        ("huge_integer", "an integer of 16 bytes is wider than 64 bits"),
        ("broadcast", "size [1073741824, 6] has 6442450944 elements, more than storage '0' holds (6)"),
        ("self_reference", "a list is appended to itself"),
        ("changed_after_nesting", "a list or dict is changed after it was nested in another value"),
        ("deep_nesting", "values nest more than 200 deep"),
        ("too_many_opcodes", "more than 8000000 opcodes; no state dict needs that many"),
        ("duplicate_keys", "the key 'weight' appears twice in one dict"),
        ("duplicate_entries", "the archive holds two entries named 'archive/data/0'"),
        ("zip_bomb", "entry 'archive/data/0' is compressed (method 8, 65232 bytes declaring 67108864)"),
        ("absurd_size", "entry 'archive/data/0' declares 4294967294 bytes"),
        ("truncated", "no zip end-of-central-directory record: the archive is truncated"),
    ]

    @Test(arguments: refusals.map(\.file)) func hostileCheckpointIsRefused(_ name: String) throws {
        let directory = try Self.hostileFiles()
        let expected = try #require(Self.refusals.first { $0.file == name }).reason
        do {
            _ = try PyTorchCheckpoint(contentsOf: "\(directory)/\(name).pth")
            Issue.record("\(name).pth was accepted")
        } catch {
            #expect(error.description.contains(expected), "\(error)")
            #expect(error.description.hasPrefix("\(directory)/\(name).pth: "), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: "\(directory)/MARKER"))
    }

    /// The hostile files, written once for all the tests (the zip bomb takes a moment).
    static func hostileFiles() throws -> String { try hostileDirectory.get() }

    private static let hostileDirectory = Result { () throws(SetupFailure) -> String in
        do {
            let directory = try temporaryDirectory()
            _ = try Python.run(script: "make_hostile_checkpoints.py", [directory])
            return directory
        } catch {
            throw SetupFailure(description: "\(error)")
        }
    }

    struct SetupFailure: Error, CustomStringConvertible {
        let description: String
    }
}

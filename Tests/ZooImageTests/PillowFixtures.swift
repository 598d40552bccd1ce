import Foundation
import ZooImage
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// The images of Tests/interop/make_image_fixtures.py and Pillow's readings of them
/// (pil_image_reference.py), made once per test run in a temporary directory.
enum PillowFixtures {
    struct Set: Sendable {
        let directory: String
        let names: [String]

        func path(_ name: String) -> String { "\(directory)/\(name)" }

        /// A reference array: `rgb`, `l`, or a recipe name.
        func reference(_ name: String, _ kind: String) throws -> Tensor {
            try NPYFile.read(from: "\(directory)/\(name).\(kind).npy")
        }
    }

    static let made: Result<Set, any Error> = Result {
        let directory = try temporaryDirectory()
        let names = try Python.run(script: "make_image_fixtures.py", [directory]).split(separator: "\n").map(String.init)
        _ = try Python.run(script: "pil_image_reference.py", [directory] + names.map { "\(directory)/\($0)" })
        return Set(directory: directory, names: names)
    }

    static func get() throws -> Set { try made.get() }
}

extension Bitmap {
    /// The samples as a tensor shaped like numpy's view of a Pillow image: [h, w, 3] or [h, w].
    func tensor() throws -> Tensor {
        try Tensor(shape: channels == 1 ? [height, width] : [height, width, channels], scalars: pixels)
    }
}

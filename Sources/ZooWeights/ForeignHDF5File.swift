import CHDF5
import ZooTensor

/// A read-only view of an HDF5 file written by another tool (Keras, bilm-tf): every group,
/// every dataset as a tensor by its full path, and every attribute as text. Each dataset
/// passes the checks our own weights files pass (element type, shape against storage and the
/// file's size, no external or virtual data), so a converter works on values it can trust.
///
///     let view = try ForeignHDF5File.read("vgg16.h5")
///     view.datasets["/fc1/fc1/kernel"]      // a Tensor
///     view.attributes["/"]?["layer_names"]   // .strings([...])
public struct ForeignHDF5File: Sendable {
    /// The file as the caller named it.
    public var file: String
    /// Every group's full path, the root ("/") included.
    public var groups: Set<String>
    /// Every dataset by full path ("/layers/conv2d/vars/0").
    public var datasets: [String: Tensor]
    /// Every object's attributes by the object's full path, then attribute name.
    public var attributes: [String: [String: HDF5AttributeValue]]

    /// The file's tree and attributes, and its datasets unless `includingData` is false (to
    /// tell a file's format without reading its data).
    public static func read(_ path: String, includingData: Bool = true) throws(WeightsError) -> ForeignHDF5File {
        let fileSize = try ReadOnlyFile(path).size
        return try HDF5Library.serialized { () throws(WeightsError) in
            let calls = HDF5Calls(file: path)
            let reader = HDF5DatasetReader(calls: calls, fileSize: fileSize)
            let file = try reader.open(path)
            defer { H5Fclose(file) }
            var view = ForeignHDF5File(file: path, groups: ["/"], datasets: [:], attributes: [:])
            view.attributes["/"] = try readAttributes(of: file, at: "/", calls: calls)
            for object in try reader.objects(in: file) {
                let path = "/" + object.path
                if object.isDataset {
                    if includingData { view.datasets[path] = try reader.readTensor(at: path, in: file) }
                } else {
                    view.groups.insert(path)
                }
                let handle = try calls.check(H5Oopen(file, path, zoo_H5P_DEFAULT()), "cannot open '\(path)'")
                defer { H5Oclose(handle) }
                view.attributes[path] = try readAttributes(of: handle, at: path, calls: calls)
            }
            return view
        }
    }

    /// The attribute `name` of the object at `path`.
    public func attribute(_ name: String, of path: String) -> HDF5AttributeValue? {
        attributes[path]?[name]
    }

    private static func readAttributes(
        of object: hid_t, at path: String, calls: HDF5Calls
    ) throws(WeightsError) -> [String: HDF5AttributeValue] {
        let problem = { (reason: String) in WeightsError.invalidForeignFile(file: calls.file, format: "HDF5", reason: "\(path): \(reason)") }
        var values: [String: HDF5AttributeValue] = [:]
        for name in try calls.attributeNames(of: object, at: path) {
            values[name] = try calls.readAttributeValue(named: name, on: object, at: path, problem: problem)
        }
        return values
    }
}

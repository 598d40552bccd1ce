import CONNXProto
import CProtobufC
import ZooGraph
import ZooTensor

/// Parses protobuf bytes with protobuf-c and converts the message tree into a Graph,
/// collecting every unsupported node before failing.
struct ModelReader {
    let file: String
    /// The path of the model file, where external data files are looked up; nil for bytes
    /// that came from no file.
    var modelPath: String? = nil

    func read(_ bytes: [UInt8]) throws(ONNXError) -> ONNXModel {
        guard !MessageNesting.exceedsLimit(bytes) else {
            throw .malformed(file: file, reason: "messages nest more than \(MessageNesting.limit) levels deep")
        }
        let parsed = bytes.withUnsafeBufferPointer { onnx__model_proto__unpack(nil, $0.count, $0.baseAddress) }
        guard let parsed else {
            throw .malformed(file: file, reason: "the protobuf data is truncated or corrupt (\(bytes.count) bytes)")
        }
        defer { onnx__model_proto__free_unpacked(parsed, nil) }
        let proto = parsed.pointee

        guard let graphProto = proto.graph else { throw .malformed(file: file, reason: "the model has no graph") }
        var opset: Int?
        var otherDomains: [String: Int] = [:]
        for index in 0..<proto.n_opset_import {
            guard let entry = proto.opset_import[index]?.pointee else { continue }
            let domain = Self.string(entry.domain)
            if domain.isEmpty || domain == "ai.onnx" { opset = Int(entry.version) } else { otherDomains[domain] = Int(entry.version) }
        }
        guard let opset else { throw otherDomainsOnly(graphProto.pointee, versions: otherDomains) }

        let graph = try GraphReader(file: file, opset: opset, externalData: ExternalDataReader(modelPath: modelPath))
            .read(graphProto.pointee)
        let metadata = (0..<proto.n_metadata_props).compactMap { index -> (key: String, value: String)? in
            guard let entry = proto.metadata_props[index]?.pointee else { return nil }
            return (Self.string(entry.key), Self.string(entry.value))
        }
        return ONNXModel(graph: graph, opsetVersion: opset, irVersion: Int(proto.ir_version),
                         producerName: Self.string(proto.producer_name), producerVersion: Self.string(proto.producer_version),
                         docString: Self.string(proto.doc_string), metadata: metadata)
    }

    static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    /// The error for a model that imports no default opset: if every node is of another
    /// domain (a valid ai.onnx.ml or training model), each node is unsupported; a node of
    /// the default domain without its opset makes the file malformed.
    private func otherDomainsOnly(_ graph: Onnx__GraphProto, versions: [String: Int]) -> ONNXError {
        let nodes = (0..<graph.n_node).compactMap { graph.node[$0]?.pointee }
        let domains = nodes.map { Self.string($0.domain) }
        guard !nodes.isEmpty, domains.allSatisfy({ versions[$0] != nil }) else {
            return .malformed(file: file, reason: "the model imports no version of the default ONNX opset")
        }
        return .unsupported(file: file, problems: zip(nodes, domains).enumerated().map { index, pair in
            let opType = Self.string(pair.0.op_type)
            let name = Self.string(pair.0.name)
            return .init(node: name.isEmpty ? "\(opType)_\(index)" : name, op: opType, domain: pair.1,
                         opset: versions[pair.1] ?? 0, reason: "operators of domain '\(pair.1)' are not supported")
        })
    }
}

/// GraphProto → Graph.
struct GraphReader {
    let file: String
    let opset: Int
    let externalData: ExternalDataReader
    /// 0 for the main graph, 1 for a Scan's body in it, ...
    var depth = 0

    func read(_ proto: Onnx__GraphProto) throws(ONNXError) -> Graph {
        var graph = Graph(name: ModelReader.string(proto.name))
        var constants: [String: Tensor] = [:]
        // Sparse initializers become dense parameters: every kernel here works on dense data.
        for index in 0..<proto.n_sparse_initializer {
            guard let sparseProto = proto.sparse_initializer[index]?.pointee else { continue }
            do {
                let (name, tensor) = try SparseTensorConversion.dense(from: sparseProto, externalData: externalData)
                graph.initializers.append(Graph.Initializer(name: name, tensor: tensor))
                constants[name] = tensor
            } catch {
                let name = sparseProto.values?.pointee.name.map { String(cString: $0) } ?? "(sparse)"
                throw .invalidTensor(file: file, name: name, reason: error.text)
            }
        }
        for index in 0..<proto.n_initializer {
            guard let tensorProto = proto.initializer[index]?.pointee else { continue }
            let name = ModelReader.string(tensorProto.name)
            let tensor: Tensor
            do { tensor = try TensorProtoConversion.tensor(from: tensorProto, name: name, externalData: externalData) } catch {
                throw .invalidTensor(file: file, name: name, reason: error.text)
            }
            graph.initializers.append(Graph.Initializer(name: name, tensor: tensor))
            constants[name] = tensor
        }
        // Older exporters also list every initializer as a graph input; those are weights,
        // not inputs a caller provides.
        for index in 0..<proto.n_input {
            guard let info = proto.input[index]?.pointee else { continue }
            let name = ModelReader.string(info.name)
            if constants[name] == nil { graph.inputs.append(try valueInfo(info)) }
        }
        for index in 0..<proto.n_output {
            guard let info = proto.output[index]?.pointee else { continue }
            graph.outputs.append(try valueInfo(info))
        }

        var problems: [ONNXError.UnsupportedContent] = []
        var usedNames = Set<String>()
        // Inputs folded into an attribute (ReduceMax axes from opset 18).
        var foldedInputs = Set<String>()
        for index in 0..<proto.n_node {
            guard let nodeProto = proto.node[index]?.pointee else { continue }
            let opType = ModelReader.string(nodeProto.op_type)
            var name = ModelReader.string(nodeProto.name)
            if name.isEmpty { name = "\(opType)_\(index)" }
            while usedNames.contains(name) { name += "_\(index)" }
            usedNames.insert(name)
            let inputs = (0..<nodeProto.n_input).map { ModelReader.string(nodeProto.input[$0]) }
            let outputs = (0..<nodeProto.n_output).map { ModelReader.string(nodeProto.output[$0]) }
            let domain = ModelReader.string(nodeProto.domain)
            do {
                let attributes = try self.attributes(nodeProto, opType: opType)
                var operatorImport = OperatorImport(
                    opType: opType, domain: domain, opset: opset, attributes: attributes.values,
                    unreadableAttributes: attributes.unreadable,
                    inputCount: inputs.count - inputs.reversed().prefix(while: \.isEmpty).count,
                    constantInput: { position in position < inputs.count ? constants[inputs[position]] : nil })
                let op = try operatorImport.makeOp()
                var nodeInputs = Array(inputs.dropLast(operatorImport.droppedInputCount))
                foldedInputs.formUnion(inputs.suffix(operatorImport.droppedInputCount))
                for (role, value) in operatorImport.appendedInputs {
                    let constantName = "\(name)/\(role)"
                    graph.nodes.append(Node(name: constantName, op: .constant(value), inputs: [], outputs: [constantName]))
                    usedNames.insert(constantName)
                    nodeInputs.append(constantName)
                }
                if let positions = operatorImport.inputPositions {  // Spatial resampling
                    nodeInputs = Self.placed(nodeInputs, at: positions)
                }
                if case .constant(let value) = op, let output = outputs.first { constants[output] = value }
                if let axis = operatorImport.coercedToMatrixAt, let input = nodeInputs.first, let output = outputs.first {
                    graph.nodes += Self.softmaxOfRows(name: name, op: op, input: input, output: output, axis: axis)
                    usedNames.formUnion(["\(name)/shape", "\(name)/flatten", "\(name)/rows"])
                } else {
                    graph.nodes.append(Node(name: name, op: op, inputs: nodeInputs, outputs: outputs.trimmingOptionalOutputs(of: op)))
                }
            } catch {
                problems.append(.init(node: name, op: opType, domain: domain, opset: opset, reason: error.reason))
            }
        }
        guard problems.isEmpty else { throw .unsupported(file: file, problems: problems) }
        Self.removeConstants(foldedInputs, from: &graph)
        // A subgraph is validated with its node (Scan, If, Loop), where the enclosing values it reads are known.
        if depth == 0 {
            do { _ = try ShapeInference.run(graph) } catch { throw .invalidGraph(file: file, error) }
        }
        return graph
    }

    /// Removes the Constant nodes writing `names` that nothing reads any more: operands we
    /// hold as attributes leave no trace, so a graph written at any opset reads back equal.
    static func removeConstants(_ names: Set<String>, from graph: inout Graph) {
        guard !names.isEmpty else { return }
        let read = Set(graph.outputs.map(\.name) + graph.nodes.flatMap { node in
            node.inputs + node.op.subgraphs.flatMap(\.outerScopeReferences)
        })
        graph.nodes.removeAll { node in
            guard case .constant = node.op, let output = node.outputs.first else { return false }
            return names.contains(output) && !read.contains(output)
        }
    }

    /// `inputs` moved to `positions` (Upsample's scales to Resize's third input); the gaps
    /// are omitted optional inputs.
    static func placed(_ inputs: [String], at positions: [Int]) -> [String] {
        var placed = Array(repeating: "", count: (positions.prefix(inputs.count).max() ?? -1) + 1)
        for (input, position) in zip(inputs, positions) { placed[position] = input }
        return placed
    }

    /// Softmax before opset 13: flatten to 2-D at `axis`, softmax each row, restore the shape.
    static func softmaxOfRows(name: String, op: Op, input: String, output: String, axis: Int) -> [Node] {
        [Node(name: "\(name)/shape", op: .shape(), inputs: [input], outputs: ["\(name)/shape"]),
         Node(name: "\(name)/flatten", op: .flatten(axis: axis), inputs: [input], outputs: ["\(name)/flatten"]),
         Node(name: "\(name)/rows", op: op, inputs: ["\(name)/flatten"], outputs: ["\(name)/rows"]),
         Node(name: name, op: .reshape(), inputs: ["\(name)/rows", "\(name)/shape"], outputs: [output])]
    }

    private func valueInfo(_ info: Onnx__ValueInfoProto) throws(ONNXError) -> ValueInfo {
        let name = ModelReader.string(info.name)
        // A subgraph's values may be left untyped, or typed without a shape: the node holding
        // the subgraph gives their types (ONNX's type inference does the same).
        let untyped = ValueInfo(name: name, type: TensorType(.float32, []), isDeclared: false)
        if depth > 0, info.type == nil { return untyped }
        guard let type = info.type?.pointee, type.value_case == ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE,
              let tensorType = type.tensor_type?.pointee else {
            throw .malformed(file: file, reason: "graph input/output '\(name)' has no tensor type (untyped, or a sequence, map or optional), which is not supported")
        }
        if depth > 0, tensorType.elem_type == 0 { return untyped }
        guard let dtype = DType(onnxCode: tensorType.elem_type) else {
            throw .malformed(file: file, reason: "graph input/output '\(name)' has unsupported type \(DType.onnxName(of: tensorType.elem_type))")
        }
        if depth > 0, tensorType.shape == nil { return ValueInfo(name: name, type: TensorType(dtype, []), isDeclared: false) }
        guard let shape = tensorType.shape?.pointee else {
            throw .malformed(file: file, reason: "graph input/output '\(name)' has no shape (unknown rank)")
        }
        var dims: [Dim] = []
        for index in 0..<shape.n_dim {
            let dimension = shape.dim[index]?.pointee
            switch dimension?.value_case {
            case ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE:
                guard let size = dimension?.dim_value, size >= 0 else {
                    throw .malformed(file: file, reason: "graph input/output '\(name)' has the negative dimension \(dimension?.dim_value ?? -1)")
                }
                dims.append(.fixed(Int(size)))
            case ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM:
                dims.append(.symbolic(ModelReader.string(dimension?.dim_param)))
            default:
                dims.append(.symbolic("\(name):\(index)"))
            }
        }
        return ValueInfo(name: name, type: TensorType(dtype, dims))
    }

    /// The node's attributes, and the names of those of kinds we cannot hold.
    private func attributes(_ node: Onnx__NodeProto, opType: String) throws(OperatorImport.Problem)
        -> (values: [String: AttributeValue], unreadable: [String])
    {
        var attributes: [String: AttributeValue] = [:]
        var unreadable: [String] = []
        for index in 0..<node.n_attribute {
            guard let attribute = node.attribute[index]?.pointee else { continue }
            let name = ModelReader.string(attribute.name)
            func text(_ data: ProtobufCBinaryData) -> String {
                String(decoding: UnsafeBufferPointer(start: data.data, count: data.len), as: UTF8.self)
            }
            switch attribute.type {
            case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT: attributes[name] = .int(Int(attribute.i))
            case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS:
                attributes[name] = .ints((0..<attribute.n_ints).map { Int(attribute.ints[$0]) })
            case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT: attributes[name] = .float(attribute.f)
            case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS:
                attributes[name] = .floats((0..<attribute.n_floats).map { attribute.floats[$0] })
            case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING: attributes[name] = .string(text(attribute.s))
            case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRINGS:
                attributes[name] = .strings((0..<attribute.n_strings).map { text(attribute.strings[$0]) })
            case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR:
                guard let tensorProto = attribute.t?.pointee else { throw .init(reason: "attribute '\(name)' has no tensor") }
                do { attributes[name] = .tensor(try TensorProtoConversion.tensor(from: tensorProto, name: name)) } catch {
                    throw .init(reason: "attribute '\(name)': \(error.text)")
                }
            case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__GRAPH where ["Scan", "If", "Loop"].contains(opType):
                attributes[name] = .graph(try subgraph(attribute.g, attribute: name))
            default:
                // Other ops' subgraphs, sparse-tensor and type attributes: no op we
                // support has one, so the op check reports the node (an unknown attribute on a
                // known op).
                unreadable.append(name)
            }
        }
        return (attributes, unreadable)
    }
}

extension Array where Element == String {
    /// Drops trailing optional outputs the op does not produce (e.g. BatchNormalization's
    /// training statistics), which exporters sometimes name even when unused.
    func trimmingOptionalOutputs(of op: Op) -> [String] {
        var outputs = self
        while outputs.count > op.outputArity.upperBound, outputs.last?.isEmpty ?? false { outputs.removeLast() }
        return outputs
    }
}

import CONNXProto
import CProtobufC
import ZooGraph
import ZooTensor

/// Builds the protobuf-c message tree for a model in an arena and packs it.
struct ModelWriter {
    let model: ONNXModel
    /// Initializers to record as stored in a side file instead of inline.
    let externalData: ExternalDataPlan?
    private let arena = ProtoArena()

    init(model: ONNXModel, externalData: ExternalDataPlan? = nil) {
        self.model = model
        self.externalData = externalData
    }

    func serialize() throws(ONNXError) -> [UInt8] {
        let written = try model.writtenGraph()
        let inference: ShapeInference.Result
        do { inference = try ShapeInference.run(written) } catch { throw .exportFailed(reason: error.description) }
        // Image sampling: forms that depend on a type (3-D GridSample)
        if let problem = Self.spatialFormProblem(written, types: inference.types, opset: model.opsetVersion) { throw .exportFailed(reason: problem) }

        let proto = arena.message(Onnx__ModelProto.self, onnx__model_proto__init)
        proto.pointee.has_ir_version = 1
        proto.pointee.ir_version = Int64(model.irVersion)
        proto.pointee.producer_name = arena.string(model.producerName)
        proto.pointee.producer_version = arena.string(model.producerVersion)
        if !model.docString.isEmpty { proto.pointee.doc_string = arena.string(model.docString) }
        let opset = arena.message(Onnx__OperatorSetIdProto.self, onnx__operator_set_id_proto__init)
        opset.pointee.domain = arena.string("")
        opset.pointee.has_version = 1
        opset.pointee.version = Int64(model.opsetVersion)
        (proto.pointee.n_opset_import, proto.pointee.opset_import) = arena.array([Optional(opset)])
        (proto.pointee.n_metadata_props, proto.pointee.metadata_props) = arena.array(model.metadata.map { entry($0.key, $0.value) })
        proto.pointee.graph = try graph(written, inference: inference)

        let packed: [UInt8]? = withExtendedLifetime(arena) {
            let size = onnx__model_proto__get_packed_size(proto)
            var bytes = [UInt8](repeating: 0, count: size)
            let written = bytes.withUnsafeMutableBufferPointer { onnx__model_proto__pack(proto, $0.baseAddress) }
            return written == size ? bytes : nil
        }
        guard let packed else { throw .exportFailed(reason: "protobuf-c packed fewer bytes than it measured") }
        return packed
    }

    private func entry(_ key: String, _ value: String) -> UnsafeMutablePointer<Onnx__StringStringEntryProto>? {
        let entry = arena.message(Onnx__StringStringEntryProto.self, onnx__string_string_entry_proto__init)
        entry.pointee.key = arena.string(key)
        entry.pointee.value = arena.string(value)
        return entry
    }

    /// The main graph or a subgraph; `inference` gives the types of its intermediate values
    /// (symbolic dims kept) and its own bodies' inferences.
    private func graph(_ graph: Graph, inference: ShapeInference.Result?) throws(ONNXError)
        -> UnsafeMutablePointer<Onnx__GraphProto>
    {
        let proto = arena.message(Onnx__GraphProto.self, onnx__graph_proto__init)
        proto.pointee.name = arena.string(graph.name)
        var nodes: [UnsafeMutablePointer<Onnx__NodeProto>?] = []
        for node in graph.nodes { nodes += try self.nodes(node, subgraphInferences: inference?.subgraphs[node.name] ?? []) }
        (proto.pointee.n_node, proto.pointee.node) = arena.array(nodes)
        (proto.pointee.n_initializer, proto.pointee.initializer) = arena.array(graph.initializers.map { initializer in
            let tensor = arena.message(Onnx__TensorProto.self, onnx__tensor_proto__init)
            TensorProtoConversion.fill(tensor, name: initializer.name, tensor: initializer.tensor,
                                       external: externalData?.locations[initializer.name], arena: arena)
            return Optional(tensor)
        })
        // A subgraph value the file left untyped is written untyped: it reads back the same.
        func declared(_ value: ValueInfo) -> UnsafeMutablePointer<Onnx__ValueInfoProto>? {
            valueInfo(value.name, value.isDeclared ? value.type : nil)
        }
        (proto.pointee.n_input, proto.pointee.input) = arena.array(graph.inputs.map(declared))
        (proto.pointee.n_output, proto.pointee.output) = arena.array(graph.outputs.map(declared))
        let declared = Set(graph.inputs.map(\.name) + graph.outputs.map(\.name) + graph.initializers.map(\.name))
        let intermediates = graph.nodes.flatMap(\.outputs).filter { !$0.isEmpty && !declared.contains($0) }
        (proto.pointee.n_value_info, proto.pointee.value_info) = arena.array(intermediates.compactMap { name in
            inference?.types[name].map { Optional(valueInfo(name, $0)) }
        })
        return proto
    }

    /// The node, preceded by a Constant node for each operand the opset takes as an input.
    /// `subgraphInferences` are those of the node's subgraphs, in `Op.subgraphs` order, which
    /// is the order its graph attributes are written in.
    private func nodes(_ node: Node, subgraphInferences: [ShapeInference.Result]) throws(ONNXError)
        -> [UnsafeMutablePointer<Onnx__NodeProto>?]
    {
        let form: ONNXNodeForm
        do { form = try node.op.onnxForm(opset: model.opsetVersion) } catch {
            throw .exportFailed(reason: "node '\(node.name)' (\(node.op.onnxName)): \(error)")
        }
        var protos: [UnsafeMutablePointer<Onnx__NodeProto>?] = []
        // Trailing omitted inputs are left out rather than written as "": onnxruntime 1.32
        // crashes on LayerNormalization with inputs [x, scale, ""].
        var inputs = node.inputs
        while inputs.last?.isEmpty == true { inputs.removeLast() }
        for (role, value) in form.operandInputs {
            let constant = Node(name: "\(node.name)/\(role)", op: .constant(value), inputs: [], outputs: ["\(node.name)/\(role)"])
            protos += try nodes(constant, subgraphInferences: [])
            inputs.append(constant.outputs[0])
        }
        let proto = arena.message(Onnx__NodeProto.self, onnx__node_proto__init)
        proto.pointee.name = arena.string(node.name)
        proto.pointee.op_type = arena.string(node.op.onnxName)
        (proto.pointee.n_input, proto.pointee.input) = arena.array(inputs.map { Optional(arena.string($0)) })
        (proto.pointee.n_output, proto.pointee.output) = arena.array(node.outputs.map { Optional(arena.string($0)) })
        var attributes: [UnsafeMutablePointer<Onnx__AttributeProto>?] = []
        var pendingInferences = subgraphInferences[...]
        for (name, value) in form.attributes {
            let inference = if case .graph = value { pendingInferences.popFirst() } else { ShapeInference.Result?.none }
            attributes.append(try attribute(name, value, bodyInference: inference))
        }
        (proto.pointee.n_attribute, proto.pointee.attribute) = arena.array(attributes)
        return protos + [proto]
    }

    private func attribute(_ name: String, _ value: AttributeValue, bodyInference: ShapeInference.Result?)
        throws(ONNXError) -> UnsafeMutablePointer<Onnx__AttributeProto>
    {
        let proto = arena.message(Onnx__AttributeProto.self, onnx__attribute_proto__init)
        proto.pointee.name = arena.string(name)
        proto.pointee.has_type = 1
        switch value {
        case .int(let value):
            proto.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT
            proto.pointee.has_i = 1
            proto.pointee.i = Int64(value)
        case .ints(let values):
            proto.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS
            (proto.pointee.n_ints, proto.pointee.ints) = arena.array(values.map { Int64($0) })
        case .float(let value):
            proto.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT
            proto.pointee.has_f = 1
            proto.pointee.f = value
        case .floats(let values):
            proto.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS
            (proto.pointee.n_floats, proto.pointee.floats) = arena.array(values)
        case .string(let value):
            proto.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING
            proto.pointee.has_s = 1
            proto.pointee.s = arena.bytes(Array(value.utf8))
        case .strings(let values):
            proto.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRINGS
            (proto.pointee.n_strings, proto.pointee.strings) = arena.array(values.map { arena.bytes(Array($0.utf8)) })
        case .tensor(let value):
            proto.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR
            let tensor = arena.message(Onnx__TensorProto.self, onnx__tensor_proto__init)
            TensorProtoConversion.fill(tensor, name: nil, tensor: value, arena: arena)
            proto.pointee.t = tensor
        case .graph(let body):
            proto.pointee.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__GRAPH
            proto.pointee.g = try graph(body, inference: bodyInference)
        }
        return proto
    }

    /// A value info of `type`; untyped when it is nil.
    private func valueInfo(_ name: String, _ type: TensorType?) -> UnsafeMutablePointer<Onnx__ValueInfoProto> {
        let proto = arena.message(Onnx__ValueInfoProto.self, onnx__value_info_proto__init)
        proto.pointee.name = arena.string(name)
        guard let type else { return proto }
        let typeProto = arena.message(Onnx__TypeProto.self, onnx__type_proto__init)
        let tensorType = arena.message(Onnx__TypeProto__Tensor.self, onnx__type_proto__tensor__init)
        tensorType.pointee.has_elem_type = 1
        tensorType.pointee.elem_type = type.dtype.onnxCode
        let shape = arena.message(Onnx__TensorShapeProto.self, onnx__tensor_shape_proto__init)
        (shape.pointee.n_dim, shape.pointee.dim) = arena.array(type.dims.map { dim in
            let proto = arena.message(Onnx__TensorShapeProto__Dimension.self, onnx__tensor_shape_proto__dimension__init)
            switch dim {
            case .fixed(let size):
                proto.pointee.value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE
                proto.pointee.dim_value = Int64(size)
            case .symbolic(let name):
                proto.pointee.value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM
                proto.pointee.dim_param = arena.string(name)
            }
            return Optional(proto)
        })
        tensorType.pointee.shape = shape
        typeProto.pointee.value_case = ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE
        typeProto.pointee.tensor_type = tensorType
        proto.pointee.type = typeProto
        return proto
    }
}

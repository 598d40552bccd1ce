import Testing
import ZooGraph
import ZooTensor
import ZooTestSupport
import ZooWeights

/// Files from a safetensors writer written to the specification in Python
/// (Tests/interop/make_safetensors.py), valid and hostile.
@Suite struct SafeTensorsTests {
    struct Expected: Decodable {
        struct ExpectedTensor: Decodable {
            let dtype: String
            let shape: [Int]
            let values: [Double]
        }

        let metadata: [String: String]
        let tensors: [String: ExpectedTensor]
    }

    static func corpus() throws -> (directory: String, expected: Expected) {
        let directory = try temporaryDirectory()
        return (directory, try Python.json(Expected.self, script: "make_safetensors.py", [directory]))
    }

    @Test func readsEverySupportedDType() throws {
        let (directory, expected) = try Self.corpus()
        let (metadata, tensors) = try SafeTensorsFile.load(directory + "/valid.safetensors")
        #expect(metadata == expected.metadata)
        #expect(Set(tensors.keys) == Set(expected.tensors.keys))
        #expect(Set(tensors.values.map(\.dtype)) == Set(DType.allCases))
        for (name, tensor) in expected.tensors {
            let loaded = try #require(tensors[name], "\(name)")
            #expect(loaded.dtype.rawValue == tensor.dtype, "\(name)")
            #expect(loaded.shape == tensor.shape, "\(name)")
            #expect(loaded.doubleValues == tensor.values, "\(name)")
        }
    }

    @Test func loadsIntoAGraphAndReportsMismatches() throws {
        let (directory, _) = try Self.corpus()
        let path = directory + "/valid.safetensors"
        let graph = Graph(name: "bert-piece", initializers: [
            .init(name: "embeddings.word_embeddings.weight", tensor: try Tensor(zeros: [3, 4])),
            .init(name: "classifier.weight", tensor: try Tensor(zeros: [2, 2])),
        ])
        #expect(throws: WeightsError.self) { try SafeTensorsFile.load(path, into: graph) }
        do {
            _ = try SafeTensorsFile.load(path, into: graph)
        } catch {
            // The bfloat16 classifier converts to the graph's float32; only the extras are reported.
            #expect(error.description.hasPrefix("\(path): 13 parameters do not match the graph:\n  unexpected 'bytes' (uint8[2])\n"))
        }
        let (_, tensors) = try SafeTensorsFile.load(path)
        let full = Graph(name: "all", initializers: try tensors.sorted { $0.key < $1.key }.map { name, tensor in
            .init(name: name, tensor: try Tensor(zeros: tensor.shape, dtype: tensor.dtype == .bfloat16 ? .float32 : tensor.dtype))
        })
        let loaded = try SafeTensorsFile.load(path, into: full)
        let classifier = try #require(loaded.initializers.first { $0.name == "classifier.weight" }).tensor
        #expect(classifier.dtype == .float32)
        #expect(try classifier.scalars(as: Float.self) == [1.0, -2.0, 0.15625, 3.5])
    }

    @Test func hostileFilesGiveClearErrors() throws {
        let (directory, _) = try Self.corpus()
        let expected: [String: String] = [
            "too_short.safetensors": "invalid safetensors header: the file is 3 bytes, too short for the 8-byte header length",
            "header_past_end.safetensors": "invalid safetensors header: the header length 1000 runs past the end of the file (80 bytes)",
            "header_too_large.safetensors": "invalid safetensors header: the header length 100000001 is more than the 100000000 bytes allowed",
            "not_json.safetensors": "invalid safetensors header: not JSON",
            "not_an_object.safetensors": "invalid safetensors header: the header is not an object",
            "offsets_out_of_range.safetensors": "tensor 'w': data_offsets [0, 400] do not lie within the 16-byte data region",
            "offsets_reversed.safetensors": "tensor 'w': data_offsets [16, 0] do not lie within the 16-byte data region",
            "offsets_not_a_pair.safetensors": "tensor 'w': data_offsets [0] is not a [begin, end] pair",
            "overlapping.safetensors": "tensor 'b': data_offsets [8, 24] overlap those of 'a' [0, 16]",
            "gap.safetensors": "invalid safetensors header: data bytes [8, 12) belong to no tensor",
            "trailing_bytes.safetensors": "invalid safetensors header: data bytes [8, 12) belong to no tensor",
            "wrong_byte_count.safetensors": "tensor 'w': shape [3] of F32 needs 12 bytes, data_offsets [0, 16] hold 16",
            "unsupported_dtype.safetensors": "tensor 'w': dtype 'F8_E4M3' is not supported (BF16, BOOL, F16, F32, F64, I16, I32, I64, I8, U16, U32, U64, U8 are)",
            "negative_dimension.safetensors": "tensor 'w': tensor shape [-4] has a negative dimension",
            "huge_shape.safetensors": "tensor 'w': tensor shape [4611686018427387904, 4] has more elements than a 64-bit count can hold",
            "fractional_dimension.safetensors": "invalid safetensors header: 'w'.shape[0] is not an integer",
            "missing_dtype.safetensors": "invalid safetensors header: 'w' has no 'dtype'",
            "metadata_not_strings.safetensors": "invalid safetensors header: '__metadata__'.epoch is not a string",
            "bool_not_0_or_1.safetensors": "tensor 'm': BOOL element 2 is 7, not 0 or 1",
        ]
        for (file, message) in expected.sorted(by: { $0.key < $1.key }) {
            let path = "\(directory)/\(file)"
            #expect(throws: WeightsError.self, "\(file)") { try SafeTensorsFile.load(path) }
            do {
                _ = try SafeTensorsFile.load(path)
            } catch {
                #expect(error.description == "\(path): \(message)")
            }
        }
    }
}

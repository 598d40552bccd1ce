import ZooGraph

/// Col2Im: input `[N, C·B, L]` (float32), B the elements of a block and L the blocks, with
/// image_shape and block_shape constants once shapes are known (`Col2ImGeometry` checks them).
/// Column l of block element b of channel c is added to the image pixel where that block
/// element lands: per axis, (l's block position)·stride − begin pad + (b's position)·dilation,
/// when it lies inside the image. Each (batch, channel) image is summed on its own, spread
/// over threads.
struct Col2ImKernel: Kernel {
    let geometry: Col2ImGeometry
    let imageCount: Int
    /// Per block element, its offset along each axis (b's position · dilation), rank values each;
    /// per column, its start along each axis (block position · stride − begin pad).
    let elementOffsets: [Int]
    let columnStarts: [Int]
    let imageStrides: [Int]
    let threads: Int

    static func prepare(_ context: KernelContext, _ attributes: Col2ImAttributes) throws(RuntimeError) -> PreparedKernel {
        try context.requireNoEpilogue()
        let input = try context.floatType(0)
        guard input.rank == 3 else { throw context.fail("input must be [N, C·∏block_shape, L], got \(input)") }
        guard let image = try context.constantIntegers(1, role: "image_shape"), let block = try context.constantIntegers(2, role: "block_shape") else {
            throw context.fail("image_shape and block_shape are required")
        }
        let geometry: Col2ImGeometry
        do { geometry = try Col2ImGeometry(image: image, block: block, attributes) } catch { throw context.fail(error.description) }
        guard input.shape[1] % geometry.blockElementCount == 0, input.shape[1] >= geometry.blockElementCount,
              input.shape[2] == geometry.columnCount else {
            throw context.fail("input \(input) must be [N, C·\(geometry.blockElementCount), \(geometry.columnCount)] for image_shape \(image), block_shape \(block) and this geometry")
        }
        let output = ValueType(.float32, [input.shape[0], input.shape[1] / geometry.blockElementCount] + image)
        try context.requireAllocatable(output, value: context.node.outputs[0])
        // The tables hold rank values per block element and per column, no more than the input's
        // elements (an empty input needs none, however large its geometry).
        let needsTables = input.elementCount > 0
        let kernel = Col2ImKernel(geometry: geometry, imageCount: output.shape[0] * output.shape[1],
                                  elementOffsets: needsTables ? positions(geometry.block).flatMap { zip($0, geometry.dilations).map(*) } : [],
                                  columnStarts: needsTables ? positions(geometry.blockCounts).flatMap { position in
                                      position.indices.map { position[$0] * geometry.strides[$0] - geometry.padsBegin[$0] }
                                  } : [],
                                  imageStrides: StridedLayout.rowMajorStrides(image), threads: context.threads)
        return PreparedKernel(kernel: kernel, outputTypes: [output])
    }

    /// Every multi-index of a box of `shape`, in row-major order.
    private static func positions(_ shape: [Int]) -> [[Int]] {
        var result: [[Int]] = [[]]
        for length in shape { result = result.flatMap { prefix in (0..<length).map { prefix + [$0] } } }
        return result
    }

    func run(_ io: KernelIO) {
        let input = io.floats(0), output = io.outputFloats(0)
        let rank = geometry.image.count, imageSize = geometry.image.reduce(1, *)
        let blockElements = geometry.blockElementCount, columns = geometry.columnCount
        Parallel.forRanges(imageCount, threads: threads, minimumChunk: max(1, 16384 / max(1, blockElements * columns))) { range in
            for imageIndex in range {
                let image = output + imageIndex * imageSize
                image.update(repeating: 0, count: imageSize)
                for element in 0..<blockElements {
                    let row = input + (imageIndex * blockElements + element) * columns
                    column: for column in 0..<columns {
                        var offset = 0
                        for axis in 0..<rank {
                            let coordinate = columnStarts[column * rank + axis] + elementOffsets[element * rank + axis]
                            guard coordinate >= 0 && coordinate < geometry.image[axis] else { continue column }
                            offset += coordinate * imageStrides[axis]
                        }
                        image[offset] += row[column]
                    }
                }
            }
        }
    }
}

import ZooTensor

/// How an image classifier's input is made from a picture, as a manifest's
/// `preprocessing.image` states it (Schemas/zoo-manifest.schema.json), in this order:
/// colour (Pillow's `convert`), resize (Pillow's bilinear or nearest filter), centre crop
/// (torchvision's), then per channel `(sample / divideBy − mean) / std` in float32, laid
/// out [channels, height, width]. The recipes of the zoo's sources are `presets`:
///
/// - torchvision's ImageNet evaluation transform: `Resize(256)`, `CenterCrop(224)`,
///   `ToTensor()`, `Normalize(mean, std)` on a PIL image;
/// - Keras Applications' "caffe" mode: `load_img(target_size=(224, 224))` (nearest
///   filter), then `preprocess_input`: RGB → BGR and the ImageNet mean subtracted, no scaling;
/// - LeNet-5's digits: grayscale, 32x32, scaled to 0…1.
public struct ImagePreprocessing: Codable, Sendable, Equatable {
    public enum Color: String, Codable, Sendable {
        case rgb, bgr, grayscale
    }

    public enum Filter: String, Codable, Sendable {
        case bilinear, nearest
    }

    public struct Size: Codable, Sendable, Equatable {
        public var height: Int
        public var width: Int

        public init(height: Int, width: Int) {
            self.height = height
            self.width = width
        }
    }

    /// Either `shorterSide` (torchvision's `Resize(n)`: the shorter side becomes n, the
    /// longer ⌊n · longer / shorter⌋) or both `height` and `width`.
    public struct Resize: Codable, Sendable, Equatable {
        public var shorterSide: Int?
        public var height: Int?
        public var width: Int?
        public var filter: Filter

        private enum CodingKeys: String, CodingKey {
            case shorterSide = "shorter_side"
            case height, width, filter
        }
    }

    public var color: Color
    public var resize: Resize
    public var centerCrop: Size?
    public var divideBy: Double
    /// Per channel, in the order `color` gives (B, G, R for bgr).
    public var mean: [Double]?
    public var std: [Double]?

    private enum CodingKeys: String, CodingKey {
        case color, resize
        case centerCrop = "center_crop"
        case divideBy = "divide_by"
        case mean, std
    }

    public static let torchvisionImageNet = ImagePreprocessing(
        color: .rgb, resize: Resize(shorterSide: 256, filter: .bilinear), centerCrop: Size(height: 224, width: 224),
        divideBy: 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])
    public static let kerasCaffe = ImagePreprocessing(
        color: .bgr, resize: Resize(height: 224, width: 224, filter: .nearest), centerCrop: nil,
        divideBy: 1, mean: [103.939, 116.779, 123.68], std: nil)
    public static let grayscale32 = ImagePreprocessing(
        color: .grayscale, resize: Resize(height: 32, width: 32, filter: .bilinear), centerCrop: nil,
        divideBy: 255, mean: nil, std: nil)
    /// The recipes by the names `zoo classify --preprocessing` takes.
    public static let presets: [String: ImagePreprocessing] = [
        "torchvision-imagenet": torchvisionImageNet, "keras-caffe": kerasCaffe, "grayscale-32": grayscale32,
    ]

    public var channelCount: Int { color == .grayscale ? 1 : 3 }

    /// The height and width of every result, when they do not depend on the image.
    public var outputSize: Size? {
        if let centerCrop { return centerCrop }
        if let height = resize.height, let width = resize.width { return Size(height: height, width: width) }
        return nil
    }

    /// Sizes beyond this are refused as implausible for a classifier's input.
    static let maximumSide = 8192

    /// Throws for a recipe that cannot be applied: a missing or doubled resize size, sizes
    /// outside 1…8192, a crop larger than the resized image, a mean or std whose length is
    /// not the channel count, or a divisor or std that is not positive and finite.
    public func validate() throws(ImageError) {
        func fail(_ reason: String) -> ImageError { .invalidPreprocessing(reason: reason) }
        let sides = [resize.shorterSide, resize.height, resize.width, centerCrop?.height, centerCrop?.width].compactMap { $0 }
        if let side = sides.first(where: { !(1...Self.maximumSide).contains($0) }) {
            throw fail("size \(side) is outside 1...\(Self.maximumSide)")
        }
        switch (resize.shorterSide, resize.height, resize.width) {
        case (.some(let side), nil, nil):
            if let centerCrop, max(centerCrop.height, centerCrop.width) > side {
                throw fail("a \(centerCrop.height)x\(centerCrop.width) centre crop is larger than the resized shorter side \(side)")
            }
        case (nil, .some(let height), .some(let width)):
            if let centerCrop, centerCrop.height > height || centerCrop.width > width {
                throw fail("a \(centerCrop.height)x\(centerCrop.width) centre crop is larger than the \(height)x\(width) resize")
            }
        default: throw fail("resize needs either shorter_side, or height and width")
        }
        for (name, values) in [("mean", mean), ("std", std)] {
            if let values, values.count != channelCount {
                throw fail("\(name) has \(values.count) values for \(channelCount) channel(s)")
            }
        }
        if !(divideBy.isFinite && divideBy > 0) || (std ?? []).contains(where: { !($0.isFinite && $0 > 0) }) {
            throw fail("divide_by and std must be positive and finite")
        }
    }

    /// The images as one float32 batch [images, channels, height, width].
    public func tensor(_ images: [Bitmap]) throws(ImageError) -> Tensor {
        try validate()
        var values: [Float] = []
        var size: Size?
        for image in images {
            let prepared = try resizedAndCropped(image)
            let imageSize = Size(height: prepared.height, width: prepared.width)
            if let size, size != imageSize {
                throw .invalidPreprocessing(reason: "the images preprocess to different sizes (\(size.height)x\(size.width) and "
                    + "\(imageSize.height)x\(imageSize.width)); classify them one at a time")
            }
            size = imageSize
            values += normalized(prepared)
        }
        guard let size else { throw .invalidPreprocessing(reason: "no images") }
        do { return try Tensor(shape: [images.count, channelCount, size.height, size.width], scalars: values) } catch {
            throw .invalidPreprocessing(reason: "\(error)")
        }
    }

    /// Colour, resize and crop: the 8-bit image just before it becomes numbers. Throws when
    /// resizing a long, thin image's shorter side would make more than
    /// `ImageDecoder.maximumPixels` pixels.
    public func resizedAndCropped(_ image: Bitmap) throws(ImageError) -> Bitmap {
        let colored = color == .grayscale ? image.grayscale() : image.rgb()
        let target = resizeTarget(height: colored.height, width: colored.width)
        guard target.height <= ImageDecoder.maximumPixels / target.width else {
            throw .invalidPreprocessing(reason: "resizing a \(image.width)x\(image.height) image to \(target.width)x\(target.height) "
                + "would make more than \(ImageDecoder.maximumPixels) pixels")
        }
        var resized = colored
        if target.height != colored.height || target.width != colored.width {
            resized = switch resize.filter {
            case .bilinear: BilinearResampling.resize(colored, width: target.width, height: target.height)
            case .nearest: NearestResampling.resize(colored, width: target.width, height: target.height)
            }
        }
        guard let centerCrop else { return resized }
        return Self.crop(resized, to: centerCrop)
    }

    /// torchvision's `_compute_resized_output_size` for one size, else the fixed size.
    private func resizeTarget(height: Int, width: Int) -> Size {
        guard let side = resize.shorterSide else { return Size(height: resize.height ?? height, width: resize.width ?? width) }
        let (shorter, longer) = (min(height, width), max(height, width))
        let newLonger = Int(Double(side * longer) / Double(shorter))
        return width <= height ? Size(height: newLonger, width: side) : Size(height: side, width: newLonger)
    }

    /// torchvision's `center_crop`: offsets round((size − crop) / 2), ties to even as
    /// Python's `round`. `validate` keeps the crop inside the image.
    private static func crop(_ image: Bitmap, to size: Size) -> Bitmap {
        let top = Int((Double(image.height - size.height) / 2).rounded(.toNearestOrEven))
        let left = Int((Double(image.width - size.width) / 2).rounded(.toNearestOrEven))
        let rowLength = size.width * image.channels
        var pixels: [UInt8] = []
        pixels.reserveCapacity(rowLength * size.height)
        for y in top..<(top + size.height) {
            let start = (y * image.width + left) * image.channels
            pixels += image.pixels[start..<(start + rowLength)]
        }
        return Bitmap(checkedWidth: size.width, height: size.height, channels: image.channels, pixels: pixels)
    }

    /// Channels first, in `color`'s order; float32 arithmetic in the references' order
    /// (torchvision: x / 255, then (x − mean) / std; Keras: x − mean).
    private func normalized(_ image: Bitmap) -> [Float] {
        let planeSize = image.width * image.height
        var values = [Float](repeating: 0, count: planeSize * image.channels)
        let divisor = Float(divideBy)
        for channel in 0..<image.channels {
            let source = color == .bgr ? image.channels - 1 - channel : channel
            let mean = mean.map { Float($0[channel]) }, std = std.map { Float($0[channel]) }
            for index in 0..<planeSize {
                var value = Float(image.pixels[index * image.channels + source]) / divisor
                if let mean { value -= mean }
                if let std { value /= std }
                values[channel * planeSize + index] = value
            }
        }
        return values
    }
}

import Testing
import ZooImage
import ZooRuntime
import ZooTensor
import ZooTestSupport

/// Our three recipes against the references (pil_image_reference.py, proven equal to
/// torchvision 0.28 and Keras 3 by check_image_reference.py) on every fixture, the two
/// photos among them: within 1e-5 of every reference value.
@Suite struct PreprocessingVersusReferenceTests {
    @Test(arguments: ImagePreprocessing.presets.keys.sorted())
    func recipeMatchesTheReference(recipe: String) throws {
        let fixtures = try PillowFixtures.get()
        let preprocessing = try #require(ImagePreprocessing.presets[recipe])
        for name in fixtures.names {
            let ours = try preprocessing.tensor([ImageDecoder.decode(file: fixtures.path(name))])
            let reference = try fixtures.reference(name, recipe)
            #expect(ours.shape == [1] + reference.shape, "\(name)")
            let difference = zip(try ours.scalars(as: Float.self), try reference.scalars(as: Float.self)).map { abs($0 - $1) }.max()
            #expect(difference.map { $0 <= 1e-5 } == true, "\(name): max |difference| \(String(describing: difference))")
        }
    }

    @Test func imagesOfDifferentShapesMakeNoBatch() throws {
        let fixtures = try PillowFixtures.get()
        let landscape = try ImageDecoder.decode(file: fixtures.path("china.jpg"))
        let portrait = try ImageDecoder.decode(file: fixtures.path("orientation-6.jpg"))
        #expect(try ImagePreprocessing.torchvisionImageNet.tensor([landscape, portrait]).shape == [2, 3, 224, 224])
        var shorterSideOnly = ImagePreprocessing.torchvisionImageNet
        shorterSideOnly.centerCrop = nil
        #expect(throws: ImageError.invalidPreprocessing(reason: "the images preprocess to different sizes (256x383 and 256x412); classify them one at a time")) {
            try shorterSideOnly.tensor([landscape, try ImageDecoder.decode(file: fixtures.path("rgb-8.png"))])
        }
    }

    @Test func invalidRecipesAreRefused() {
        var recipe = ImagePreprocessing.torchvisionImageNet
        recipe.centerCrop = .init(height: 300, width: 224)
        #expect(throws: ImageError.invalidPreprocessing(reason: "a 300x224 centre crop is larger than the resized shorter side 256")) { try recipe.validate() }
        recipe = .kerasCaffe
        recipe.mean = [1, 2]
        #expect(throws: ImageError.invalidPreprocessing(reason: "mean has 2 values for 3 channel(s)")) { try recipe.validate() }
        recipe = .grayscale32
        recipe.resize.shorterSide = 32
        #expect(throws: ImageError.invalidPreprocessing(reason: "resize needs either shorter_side, or height and width")) { try recipe.validate() }
        recipe = .grayscale32
        recipe.divideBy = 0
        #expect(throws: ImageError.invalidPreprocessing(reason: "divide_by and std must be positive and finite")) { try recipe.validate() }
    }

    /// A 1-pixel-high strip whose shorter side would be stretched to 256.
    @Test func aResizeBeyondThePixelLimitIsRefused() throws {
        let strip = try Bitmap(width: 1_000_000, height: 1, channels: 1, pixels: [UInt8](repeating: 9, count: 1_000_000))
        #expect(throws: ImageError.invalidPreprocessing(reason: "resizing a 1000000x1 image to 256000000x256 would make more than 178956970 pixels")) {
            try ImagePreprocessing.torchvisionImageNet.tensor([strip])
        }
    }
}

/// LeNet-5's digit PNGs through its manifest's recipe give, within 1.5/255, the inputs the
/// model was trained on (digits.npy: the same 8x8 digits /16, upsampled in float32): the
/// PNGs round the digits to 8 bits and Pillow's resize rounds again, at most 1.16/255 apart.
@Suite struct LeNetDigitPreprocessingTests {
    @Test func digitPNGsBecomeTheTrainingInputs() throws {
        let root = Python.repositoryRoot.path
        let images = try (1...8).map { try ImageDecoder.decode(file: "\(root)/Zoo/lenet5/digits/digit\($0).png") }
        let ours = try ImagePreprocessing.grayscale32.tensor(images)
        let training = try NPYFile.read(from: "\(root)/Zoo/lenet5/digits.npy")
        #expect(ours.shape == training.shape)
        let difference = zip(try ours.scalars(as: Float.self), try training.scalars(as: Float.self)).map { abs($0 - $1) }.max() ?? .infinity
        #expect(difference <= 1.5 / 255)
        #expect(difference > 0.5 / 255)  // the comparison sees the roundings, so it could fail
    }
}
